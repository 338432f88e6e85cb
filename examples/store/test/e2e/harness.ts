import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import { paydoCheckout } from '@paydo-checkout/widget/testing';
import { expect, onTestFailed } from 'vitest';
import { ENGINE_TITLES } from '../../../../scripts/engines.mjs';
import type { StoreDb } from '../../src/db.ts';
import { buildStore } from '../../src/server.ts';
import { currentEngine, type EngineBrowser, type Locator, launch, type Page } from './browser.ts';

export type { Locator, Page };

/** The engine these tests run in (PAYDO_ENGINE), and its name for test titles. */
export const ENGINE = currentEngine();
export const ENGINE_TITLE = ENGINE_TITLES[ENGINE];

export const ARTIFACTS = join(process.cwd(), 'test-results', 'e2e', ENGINE);

export interface Shop {
  url: string;
  sandbox: Sandbox;
  db: StoreDb;
  browser: EngineBrowser;
  /** The shop's log lines (level warn and above). */
  logs: string[];
  close(): Promise<void>;
}

export const ADMIN_PASSWORD = 'e2e admin password';

export async function startShop(
  options: {
    cardPayments?: 'auto' | 'direct' | 'hosted';
    cardTokenization?: boolean;
    /** As `pnpm start` runs: the orders here, the emulator's state in its `sandbox` folder; kept on close. */
    dataDir?: string;
  } = {},
): Promise<Shop> {
  const sandbox = await createSandbox({
    pendingMs: 2_500,
    cardTokenization: options.cardTokenization ?? true,
    dataDir: options.dataDir && join(options.dataDir, 'sandbox'),
  });
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'paydo-store-e2e-'));
  const logs: string[] = [];
  const { app, db, url } = await buildStore({
    logger: true,
    logStream: { write: (line) => logs.push(line) },
    adminPassword: ADMIN_PASSWORD,
    cardPayments: options.cardPayments,
    dataDir,
    listen: { port: 0, host: '127.0.0.1' },
    paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
    sandboxOrigin: sandbox.url,
    pollIntervalMs: 300,
    rateLimit: { perIp: { max: 200, timeWindowMs: 60_000 }, perOrder: { max: 20, timeWindowMs: 60_000 } },
  });
  sandbox.control.configure({ ipnUrl: `${url}/paydo/ipn` });
  const browser = await launch(ENGINE);
  return {
    url,
    sandbox,
    db,
    browser,
    logs,
    close: async () => {
      await browser.close();
      await app.close();
      await sandbox.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh page (own cookies and storage) in the engine under test; on failure its screenshot
 * is kept in test-results/e2e/<engine>. `page.problems()` lists page errors and CSP violations.
 */
export async function openPage(shop: Shop, name: string): Promise<Page> {
  const page = await shop.browser.newPage(shop.url);
  onTestFailed(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page
      .screenshot({ path: join(ARTIFACTS, `${name.replace(/\W+/g, '-')}.png`), fullPage: true })
      .catch(() => {});
  });
  return page;
}

/** Catalog → cart → checkout; returns the order reference from the checkout URL. */
export async function checkoutProduct(page: Page, product = 'mug'): Promise<string> {
  await page.goto('/');
  await page.locator(`form:has(input[value="${product}"]) button`).click();
  await page.waitForURL('**/cart');
  await page.getByRole('button', { name: 'Check out' }).click();
  await page.waitForURL('**/checkout/*');
  await paydoCheckout(page).ready();
  return new URL(await page.url()).pathname.split('/').pop() as string;
}

/** Waits until the element's text contains `text`. */
export async function expectText(locator: Locator, text: string, timeout = 15_000): Promise<void> {
  await expect
    .poll(
      () =>
        locator
          .textContent()
          .then((t) => t ?? '')
          .catch(() => ''),
      { timeout, interval: 100 },
    )
    .toContain(text);
}

/** The order's status on the admin page, as the IPN left it. */
export async function adminStatus(page: Page, ref: string): Promise<string | null> {
  await page.goto('/admin/orders');
  if (new URL(await page.url()).pathname === '/admin/login') {
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/admin/orders');
  }
  return page.locator(`tr[data-order="${ref}"] [data-status]`).getAttribute('data-status');
}

export async function waitForAdminStatus(page: Page, ref: string, status: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = await adminStatus(page, ref);
    if (last === status) return;
    await page.waitForTimeout(250);
  }
  throw new Error(`order ${ref} is "${last}" on the admin page, expected "${status}"`);
}

export async function transactionsOf(shop: Shop, ref: string) {
  const order = await shop.db.findOrder(ref);
  const snapshot = shop.sandbox.control.snapshot();
  const invoices = new Set(
    snapshot.invoices.filter((i) => i.orderIdentifier === `ORD-${order?.number}`).map((i) => i.identifier),
  );
  return snapshot.transactions.filter((t) => invoices.has(t.invoiceIdentifier));
}
