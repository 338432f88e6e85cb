// Takes the README screenshots from headless Chromium: the widget's default
// look, the store's checkout page and its admin page. Run after `pnpm build`:
//   pnpm screenshots
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '@paydo-checkout/sandbox';
import { chromium } from 'playwright-core';
import { buildStore } from '../examples/store/src/server.ts';
import { CHROME_ARGS, findChrome } from './chrome-path.mjs';

const root = new URL('..', import.meta.url).pathname;
const sandbox = await createSandbox({ seed: 7 });
const dataDir = mkdtempSync(join(tmpdir(), 'paydo-shots-'));
let url = '';
const { app } = await buildStore({
  dataDir,
  publicUrl: () => url,
  paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
  sandboxOrigin: sandbox.url,
  pollIntervalMs: 300,
});
url = await app.listen({ port: 0, host: '127.0.0.1' });
sandbox.control.configure({ ipnUrl: `${url}/paydo/ipn` });
const browser = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS });

try {
  const page = await browser.newPage({ baseURL: url, viewport: { width: 1100, height: 1000 }, deviceScaleFactor: 1 });
  const checkout = async (products) => {
    for (const product of products) {
      await page.goto('/');
      await page.locator(`form:has(input[value="${product}"]) button`).click();
    }
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.locator('paydo-checkout [part~="submit-button"]').waitFor();
    return new URL(page.url()).pathname.split('/').pop();
  };
  const payByCard = async (pan) => {
    await page.fill('paydo-checkout input[name="email"]', 'ada@example.com');
    await page.fill('paydo-checkout input[name="card.pan"]', pan);
    await page.fill('paydo-checkout input[name="card.expirationDate"]', '12/29');
    await page.fill('paydo-checkout input[name="card.cvv"]', '123');
    await page.fill('paydo-checkout input[name="card.holderName"]', 'Ada Lovelace');
    await page.locator('paydo-checkout [part~="submit-button"]').click();
  };

  // 1. The checkout page, the widget filled in.
  const first = await checkout(['mug', 'tee']);
  await page.fill('paydo-checkout input[name="email"]', 'ada@example.com');
  await page.fill('paydo-checkout input[name="card.pan"]', '4242424242424242');
  await page.fill('paydo-checkout input[name="card.expirationDate"]', '12/29');
  await page.fill('paydo-checkout input[name="card.cvv"]', '123');
  await page.fill('paydo-checkout input[name="card.holderName"]', 'Ada Lovelace');
  await page.locator('paydo-checkout input[name="card.holderName"]').blur();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(root, 'docs/images/store-checkout.png') });
  await page.locator('paydo-checkout').screenshot({ path: join(root, 'packages/widget/docs/paydo-checkout.png') });
  await page.locator('paydo-checkout [part~="submit-button"]').click();
  await page.waitForURL(`**/orders/${first}`);

  // 2. A few more orders for the admin page: declined, then paid and partly refunded.
  await checkout(['notebook']);
  await payByCard('4000000000000002');
  await page.locator('paydo-checkout [part~="status"]').getByText('Card declined').waitFor();
  const refunded = await checkout(['tee']);
  await payByCard('5555555555554444');
  await page.waitForURL(`**/orders/${refunded}`);
  await sandbox.control.ipnIdle();
  await page.goto('/admin/orders');
  const row = page.locator(`tr[data-order="${refunded}"]`);
  await row.getByLabel('partial').check();
  await row.getByRole('textbox').fill('5.00');
  await row.getByRole('button', { name: 'Refund' }).click();
  await page.waitForTimeout(800);
  await page.goto('/admin/orders');
  await page.setViewportSize({ width: 1400, height: 760 });
  await page.screenshot({ path: join(root, 'docs/images/store-admin.png'), fullPage: true });
  console.log(
    'Screenshots written: docs/images/store-checkout.png, docs/images/store-admin.png, packages/widget/docs/paydo-checkout.png',
  );
} finally {
  await browser.close();
  await app.close();
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
}
