// Paydo makes an unpaid invoice overdue after 24 hours (status 2). The emulator's clock gets
// there at once: the kit never reuses an overdue invoice, and a payer left on the old one is told.
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/error-catalogue.ts';
import { addOrder, cardBody, type Harness, next, pay, startHarness } from './harness.ts';

const DAY = 24 * 60 * 60 * 1000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const invoiceStatus = (harness: Harness, invoiceId: string) =>
  harness.sandbox.control.snapshot().invoices.find((i) => i.identifier === invoiceId)?.status;

describe('an invoice past its 24 hours', () => {
  it("the payer left on the bank's page is told plainly, and paying again makes a new invoice", async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    const ref = addOrder(h);
    const first = await pay(h, ref, cardBody('4000000000003220'));
    expect(first.status).toBe(200);
    expect(first.body.next.type).toBe('post'); // the bank's 3-D Secure page, left open

    h.sandbox.control.advanceClock(DAY);
    expect(invoiceStatus(h, first.body.invoiceId)).toBe(2);
    // Back at the shop (or the widget's poll): the payment is over, and says why.
    const back = await next(h, first.body.txid, ref);
    expect(back.body.next).toEqual({
      type: 'done',
      status: 'fail',
      code: 'invoice_expired',
      message: ERROR_CATALOGUE.invoice_expired.payerMessage,
    });

    const again = await pay(h, ref, cardBody('4242424242424242'));
    expect(again.status).toBe(200);
    expect(again.body.invoiceId).not.toBe(first.body.invoiceId);
    expect(again.body.next).toEqual({ type: 'done', status: 'success' });
    expect(invoiceStatus(h, first.body.invoiceId)).toBe(2);
    expect(invoiceStatus(h, again.body.invoiceId)).toBe(1);
    await h.sandbox.control.ipnIdle();
    expect(h.updates.filter((u) => u.orderRef === ref).map((u) => [u.status, u.errorCode ?? null])).toEqual([
      ['failed', 'invoice_expired'],
      ['paid', null],
    ]);
  });

  it("Paydo's page: the unpaid invoice is reused within its 24 hours, never after", async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    const ref = addOrder(h);
    const hosted = async () =>
      (
        await h!.app.inject({
          method: 'POST',
          url: `/paydo/checkout/${ref}/hosted`,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ payer: { email: 'ada@example.com' } }),
        })
      ).json() as { invoiceId: string; next: { url: string } };
    const first = await hosted();
    h.sandbox.control.advanceClock(DAY - 60_000);
    expect((await hosted()).invoiceId).toBe(first.invoiceId);

    h.sandbox.control.advanceClock(60_000);
    // The old page now says the payment expired; the kit's next answer is a new invoice, payable.
    const old = await fetch(first.next.url);
    expect(old.status).toBe(410);
    const second = await hosted();
    expect(second.invoiceId).not.toBe(first.invoiceId);
    const page = await fetch(second.next.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Paydo checkout');
  });
});
