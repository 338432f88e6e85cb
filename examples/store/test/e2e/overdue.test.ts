import { paydoCheckout, testCards } from '@paydo-checkout/widget/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkoutProduct,
  ENGINE_TITLE,
  openPage,
  type Shop,
  startShop,
  transactionsOf,
  waitForAdminStatus,
} from './harness.ts';

// Paydo makes an unpaid invoice overdue after 24 hours; the emulator's clock gets there at once.
// A payer who left the bank's page open comes back to a plain sentence, and paying again works.
const DAY = 24 * 60 * 60 * 1000;

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
});
afterAll(() => shop?.close());

describe(`an invoice past its 24 hours, in ${ENGINE_TITLE}`, () => {
  it('the payer back from the old 3-D Secure page is told it expired; paying again makes a new invoice and pays', async () => {
    const page = await openPage(shop, 'overdue');
    const ref = await checkoutProduct(page, 'mug');
    const paydo = paydoCheckout(page);
    await paydo.fillCardPayment(testCards.threeDSecure);
    await paydo.pay();
    await page.getByRole('heading', { name: 'Confirm your payment' }).waitFor();

    // A day later the payer approves on the page left open: the session is over.
    shop.sandbox.control.advanceClock(DAY);
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByRole('heading', { name: 'This session has ended' }).waitFor();
    await page.getByRole('link', { name: 'Back to the shop' }).click();
    await page.waitForURL(`**/checkout/${ref}`);
    await paydo.waitFor((s) =>
      Object.values(s.errors).some((m) => m.includes('This payment expired before it was completed.')),
    );

    await paydo.fillCardPayment(testCards.visa);
    await paydo.pay();
    await page.waitForURL(`**/orders/${ref}`);
    await waitForAdminStatus(page, ref, 'paid');
    // The old invoice's transaction timed out with it; the new invoice's is the paid one.
    const transactions = await transactionsOf(shop, ref);
    expect(transactions.map((t) => t.state).sort((a, b) => a - b)).toEqual([2, 15]);
    expect(new Set(transactions.map((t) => t.invoiceIdentifier)).size).toBe(2);
    expect(await page.problems()).toEqual([]);
  });
});
