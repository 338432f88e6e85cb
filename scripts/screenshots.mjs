// Takes the README screenshots from headless Chromium: the widget's default
// look, the store's catalogue, checkout page and admin page. Run after `pnpm build`:
//   pnpm screenshots
// With --review it also shoots every store view in light and dark, at desktop
// width and at 375 px, into test-results/screens/ (to look at, not to commit).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startShop } from './screenshot-shop.mjs';

const root = new URL('..', import.meta.url).pathname;
const review = process.argv.includes('--review');
const ADMIN_PASSWORD = 'screenshots password';
const shop = await startShop({ adminPassword: ADMIN_PASSWORD });
const { url, sandbox, browser } = shop;

try {
  const context = await browser.newContext({
    baseURL: url,
    viewport: { width: 1100, height: 1000 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const checkout = async (products) => {
    for (const product of products) {
      await page.goto('/');
      await page.locator(`form:has(input[value="${product}"]) button`).click();
    }
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.locator('paydo-checkout [part~="submit-button"]').waitFor();
    return new URL(page.url()).pathname.split('/').pop();
  };
  const fillCard = async (pan) => {
    await page.fill('paydo-checkout input[name="email"]', 'ada@example.com');
    await page.fill('paydo-checkout input[name="card.pan"]', pan);
    await page.fill('paydo-checkout input[name="card.expirationDate"]', '12/29');
    await page.fill('paydo-checkout input[name="card.cvv"]', '123');
    await page.fill('paydo-checkout input[name="card.holderName"]', 'Ada Lovelace');
  };
  const pay = () => page.locator('paydo-checkout [part~="submit-button"]').click();
  const signIn = async () => {
    await page.goto('/admin/orders');
    if (new URL(page.url()).pathname === '/admin/login') {
      await page.getByLabel('Password').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/admin/orders');
    }
  };
  const refund = async (ref, amount) => {
    await signIn();
    const row = page.locator(`tr[data-order="${ref}"]`);
    if (amount) {
      await row.getByLabel('partial').check();
      await row.getByRole('textbox').fill(amount);
    }
    await row.getByRole('button', { name: 'Refund' }).click();
    await page.getByRole('button', { name: /^Confirm refund/ }).click();
    await page.waitForURL('**/admin/orders?ok=*');
  };

  // 0. The catalogue at a laptop's width (every card holds its price and button, the Kyiv poster's too).
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/');
  await page.screenshot({ path: join(root, 'docs/images/store-shop.png'), fullPage: true });
  await page.setViewportSize({ width: 1100, height: 1000 });

  // 1. The checkout page, the widget filled in.
  const first = await checkout(['mug', 'tee']);
  await fillCard('4242424242424242');
  await page.locator('paydo-checkout input[name="card.holderName"]').blur();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(root, 'docs/images/store-checkout.png') });
  await page.locator('paydo-checkout').screenshot({ path: join(root, 'packages/widget/docs/paydo-checkout.png') });
  await pay();
  await page.waitForURL(`**/orders/${first}`);

  // 2. A few more orders for the admin page: declined, then paid and partly refunded, then refunded.
  const declined = await checkout(['notebook']);
  await fillCard('4000000000000002');
  await pay();
  // A decline stays in the form, its reason by the card number.
  await page.locator('paydo-checkout #f-card-pan-error').waitFor();
  const partly = await checkout(['tee']);
  await fillCard('5555555555554444');
  await pay();
  await page.waitForURL(`**/orders/${partly}`);
  const refunded = await checkout(['stickers', 'notebook']);
  await fillCard('4242424242424242');
  await pay();
  await page.waitForURL(`**/orders/${refunded}`);
  await sandbox.control.ipnIdle();
  await refund(partly, '5,00');
  await refund(refunded);
  await page.waitForTimeout(800);
  await page.goto('/admin/orders');
  await page.setViewportSize({ width: 1400, height: 760 });
  await page.screenshot({ path: join(root, 'docs/images/store-admin.png'), fullPage: true });
  console.log(
    'Screenshots written: docs/images/store-shop.png, docs/images/store-checkout.png, docs/images/store-admin.png, packages/widget/docs/paydo-checkout.png',
  );

  if (review) {
    const out = join(root, 'test-results', 'screens');
    mkdirSync(out, { recursive: true });
    const cookies = await context.cookies();
    // A cart with two lines for the cart view.
    await page.goto('/');
    await page.locator('form:has(input[value="mug"]) button').click();
    await page.goto('/');
    await page.locator('form:has(input[value="tee"]) button').click();
    const cartCookies = await context.cookies();
    const awaiting = await checkout(['poster']);
    const views = [
      ['shop', '/'],
      ['cart', '/cart'],
      ['checkout', `/checkout/${awaiting}`],
      ['receipt', `/orders/${first}`],
      ['partly-refunded', `/orders/${partly}`],
      ['refunded', `/orders/${refunded}`],
      ['declined', `/orders/${declined}`],
      ['not-found', '/no-such-page'],
      ['admin-orders', '/admin/orders'],
      ['admin-confirm', null],
      ['admin-login', '/admin/login'],
    ];
    for (const scheme of ['light', 'dark']) {
      for (const [width, label] of [
        [1200, 'desktop'],
        [375, '375'],
      ]) {
        const ctx = await browser.newContext({
          baseURL: url,
          viewport: { width, height: 900 },
          colorScheme: scheme,
          deviceScaleFactor: 1,
        });
        const p = await ctx.newPage();
        for (const [name, path] of views) {
          await ctx.clearCookies();
          await ctx.addCookies(name === 'admin-login' ? [] : name === 'cart' ? cartCookies : cookies);
          if (name === 'admin-confirm') {
            await p.goto('/admin/orders');
            await p.locator(`tr[data-order="${first}"]`).getByRole('button', { name: 'Refund' }).click();
          } else await p.goto(path);
          if (name === 'checkout') await p.locator('paydo-checkout [part~="submit-button"]').waitFor();
          await p.screenshot({ path: join(out, `${name}-${label}-${scheme}.png`), fullPage: true });
        }
        await ctx.close();
      }
    }
    console.log(`Review screenshots written to ${out}`);
  }
} finally {
  await shop.close();
}
