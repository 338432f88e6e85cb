import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order, StoreDb } from '../src/db.ts';
import { buildStore } from '../src/server.ts';

let sandbox: Sandbox;
let app: FastifyInstance;
let db: StoreDb;
let dataDir: string;
const ADMIN_PASSWORD = 'correct horse battery';

/** A browser's cookie jar over app.inject: keeps cookies, reads the CSRF token of the last page. */
class Visitor {
  readonly cookies = new Map<string, string>();
  token = '';
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep<T extends { headers: Record<string, unknown>; body: string }>(res: T): T {
    const set = res.headers['set-cookie'];
    for (const line of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair] = String(line).split(';');
      const [name, ...value] = String(pair).split('=');
      if (value.join('=') === '') this.cookies.delete(name as string);
      else this.cookies.set(name as string, value.join('='));
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.token = token;
    return res;
  }
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

beforeAll(async () => {
  sandbox = await createSandbox({ pendingMs: 100 });
  dataDir = mkdtempSync(join(tmpdir(), 'paydo-store-'));
  let url = '';
  ({ app, db } = await buildStore({
    adminPassword: ADMIN_PASSWORD,
    cookieSecret: 'a-test-cookie-secret-of-32-characters!!',
    dataDir,
    publicUrl: () => url,
    paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
    sandboxOrigin: sandbox.url,
  }));
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  sandbox.control.configure({ ipnUrl: `${url}/paydo/ipn` });
});
afterAll(async () => {
  await app.close();
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function paidOrder() {
  const order = db.createOrder(
    [{ productId: 'tee', name: 'Organic T-shirt', price: '25.00', quantity: 1 }],
    '25.00',
    'EUR',
  );
  const res = await app.inject({
    method: 'POST',
    url: `/paydo/checkout/${order.ref}/pay`,
    headers: { 'content-type': 'application/json', 'idempotency-key': `k-${order.ref}` },
    payload: JSON.stringify({
      method: 200001,
      payer: { email: 'ada@example.com', name: 'Ada' },
      card: { pan: '4242424242424242', expirationDate: '12/39', cvv: '123', holderName: 'Ada' },
    }),
  });
  expect(res.json().next).toEqual({ type: 'done', status: 'success' });
  await sandbox.control.ipnIdle();
  return db.findOrder(order.ref) as Order;
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

describe('the store', () => {
  it('serves its pages with a strict CSP and the widget bundle', async () => {
    const home = await app.inject({ method: 'GET', url: '/' });
    expect(home.headers['content-security-policy']).toContain("script-src 'self'");
    expect(home.headers['content-security-policy']).toContain("style-src 'self'");
    expect(home.body).toContain('Kyiv poster');
    const widget = await app.inject({ method: 'GET', url: '/assets/paydo-checkout.js' });
    expect(widget.statusCode).toBe(200);
    expect(widget.body).toContain('paydo-checkout');
  });

  it('keeps one currency per cart and creates the order from catalog prices', async () => {
    const v = new Visitor();
    await v.get('/');
    expect((await v.post('/cart/add', { productId: 'mug' })).headers.location).toBe('/cart');
    expect((await v.post('/cart/add', { productId: 'poster' })).headers.location).toBe('/cart?error=currency');
    await v.get('/cart');
    const checkout = await v.post('/checkout', {});
    const ref = String(checkout.headers.location).split('/').pop() as string;
    expect(db.findOrder(ref)).toMatchObject({ amount: '12.50', currency: 'EUR', status: 'awaiting_payment' });
  });

  it('a full refund from the admin page refunds the rest of the order, after a confirmation', async () => {
    const v = await admin();
    const order = await paidOrder();
    expect(db.findOrder(order.ref)?.status).toBe('paid');
    const asked = await v.post(`/admin/orders/${order.ref}/refund`, { kind: 'partial', amount: '5,00' });
    expect(asked.body).toContain('Confirm refund of €5.00');
    expect(
      sandbox.control.snapshot().refunds.filter((r) => r.sourceTransaction.identifier === order.txid),
    ).toHaveLength(0);
    expect((await refund(v, order.ref, { kind: 'partial', amount: '5.00' })).headers.location).toBe(
      '/admin/orders?ok=refund_requested',
    );
    await refund(v, order.ref, { kind: 'full' });
    expect(db.findOrder(order.ref)?.status).toBe('refunded');
    expect(db.refunds(order.ref).map((r) => [r.kind, r.amount])).toEqual([
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
    expect(db.refunds(order.ref)).toEqual([]);
  });
});

describe('the store under attack', () => {
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
    expect(db.refunds(order.ref)).toEqual([]);
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
    expect(db.refunds(order.ref)).toEqual([]);
    expect(db.findOrder(order.ref)?.status).toBe('paid');
  });

  it('a hand-made cart cookie is no cart: no order of 40 EUR T-shirts at a UAH price', async () => {
    const v = new Visitor();
    await v.get('/');
    v.cookies.set('cart', encodeURIComponent(JSON.stringify({ poster: 1, tee: 40 })));
    const before = db.listOrders().length;
    const res = await v.post('/checkout', {});
    expect(res.headers.location).toBe('/cart');
    expect(db.listOrders()).toHaveLength(before);
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
    expect(page.body).not.toContain('900');
    expect(page.body).not.toContain('Call us');
    const cart = await v.get('/cart?error=Your%20card%20was%20stolen');
    expect(cart.body).not.toContain('stolen');
  });
});
