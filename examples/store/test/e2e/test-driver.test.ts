// @paydo-checkout/widget/testing as a merchant uses it: Playwright's own Page (playwright-core,
// the system's Chromium) and puppeteer's Page through the adapter, paying orders on the store
// and the emulator. Chromium only: the other engines run the store's tests, which use the driver too.
import {
  fromPuppeteer,
  type PaydoCheckoutDriver,
  PUPPETEER_OPTIONS,
  paydoCheckout,
  testCards,
} from '@paydo-checkout/widget/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_ARGS, findChrome } from '../../../../scripts/chrome-path.mjs';
import { ENGINE, type Shop, startShop, transactionsOf, waitForAdminStatus } from './harness.ts';

/** Pays with the 3-D Secure card, declines at the bank, and sees paydo-fail on the checkout page loaded anew. */
async function declinedAtTheBank(paydo: PaydoCheckoutDriver) {
  await paydo.fillCardPayment(testCards.threeDSecure);
  await paydo.pay();
  await paydo.decline3DSecure();
  await expect(paydo.waitForResult()).resolves.toMatchObject({
    type: 'paydo-fail',
    detail: { code: 'three_d_secure_failed', message: 'The bank did not confirm the payment.' },
  });
}

describe.runIf(ENGINE === 'chromium')('the test driver from Playwright', () => {
  let shop: Shop;
  let chrome: Browser;
  beforeAll(async () => {
    shop = await startShop();
    chrome = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS, headless: true });
  });
  afterAll(async () => {
    await chrome?.close();
    await shop?.close();
  });

  /** A fresh Playwright page on the checkout of a new order; returns the page and the order reference. */
  async function checkout(product = 'mug'): Promise<{ page: Page; ref: string }> {
    const context = await chrome.newContext({ baseURL: shop.url });
    const page = await context.newPage();
    await page.goto('/');
    await page.locator(`form:has(input[value="${product}"]) button`).click();
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.waitForURL('**/checkout/*');
    return { page, ref: new URL(page.url()).pathname.split('/').pop() as string };
  }

  it('3-D Secure approved at the bank: the order page, paid by the 3-D Secure card', async () => {
    const { page, ref } = await checkout('tee');
    const paydo = paydoCheckout(page);
    const form = await paydo.ready();
    expect(form.methods).toEqual(['Bank card', 'Bank transfer', 'Sandbox Wallet', 'Paydo account']);
    await paydo.fillCardPayment(testCards.threeDSecure, { email: 'grace@example.com' });
    await paydo.pay();
    await paydo.approve3DSecure();
    // Back from the bank, the widget (or the store, once the IPN has marked the order paid) moves on.
    await page.waitForURL(`**/orders/${ref}`);
    await expect(page.locator('.receipt').textContent()).resolves.toContain('Visa •••• 3220');
    expect((await transactionsOf(shop, ref)).map((t) => t.state)).toEqual([2]);
    await page.context().close();
  });

  it('declined, then paid with another card: paydo-fail with the reason, then paydo-success', async () => {
    const { page, ref } = await checkout();
    const paydo = paydoCheckout(page);
    await paydo.fillCardPayment(testCards.insufficientFunds);
    await paydo.pay();
    await expect(paydo.waitForResult()).resolves.toEqual({
      type: 'paydo-fail',
      detail: { txid: expect.any(String), code: 'insufficient_funds', message: 'The card has insufficient funds.' },
    });
    expect((await paydo.snapshot()).errors['card.pan']).toContain('The card has insufficient funds.');
    await paydo.fillCard(testCards.mastercard);
    await paydo.pay();
    await expect(paydo.waitForResult()).resolves.toMatchObject({ type: 'paydo-success' });
    await page.waitForURL(`**/orders/${ref}`);
    await page.context().close();
  });

  // The event is fired by the checkout page loaded anew after the bank's page: seen through addInitScript.
  it('3-D Secure declined at the bank: paydo-fail back on the checkout page', async () => {
    const { page } = await checkout();
    await declinedAtTheBank(paydoCheckout(page));
    await page.context().close();
  });

  it('the wallet: another method chosen, approved on the wallet page', async () => {
    const { page, ref } = await checkout();
    const paydo = paydoCheckout(page);
    await paydo.chooseMethod('wallet');
    expect((await paydo.snapshot()).method).toBe('Sandbox Wallet');
    await expect(paydo.chooseMethod('Crypto')).rejects.toThrow(
      'No payment method "Crypto"; the checkout offers: Bank card, Bank transfer, Sandbox Wallet, Paydo account.',
    );
    await expect(paydo.fill('nationalid', '1234567890')).rejects.toThrow(/no field "nationalid".*it has: email/);
    await paydo.fillPayer();
    await paydo.pay();
    await paydo.approveWallet();
    await page.waitForURL(`**/orders/${ref}`);
    await waitForAdminStatus(await shop.browser.newPage(shop.url), ref, 'paid');
    await page.context().close();
  });

  it('a result that never comes times out with what the element shows', async () => {
    const { page } = await checkout();
    const paydo = paydoCheckout(page, { timeout: 1_000 });
    await paydo.fillPayer({ email: 'not an e-mail' });
    await paydo.fillCard(testCards.visa);
    await paydo.pay();
    await expect(paydo.waitForResult()).rejects.toThrow(
      /Timed out after 1000 ms waiting for the payment result .*shows: the form, with errors \(email: /,
    );
    await page.context().close();
  });

  it('puppeteer through fromPuppeteer: 3-D Secure declined, then paid with another card', async () => {
    const browser = await puppeteer.launch({ executablePath: findChrome(), args: CHROME_ARGS, headless: true });
    try {
      const page = await browser.newPage();
      await page.goto(shop.url);
      await page.locator('form:has(input[value="mug"]) button').click();
      await page.waitForNavigation();
      await page.locator('::-p-text(Check out)').click();
      await page.waitForNavigation();
      const ref = new URL(page.url()).pathname.split('/').pop() as string;
      const paydo = paydoCheckout(fromPuppeteer(page), PUPPETEER_OPTIONS);
      await declinedAtTheBank(paydo);
      await paydo.fillCard(testCards.visa);
      await paydo.pay();
      await expect(paydo.waitForResult()).resolves.toMatchObject({ type: 'paydo-success' });
      await waitForAdminStatus(await shop.browser.newPage(shop.url), ref, 'paid');
    } finally {
      await browser.close();
    }
  });
});
