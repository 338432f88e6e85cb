import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paydoRouter } from '../../src/express/index.ts';
import type { PaydoOrder } from '../../src/fetch/index.ts';
import { createPaydoHandler, type PaydoHandlerOptions } from '../../src/fetch/index.ts';
import { cardBody } from '../fastify/harness.ts';

// What only the Express router or only the fetch handler has: how each is given what Fastify
// gives the plugin (the peer's address, the mount point), and what a merchant's app may add.
let sandbox: Sandbox;
const orders = new Map<string, PaydoOrder>([['r1', { id: 'o1', amount: '12.50', currency: 'EUR' }]]);
const lines: string[] = [];
const line = (o: object | string, m?: string) => {
  const { err, ...rest } = o as { err?: Error };
  lines.push(`${m} ${JSON.stringify(rest)} ${err?.message ?? ''}`);
};
const logger = { debug: () => {}, info: () => {}, warn: line, error: line };
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.close());

const base = () => ({
  ...sandbox.project,
  baseUrl: sandbox.apiUrl,
  resolveOrder: async (ref: string) => orders.get(ref) ?? null,
  onPaymentUpdate: async () => {},
  checkoutPageUrl: (ref: string) => `http://shop.test/checkout/${ref}`,
  logger,
});

let keys = 0;
const payRequest = (url: string, body: unknown = { method: 200002, payer: { email: 'ada@example.com' } }) =>
  new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `key-${Date.now()}-${++keys}` },
    body: JSON.stringify(body),
  });

describe('createPaydoHandler', () => {
  it('answers under its prefix only; anything else is route_not_found', async () => {
    const handler = createPaydoHandler({ ...base(), prefix: '/api/paydo', rateLimit: false });
    const ok = await handler(new Request('http://shop.test/api/paydo/checkout/r1'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    const outside = await handler(new Request('http://shop.test/paydo/checkout/r1'));
    expect(outside.status).toBe(404);
    expect(await outside.json()).toEqual({ error: 'route_not_found', message: 'No such Paydo route.' });
    await handler.close();
  });

  it('without the peer address: rate-limited and IPN routes refuse with 500 and say why in the log', async () => {
    const handler = createPaydoHandler({ ...base(), prefix: '/paydo' } as PaydoHandlerOptions);
    lines.length = 0;
    const res = await handler(payRequest('http://shop.test/paydo/checkout/r1/pay'));
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: string }).error).toBe('internal');
    expect(lines.join('\n')).toContain('no remote address');
    // Given per call, it counts: the request reaches validation (422).
    const given = await handler(payRequest('http://shop.test/paydo/checkout/r1/pay'), { remoteAddress: '127.0.0.1' });
    expect(given.status).toBe(422);
    expect(given.headers.get('x-ratelimit-limit')).not.toBeNull();
    await handler.close();
  });

  it('takes the peer from the remoteAddress option, and X-Forwarded-For only from a trusted proxy', async () => {
    const peers = new WeakMap<Request, string>();
    const handler = createPaydoHandler({
      ...base(),
      rateLimit: false,
      trustProxy: ['10.0.0.2'],
      remoteAddress: (request) => peers.get(request),
      ipnSourceAddresses: ['203.0.113.9'],
    });
    const ipn = (peer: string, forwarded?: string) => {
      const request = new Request('http://shop.test/paydo/ipn', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(forwarded && { 'x-forwarded-for': forwarded }) },
        body: JSON.stringify({ invoice: { id: 'x' }, transaction: { id: 'y', state: 2 } }),
      });
      peers.set(request, peer);
      return handler(request);
    };
    // Not from Paydo's address: 403 whatever the header says when the peer is no trusted proxy.
    expect((await ipn('198.51.100.7', '203.0.113.9')).status).toBe(403);
    // Through the trusted proxy, from Paydo's address: past the source check (an unknown invoice).
    expect((await ipn('10.0.0.2', '203.0.113.9')).status).not.toBe(403);
    await handler.close();
  });
});

describe('paydoRouter', () => {
  it('throws the plugin option errors when made', () => {
    expect(() => paydoRouter({ ...base(), publicKey: '' })).toThrow(/invalid options/);
  });

  it("works behind the app's own express.json(): it takes the parsed body", async () => {
    const router = paydoRouter({ ...base(), rateLimit: false, cardPayments: 'direct' });
    const app = express();
    app.use(express.json(), express.urlencoded());
    app.use('/shop/paydo', router);
    const server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/shop/paydo`;
    const res = await fetch(payRequest(`${url}/checkout/r1/pay`, { ...cardBody('4242424242424242') }));
    const body = (await res.json()) as { next: unknown };
    expect({ status: res.status, body }).toMatchObject({
      status: 200,
      body: { next: { type: 'done', status: 'success' } },
    });
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    // A form body the app's own middleware parsed is still no JSON: 415, as on the plugin.
    const form = await fetch(`${url}/checkout/r1/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'key-form-1' },
      body: 'method=200001',
    });
    expect(form.status).toBe(415);
    // Outside the mount point the app answers, not the router.
    expect(await (await fetch(url.replace('/shop/paydo', '/elsewhere'))).text()).not.toContain('route_not_found');
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    expect((await router.reconcile()).checked).toBeGreaterThanOrEqual(0);
    await router.close();
  });
});
