// What must hold while the store's writes go beside upstream calls and the lock is confirmed
// locally (a card payment: 18 store round trips → 11). Each test failed on a first version of
// that change (found by review) and states the invariant it checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore, type PaydoStore, SqliteStore } from '../../src/fastify/index.ts';
import { addOrder, cardBody, type Harness, newKey, next, pay, startHarness } from './harness.ts';

const opened: Harness[] = [];
let sandbox: Sandbox | undefined;
afterEach(async () => {
  for (const h of opened.splice(0)) await h.close();
  await sandbox?.close();
  sandbox = undefined;
});

/** A view of `store` whose methods can be overridden (MemoryStore's private fields need `this`). */
function wrap(store: MemoryStore, overrides: Partial<Record<keyof PaydoStore, unknown>>): PaydoStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop in overrides) return overrides[prop as keyof PaydoStore];
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as unknown as PaydoStore;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('one order, one charge across two instances sharing a store', () => {
  it('a lock lease lost while card tokenization is slow: the late attempt must not create a transaction', async () => {
    // Two instances share one store. Instance A starts a card payment; Paydo's card tokenization is
    // slow. While it is in flight A cannot reach the store (pool starved, network blip), so its lease
    // renewals fail and the lease runs out. The payer, tired of waiting, pays in another tab on
    // Paydo's page through instance B, which (correctly) gets the order's lock.
    // Before the change A confirmed its lock right before checkout/create (and failed: store down,
    // or lease gone). Now confirm() ran beside tokenization, before it, locally: A goes on and
    // creates a second charge for the order.
    sandbox = await createSandbox({ pendingMs: 300 });
    const shared = new MemoryStore();
    const partition = { a: false };
    const down = async () => {
      throw new Error('connect ETIMEDOUT (store unreachable from instance A)');
    };
    const storeA = new Proxy(shared, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => (partition.a ? down() : value.apply(target, args));
      },
    }) as unknown as PaydoStore;
    const lease = 1_000;
    const a = await startHarness({
      sandboxInstance: sandbox,
      plugin: { store: storeA, rateLimit: false, orderLockLeaseMs: lease },
    });
    opened.push(a);
    const b = await startHarness({
      sandboxInstance: sandbox,
      plugin: { store: wrap(shared, {}), rateLimit: false, orderLockLeaseMs: lease },
    });
    opened.push(b);
    const order = { id: 'order-two-tabs', amount: '12.50', currency: 'EUR', payer: { email: 'ada@example.com' } };
    const ref = 'two-tabs-1';
    a.orders.set(ref, order);
    b.orders.set(ref, order);

    sandbox.control.addFault({ endpoint: 'card-token.create', kind: 'latency', value: 4_000, times: 1 });
    const first = pay(a, ref, cardBody('4242424242424242'));
    await sleep(300); // A holds the lock, its invoice is made, tokenization is in flight
    partition.a = true; // from now on A's renewals fail: the lease runs out at ~1 s
    await sleep(lease + 800); // margin for a late timer on a busy machine

    // Tab 2 (instance B): Paydo's own page. B gets the lock (A's lease is over), the gate finds
    // A's invoice without a transaction (A is still tokenizing), and B makes the hosted invoice.
    const hostedRes = await b.app.inject({
      method: 'POST',
      url: `/paydo/checkout/${ref}/hosted`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ payer: { email: 'ada@example.com' } }),
    });
    expect(hostedRes.statusCode).toBe(200);
    const hostedInvoice = hostedRes.json().invoiceId as string;
    await fetch(`${sandbox.url}/_sandbox/hosted/${hostedInvoice}/complete`, {
      method: 'POST',
      body: new URLSearchParams({ decision: 'approve' }),
      redirect: 'manual',
    });

    await first; // A's tokenization ends; whatever A answers, it must not have charged again
    const accepted = sandbox.control.snapshot().transactions.filter((t) => t.state === 2);
    expect(accepted).toHaveLength(1);
  }, 20_000);
});

describe('an Idempotency-Key answers only for what it made', () => {
  it('a key whose tokenization failed does not adopt another tab’s transaction on its retry', async () => {
    // `transactionRequested` is now saved beside tokenization, before it. Tokenization fails (a
    // retryable 503), so the key is given back with "a transaction was asked for" although none
    // was. Meanwhile a second tab (another key) starts a 3-D Secure payment on the same invoice.
    // The first key's retry reads the invoice, sees a transaction other than `transactionBefore`
    // and adopts it as its own: the first tab is sent into the second tab's 3-D Secure challenge,
    // and the key's stored answer names a transaction (another card) this request never made.
    // Before the change the flag was saved only once tokenization had succeeded: the retry went
    // through the gate and answered payment_in_progress.
    const h = await startHarness({ plugin: { rateLimit: false }, sandbox: { pendingMs: 60_000 } });
    opened.push(h);
    const ref = addOrder(h);
    const key = newKey();
    h.sandbox.control.setFaults([{ endpoint: 'card-token.create', kind: 'error', value: 503, times: 1 }]);
    const failed = await pay(h, ref, cardBody('4242424242424242'), key);
    expect(failed.status).toBe(503);
    const otherTab = await pay(h, ref, cardBody('4000000000003220'));
    expect(otherTab.status).toBe(200);
    const retried = await pay(h, ref, cardBody('4242424242424242'), key);
    // Not an answer of its own about the other tab's payment (a 3-D Secure redirect into it).
    expect(retried.body.next).toBeUndefined();
    expect(retried.status).toBe(409);
    expect(retried.body.error).toBe('payment_in_progress');
  }, 15_000);
});

describe('applying a result', () => {
  it('a store error on claimOrderPayment does not keep the update claimed: the next poll applies the payment', async () => {
    // Before: claimOrderPayment ran inside the try that gives the update claim back on failure.
    // Now it runs in Promise.all beside claimPaymentUpdate: when it rejects, the claim just taken
    // is never released, and every IPN and poll for the next claimLeaseMs (60 s) answers `busy`;
    // the merchant does not hear of a successful payment for a minute (and the throw escapes
    // applyVerifiedTransaction as a 500 instead of its `failed` result).
    const base = new MemoryStore();
    const fail = { claimOrderPayment: 1 };
    const store = wrap(base, {
      claimOrderPayment: async (orderRef: string, txid: string) => {
        if (fail.claimOrderPayment > 0) {
          fail.claimOrderPayment--;
          throw new Error('store: connection reset');
        }
        return base.claimOrderPayment(orderRef, txid);
      },
    });
    // No IPN deliveries: the payer's status checks are what apply the result here.
    const h = await startHarness({
      sandbox: { ipnUrl: 'http://127.0.0.1:9/ipn' },
      plugin: { store, rateLimit: false },
    });
    opened.push(h);
    const ref = addOrder(h);
    await pay(h, ref, cardBody('4242424242424242')); // its apply hits the store error
    const tx = h.sandbox.control.snapshot().transactions[0];
    expect(tx?.state).toBe(2);
    const txid = tx?.identifier as string;
    // The store is fine again; the widget polls a few times within two seconds.
    for (let i = 0; i < 5 && h.updates.length === 0; i++) {
      await next(h, txid, ref);
      await sleep(300);
    }
    expect(h.updates.map((u) => u.status)).toEqual(['paid']);
  }, 15_000);
});

describe('SqliteStore checkpointer', () => {
  it('close() resolves even when the checkpoint worker has already exited', async () => {
    // SqliteCheckpointer.stop() waits for the worker's `exit` event. A worker that died before
    // (here: it cannot open the file; in production any crash, or a thread that could not start)
    // never emits `exit` again, `terminate()` does not either: close() hangs for ever, and so does
    // the app's graceful shutdown (fastify onClose).
    const dir = mkdtempSync(join(tmpdir(), 'paydo-review-'));
    const store = new SqliteStore(join(dir, 'store.db'), { checkpointEveryMs: 50 });
    rmSync(dir, { recursive: true, force: true }); // the worker starts after this: its open fails
    await sleep(1_000); // the worker has died; the store fell back to automatic checkpoints
    const closed = store.close().then(() => 'closed');
    const timeout = sleep(8_000).then(() => 'hung');
    expect(await Promise.race([closed, timeout])).toBe('closed');
  }, 15_000);
});
