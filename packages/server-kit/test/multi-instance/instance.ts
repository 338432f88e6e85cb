/**
 * One plugin instance as its own process, for the crash-safety tests. Set up
 * by environment variables; prints `READY <url>` when listening and
 * `AT <point>` when it reaches the kill point it was given (then it stops
 * there and waits to be killed with SIGKILL by the test):
 *
 * - `ipn:before-status` / `ipn:after-status`: around the IPN's confirmation with Paydo
 * - `ipn:in-update`: inside `onPaymentUpdate`, before the merchant's write
 * - `pay:after-invoice`: Paydo made the invoice, the kit has not recorded it
 * - `pay:after-create-sent`: `checkout/create` reached Paydo, its answer is never read
 *
 * Every applied update is appended to `UPDATES_FILE` as one JSON line.
 */
import { appendFileSync } from 'node:fs';
import Fastify from 'fastify';
import { type PaydoStore, paydo, SqliteStore } from '../../src/fastify/index.ts';
import { PaydoClient } from '../../src/index.ts';
import { PostgresStore } from '../../src/postgres/index.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`instance: ${name} is required`);
  return value;
};
const killAt = process.env.KILL_AT ?? '';
const reach = async (point: string): Promise<void> => {
  if (killAt !== point) return;
  process.stdout.write(`AT ${point}\n`);
  await new Promise(() => {}); // here until SIGKILL
};

const store: PaydoStore = process.env.DATABASE_URL
  ? await PostgresStore.open({ connectionString: env('DATABASE_URL'), schema: env('DATABASE_SCHEMA') })
  : new SqliteStore(env('SQLITE_FILE'));

const client = new PaydoClient({
  publicKey: env('PAYDO_PUBLIC_KEY'),
  secretKey: env('PAYDO_SECRET_KEY'),
  jwt: env('PAYDO_JWT'),
  projectId: env('PAYDO_PROJECT_ID'),
  baseUrl: env('PAYDO_API_URL'),
  retry: { minDelayMs: 1, maxDelayMs: 5 },
});
// Kill points around the calls that create or confirm something at Paydo.
const { transactions, invoices } = client;
const retrieve = transactions.retrieve.bind(transactions);
transactions.retrieve = async (...args) => {
  await reach('ipn:before-status');
  const tx = await retrieve(...args);
  await reach('ipn:after-status');
  return tx;
};
const createInvoice = invoices.create.bind(invoices);
invoices.create = async (...args) => {
  const invoice = await createInvoice(...args);
  await reach('pay:after-invoice');
  return invoice;
};
const createTransaction = transactions.create.bind(transactions);
transactions.create = async (...args) => {
  const result = await createTransaction(...args);
  await reach('pay:after-create-sent');
  return result;
};

const app = Fastify();
const leaseMs = Number(process.env.LEASE_MS ?? 60_000);
await app.register(paydo, {
  prefix: '/paydo',
  publicKey: env('PAYDO_PUBLIC_KEY'),
  secretKey: env('PAYDO_SECRET_KEY'),
  jwt: env('PAYDO_JWT'),
  client,
  store,
  resolveOrder: async (ref) => ({
    id: `order-${ref}`,
    amount: '12.50',
    currency: 'EUR',
    payer: { email: 'ada@example.com', name: 'Ada Lovelace' },
  }),
  onPaymentUpdate: async (update) => {
    await reach('ipn:in-update');
    appendFileSync(
      env('UPDATES_FILE'),
      `${JSON.stringify({ txid: update.txid, state: update.state, status: update.status, source: update.source, pid: process.pid })}\n`,
    );
  },
  checkoutPageUrl: (ref) => `http://shop.test/checkout/${ref}`,
  // Cards in the widget's fields, without the startup card mode check (its invoice would meet the crash points).
  cardPayments: 'direct',
  rateLimit: false,
  pollIntervalMs: 100,
  statusCacheMs: 0,
  orderLockLeaseMs: leaseMs,
  claimLeaseMs: leaseMs,
});
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as { port: number };
process.stdout.write(`READY http://127.0.0.1:${port}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
