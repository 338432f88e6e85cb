import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreDb } from '../src/db.ts';
import { buildStore } from '../src/server.ts';

let sandbox: Sandbox;
let app: FastifyInstance;
let db: StoreDb;
let dataDir: string;

beforeAll(async () => {
  sandbox = await createSandbox({ pendingMs: 100 });
  dataDir = mkdtempSync(join(tmpdir(), 'paydo-store-'));
  let url = '';
  ({ app, db } = await buildStore({
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
  return order;
}

const refund = (ref: string, form: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url: `/admin/orders/${ref}/refund`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });

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
    const add = async (productId: string, cookie = '') =>
      app.inject({
        method: 'POST',
        url: '/cart/add',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        payload: `productId=${productId}`,
      });
    const first = await add('mug');
    const cookie = String(first.headers['set-cookie']).split(';')[0] as string;
    const mixed = await add('poster', cookie);
    expect(mixed.headers.location).toBe('/cart?error=currency');
    const checkout = await app.inject({ method: 'POST', url: '/checkout', headers: { cookie } });
    const ref = String(checkout.headers.location).split('/').pop() as string;
    expect(db.findOrder(ref)).toMatchObject({ amount: '12.50', currency: 'EUR', status: 'awaiting_payment' });
  });

  it('a full refund from the admin page refunds the rest of the order', async () => {
    const order = await paidOrder();
    expect(db.findOrder(order.ref)?.status).toBe('paid');
    expect((await refund(order.ref, { kind: 'partial', amount: '5.00' })).headers.location).toContain('ok=');
    expect((await refund(order.ref, { kind: 'full' })).headers.location).toContain(encodeURIComponent('€20.00'));
    expect(db.findOrder(order.ref)?.status).toBe('refunded');
    expect(db.refunds(order.ref).map((r) => [r.kind, r.amount])).toEqual([
      ['partial', '5.00'],
      ['full', '20.00'],
    ]);
    const again = await refund(order.ref, { kind: 'full' });
    expect(decodeURIComponent(String(again.headers.location))).toContain('Only a paid order can be refunded.');
  });

  it('refuses a bad refund amount without calling Paydo', async () => {
    const order = await paidOrder();
    const bad = await refund(order.ref, { kind: 'partial', amount: '-3' });
    expect(decodeURIComponent(String(bad.headers.location))).toContain('Enter the amount to refund');
    expect(db.refunds(order.ref)).toEqual([]);
  });
});
