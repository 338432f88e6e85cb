import { afterEach, describe, expect, it } from 'vitest';
import { addOrder, cardBody, type Harness, type Json, newKey, pay, startHarness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const counts = (harness: Harness, ref: string) => {
  const orderId = harness.orders.get(ref)?.id;
  const snapshot = harness.sandbox.control.snapshot();
  const invoices = snapshot.invoices.filter((i) => i.orderIdentifier === orderId);
  const ids = new Set(invoices.map((i) => i.identifier));
  return {
    invoices: invoices.length,
    transactions: snapshot.transactions.filter((t) => ids.has(t.invoiceIdentifier)).length,
  };
};

describe('Idempotency-Key', () => {
  it('50 concurrent pays with one key: one invoice, one transaction, the same answer for all', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    const harness = h;
    const ref = addOrder(harness);
    const key = newKey();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => pay(harness, ref, cardBody('4242424242424242'), key)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    const first = JSON.stringify(answers[0]?.body);
    for (const a of answers) expect(JSON.stringify(a.body)).toBe(first);
    expect(counts(harness, ref)).toEqual({ invoices: 1, transactions: 1 });
  });

  it('the same key always gets the same answer, later too', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    const ref = addOrder(h);
    const key = newKey();
    const first = await pay(h, ref, cardBody('4000000000000002'), key);
    const second = await pay(h, ref, cardBody('4000000000000002'), key);
    expect(second).toEqual(first);
    expect(counts(h, ref).transactions).toBe(1);
  });

  it('a key reused for a different payment is refused', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    const ref = addOrder(h);
    const key = newKey();
    await pay(h, ref, cardBody('4000000000000002'), key);
    const other = await pay(
      h,
      ref,
      { ...cardBody('4000000000000002'), payer: { email: 'eve@example.com', name: 'Eve' } },
      key,
    );
    expect(other.status).toBe(422);
    expect(other.body.error).toBe('idempotency_mismatch');
  });

  it('a lost answer of checkout/create (5xx after it took effect): retryable error, and the retry adopts the transaction', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    const ref = addOrder(h);
    const key = newKey();
    h.sandbox.control.setFaults([{ endpoint: 'checkout.create', kind: 'error', value: 502, phase: 'after', times: 1 }]);
    const failed = await pay(h, ref, cardBody('4242424242424242'), key);
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ error: 'paydo_unavailable', retryable: true });
    expect(counts(h, ref)).toEqual({ invoices: 1, transactions: 1 });
    const retried = await pay(h, ref, cardBody('4242424242424242'), key);
    expect(retried.status).toBe(200);
    expect(retried.body.next).toEqual({ type: 'done', status: 'success' });
    expect(counts(h, ref)).toEqual({ invoices: 1, transactions: 1 });
    const snapshot = h.sandbox.control.snapshot();
    expect(snapshot.transactions.find((t) => t.identifier === retried.body.txid)).toBeTruthy();
  });

  it('a timeout on checkout/create after it took effect: the retry never makes a second transaction', async () => {
    h = await startHarness({ plugin: { rateLimit: false }, client: { headersTimeoutMs: 300 } });
    const ref = addOrder(h);
    const key = newKey();
    h.sandbox.control.setFaults([{ endpoint: 'checkout.create', kind: 'timeout', phase: 'after', times: 1 }]);
    const failed = await pay(h, ref, cardBody('4242424242424242'), key);
    expect(failed.status).toBe(503);
    expect(failed.body.retryable).toBe(true);
    const retried = await pay(h, ref, cardBody('4242424242424242'), key);
    expect(retried.body.next).toEqual({ type: 'done', status: 'success' });
    expect(counts(h, ref)).toEqual({ invoices: 1, transactions: 1 });
  });

  it('a 5xx before anything happened (card tokenization down): retryable, and the retry pays once', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    const ref = addOrder(h);
    const key = newKey();
    h.sandbox.control.setFaults([{ endpoint: 'card-token.create', kind: 'error', value: 503, times: 1 }]);
    const failed = await pay(h, ref, cardBody('4242424242424242'), key);
    expect(failed.status).toBe(503);
    const retried = await pay(h, ref, cardBody('4242424242424242'), key);
    expect(retried.status).toBe(200);
    expect(counts(h, ref)).toEqual({ invoices: 1, transactions: 1 });
  });

  it('a second key while a payment of the order is under way: payment_in_progress with its txid', async () => {
    h = await startHarness({ plugin: { rateLimit: false }, sandbox: { pendingMs: 60_000 } });
    const ref = addOrder(h);
    const first = await pay(h, ref, cardBody('4000000000000119'));
    const second: Json = await pay(h, ref, cardBody('4242424242424242'));
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ error: 'payment_in_progress', txid: first.body.txid });
  });

  it('needs an Idempotency-Key', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    const res = await h.app.inject({
      method: 'POST',
      url: `/paydo/checkout/${addOrder(h)}/pay`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(cardBody('4242424242424242')),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().fields).toHaveProperty('Idempotency-Key');
  });
});
