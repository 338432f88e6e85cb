import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { paydoCheckout, testCards } from '@paydo-checkout/widget/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_ARGS, findChrome } from '../../../../scripts/chrome-path.mjs';
import { ADMIN_PASSWORD, checkoutProduct, type Shop, startShop, waitForAdminStatus } from './harness.ts';

// The store's own pages, as a shopper and a merchant see them: light and dark,
// desktop and 375 px. axe finds nothing, nothing scrolls sideways, every picture loads.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let shop: Shop;
let chrome: Browser;
let paidRef = '';
beforeAll(async () => {
  shop = await startShop();
  // Colour scheme and viewport per context need Playwright's own Chromium, beside the engine under test.
  chrome = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS, headless: true });
  const page = await shop.browser.newPage(shop.url);
  paidRef = await checkoutProduct(page, 'tee');
  const paydo = paydoCheckout(page);
  await paydo.fillCardPayment(testCards.visa);
  await paydo.pay();
  await page.waitForURL(`**/orders/${paidRef}`);
  await waitForAdminStatus(page, paidRef, 'paid'); // signs in
  await page.close();
});
afterAll(async () => {
  await chrome?.close();
  await shop?.close();
});

async function audit(page: Page, label: string) {
  // Through the debugger, not a script tag: the page's CSP (rightly) allows no inline script.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }
    ).axe;
    const result = await axe.run();
    return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
  });
  expect(violations, label).toEqual([]);
  // Runs in the page (this file is typed without the DOM library).
  const { sideways, broken } = await page.evaluate(() => {
    const w = globalThis as unknown as {
      innerWidth: number;
      document: {
        documentElement: { scrollWidth: number };
        images: ArrayLike<{ complete: boolean; naturalWidth: number; src: string }>;
      };
    };
    return {
      sideways: w.document.documentElement.scrollWidth - w.innerWidth,
      broken: Array.from(w.document.images)
        .filter((img) => !img.complete || img.naturalWidth === 0)
        .map((img) => img.src),
    };
  });
  expect(sideways, `${label}: scrolls sideways`).toBeLessThanOrEqual(0);
  expect(broken, `${label}: pictures`).toEqual([]);
}

describe('the store’s pages in every mode', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [1200, 375]) {
      it(`${colorScheme}, ${width} px: shop, cart, receipt, 404, sign-in, orders and refund confirmation`, async () => {
        const context = await chrome.newContext({
          baseURL: shop.url,
          colorScheme,
          viewport: { width, height: 800 },
        });
        const page = await context.newPage();
        try {
          await page.goto('/');
          await audit(page, 'shop');
          await page.locator('form:has(input[value="mug"]) button').click();
          await page.waitForURL('**/cart');
          await page.getByLabel('Quantity of Enamel mug').fill('2');
          await page.getByRole('button', { name: 'Update' }).click();
          await expect.poll(() => page.locator('.cart-summary').textContent(), { timeout: 15_000 }).toContain('€25.00');
          await audit(page, 'cart');
          await page.goto('/nothing-here');
          await audit(page, '404');
          await page.getByRole('link', { name: 'Back to the shop' }).click();
          await page.waitForURL(`${shop.url}/`);
          await page.goto('/admin/orders');
          await page.waitForURL('**/admin/login');
          await audit(page, 'sign-in');
          await page.getByLabel('Password').fill(ADMIN_PASSWORD);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.waitForURL('**/admin/orders');
          await audit(page, 'orders');
          await page.locator(`tr[data-order="${paidRef}"]`).getByRole('button', { name: 'Refund' }).click();
          await page.getByRole('button', { name: 'Confirm refund of €25.00' }).waitFor();
          await audit(page, 'refund confirmation');
          await page.goto(`/orders/${paidRef}`);
          await expect(page.locator('.receipt').textContent()).resolves.toContain('Visa •••• 4242');
          await audit(page, 'receipt');
        } finally {
          await context.close();
        }
      });
    }
  }

  it('the favicon is served and linked', async () => {
    const page = await chrome.newPage({ baseURL: shop.url });
    await page.goto('/');
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    const res = await page.request.get(href as string);
    expect(res.headers()['content-type']).toBe('image/svg+xml');
    await page.close();
  });
});
