import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createSandbox,
  describeVariants,
  type Sandbox,
  type SandboxVariants,
  switchedVariantSets,
} from '@paydo-checkout/sandbox';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order, StoreDb } from '../src/db.ts';
import { buildStore } from '../src/server.ts';
import { CookieJar, payByCard } from './helpers.ts';

let sandbox: Sandbox;
let app: FastifyInstance;
let db: StoreDb;
let dataDir: string;
const ADMIN_PASSWORD = 'correct horse battery';

/** A browser's cookie jar over app.inject: keeps cookies, reads the CSRF token of the last page. */
class Visitor extends CookieJar {
  async get(url: string) {
    return this.keep(await app.inject({ method: 'GET', url, headers: { cookie: this.header() } }));
  }
  async post(url: string, form: Record<string, string>, withToken = true) {
    const body = new URLSearchParams({ ...form, ...(withToken && { _csrf: this.token }) });
    return this.keep(
      await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.header() },
        payload: body.toString(),
      }),
    );
  }
}

async function admin(): Promise<Visitor> {
  const v = new Visitor();
  await v.get('/admin/login');
  const res = await v.post('/admin/login', { password: ADMIN_PASSWORD });
  expect(res.headers.location).toBe('/admin/orders');
  await v.get('/admin/orders');
  return v;
}

/** Starts the emulator (with the given variant switches) and the store against it. */
async function start(variants: Partial<SandboxVariants> = {}, refundAcceptMs: number | null = 20) {
  sandbox = await createSandbox({ pendingMs: 100, refundAcceptMs, variants });
  dataDir = mkdtempSync(join(tmpdir(), 'paydo-store-'));
  let url: string;
  ({ app, db, url } = await buildStore({
    adminPassword: ADMIN_PASSWORD,
    cookieSecret: 'a-test-cookie-secret-of-32-characters!!',
    dataDir,
    listen: { port: 0, host: '127.0.0.1' },
    paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
    sandboxOrigin: sandbox.url,
  }));
  sandbox.control.configure({ ipnUrl: `${url}/paydo/ipn` });
}
async function stop() {
  // The emulator first: no IPN is then on its way to a store that is closing.
  await sandbox.close();
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}

async function paidOrder() {
  const order = await db.createOrder(
    [{ productId: 'tee', name: 'Organic T-shirt', price: '25.00', quantity: 1 }],
    '25.00',
    'EUR',
  );
  expect(await payByCard(app, sandbox, order.ref)).toEqual({ type: 'done', status: 'success' });
  return (await db.findOrder(order.ref)) as Order;
}

/** Asks for a refund and confirms it, as the admin page does. */
async function refund(v: Visitor, ref: string, form: Record<string, string>) {
  const asked = await v.post(`/admin/orders/${ref}/refund`, form);
  if (asked.statusCode !== 200) return asked; // refused at the first step (a redirect with a notice)
  expect(asked.body).toContain('Confirm refund');
  return v.post(`/admin/orders/${ref}/refund/confirm`, {
    kind: /name="kind" value="(\w+)"/.exec(asked.body)?.[1] as string,
    amount: /name="amount" value="([\d.]+)"/.exec(asked.body)?.[1] as string,
  });
}

// The store's flows run against the emulator's default answers and again with every variant switched.
describe.each([{}, ...switchedVariantSets()].map((variants) => ({ variants, label: describeVariants(variants) })))(
  'the store (emulator variants: $label)',
  ({ variants }) => {
    beforeAll(() => start(variants));
    afterAll(stop);

    it('serves its pages with a strict CSP and the widget bundle', async () => {
      const home = await app.inject({ method: 'GET', url: '/' });
      expect(home.headers['content-security-policy']).toContain("script-src 'self'");
      expect(home.headers['content-security-policy']).toContain("style-src 'self'");
      expect(home.body).toContain('Kyiv poster');
      const widget = await app.inject({ method: 'GET', url: '/assets/paydo-checkout.js' });
      expect(widget.statusCode).toBe(200);
      expect(widget.body).toContain('paydo-checkout');
      // Its languages, imported from beside it.
      const german = await app.inject({ method: 'GET', url: '/assets/paydo-checkout-de.js' });
      expect(german.statusCode).toBe(200);
      expect(german.headers['content-type']).toContain('text/javascript');
      expect(german.body).toContain('Zahlungsart');
    });

    it('keeps one currency per cart and creates the order from catalog prices', async () => {
      const v = new Visitor();
      await v.get('/');
      expect((await v.post('/cart/add', { productId: 'mug' })).headers.location).toBe('/cart');
      expect((await v.post('/cart/add', { productId: 'poster' })).headers.location).toBe('/cart?error=currency');
      await v.get('/cart');
      const checkout = await v.post('/checkout', {});
      const ref = String(checkout.headers.location).split('/').pop() as string;
      expect(await db.findOrder(ref)).toMatchObject({ amount: '12.50', currency: 'EUR', status: 'awaiting_payment' });
    });

    it('a full refund from the admin page refunds the rest of the order, after a confirmation', async () => {
      const v = await admin();
      const order = await paidOrder();
      expect((await db.findOrder(order.ref))?.status).toBe('paid');
      const asked = await v.post(`/admin/orders/${order.ref}/refund`, { kind: 'partial', amount: '5,00' });
      expect(asked.body).toContain('Confirm refund of €5.00');
      expect(
        sandbox.control.snapshot().refunds.filter((r) => r.sourceTransaction.identifier === order.txid),
      ).toHaveLength(0);
      expect((await refund(v, order.ref, { kind: 'partial', amount: '5.00' })).headers.location).toBe(
        '/admin/orders?ok=refund_requested',
      );
      await refund(v, order.ref, { kind: 'full' });
      expect((await db.findOrder(order.ref))?.status).toBe('refunded');
      // Paydo accepts each refund later; its refund IPN, confirmed by the kit, marks it refunded.
      await expect
        .poll(async () => (await db.refunds(order.ref)).map((r) => r.status), { timeout: 5000, interval: 20 })
        .toEqual(['refunded', 'refunded']);
      expect((await db.refunds(order.ref)).map((r) => [r.kind, r.amount])).toEqual([
        ['partial', '5.00'],
        ['full', '20.00'],
      ]);
      const again = await refund(v, order.ref, { kind: 'full' });
      expect(again.headers.location).toBe('/admin/orders?error=not_refundable');
    });

    it('refuses a bad refund amount without calling Paydo', async () => {
      const v = await admin();
      const order = await paidOrder();
      const bad = await refund(v, order.ref, { kind: 'partial', amount: '-3' });
      expect(bad.headers.location).toBe('/admin/orders?error=bad_amount');
      expect(await db.refunds(order.ref)).toEqual([]);
    });
  },
);

describe('the store under attack', () => {
  // Refunds here are never accepted (no refund IPN): these tests are about the requests.
  beforeAll(() => start({}, null));
  afterAll(stop);

  it('the back office needs a password; its session cookie is signed, HttpOnly and SameSite', async () => {
    const stranger = new Visitor();
    expect((await stranger.get('/admin/orders')).headers.location).toBe('/admin/login');
    const order = await paidOrder();
    const blind = await stranger.post(`/admin/orders/${order.ref}/refund/confirm`, { kind: 'full' }, false);
    expect(blind.statusCode).toBe(403);
    await stranger.get('/admin/login');
    const wrong = await stranger.post('/admin/login', { password: 'guess' });
    expect(wrong.headers.location).toBe('/admin/login?error=wrong_password');
    const right = await app.inject({ method: 'GET', url: '/admin/login' });
    expect(right.statusCode).toBe(200);

    const v = new Visitor();
    await v.get('/admin/login');
    const login = await v.post('/admin/login', { password: ADMIN_PASSWORD });
    const cookie = String([login.headers['set-cookie']].flat().find((c) => String(c).startsWith('store_admin=')));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    // A session cookie the shop did not sign (a forged expiry) is no session.
    const forged = new Visitor();
    forged.cookies.set('store_admin', String(Date.now() + 3_600_000));
    expect((await forged.get('/admin/orders')).headers.location).toBe('/admin/login');
    expect(await db.refunds(order.ref)).toEqual([]);
  });

  it('a refund posted from another site (no CSRF token) is refused, even with the admin’s cookies', async () => {
    const v = await admin();
    const order = await paidOrder();
    const crossSite = await v.post(`/admin/orders/${order.ref}/refund/confirm`, { kind: 'full' }, false);
    expect(crossSite.statusCode).toBe(403);
    const badToken = await app.inject({
      method: 'POST',
      url: `/admin/orders/${order.ref}/refund/confirm`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: v.header() },
      payload: 'kind=full&_csrf=forged-token',
    });
    expect(badToken.statusCode).toBe(403);
    expect(await db.refunds(order.ref)).toEqual([]);
    expect((await db.findOrder(order.ref))?.status).toBe('paid');
  });

  it('a hand-made cart cookie is no cart: no order of 40 EUR T-shirts at a UAH price', async () => {
    const v = new Visitor();
    await v.get('/');
    v.cookies.set('cart', encodeURIComponent(JSON.stringify({ poster: 1, tee: 40 })));
    const before = (await db.listOrders()).length;
    const res = await v.post('/checkout', {});
    expect(res.headers.location).toBe('/cart');
    expect(await db.listOrders()).toHaveLength(before);
  });

  it('two refunds at once cannot both pass the remaining-amount check', async () => {
    const v = await admin();
    const order = await paidOrder();
    sandbox.control.addFault({ endpoint: 'refunds.create', kind: 'latency', value: 200, times: 2 });
    const both = await Promise.all([
      v.post(`/admin/orders/${order.ref}/refund/confirm`, { kind: 'partial', amount: '20.00' }),
      v.post(`/admin/orders/${order.ref}/refund/confirm`, { kind: 'partial', amount: '20.00' }),
    ]);
    expect(both.map((r) => r.headers.location).sort()).toEqual([
      '/admin/orders?error=too_much',
      '/admin/orders?ok=refund_requested',
    ]);
    expect(
      sandbox.control.snapshot().refunds.filter((r) => r.sourceTransaction.identifier === order.txid),
    ).toHaveLength(1);
  });

  it('?ok= and ?error= show only the shop’s own sentences', async () => {
    const v = await admin();
    const page = await v.get('/admin/orders?ok=Your%20refund%20of%20%E2%82%AC900%20is%20done&error=Call%20us');
    // Not '900' alone: a random Paydo id on the page may contain it.
    expect(page.body).not.toContain('€900');
    expect(page.body).not.toContain('Your refund');
    expect(page.body).not.toContain('Call us');
    const cart = await v.get('/cart?error=Your%20card%20was%20stolen');
    expect(cart.body).not.toContain('stolen');
  });
});

describe('the store looks and reads like a shop', () => {
  beforeAll(() => start({}, null));
  afterAll(stop);
  it('the order page is a receipt: items, method, the card’s last four digits and the Paydo ids', async () => {
    const order = await paidOrder();
    const page = (await app.inject({ method: 'GET', url: `/orders/${order.ref}` })).body;
    expect(page).toContain('Thank you! Your payment is confirmed.');
    expect(page).toContain('Organic T-shirt');
    expect(order.payment).toEqual({ method: 'Bank card', cardBrand: 'VISA', cardLast4: '4242' });
    expect(page).toContain('Visa •••• 4242 (Bank card)');
    expect(page).toContain(order.invoiceId as string);
    expect(page).toContain(order.txid as string);
    expect(page).not.toContain('4242424242424242');
  });

  it('a refunded order says so, and no longer thanks for a confirmed payment', async () => {
    const v = await admin();
    const order = await paidOrder();
    await refund(v, order.ref, { kind: 'partial', amount: '5.00' });
    const partly = (await app.inject({ method: 'GET', url: `/orders/${order.ref}` })).body;
    expect(partly).toContain('Part of this order was refunded: €5.00');
    await refund(v, order.ref, { kind: 'full' });
    const full = (await app.inject({ method: 'GET', url: `/orders/${order.ref}` })).body;
    expect(full).toContain('This order was refunded in full (€25.00)');
    expect(full).not.toContain('Thank you! Your payment is confirmed.');
    expect(full).toContain('data-status="refunded"');
  });

  it('a paid order’s checkout page goes to the order page', async () => {
    const order = await paidOrder();
    const res = await app.inject({ method: 'GET', url: `/checkout/${order.ref}` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/orders/${order.ref}`);
  });

  it('an unknown page or order is a 404 page with a way back to the shop', async () => {
    for (const url of ['/no-such-page', '/orders/no-such-order', '/checkout/no-such-order']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toContain('text/html');
      expect(res.body, url).toContain('<a class="button" href="/">Back to the shop</a>');
    }
  });

  it('products have SVG pictures (no emoji) and the shop has a favicon', async () => {
    const home = (await app.inject({ method: 'GET', url: '/' })).body;
    expect(home).not.toMatch(/\p{Extended_Pictographic}/u);
    const images = [...home.matchAll(/<img class="product-image" src="([^"]+)"/g)].map((m) => m[1] as string);
    expect(images).toHaveLength(5);
    for (const src of [...images, '/favicon.svg']) {
      const res = await app.inject({ method: 'GET', url: src });
      expect(res.statusCode, src).toBe(200);
      expect(res.headers['content-type'], src).toBe('image/svg+xml');
      expect(res.body, src).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
    expect(home).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
  });

  it('cart quantities can be changed; 0 removes the line; more than the limit is refused', async () => {
    const v = new Visitor();
    await v.get('/');
    await v.post('/cart/add', { productId: 'notebook' });
    await v.post('/cart/add', { productId: 'stickers' });
    await v.get('/cart');
    expect((await v.post('/cart/update', { productId: 'notebook', quantity: '3' })).headers.location).toBe('/cart');
    expect((await v.post('/cart/update', { productId: 'stickers', quantity: '0' })).headers.location).toBe('/cart');
    expect((await v.post('/cart/update', { productId: 'notebook', quantity: '500' })).headers.location).toBe(
      '/cart?error=max_quantity',
    );
    expect((await v.post('/cart/update', { productId: 'notebook', quantity: '1.5' })).headers.location).toBe(
      '/cart?error=bad_quantity',
    );
    const cart = (await v.get('/cart')).body;
    expect(cart).toContain('value="3"');
    expect(cart).not.toContain('Sticker pack');
    expect(cart).toContain('€27.00');
    const checkout = await v.post('/checkout', {});
    const ref = String(checkout.headers.location).split('/').pop() as string;
    expect(await db.findOrder(ref)).toMatchObject({ amount: '27.00', lines: [{ productId: 'notebook', quantity: 3 }] });
  });

  it('the orders page: refunds with their currency, IPN states in words, a success notice styled as success', async () => {
    const v = await admin();
    const order = await paidOrder();
    const done = await refund(v, order.ref, { kind: 'partial', amount: '2,50' });
    const page = (await v.get(String(done.headers.location))).body;
    expect(page).toContain('<p class="notice success" role="status">');
    expect(page).toContain('partial €2.50');
    expect(page).toMatch(/Applied<\/strong> [\d:]+ · payment accepted/);
    // The refund's own IPN (once Paydo accepts the refund) is named as a refund, not as a second payment.
    for (const r of sandbox.control.snapshot().refunds) sandbox.control.acceptRefund(r.identifier);
    const rowOf = async () => {
      const after = (await v.get('/admin/orders')).body;
      const row = after.slice(after.indexOf(`data-order="${order.ref}"`));
      return row.slice(0, row.indexOf('</tr>'));
    };
    await expect.poll(rowOf, { timeout: 5_000 }).toMatch(/Applied<\/strong> [\d:]+ · refund accepted/);
    expect((await rowOf()).match(/payment accepted/g)).toHaveLength(1);
  });
});

describe('guessing the back-office password', () => {
  beforeAll(() => start({}, null));
  afterAll(stop);
  it('is stopped after ten wrong passwords from one address, even for the right one', async () => {
    const v = new Visitor();
    await v.get('/admin/login');
    const login = (password: string, remoteAddress: string) =>
      app.inject({
        method: 'POST',
        url: '/admin/login',
        remoteAddress,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: v.header() },
        payload: new URLSearchParams({ password, _csrf: v.token }).toString(),
      });
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) answers.push(String((await login(`guess-${i}`, '203.0.113.7')).headers.location));
    expect(new Set(answers)).toEqual(new Set(['/admin/login?error=wrong_password']));
    expect((await login(ADMIN_PASSWORD, '203.0.113.7')).headers.location).toBe('/admin/login?error=too_many_tries');
    // Another address is not locked out by this one.
    expect((await login(ADMIN_PASSWORD, '203.0.113.8')).headers.location).toBe('/admin/orders');
    const page = await v.get('/admin/login?error=too_many_tries');
    expect(page.body).toContain('Too many wrong passwords from this address.');
  });
});
