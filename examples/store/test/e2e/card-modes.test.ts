// Card payments in every mode: direct (the widget's card fields; the default auto mode on a project
// with direct tokenization is in checkout.test.ts), hosted (Paydo's card page) and auto on a project
// Paydo refuses tokenization to (known at startup: hosted from the first payer).
import { paydoCheckout, testCards } from '@paydo-checkout/widget/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutProduct, openPage, type Shop, startShop, transactionsOf, waitForAdminStatus } from './harness.ts';

describe('direct card mode: the widget’s card fields, tokenized through the shop', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop({ cardPayments: 'direct' });
  });
  afterAll(() => shop?.close());

  it('the card typed in the widget pays the order without leaving the shop', async () => {
    const page = await openPage(shop, 'direct-card');
    const ref = await checkoutProduct(page);
    const paydo = paydoCheckout(page);
    await paydo.fillCardPayment(testCards.visa);
    await paydo.pay();
    await expect(paydo.waitForResult()).resolves.toMatchObject({ type: 'paydo-success' });
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
    const paydo = paydoCheckout(page);
    const form = await paydo.ready();
    expect(form.fields).not.toHaveProperty('card.pan');
    expect(form.submit?.label).toContain("on Paydo's card page");
    await expect(paydo.fillCard(testCards.visa)).rejects.toThrow(/no card fields/);
    await paydo.fillPayer();
    await paydo.pay();
    await paydo.payOnCardPage(testCards.visa);
    await page.waitForURL(`**/orders/${ref}`);
    await waitForAdminStatus(page, ref, 'paid');
    expect(await transactionsOf(shop, ref)).toHaveLength(1);
    expect(await page.problems()).toEqual([]);
  });

  it('3-D Secure on Paydo’s card page, approved at the bank: paid', async () => {
    const page = await openPage(shop, 'hosted-card-3ds');
    const ref = await checkoutProduct(page, 'tee');
    const paydo = paydoCheckout(page);
    await paydo.fillPayer();
    await paydo.pay();
    await paydo.payOnCardPage(testCards.threeDSecure);
    await paydo.approve3DSecure(); // through Paydo's "Continue to your bank" step
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

  it('the first payer already sees hosted mode (the shop asked Paydo at startup): no card field, paid once on Paydo’s card page', async () => {
    const page = await openPage(shop, 'auto-first');
    const ref = await checkoutProduct(page);
    const paydo = paydoCheckout(page);
    const form = await paydo.ready();
    // No card field: the card number is typed once, on Paydo's page, and never reaches the shop.
    expect(form.fields).not.toHaveProperty('card.pan');
    expect(form.submit?.label).toContain("on Paydo's card page");
    await paydo.fillPayer();
    await paydo.pay();
    await paydo.payOnCardPage(testCards.visa);
    await page.waitForURL(`**/orders/${ref}`);
    await waitForAdminStatus(page, ref, 'paid');
    expect(await transactionsOf(shop, ref)).toHaveLength(1);

    const next = await openPage(shop, 'auto-next');
    const nextRef = await checkoutProduct(next, 'tee');
    const nextPaydo = paydoCheckout(next);
    expect((await nextPaydo.ready()).fields).not.toHaveProperty('card.pan');
    await nextPaydo.fillPayer();
    await nextPaydo.pay();
    await nextPaydo.payOnCardPage(testCards.mastercard);
    await next.waitForURL(`**/orders/${nextRef}`);
    await waitForAdminStatus(next, nextRef, 'paid');
    expect(await transactionsOf(shop, nextRef)).toHaveLength(1);
    // The merchant is told once, by the startup check that found out; not again by a payment.
    expect(shop.logs.filter((l) => l.includes('does not allow direct card tokenization'))).toHaveLength(1);
    expect(await page.problems()).toEqual([]);
    expect(await next.problems()).toEqual([]);
  });
});
