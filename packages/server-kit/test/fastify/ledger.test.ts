import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../src/fastify/index.ts';
import { addOrder, CARD, decide, type Harness, next, pay, startHarness } from './harness.ts';

// The order's ledger and reconciliation (issue: "One payment engine").

let opened: Harness[] = [];
afterEach(async () => {
  await Promise.all(opened.map((h) => h.close()));
  opened = [];
});

async function harness(plugin: Parameters<typeof startHarness>[0] = {}) {
  const h = await startHarness(plugin);
  opened.push(h);
  return h;
}

/** The payer types a card on the emulator's card page (Paydo's page) for the invoice. */
async function payOnPaydoPage(h: Harness, invoiceId: string, pan: string) {
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

const payer = { email: 'ada@example.com', name: 'Ada Lovelace' };

/** The payer takes the hosted fallback and pays on Paydo's page; answers the invoice. */
async function paidOnPaydoPageByFallback(h: Harness): Promise<string> {
  const started = await h.app.inject({
    method: 'POST',
    url: `/paydo/checkout/${addOrder(h)}/hosted`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ payer }),
  });
  const invoiceId = started.json().invoiceId as string;
  await fetch(`${h.sandbox.url}/_sandbox/hosted/${invoiceId}/complete`, {
    method: 'POST',
    body: new URLSearchParams({ decision: 'approve' }),
    redirect: 'manual',
  });
  return invoiceId;
}

describe('a second tab on Paydo’s card page', () => {
  it('the later accepted charge is reported once as a duplicate and refunded in full, and its poll answers', async () => {
    const h = await harness({ plugin: { cardPayments: 'hosted', rateLimit: false } });
    const ref = addOrder(h);
    const started = await pay(h, ref, { method: CARD, payer });
    expect(started.body.next.type).toBe('hosted');
    const invoiceId = started.body.invoiceId as string;

    const tab1 = await payOnPaydoPage(h, invoiceId, '4000000000003220'); // waits at the bank's page
    const tab2 = await payOnPaydoPage(h, invoiceId, '4242424242424242'); // paid at once
    await h.sandbox.control.ipnIdle();
    expect(h.updates.map((u) => [u.txid, u.status])).toEqual([[tab2, 'paid']]);

    await decide(h, 'acs', tab1, 'approve'); // tab 1's bank says yes, afterwards
    await h.sandbox.control.ipnIdle();
    expect(h.updates.map((u) => [u.txid, u.status])).toEqual([
      [tab2, 'paid'],
      [tab1, 'duplicate'],
    ]);
    const duplicate = h.updates[1];
    expect(duplicate?.duplicateOf).toBe(tab2);
    expect(duplicate?.refundId).toEqual(expect.any(String));
    const refunds = h.sandbox.control.snapshot().refunds;
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ identifier: duplicate?.refundId });
    // Every delivery of tab 1's IPN was answered 200 (not 422 on every retry).
    expect(h.sandbox.control.ipnAttempts(tab1).map((a) => a.statusCode)).not.toContain(422);
    expect(h.sandbox.control.ipnAttempts(tab1).at(-1)?.statusCode).toBe(200);

    // The payer of tab 1 comes back to the shop: the order is paid, not "transaction not found".
    const polled = await next(h, tab1, ref);
    expect(polled.status).toBe(200);
    expect(polled.body.next).toMatchObject({ type: 'done', status: 'success' });
    // Applied stays applied: more deliveries and polls report nothing new.
    h.sandbox.control.resendIpn(tab1);
    await h.sandbox.control.ipnIdle();
    expect(h.updates).toHaveLength(2);
    expect(h.sandbox.control.snapshot().refunds).toHaveLength(1);
  });
});

describe('reconciliation: what no IPN brought', () => {
  it('a hosted payment whose every IPN is lost and whose payer never returns is applied by one sweep', async () => {
    const h = await harness({ plugin: { cardPayments: 'hosted', rateLimit: false, reconcileIntervalMs: 0 } });
    h.sandbox.control.configure({ ipnUrl: null }); // every IPN lost
    const ref = addOrder(h);
    const started = await pay(h, ref, { method: CARD, payer });
    const txid = await payOnPaydoPage(h, started.body.invoiceId, '4242424242424242');
    expect(h.updates).toHaveLength(0); // the payer closed the tab: nobody asked

    const summary = await h.app.paydoCheckout.reconcile();
    expect(summary).toEqual({ checked: 1, applied: 1, duplicates: 0, errors: 0, skipped: false });
    expect(h.updates.map((u) => [u.txid, u.status, u.source])).toEqual([[txid, 'paid', 'reconciliation']]);
    // A second sweep right after asks Paydo nothing (the invoice is not due) and reports nothing.
    const spy = vi.spyOn(h.client.invoices, 'retrieve');
    expect(await h.app.paydoCheckout.reconcile()).toMatchObject({ checked: 0, applied: 0 });
    expect(spy).not.toHaveBeenCalled();
    expect(h.updates).toHaveLength(1);
  });

  it('runs on its own every reconcileIntervalMs', async () => {
    const h = await harness({ plugin: { rateLimit: false, reconcileIntervalMs: 100 } });
    h.sandbox.control.configure({ ipnUrl: null });
    await h.app.ready();
    const invoiceId = await paidOnPaydoPageByFallback(h);
    await expect.poll(() => h.updates.length, { timeout: 5_000, interval: 20 }).toBe(1);
    expect(h.updates[0]).toMatchObject({ status: 'paid', source: 'reconciliation', invoiceId });
  });

  it('finds a second charge an IPN never reported, and refunds it', async () => {
    const h = await harness({ plugin: { cardPayments: 'hosted', rateLimit: false, reconcileIntervalMs: 0 } });
    const ref = addOrder(h);
    const started = await pay(h, ref, { method: CARD, payer });
    const invoiceId = started.body.invoiceId as string;
    const tab1 = await payOnPaydoPage(h, invoiceId, '4000000000003220');
    // Tab 1's payer came back once while the bank page was open: the kit heard of the transaction.
    expect((await next(h, tab1, ref)).status).toBe(200);
    const tab2 = await payOnPaydoPage(h, invoiceId, '4242424242424242');
    await h.sandbox.control.ipnIdle();
    h.sandbox.control.configure({ ipnUrl: null }); // from now on every IPN is lost
    await decide(h, 'acs', tab1, 'approve');
    expect(h.updates.map((u) => u.txid)).toEqual([tab2]);

    const summary = await h.app.paydoCheckout.reconcile();
    expect(summary).toMatchObject({ duplicates: 1, errors: 0 });
    expect(h.updates.map((u) => [u.txid, u.status])).toEqual([
      [tab2, 'paid'],
      [tab1, 'duplicate'],
    ]);
    expect(h.sandbox.control.snapshot().refunds).toHaveLength(1);
  });

  it('one instance sweeps at a time; nothing open costs no upstream call', async () => {
    const store = new MemoryStore();
    const a = await harness({ plugin: { store, rateLimit: false, reconcileIntervalMs: 0 } });
    const b = await harness({
      sandboxInstance: a.sandbox,
      plugin: { store, rateLimit: false, reconcileIntervalMs: 0 },
    });
    const calls = vi.spyOn(a.client.invoices, 'retrieve');
    expect(await a.app.paydoCheckout.reconcile()).toMatchObject({ checked: 0, skipped: false });
    expect(calls).not.toHaveBeenCalled();
    // A holds the sweep's lease while B asks for one.
    await store.acquireLease('reconcile', 'someone', 60_000);
    expect(await b.app.paydoCheckout.reconcile()).toMatchObject({ skipped: true });
    await store.releaseLease('reconcile', 'someone');
    expect(await b.app.paydoCheckout.reconcile()).toMatchObject({ skipped: false });
  });

  it('Paydo unavailable: the sweep stops, counts the error, and the invoice is asked about again', async () => {
    const h = await harness({ plugin: { rateLimit: false, reconcileIntervalMs: 0 } });
    h.sandbox.control.configure({ ipnUrl: null });
    const invoiceId = await paidOnPaydoPageByFallback(h);
    h.sandbox.control.setFaults([{ endpoint: 'invoices.get', kind: 'error', value: 503 }]);
    expect(await h.app.paydoCheckout.reconcile()).toMatchObject({ checked: 0, errors: 1 });
    expect(h.updates).toHaveLength(0);
    h.sandbox.control.clearFaults();
    expect(await h.app.paydoCheckout.reconcile()).toMatchObject({ checked: 1, applied: 1 });
    expect(h.updates).toHaveLength(1);
  });
});
