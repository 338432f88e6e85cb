import { createSandbox, type Sandbox, type SandboxOptions } from '@paydo-checkout/sandbox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  type IpnRecord,
  type PaydoOrder,
  type PaydoPluginOptions,
  type PaymentUpdate,
  paydo,
  type RefundUpdate,
} from '../../src/fastify/index.ts';
import { PaydoClient, type PaydoClientOptions } from '../../src/index.ts';

export interface Harness {
  sandbox: Sandbox;
  app: FastifyInstance;
  url: string;
  orders: Map<string, PaydoOrder>;
  updates: PaymentUpdate[];
  refunds: RefundUpdate[];
  ipns: IpnRecord[];
  client: PaydoClient;
  /** Makes onPaymentUpdate throw this many more times. */
  failUpdates: { count: number };
  logs: string[];
  close(): Promise<void>;
}

let seq = 0;

export function addOrder(h: Harness, order: Partial<PaydoOrder> = {}): string {
  const ref = `ref-${++seq}-${Math.random().toString(36).slice(2, 8)}`;
  h.orders.set(ref, {
    id: `order-${seq}`,
    amount: '12.50',
    currency: 'EUR',
    description: 'Two mugs',
    payer: { email: 'ada@example.com', name: 'Ada Lovelace' },
    ...order,
  });
  return ref;
}

export async function startHarness(
  options: {
    sandbox?: SandboxOptions;
    plugin?: Partial<PaydoPluginOptions>;
    client?: Partial<PaydoClientOptions>;
    sandboxInstance?: Sandbox;
    /** Fastify's own options (e.g. `trustProxy`). */
    fastify?: FastifyServerOptions;
    /** Where the app listens. Default 127.0.0.1. */
    host?: string;
  } = {},
): Promise<Harness> {
  const sandbox = options.sandboxInstance ?? (await createSandbox({ pendingMs: 300, ...options.sandbox }));
  const orders = new Map<string, PaydoOrder>();
  const updates: PaymentUpdate[] = [];
  const refunds: RefundUpdate[] = [];
  const ipns: IpnRecord[] = [];
  const logs: string[] = [];
  const failUpdates = { count: 0 };
  const client = new PaydoClient({
    ...sandbox.project,
    baseUrl: sandbox.apiUrl,
    retry: { minDelayMs: 1, maxDelayMs: 5 },
    ...options.client,
  });
  const app = Fastify({
    logger: { level: 'info', stream: { write: (line: string) => logs.push(line) } },
    ...options.fastify,
  });
  await app.register(paydo, {
    prefix: '/paydo',
    publicKey: sandbox.project.publicKey,
    secretKey: sandbox.project.secretKey,
    jwt: sandbox.project.jwt,
    client,
    resolveOrder: async (ref) => orders.get(ref) ?? null,
    onPaymentUpdate: async (update) => {
      if (failUpdates.count > 0) {
        failUpdates.count--;
        throw new Error('database is down');
      }
      updates.push(update);
    },
    onRefundUpdate: async (update) => {
      refunds.push(update);
    },
    checkoutPageUrl: (ref) => `http://shop.test/checkout/${ref}`,
    onIpn: (record) => {
      ipns.push(record);
    },
    pollIntervalMs: 100,
    statusCacheMs: 0,
    ...options.plugin,
  });
  await app.listen({ port: 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  if (!options.sandboxInstance && options.sandbox?.ipnUrl === undefined)
    sandbox.control.configure({ ipnUrl: `${url}/paydo/ipn` });
  return {
    sandbox,
    app,
    url,
    orders,
    updates,
    refunds,
    ipns,
    client,
    failUpdates,
    logs,
    close: async () => {
      await app.close();
      await client.close();
      if (!options.sandboxInstance) await sandbox.close();
    },
  };
}

export const CARD = 200001;
export const BANK = 200002;
export const WALLET = 200003;
export const HOSTED = 200004;

export function cardBody(pan: string, extra: Record<string, unknown> = {}) {
  return {
    method: CARD,
    payer: { email: 'ada@example.com', name: 'Ada Lovelace' },
    card: { pan, expirationDate: '12/39', cvv: '123', holderName: 'Ada Lovelace' },
    ...extra,
  };
}

let keySeq = 0;
export const newKey = () => `key-${Date.now()}-${++keySeq}`;

// biome-ignore lint/suspicious/noExplicitAny: answers are asserted literally
export type Json = any;

export async function pay(
  h: Harness,
  ref: string,
  body: unknown,
  key = newKey(),
  headers: Record<string, string> = {},
) {
  const res = await h.app.inject({
    method: 'POST',
    url: `/paydo/checkout/${ref}/pay`,
    headers: { 'content-type': 'application/json', 'idempotency-key': key, ...headers },
    payload: JSON.stringify(body),
  });
  // Date is the transport's clock, not part of the answer: a replay a second later differs there.
  const { date: _date, ...headers_ } = res.headers;
  return { status: res.statusCode, body: res.json() as Json, headers: headers_ };
}

export async function next(h: Harness, txid: string, orderRef: string | null) {
  const query = orderRef === null ? '' : `?order=${encodeURIComponent(orderRef)}`;
  const res = await h.app.inject({ method: 'GET', url: `/paydo/transactions/${txid}/next${query}` });
  return { status: res.statusCode, body: res.json() as Json };
}

/** Polls the next step the way the widget does, until it is not `wait`. */
export async function pollUntilSettled(h: Harness, txid: string, orderRef: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await next(h, txid, orderRef);
    if (res.body.next?.type !== 'wait' || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, res.body.next.afterMs));
  }
}

/** Sends the payer's browser through the sandbox's approval page. */
export async function decide(h: Harness, kind: 'acs' | 'wallet', txid: string, decision: 'approve' | 'decline') {
  const res = await fetch(`${h.sandbox.url}/_sandbox/${kind}/${txid}/complete`, {
    method: 'POST',
    body: new URLSearchParams({ decision }),
    redirect: 'manual',
  });
  return res.headers.get('location');
}

/** The payer types a card on the emulator's card page (Paydo's page) for the invoice. */
export async function payOnPaydoPage(h: Harness, invoiceId: string, pan: string) {
  const res = await fetch(`${h.sandbox.url}/_sandbox/hosted/${invoiceId}/card`, {
    method: 'POST',
    body: new URLSearchParams({ pan, expirationDate: '12/39', cvv: '123', holderName: 'Ada Lovelace' }),
    redirect: 'manual',
  });
  const html = res.status === 200 ? await res.text() : '';
  // A 3-D Secure card stops at the bank's page (its form names the transaction).
  const acs = /\/_sandbox\/acs\/([\w-]+)/.exec(html)?.[1];
  const txid = acs ?? new URL(res.headers.get('location') ?? 'http://x/').searchParams.get('paydo_txid');
  return txid as string;
}
