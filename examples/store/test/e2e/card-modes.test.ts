// Card payments in every mode: direct (the widget's card fields; the default auto mode on a project
// with direct tokenization is in checkout.test.ts), hosted (Paydo's card page) and auto on a project
// Paydo refuses tokenization to (the switch).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkoutProduct,
  fillCard,
  fillPayer,
  openPage,
  type Page,
  pay,
  type Shop,
  startShop,
  transactionsOf,
  waitForAdminStatus,
} from './harness.ts';

/** On the sandbox's copy of Paydo's card page: type the card and pay. */
async function payOnPaydoCardPage(page: Page, pan: string) {
  await page.waitForURL('**/payment/invoice-preprocessing/**');
  await page.getByLabel('Card number').fill(pan);
  await page.getByLabel('Expiry (MM/YY)').fill('12/39');
  await page.getByLabel('CVV').fill('123');
  await page.getByRole('button', { name: /^Pay / }).click();
}

describe('direct card mode: the widget’s card fields, tokenized through the shop', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop({ cardPayments: 'direct' });
  });
  afterAll(() => shop?.close());

  it('the card typed in the widget pays the order without leaving the shop', async () => {
    const page = await openPage(shop, 'direct-card');
    const ref = await checkoutProduct(page);
    await fillCard(page, '4242424242424242');
    await pay(page);
    await page.waitForURL(`**/orders/${ref}`);
    expect((await page.url()).startsWith(shop.url)).toBe(true);
    await waitForAdminStatus(page, ref, 'paid');
    expect(await transactionsOf(shop, ref)).toHaveLength(1);
    expect(await page.problems()).toEqual([]);
  });
});

describe('hosted card mode: the card is typed on Paydo’s page, never in the shop', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop({ cardPayments: 'hosted' });
  });
  afterAll(() => shop?.close());

  it('no card field in the widget; Pay goes to Paydo’s card page; back on the shop, the order is paid', async () => {
    const page = await openPage(shop, 'hosted-card');
    const ref = await checkoutProduct(page);
    expect(await page.locator('paydo-checkout input[name="card.pan"]').count()).toBe(0);
    await expect(page.locator('paydo-checkout [part~="submit-button"]').textContent()).resolves.toContain(
      "on Paydo's card page",
    );
    await fillPayer(page);
    await pay(page);
    await payOnPaydoCardPage(page, '4242424242424242');
    await page.waitForURL(`**/orders/${ref}`);
    await waitForAdminStatus(page, ref, 'paid');
    expect(await transactionsOf(shop, ref)).toHaveLength(1);
    expect(await page.problems()).toEqual([]);
  });

  it('3-D Secure on Paydo’s card page, approved at the bank: paid', async () => {
    const page = await openPage(shop, 'hosted-card-3ds');
    const ref = await checkoutProduct(page, 'tee');
    await fillPayer(page);
    await pay(page);
    await payOnPaydoCardPage(page, '4000000000003220');
    await page.getByRole('button', { name: 'Continue to your bank' }).click();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`**/orders/${ref}`);
    await waitForAdminStatus(page, ref, 'paid');
  });
});

describe('auto on a project without direct tokenization (most merchants)', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop({ cardPayments: 'auto', cardTokenization: false });
  });
  afterAll(() => shop?.close());

  it('the first payer typed a card in the widget: sent on to Paydo’s card page, paid once; the next payer sees hosted mode', async () => {
    const page = await openPage(shop, 'auto-switch');
    const ref = await checkoutProduct(page);
    await fillCard(page, '4242424242424242');
    await pay(page);
    await payOnPaydoCardPage(page, '4242424242424242');
    await page.waitForURL(`**/orders/${ref}`);
    await waitForAdminStatus(page, ref, 'paid');
    expect(await transactionsOf(shop, ref)).toHaveLength(1);

    const next = await openPage(shop, 'auto-switch-next');
    const nextRef = await checkoutProduct(next, 'tee');
    expect(await next.locator('paydo-checkout input[name="card.pan"]').count()).toBe(0);
    await fillPayer(next);
    await pay(next);
    await payOnPaydoCardPage(next, '5555555555554444');
    await next.waitForURL(`**/orders/${nextRef}`);
    await waitForAdminStatus(next, nextRef, 'paid');
    expect(await transactionsOf(shop, nextRef)).toHaveLength(1);
    // The merchant is told once, by the payment that found out; not again by the next one.
    expect(shop.logs.filter((l) => l.includes('does not allow direct card tokenization'))).toHaveLength(1);
    expect(await page.problems()).toEqual([]);
    expect(await next.problems()).toEqual([]);
  });
});
