// The browser test of the one-page example shops (examples/express, examples/hono): an order, its
// checkout page, a card payment and a 3-D Secure one in Chromium, through the shop's own server
// and the server kit's adapter, against the emulator over HTTP. Each example's test names its shop.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import { paydoCheckout, testCards } from '@paydo-checkout/widget/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_ARGS, findChrome } from './chrome-path.mjs';

export interface OnePageShop {
  /** Resolves once the kit has started (the kit's `ready()`). */
  ready(): Promise<void>;
  /** Closes what the shop opened besides its server (the kit's `close()`). */
  close(): Promise<void>;
}

/**
 * `listen` makes a server (not yet listening); `start` builds the shop once its origin is known
 * (the kit checks at creation that checkout pages have absolute URLs) and attaches it.
 */
export function describeOnePageShop(
  title: string,
  listen: () => Server,
  start: (
    server: Server,
    options: { paydo: Sandbox['project'] & { baseUrl: string }; publicUrl: () => string; pollIntervalMs: number },
  ) => OnePageShop,
): void {
  let sandbox: Sandbox;
  let server: Server;
  let shop: OnePageShop | undefined;
  let browser: Browser;
  let url = '';

  beforeAll(async () => {
    sandbox = await createSandbox({ pendingMs: 1_500, cardTokenization: true });
    server = listen();
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    shop = start(server, {
      paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
      publicUrl: () => url,
      pollIntervalMs: 300,
    });
    await shop.ready();
    sandbox.control.configure({ ipnUrl: `${url}/paydo/ipn` });
    browser = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await shop?.close();
    await sandbox?.close();
  });

  /** Buy on the home page: the shop makes the order and opens its checkout page. */
  async function buy(page: Page): Promise<string> {
    await page.goto(url);
    await page.getByRole('button', { name: 'Buy' }).click();
    await page.waitForURL('**/checkout/*');
    return new URL(page.url()).pathname.split('/').pop() as string;
  }

  async function orderStatus(ref: string): Promise<string> {
    return ((await (await fetch(`${url}/orders/${ref}`)).json()) as { status: string }).status;
  }

  describe(`${title}, in Chromium`, () => {
    it('pays by card: the page says paid, and the order is paid on the server', async () => {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
      const ref = await buy(page);
      const paydo = paydoCheckout(page);
      await paydo.fillCardPayment(testCards.visa, { email: 'ada@example.com' });
      await paydo.pay();
      expect((await paydo.waitForResult()).type).toBe('paydo-success');
      await page.locator('#result[data-status="paid"]').waitFor();
      await expect.poll(() => orderStatus(ref)).toBe('paid');
      expect(problems).toEqual([]);
      await page.close();
    });

    it('pays by 3-D Secure: the bank page approves, the checkout page resumes, the order is paid', async () => {
      const page = await browser.newPage();
      const ref = await buy(page);
      const paydo = paydoCheckout(page);
      await paydo.fillCardPayment(testCards.threeDSecure, { email: 'ada@example.com' });
      await paydo.pay();
      await paydo.approve3DSecure();
      await page.waitForURL(`**/checkout/${ref}?paydo_txid=*`);
      expect((await paydo.waitForResult()).type).toBe('paydo-success');
      await expect.poll(() => orderStatus(ref)).toBe('paid');
      await page.close();
    });
  });
}
