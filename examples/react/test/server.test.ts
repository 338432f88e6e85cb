// The example's server without a browser: the pages React renders, orders, and bad input.
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPage } from '../src/render.tsx';
import { buildExample } from '../src/server.ts';

let sandbox: Sandbox;
let app: FastifyInstance;

beforeAll(async () => {
  sandbox = await createSandbox();
  ({ app } = await buildExample({
    paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
    publicUrl: () => 'http://127.0.0.1',
    renderPage,
    clientDir: new URL('../dist/client/', import.meta.url).pathname,
    sandboxOrigin: sandbox.url,
  }));
});
afterAll(async () => {
  await app?.close();
  await sandbox?.close();
});

const createOrder = async () => {
  const response = await app.inject({ method: 'POST', url: '/orders', headers: { accept: 'application/json' } });
  expect(response.statusCode).toBe(201);
  return response.json() as { orderRef: string; description: string; total: string };
};

describe('React example server', () => {
  it('renders the product page with React: the data the browser hydrates with, and the client script', async () => {
    const response = await app.inject('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.body).toMatch(/^<!DOCTYPE html>/);
    expect(response.body).toContain('<h1>Paydo mug</h1>');
    expect(response.body).toContain(
      '<script id="page-data" type="application/json">{"page":"home","description":"Paydo mug","total":"€12.50"}</script>',
    );
    expect(response.body).toMatch(/<script type="module" src="\/assets\/client.js"/);
  });

  it('POST /orders: JSON for the page script, a 303 to the checkout for a plain form', async () => {
    const order = await createOrder();
    expect(order).toEqual({
      orderRef: expect.stringMatching(/^[\w-]{16}$/),
      description: 'Paydo mug',
      total: '€12.50',
    });
    const form = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'x=1',
    });
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toMatch(/^\/checkout\/[\w-]{16}$/);
  });

  it('renders the checkout page with the element and its attributes; the order amount comes from the server', async () => {
    const { orderRef } = await createOrder();
    const response = await app.inject(`/checkout/${orderRef}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(
      `<paydo-checkout order="${orderRef}" api="/paydo" lang="en" theme="light"></paydo-checkout>`,
    );
    // The plugin knows the order by the same reference.
    const checkout = await app.inject(`/paydo/checkout/${orderRef}`);
    expect(checkout.statusCode).toBe(200);
    expect(checkout.json().order).toMatchObject({ amount: '12.50', currency: 'EUR' });
  });

  it('refuses bad input with a clear answer and changes nothing', async () => {
    expect((await app.inject('/checkout/AAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(404);
    expect((await app.inject('/checkout/not%20a%20ref')).statusCode).toBe(400);
    expect((await app.inject('/orders/AAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(404);
    expect((await app.inject('/assets/..%2Fsrc%2Fserver.ts')).statusCode).toBe(400);
    expect((await app.inject('/assets/nothing.js')).statusCode).toBe(404);
    const css = await app.inject('/assets/page.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('the order page says whether the order is paid', async () => {
    const { orderRef } = await createOrder();
    const response = await app.inject(`/orders/${orderRef}`);
    expect(response.body).toContain('data-status="awaiting_payment"');
  });
});
