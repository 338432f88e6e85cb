import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_ARGS, findChrome } from '../../../../scripts/chrome-path.mjs';
import { type EngineBrowser, launch, type Page } from './browser.ts';
import { ENGINE, ENGINE_TITLE } from './harness.ts';

// The emulator's own pages (Paydo's card page and hosted page, the bank's 3-D Secure page,
// the wallet, the expired invoice, the dashboard) as a payer meets them: axe finds nothing in
// every engine, labels name the fields, the keyboard goes through them in order and pays.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DAY = 24 * 60 * 60 * 1000;

let sandbox: Sandbox;
let browser: EngineBrowser;
beforeAll(async () => {
  sandbox = await createSandbox({ seed: 2525, refundAcceptMs: null });
  browser = await launch(ENGINE);
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

let orderSeq = 0;
/** A signed invoice; the payer comes back to the dashboard (a page of the emulator, so every engine can load it). */
async function invoice(paymentMethod: number | null, payer: Record<string, string> = {}): Promise<string> {
  const { createHash } = await import('node:crypto');
  const orderId = `pages-${++orderSeq}`;
  const signature = createHash('sha256').update(`19.90:EUR:${orderId}:${sandbox.project.secretKey}`).digest('hex');
  const response = await fetch(`${sandbox.apiUrl}/invoices/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      publicKey: sandbox.project.publicKey,
      order: { id: orderId, amount: '19.90', currency: 'EUR', description: 'Enamel mug', items: [] },
      payer: { email: 'payer@example.com', name: 'Ada Lovelace', ...payer },
      language: 'en',
      resultUrl: `${sandbox.url}/_sandbox?result={{txid}}`,
      failPath: `${sandbox.url}/_sandbox?fail={{txid}}`,
      ...(paymentMethod !== null && { paymentMethod }),
      signature,
    }),
  });
  expect(response.status).toBe(200);
  return response.headers.get('identifier') as string;
}

const hostedPath = (invoiceId: string) => `/en/payment/invoice-preprocessing/${invoiceId}`;

/** axe-core's violations on the page, with where they are. */
async function audit(page: Page, label: string): Promise<void> {
  const violations = await page.evaluate(async (source: string) => {
    const w = globalThis as unknown as {
      axe?: { run(): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
      document: {
        createElement(tag: 'script'): { textContent: string };
        head: { append(node: unknown): void };
      };
    };
    // The emulator's pages have no CSP: axe goes in as an inline script.
    if (!w.axe) {
      const script = w.document.createElement('script');
      script.textContent = source;
      w.document.head.append(script);
    }
    const result = await (w.axe as NonNullable<typeof w.axe>).run();
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, AXE);
  expect(violations, label).toEqual([]);
}

describe(`the emulator's pages (${ENGINE_TITLE})`, () => {
  it('card page: labelled fields in order, a problem announced, 3-D Secure by keyboard, no axe violations', async () => {
    const invoiceId = await invoice(200001);
    const page = await browser.newPage(sandbox.url);
    try {
      await page.goto(hostedPath(invoiceId));
      await page.getByRole('heading', { name: 'Pay by card' }).waitFor();
      // The amount and the merchant are on the page before any field.
      const summary = await page.locator('[aria-label="Payment summary"]').textContent();
      expect(summary).toContain('€19.90');
      expect(summary).toContain('127.0.0.1');
      await audit(page, 'card page');

      // Every field by its label; the keyboard goes through them in reading order.
      await page.getByLabel('Card number').fill('4242 4242 4242 4241');
      for (const next of ['input[expirationDate]', 'input[cvv]', 'input[holderName]', 'button[Pay €19.90]']) {
        await page.keyboard.press('Tab');
        expect(await page.focused()).toBe(next);
      }
      await page.getByLabel('Expiry date').fill('12/39');
      await page.getByLabel('Security code (CVV)').fill('123');
      await page.keyboard.press('Enter');
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toContain('Invalid card number.');
      await audit(page, 'card page with a problem');

      // A 3-D Secure card, sent with Enter: Paydo's step to the bank, then the bank's page.
      await page.getByLabel('Card number').fill('4000 0000 0000 3220');
      await page.getByLabel('Expiry date').fill('12/39');
      await page.getByLabel('Security code (CVV)').fill('123');
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Continue to your bank' }).waitFor();
      await audit(page, "Paydo's step to the bank");
      await page.getByRole('button', { name: 'Continue to your bank' }).click();
      await page.getByRole('heading', { name: 'Confirm your payment' }).waitFor();
      expect(await page.locator('main').textContent()).toContain('ending 3220');
      await audit(page, '3-D Secure page');
      await page.getByRole('button', { name: 'Approve', exact: true }).click();
      await page.waitForURL('**/_sandbox?result=*');
      expect(sandbox.control.snapshot().invoices.find((i) => i.identifier === invoiceId)?.status).toBe(1);
      expect(await page.problems()).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('hosted page, missing details, wallet and dashboard: no axe violations', async () => {
    const page = await browser.newPage(sandbox.url);
    try {
      await page.goto(hostedPath(await invoice(null)));
      await page.getByRole('heading', { name: 'Paydo checkout' }).waitFor();
      await audit(page, "Paydo's hosted page");

      await page.goto(hostedPath(await invoice(200002, { name: '' })));
      await page.getByRole('heading', { name: 'A few details first' }).waitFor();
      await audit(page, 'missing details');
      await page.getByLabel('Full name').fill('Ada Lovelace');
      await page.getByLabel('National ID (10 digits)').fill('12');
      await page.keyboard.press('Enter');
      await page.getByRole('alert').waitFor();
      await audit(page, 'missing details with a problem');

      const walletInvoice = await invoice(200003);
      const started = await fetch(`${sandbox.apiUrl}/checkout/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          invoiceIdentifier: walletInvoice,
          customer: { email: 'payer@example.com' },
          checkStatusUrl: `${sandbox.url}/_sandbox?wallet={{txid}}`,
        }),
      });
      const txid = started.headers.get('identifier');
      await page.goto(`/_sandbox/wallet/${txid}`);
      await page.getByRole('heading', { name: 'Approve the payment' }).waitFor();
      await audit(page, 'wallet page');
      await page.getByRole('button', { name: 'Decline' }).click();
      await page.waitForURL('**/_sandbox?wallet=*');
      await page.getByRole('heading', { name: /Refunds/ }).waitFor();
      await audit(page, 'dashboard');
    } finally {
      await page.close();
    }
  });

  it('an invoice past its 24 hours: the expired page and the ended 3-D Secure session, no axe violations', async () => {
    const expiredInvoice = await invoice(null);
    const page = await browser.newPage(sandbox.url);
    try {
      // A 3-D Secure payment left on the bank's page.
      const cardInvoice = await invoice(200001);
      await page.goto(hostedPath(cardInvoice));
      await page.getByLabel('Card number').fill('4000000000003220');
      await page.getByLabel('Expiry date').fill('12/39');
      await page.getByLabel('Security code (CVV)').fill('123');
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Continue to your bank' }).click();
      await page.getByRole('heading', { name: 'Confirm your payment' }).waitFor();

      sandbox.control.advanceClock(DAY);
      await page.getByRole('button', { name: 'Approve', exact: true }).click();
      await page.getByRole('heading', { name: 'This session has ended' }).waitFor();
      expect(await page.locator('main').textContent()).toContain('not completed in time');
      await audit(page, 'ended 3-D Secure session');

      await page.goto(hostedPath(expiredInvoice));
      await page.getByRole('heading', { name: 'This payment has expired' }).waitFor();
      await audit(page, 'expired invoice');
      await page.getByRole('link', { name: 'Back to the shop' }).click();
      await page.waitForURL('**/_sandbox?fail=');
    } finally {
      await page.close();
      sandbox.control.reset();
    }
  });
});

// Width and colour scheme need Playwright's Chromium beside the engine under test (as look.test.ts):
// at 375 px, light and dark, nothing scrolls sideways and axe (contrast included) finds nothing.
describe.skipIf(ENGINE !== 'chromium')("the emulator's pages at 375 px, light and dark (Chromium)", () => {
  let chrome: Browser;
  beforeAll(async () => {
    chrome = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS, headless: true });
  });
  afterAll(() => chrome?.close());

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`${colorScheme}: card, hosted, details, expired pages and the dashboard`, async () => {
      const paths = [
        hostedPath(await invoice(200001)),
        hostedPath(await invoice(null)),
        hostedPath(await invoice(200002, { name: '' })),
      ];
      const expired = await invoice(null);
      const context = await chrome.newContext({ colorScheme, viewport: { width: 375, height: 740 } });
      const page = await context.newPage();
      try {
        sandbox.control.advanceClock(DAY);
        for (const path of [...paths, hostedPath(expired), '/_sandbox']) {
          await page.goto(sandbox.url + path);
          await page.evaluate(AXE);
          const violations = await page.evaluate(async () => {
            const axe = (
              globalThis as unknown as {
                axe: { run(): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
              }
            ).axe;
            return (await axe.run()).violations.map(
              (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
            );
          });
          expect(violations, path).toEqual([]);
          const sideways = await page.evaluate(
            () =>
              (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
                .documentElement.scrollWidth - (globalThis as unknown as { innerWidth: number }).innerWidth,
          );
          expect(sideways, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
        }
      } finally {
        await context.close();
        sandbox.control.reset();
      }
    });
  }
});
