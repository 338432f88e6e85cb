import { afterEach, describe, expect, it, vi } from 'vitest';
import { DOCUMENTED_IPN_SOURCES, PAYDO_IPN_SOURCE_ADDRESSES } from '../../src/index.ts';
import { addOrder, cardBody, type Harness, pay, startHarness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function ipnBody(invoiceId: string, txid: string, state: number, orderId: string) {
  return {
    invoice: { id: invoiceId, txid, status: state === 2 ? 1 : 5, metadata: {} },
    transaction: { id: txid, state, order: { id: orderId }, error: { message: '', code: '' } },
  };
}

async function postIpn(harness: Harness, body: unknown, remoteAddress = '127.0.0.1') {
  const res = await harness.app.inject({
    method: 'POST',
    url: '/paydo/ipn',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
    remoteAddress,
  });
  return { status: res.statusCode, body: res.json() };
}

/** A paid order whose IPN was not delivered yet (the sandbox has no IPN URL, nobody polled). */
async function unappliedPayment(harness: Harness) {
  const ref = addOrder(harness);
  const res = await pay(harness, ref, cardBody('4000000000000119'));
  harness.sandbox.control.advance(res.body.txid, 2);
  return {
    ref,
    invoiceId: res.body.invoiceId as string,
    txid: res.body.txid as string,
    orderId: harness.orders.get(ref)?.id as string,
  };
}

describe('POST /ipn', () => {
  it('the same IPN ×10 (concurrently) is applied once', async () => {
    h = await startHarness({ plugin: { rateLimit: false }, sandbox: { ipnUrl: undefined } });
    h.sandbox.control.configure({ ipnUrl: null });
    const harness = h;
    const p = await unappliedPayment(harness);
    const body = ipnBody(p.invoiceId, p.txid, 2, p.orderId);
    const answers = await Promise.all(Array.from({ length: 10 }, () => postIpn(harness, body)));
    expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true);
    // Concurrent twins may be told "busy, retry" (503); Paydo retries them; they end as duplicates.
    for (const a of answers.filter((x) => x.status === 503)) expect(a.body.error).toBe('ipn_not_applied');
    const again = await postIpn(harness, body);
    expect(again).toEqual({ status: 200, body: { ok: true, outcome: 'duplicate' } });
    expect(harness.updates.filter((u) => u.txid === p.txid)).toHaveLength(1);
  });

  it('a repeat of an applied result is answered 200 without asking Paydo again; a new state still is', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    h.sandbox.control.configure({ ipnUrl: null });
    const p = await unappliedPayment(h);
    const body = ipnBody(p.invoiceId, p.txid, 2, p.orderId);
    expect((await postIpn(h, body)).body.outcome).toBe('applied');
    // Paydo unreachable now: the repeat needs nothing from it (it changes nothing).
    h.sandbox.control.addFault({ endpoint: 'transactions.get', kind: 'error', value: 500 });
    expect(await postIpn(h, body)).toEqual({ status: 200, body: { ok: true, outcome: 'duplicate' } });
    // A different claimed state is never taken on trust: it must be confirmed, so it waits for Paydo.
    expect((await postIpn(h, ipnBody(p.invoiceId, p.txid, 3, p.orderId))).status).toBe(503);
    expect(h.updates.filter((u) => u.txid === p.txid)).toHaveLength(1);
  });

  it('from a wrong address: 403 and nothing applied', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    h.sandbox.control.configure({ ipnUrl: null });
    const p = await unappliedPayment(h);
    const res = await postIpn(h, ipnBody(p.invoiceId, p.txid, 2, p.orderId), '198.51.100.7');
    expect(res.status).toBe(403);
    expect(h.updates).toHaveLength(0);
    expect(h.ipns.at(-1)).toMatchObject({ outcome: 'rejected', sourceIp: '198.51.100.7' });
  });

  it('with a wrong amount (the order no longer matches the transaction): rejected, nothing applied', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    h.sandbox.control.configure({ ipnUrl: null });
    const p = await unappliedPayment(h);
    const order = h.orders.get(p.ref);
    if (order) order.amount = '99.00';
    const res = await postIpn(h, ipnBody(p.invoiceId, p.txid, 2, p.orderId));
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/12\.5 EUR, the order is 99\.00 EUR/);
    expect(h.updates).toHaveLength(0);
  });

  it('for an unknown invoice or transaction: rejected, nothing applied', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    h.sandbox.control.configure({ ipnUrl: null });
    const unknownInvoice = await postIpn(h, ipnBody('not-ours', 'tx', 2, 'o'));
    expect(unknownInvoice.status).toBe(404);
    const p = await unappliedPayment(h);
    const unknownTx = await postIpn(h, ipnBody(p.invoiceId, 'nope', 2, p.orderId));
    expect(unknownTx.status).toBe(422);
    expect(unknownTx.body.message).toBe('Paydo does not know this transaction.');
    const malformed = await postIpn(h, { invoice: { id: 'x' } });
    expect(malformed.status).toBe(400);
    expect(h.updates).toHaveLength(0);
  });

  it('applies the state Paydo confirms, not the one the IPN claims', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    h.sandbox.control.configure({ ipnUrl: null });
    const p = await unappliedPayment(h);
    await postIpn(h, ipnBody(p.invoiceId, p.txid, 3, p.orderId)); // claims "failed"
    expect(h.updates.map((u) => u.status)).toEqual(['paid']);
  });

  it('onPaymentUpdate throwing: 5xx, the sandbox delivers again, and the retry applies once', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    h.failUpdates.count = 2;
    const ref = addOrder(h);
    const res = await pay(h, ref, cardBody('4000000000000119'));
    expect(res.body.next.type).toBe('wait');
    await expect.poll(() => h?.updates.length, { timeout: 5000, interval: 50 }).toBe(1);
    await h.sandbox.control.ipnIdle();
    const attempts = h.sandbox.control.ipnAttempts(res.body.txid);
    expect(attempts.map((a) => a.statusCode)).toEqual([503, 503, 200]);
    expect(h.updates).toHaveLength(1);
    expect(h.ipns.map((i) => i.outcome)).toEqual(['failed', 'failed', 'applied']);
  });

  it('a later state change (failed → accepted) is applied', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    const ref = addOrder(h);
    const res = await pay(h, ref, cardBody('4000000000000002'));
    await h.sandbox.control.ipnIdle();
    h.sandbox.control.advance(res.body.txid, 2);
    await expect
      .poll(() => h?.updates.map((u) => u.status), { timeout: 3000, interval: 50 })
      .toEqual(['failed', 'paid']);
  });
});

describe('POST /ipn with a refund IPN', () => {
  function refundIpn(refundId: string, txid: string, state = 2) {
    return {
      transaction: { refundId, state, amount: 5, currency: 'EUR', metadata: {}, error: { message: '', code: '' } },
      sourceTransaction: { id: txid, state: 2 },
    };
  }

  it('is confirmed with Paydo and reported once, with the status Paydo gives, not the claimed one', async () => {
    h = await startHarness({ plugin: { rateLimit: false }, sandbox: { refundAcceptMs: null } });
    h.sandbox.control.configure({ ipnUrl: null });
    const paid = await unappliedPayment(h);
    expect((await postIpn(h, ipnBody(paid.invoiceId, paid.txid, 2, paid.orderId))).status).toBe(200);
    const { refundId } = await h.client.refunds.create({
      transactionIdentifier: paid.txid,
      refundType: 2,
      amount: '5',
    });
    // The IPN claims accepted; Paydo still says waiting (1): that is what is reported.
    const first = await postIpn(h, refundIpn(refundId, paid.txid, 2));
    expect(first).toEqual({ status: 200, body: { ok: true, outcome: 'applied' } });
    expect(h.refunds).toEqual([expect.objectContaining({ refundId, status: 1, accepted: false, orderRef: paid.ref })]);
    expect((await postIpn(h, refundIpn(refundId, paid.txid))).body.outcome).toBe('duplicate');
    h.sandbox.control.acceptRefund(refundId);
    expect((await postIpn(h, refundIpn(refundId, paid.txid))).body.outcome).toBe('applied');
    expect(h.refunds.map((r) => [r.status, r.accepted])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it("a refund Paydo answers without its status or transaction is not reported (the IPN's claim is never used): 503, retried", async () => {
    h = await startHarness({ plugin: { rateLimit: false }, sandbox: { refundAcceptMs: null } });
    h.sandbox.control.configure({ ipnUrl: null });
    const paid = await unappliedPayment(h);
    expect((await postIpn(h, ipnBody(paid.invoiceId, paid.txid, 2, paid.orderId))).status).toBe(200);
    const { refundId } = await h.client.refunds.create({
      transactionIdentifier: paid.txid,
      refundType: 2,
      amount: '5',
    });
    const retrieve = h.client.refunds.retrieve.bind(h.client.refunds);
    const lookup = vi.spyOn(h.client.refunds, 'retrieve').mockImplementation(async (id, options) => {
      const refund = await retrieve(id, options);
      return refund && { ...refund, status: null, state: null };
    });
    const first = await postIpn(h, refundIpn(refundId, paid.txid, 2));
    expect(first.status).toBe(503);
    expect(h.refunds).toEqual([]);
    lookup.mockRestore();
    expect((await postIpn(h, refundIpn(refundId, paid.txid, 2))).status).toBe(200);
    expect(h.refunds.map((r) => r.status)).toEqual([1]);
  });

  it('a made-up refund id is rejected; a refund of a transaction this shop never saw is ignored with 200', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    h.sandbox.control.configure({ ipnUrl: null });
    const paid = await unappliedPayment(h);
    expect((await postIpn(h, ipnBody(paid.invoiceId, paid.txid, 2, paid.orderId))).status).toBe(200);
    const forged = await postIpn(h, refundIpn('00000000-0000-4000-8000-000000000000', paid.txid));
    expect(forged.status).toBe(422);
    const foreign = await postIpn(h, refundIpn('00000000-0000-4000-8000-000000000001', 'not-ours'));
    expect(foreign).toEqual({ status: 200, body: { ok: true, outcome: 'ignored' } });
    expect(h.refunds).toEqual([]);
    expect(h.ipns.map((i) => [i.kind, i.outcome])).toEqual([
      ['payment', 'applied'],
      ['refund', 'rejected'],
      ['refund', 'ignored'],
    ]);
  });
});

describe('IPN source addresses', () => {
  it("default to every documented list: Paydo's two and Payop's four, each with its page", () => {
    expect([...PAYDO_IPN_SOURCE_ADDRESSES].sort()).toEqual(
      ['52.49.204.201', '54.229.170.212', '18.199.249.46', '35.158.36.143', '3.125.109.58', '3.127.103.117'].sort(),
    );
    for (const s of DOCUMENTED_IPN_SOURCES) expect(s.source).toMatch(/^(PaydoW\/paydo-api-doc|Payop\/payop-api-doc) /);
  });

  it("accepts a genuine IPN from Paydo's own published address on the default list", async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    h.sandbox.control.configure({ ipnUrl: null });
    const p = await unappliedPayment(h);
    const body = ipnBody(p.invoiceId, p.txid, 2, p.orderId);
    expect(await postIpn(h, body, '52.49.204.201')).toEqual({ status: 200, body: { ok: true, outcome: 'applied' } });
  });

  it('names each refused source address once, with its catalogue code', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    h.sandbox.control.configure({ ipnUrl: null });
    const p = await unappliedPayment(h);
    const body = ipnBody(p.invoiceId, p.txid, 2, p.orderId);
    for (const ip of ['198.51.100.7', '198.51.100.7', '198.51.100.7', '198.51.100.8'])
      expect((await postIpn(h, body, ip)).status).toBe(403);
    const named = (ip: string) =>
      h?.logs.filter((l) => JSON.parse(l).level >= 50 && l.includes(ip) && l.includes('ipn_source_not_allowed')) ?? [];
    expect(named('198.51.100.7')).toHaveLength(1);
    expect(named('198.51.100.8')).toHaveLength(1);
    expect(JSON.parse(named('198.51.100.7')[0] as string).msg).toMatch(/not in ipnSourceAddresses/);
    // Every refusal is still recorded for onIpn.
    expect(h.ipns.filter((i) => i.outcome === 'rejected')).toHaveLength(4);
  });
});
