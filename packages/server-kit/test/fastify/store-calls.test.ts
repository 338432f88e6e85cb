// With a database store every store call is a round trip, so the number of calls a route makes is
// its cost (bench: `pnpm bench`). These tests pin that number, so a change that adds a call is seen.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore, type PaydoStore } from '../../src/fastify/index.ts';
import { addOrder, cardBody, type Harness, type Json, pay, startHarness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A MemoryStore that counts the calls made to it, by method. */
function countingStore(): { store: PaydoStore; calls: Record<string, number>; reset(): void } {
  const calls: Record<string, number> = {};
  const inner = new MemoryStore();
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls[String(prop)] = (calls[String(prop)] ?? 0) + 1;
        return value.apply(target, args);
      };
    },
  });
  return {
    store,
    calls,
    reset: () => {
      for (const k of Object.keys(calls)) delete calls[k];
    },
  };
}

const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

async function postIpn(harness: Harness, body: unknown) {
  const res = await harness.app.inject({
    method: 'POST',
    url: '/paydo/ipn',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
    remoteAddress: '127.0.0.1',
  });
  return { status: res.statusCode, body: res.json() as Json };
}

describe('store calls per request', () => {
  it('a card payment (no 3-D Secure): one call of each kind it needs, 11 in all', async () => {
    const counted = countingStore();
    h = await startHarness({ plugin: { store: counted.store, rateLimit: false } });
    h.sandbox.control.configure({ ipnUrl: null });
    await pay(h, addOrder(h), cardBody('4242424242424242')); // learns the card mode and the methods
    counted.reset();
    const res = await pay(h, addOrder(h), cardBody('4242424242424242'));
    expect(res.body.next).toEqual({ type: 'done', status: 'success' });
    expect(counted.calls).toEqual({
      claimIdempotencyKey: 1,
      acquireOrderLock: 1, // confirmed later without asking again: its lease cannot have run out yet
      readOrder: 1, // paid? pending? which invoices? in one read
      saveInvoice: 1,
      saveAttemptProgress: 1, // "a transaction is asked for", before it is
      saveTransaction: 1,
      claimPaymentUpdate: 1,
      claimOrderPayment: 1,
      completePaymentUpdate: 1,
      releaseOrderLock: 1,
      completeIdempotencyKey: 1,
    });
    expect(total(counted.calls)).toBe(11);
  });

  it('a checkout reads the order once', async () => {
    const counted = countingStore();
    h = await startHarness({ plugin: { store: counted.store, rateLimit: false, cardPayments: 'direct' } });
    const ref = addOrder(h);
    counted.reset();
    const res = await h.app.inject({ method: 'GET', url: `/paydo/checkout/${ref}` });
    expect(res.statusCode).toBe(200);
    expect(counted.calls).toEqual({ readOrder: 1 });
  });

  it('a repeat IPN of a result applied by this process asks neither the store nor Paydo', async () => {
    const counted = countingStore();
    h = await startHarness({ plugin: { store: counted.store, rateLimit: false } });
    h.sandbox.control.configure({ ipnUrl: null });
    const ref = addOrder(h);
    const paid = await pay(h, ref, cardBody('4000000000000119'));
    h.sandbox.control.advance(paid.body.txid, 2);
    const ipn = {
      invoice: { id: paid.body.invoiceId, txid: paid.body.txid, status: 1, metadata: {} },
      transaction: { id: paid.body.txid, state: 2, order: { id: h.orders.get(ref)?.id }, error: {} },
    };
    expect((await postIpn(h, ipn)).body.outcome).toBe('applied');
    counted.reset();
    h.sandbox.control.addFault({ endpoint: '*', kind: 'error', value: 500 });
    expect(await postIpn(h, ipn)).toEqual({ status: 200, body: { ok: true, outcome: 'duplicate' } });
    expect(counted.calls).toEqual({});
    expect(h.ipns.at(-1)).toMatchObject({ outcome: 'duplicate', orderRef: ref, verifiedState: 2 });
    // Another claimed state is not a repeat: it is confirmed with Paydo (unreachable now: 503).
    expect((await postIpn(h, { ...ipn, transaction: { ...ipn.transaction, state: 3 } })).status).toBe(503);
    expect(h.updates.filter((u) => u.txid === paid.body.txid)).toHaveLength(1);
  });
});
