import { readdirSync, readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import type { FastifyInstance } from 'fastify';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateEngine, puppeteerLaunchOptions } from '../../../../scripts/engines.mjs';
import { buildExample } from '../../src/server.ts';
import { buildExampleFor, type ExampleBuild } from './build.ts';

const chromium = locateEngine('chromium');

describe.runIf(!chromium.missing).each(['19', '18'] as const)(
  'React %s: server-rendered, hydrated, StrictMode',
  (react) => {
    let sandbox: Sandbox;
    let app: FastifyInstance;
    let orders: Awaited<ReturnType<typeof buildExample>>['orders'];
    let browser: Browser;
    let url = '';
    let clientDir = '';
    let built: ExampleBuild | undefined;

    beforeAll(async () => {
      built = await buildExampleFor(react);
      clientDir = built.clientDir;
      sandbox = await createSandbox({ pendingMs: 1_500, cardTokenization: true });
      // The plugin checks at registration that checkout pages have absolute URLs: the port is chosen first.
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      ({ app, orders } = await buildExample({
        paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
        publicUrl: () => url,
        renderPage: built.renderPage,
        clientDir,
        sandboxOrigin: sandbox.url,
        pollIntervalMs: 300,
      }));
      await app.listen({ port, host: '127.0.0.1' });
      sandbox.control.configure({ ipnUrl: `${url}/paydo/ipn` });
      browser = await puppeteer.launch(puppeteerLaunchOptions(chromium));
    });
    afterAll(async () => {
      built?.remove();
      await browser?.close();
      await app?.close();
      await sandbox?.close();
    });

    /** A new page that records what React and the browser complain about, and every payment POST. */
    async function open(): Promise<{ page: Page; problems: string[]; payRequests: string[] }> {
      const page = await browser.newPage();
      const problems: string[] = [];
      const payRequests: string[] = [];
      page.on('console', (message) => {
        // A failed load is recorded with its URL below.
        if (message.text().startsWith('Failed to load resource')) return;
        if (message.type() === 'error' || message.type() === 'warn')
          problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('response', (response) => {
        // The sandbox's own pages (3-D Secure) have no icon; that is not this page's problem.
        if (response.status() >= 400 && response.url() !== `${sandbox.url}/favicon.ico`)
          problems.push(`${response.status()} ${response.url()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${(error as Error).message}`));
      page.on('request', (request) => {
        if (request.method() === 'POST' && /\/paydo\/checkout\/[^/]+\/pay$/.test(request.url()))
          payRequests.push(request.url());
      });
      await page.evaluateOnNewDocument(() => {
        document.addEventListener('securitypolicyviolation', (e) =>
          console.error(`CSP: ${e.violatedDirective} ${e.blockedURI}`),
        );
      });
      return { page, problems, payRequests };
    }

    /**
     * Product page → Buy → the checkout, shown by the page's script without a page load, so
     * `<PaydoCheckout>` mounts in the browser (StrictMode mounts its effects twice); the order reference.
     */
    async function buy(page: Page): Promise<string> {
      await page.goto(url);
      await page.evaluate(() => {
        (window as unknown as { sameDocument: boolean }).sameDocument = true;
      });
      await page.locator('button ::-p-text(Buy)').click();
      await page.locator('paydo-checkout >>> [part~="submit-button"]').wait();
      expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
      return new URL(page.url()).pathname.split('/').pop() as string;
    }

    /** An order created by the server, and its checkout page loaded: rendered on the server, then hydrated. */
    async function openCheckout(page: Page): Promise<string> {
      const response = await fetch(`${url}/orders`, { method: 'POST', headers: { accept: 'application/json' } });
      const { orderRef } = (await response.json()) as { orderRef: string };
      await page.goto(`${url}/checkout/${orderRef}`);
      await page.locator('paydo-checkout >>> [part~="submit-button"]').wait();
      return orderRef;
    }

    /** Like openCheckout, for a page where the element never gets defined. */
    async function openCheckoutWithoutWidget(page: Page): Promise<string> {
      const response = await fetch(`${url}/orders`, { method: 'POST', headers: { accept: 'application/json' } });
      const { orderRef } = (await response.json()) as { orderRef: string };
      await page.goto(`${url}/checkout/${orderRef}`);
      return orderRef;
    }

    async function payWith4242(page: Page, ref: string, problems: string[], payRequests: string[]): Promise<void> {
      // The callbacks run, each once, although StrictMode may run every effect twice.
      await page.waitForSelector('.events li[data-event="paydo-ready"]');
      expect(await events(page, 'paydo-ready')).toEqual([
        expect.stringMatching(new RegExp(`^paydo-ready: \\d+ methods for ${ref}$`)),
      ]);
      await fillCard(page, '4242 4242 4242 4242');
      await page.locator('paydo-checkout >>> [part~="submit-button"]').click();
      await page.waitForSelector('.paid[role="status"]');
      await sandbox.control.ipnIdle();
      await expect.poll(() => orders.get(ref)?.status).toBe('paid');
      expect(await events(page, 'paydo-submit')).toHaveLength(1);
      expect(await events(page, 'paydo-success')).toEqual([expect.stringMatching(/^paydo-success: \S+$/)]);
      expect(payRequests).toHaveLength(1);
      expect(transactionsOf(ref)).toHaveLength(1);
      expect(problems).toEqual([]);
    }

    async function fillCard(page: Page, pan: string): Promise<void> {
      await page.locator('paydo-checkout >>> input[name="email"]').fill('ada@example.com');
      await page.locator('paydo-checkout >>> input[name="card.pan"]').fill(pan);
      await page.locator('paydo-checkout >>> input[name="card.expirationDate"]').fill('12/39');
      await page.locator('paydo-checkout >>> input[name="card.cvv"]').fill('123');
      await page.locator('paydo-checkout >>> input[name="card.holderName"]').fill('Ada Lovelace');
    }

    const events = (page: Page, name: string) =>
      page.$$eval(`.events li[data-event="${name}"]`, (items) => items.map((li) => li.textContent ?? ''));

    function transactionsOf(ref: string) {
      const order = orders.get(ref);
      const snapshot = sandbox.control.snapshot();
      const invoices = new Set(
        snapshot.invoices.filter((i) => i.orderIdentifier === `ORD-${order?.number}`).map((i) => i.identifier),
      );
      return snapshot.transactions.filter((t) => invoices.has(t.invoiceIdentifier));
    }

    it(`the browser bundle is React ${react}'s development build (StrictMode mounts effects twice there)`, () => {
      const assets = join(clientDir, 'assets');
      const bundle = readdirSync(assets)
        .map((file) => readFileSync(join(assets, file), 'utf8'))
        .join('\n');
      // React's version strings ("19.3.1" and the like): this React's only.
      const majors = new Set([...bundle.matchAll(/["'](1[89])\.\d+\.\d+["']/g)].map((m) => m[1]));
      expect([...majors]).toEqual([react]);
      expect(bundle).toMatch(/react-dom(-client)?\.development\.js/);
      expect(bundle).not.toMatch(/react-dom(-client)?\.production/);
    });

    it('the server sends the element with its attributes, before any script runs', async () => {
      const response = await fetch(`${url}/orders`, { method: 'POST', redirect: 'manual' });
      const location = response.headers.get('location') as string;
      const html = await (await fetch(`${url}${location}`)).text();
      const ref = location.split('/').pop();
      expect(html).toMatch(/^<!DOCTYPE html>/i);
      expect(html).toContain(`<paydo-checkout order="${ref}" api="/paydo" lang="en" theme="light"></paydo-checkout>`);
      // React 19 puts it at the end of <body>, React 18 after </html> (the parser moves it into <body>).
      expect(html).toMatch(/<script type="module" src="\/assets\/client.js"[^>]*><\/script>(<\/body><\/html>)?$/);
    });

    it('mounted in the browser (Buy, no page load), card 4242: pays once; onSuccess once; one transaction', async () => {
      const { page, problems, payRequests } = await open();
      const ref = await buy(page);
      await payWith4242(page, ref, problems, payRequests);
      await page.close();
    });

    it('rendered on the server and hydrated, card 4242: no mismatch; pays once; onSuccess once; one transaction', async () => {
      const { page, problems, payRequests } = await open();
      const ref = await openCheckout(page);
      await payWith4242(page, ref, problems, payRequests);
      await page.close();
    });

    it('3-D Secure 3220 approved: back on the page (rendered and hydrated again), resumed; onSuccess once', async () => {
      const { page, problems, payRequests } = await open();
      const ref = await openCheckout(page);
      await fillCard(page, '4000 0000 0000 3220');
      await Promise.all([page.waitForNavigation(), page.locator('paydo-checkout >>> [part~="submit-button"]').click()]);
      expect(new URL(page.url()).origin).toBe(sandbox.url);
      await Promise.all([page.waitForNavigation(), page.locator('button ::-p-text(Approve)').click()]);
      await page.waitForSelector('.paid[role="status"]');
      expect(new URL(page.url()).pathname).toBe(`/checkout/${ref}`);
      await sandbox.control.ipnIdle();
      await expect.poll(() => orders.get(ref)?.status).toBe('paid');
      expect(await events(page, 'paydo-success')).toEqual([expect.stringMatching(/^paydo-success: \S+$/)]);
      expect(payRequests).toHaveLength(1);
      expect(transactionsOf(ref)).toHaveLength(1);
      expect(problems).toEqual([]);

      // Reloaded once paid: mounted anew, the element says so once (alreadyPaid), and pays nothing.
      await page.reload();
      await page.waitForSelector('.paid[role="status"]');
      expect(await events(page, 'paydo-success')).toEqual([
        expect.stringMatching(/^paydo-success: \S+ \(paid before\)$/),
      ]);
      expect(payRequests).toHaveLength(1);
      expect(transactionsOf(ref)).toHaveLength(1);
      expect(problems).toEqual([]);
      await page.close();
    });

    it("the element's module fails to load: onError gets widget_load_failed once, and the page says so", async () => {
      const page = await browser.newPage();
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        // Every chunk besides client.js is the element's (its module, its languages).
        if (/\/assets\/[\w-]+\.js$/.test(request.url()) && !request.url().endsWith('/client.js')) void request.abort();
        else void request.continue();
      });
      const ref = await openCheckoutWithoutWidget(page);
      await page.waitForSelector('[role="alert"]');
      expect(await events(page, 'paydo-error')).toEqual(['paydo-error: widget_load_failed']);
      expect(await page.$eval('[role="alert"]', (p) => p.textContent)).toMatch(
        /^The payment form could not be loaded \(.+\)\. Reload the page$/,
      );
      expect(transactionsOf(ref)).toHaveLength(0);
      await page.close();
    });

    it('moved in the DOM while waiting (disconnected, reconnected, as a keyed reorder does): still one payment, onSuccess once', async () => {
      const { page, problems, payRequests } = await open();
      const ref = await buy(page);
      // 0119 stays pending for the sandbox's pendingMs, then is accepted.
      await fillCard(page, '4000 0000 0000 0119');
      await page.locator('paydo-checkout >>> [part~="submit-button"]').click();
      await page.waitForSelector('paydo-checkout >>> [part~="status"] .spinner');
      for (let i = 0; i < 3; i++) {
        await page.evaluate(() => {
          const element = document.querySelector('paydo-checkout') as Element;
          const { parentNode, nextSibling } = element;
          element.remove();
          parentNode?.insertBefore(element, nextSibling);
        });
      }
      await page.waitForSelector('.paid[role="status"]');
      await sandbox.control.ipnIdle();
      expect(await events(page, 'paydo-success')).toEqual([expect.stringMatching(/^paydo-success: \S+$/)]);
      expect(payRequests).toHaveLength(1);
      expect(transactionsOf(ref)).toHaveLength(1);
      expect(problems).toEqual([]);
      await page.close();
    });
  },
);

/** A port free right now on loopback (the example then listens on it). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
