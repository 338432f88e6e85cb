/**
 * PostgreSQL restarted in the middle of a pay (its own server: the shared one
 * must stay up for the other test files). The pay is held at a known point —
 * `checkout/create` answered — while the database goes down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/postgres/index.ts';
import { addOrder, cardBody, type Harness, newKey, pay, startHarness } from '../fastify/harness.ts';
import { type PostgresServer, postgresAvailable, startPostgres } from '../services/servers.ts';
import { postgresUrl } from '../services/stores.ts';

const skip = !postgresUrl() || postgresAvailable() !== null;

describe.skipIf(skip)('PostgreSQL restarted during a pay', () => {
  let server: PostgresServer;
  let h: Harness;
  beforeAll(async () => {
    server = await startPostgres();
    const store = await PostgresStore.open({ connectionString: server.url, connectTimeoutMs: 1_000 });
    h = await startHarness({ sandbox: { pendingMs: 100 }, plugin: { rateLimit: false, store } });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await server?.destroy();
  });

  it('answers a clear retryable error, then succeeds with the same key: one transaction, applied once', async () => {
    let reached!: () => void;
    let release!: () => void;
    const atPaydo = new Promise<void>((r) => {
      reached = r;
    });
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const transactions = h.client.transactions;
    const create = transactions.create.bind(transactions);
    transactions.create = async (...args) => {
      const result = await create(...args);
      reached();
      await gate;
      return result;
    };
    const ref = addOrder(h);
    const key = newKey();
    const first = pay(h, ref, cardBody('4242424242424242'), key);
    await atPaydo;
    await server.stop();
    release();
    const failed = await first;
    expect(failed.status).toBe(503);
    expect(failed.body).toEqual({
      error: 'service_unavailable',
      message: 'The shop cannot record payments for a moment. Please try again: nothing is charged twice.',
      retryable: true,
    });
    // An IPN meanwhile is refused with 503 too, so Paydo delivers it again later.
    const txid = h.sandbox.control.snapshot().transactions[0]?.identifier as string;
    const ipn = await h.app.inject({
      method: 'POST',
      url: '/paydo/ipn',
      remoteAddress: '127.0.0.1',
      payload: h.sandbox.control.ipnAttempts(txid).at(-1)?.body ?? {},
    });
    expect(ipn.statusCode).toBe(503);

    await server.start();
    transactions.create = create;
    let again = await pay(h, ref, cardBody('4242424242424242'), key);
    // The widget retries a retryable answer; the claims the failed try held are given back once the database answers.
    for (let i = 0; i < 50 && again.body.retryable; i++) {
      await new Promise((r) => setTimeout(r, 100));
      again = await pay(h, ref, cardBody('4242424242424242'), key);
    }
    expect(again.status).toBe(200);
    expect(again.body.txid).toBe(txid);
    expect(h.sandbox.control.snapshot().transactions).toHaveLength(1);
    h.sandbox.control.resendIpn(txid);
    await h.sandbox.control.ipnIdle();
    expect(h.updates.filter((u) => u.txid === txid)).toHaveLength(1);
  }, 30_000);
});
