import Fastify from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { paydo, paydoRedactPaths } from '../../src/fastify/index.ts';
import { addOrder, cardBody, type Harness, newKey, pay, startHarness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('security floor', () => {
  it('refuses a body that is not JSON (415) and one that is too large (413), changing nothing', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    const ref = addOrder(h);
    const form = await h.app.inject({
      method: 'POST',
      url: `/paydo/checkout/${ref}/pay`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': newKey() },
      payload: 'method=200001',
    });
    expect(form.statusCode).toBe(415);
    expect(form.json().error).toBe('unsupported_media_type');
    const huge = await pay(h, ref, { ...cardBody('4242424242424242'), padding: 'x'.repeat(20_000) });
    expect(huge.status).toBe(413);
    const broken = await h.app.inject({
      method: 'POST',
      url: `/paydo/checkout/${ref}/pay`,
      headers: { 'content-type': 'application/json', 'idempotency-key': newKey() },
      payload: '{"method":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).toBe('validation');
    // None but the startup card-mode check's own unpaid invoice.
    expect(
      h.sandbox.control.snapshot().invoices.filter((i) => !i.orderIdentifier.startsWith('paydo-card-mode-')),
    ).toHaveLength(0);
  });

  it('refuses a POST from a foreign origin, allows the configured one with CORS', async () => {
    h = await startHarness({ plugin: { rateLimit: false, allowedOrigins: ['https://shop.example'] } });
    const ref = addOrder(h);
    const foreign = await pay(h, ref, cardBody('4242424242424242'), newKey(), { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toBe('origin_not_allowed');
    const allowed = await pay(h, ref, cardBody('4242424242424242'), newKey(), { origin: 'https://shop.example' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
  });

  it('rate limits paying per IP and per order: 429 with Retry-After', async () => {
    h = await startHarness({
      plugin: { rateLimit: { perIp: { max: 4, timeWindowMs: 60_000 }, perOrder: { max: 2, timeWindowMs: 60_000 } } },
    });
    const ref = addOrder(h);
    const body = { method: 200002, payer: { email: 'ada@example.com' } }; // fails validation: nothing reaches Paydo
    expect((await pay(h, ref, body)).status).toBe(422);
    expect((await pay(h, ref, body)).status).toBe(422);
    const perOrder = await pay(h, ref, body);
    expect(perOrder.status).toBe(429);
    expect(perOrder.body).toMatchObject({ error: 'rate_limited', retryable: true });
    expect(Number(perOrder.headers['retry-after'])).toBeGreaterThan(0);
    const otherOrder = await pay(h, addOrder(h), body);
    expect(otherOrder.status).toBe(422);
    expect((await pay(h, addOrder(h), body)).status).toBe(429); // 5th from this IP
  });

  it('never logs or echoes card data, the secret key or the JWT', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    const ref = addOrder(h);
    await pay(h, ref, cardBody('4000000000000002'));
    await pay(h, ref, {
      ...cardBody('4242424242424241'),
      card: { pan: '4242424242424241', expirationDate: '12/39', cvv: '987', holderName: 'A' },
    });
    h.sandbox.control.setFaults([{ endpoint: 'card-token.create', kind: 'error', value: 500 }]);
    const failed = await pay(h, addOrder(h), {
      ...cardBody('5555555555554444'),
      card: { pan: '5555555555554444', expirationDate: '12/39', cvv: '456', holderName: 'A' },
    });
    expect(failed.status).toBe(503);
    const everything = h.logs.join('\n') + JSON.stringify(failed.body);
    expect(h.logs.length).toBeGreaterThan(0);
    for (const secret of [
      '4000000000000002',
      '4242424242424241',
      '5555555555554444',
      '"987"',
      '"456"',
      'sandbox-secret-key',
      'sandbox.jwt.token',
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('offers redaction paths for the merchant logger that hide a logged card', async () => {
    const lines: string[] = [];
    const app = Fastify({ logger: { redact: paydoRedactPaths, stream: { write: (l: string) => lines.push(l) } } });
    app.log.info({ body: { card: { pan: '4242424242424242', cvv: '123' } } }, 'oops, a body');
    await app.close();
    expect(lines.join('')).not.toContain('4242424242424242');
  });

  it('validates its options at registration with one clear message', async () => {
    const app = Fastify();
    // @ts-expect-error: deliberately incomplete options
    await expect(app.register(paydo, { publicKey: 'nope', prefix: 'paydo/' }).ready()).rejects.toThrow(
      /@paydo-checkout\/server-kit: invalid options: `resolveOrder` must be a function; `onPaymentUpdate` must be a function; `checkoutPageUrl` must be a function; `secretKey` is required; `jwt` is required.*`prefix` must start/,
    );
  });

  it('loads the method list once per TTL, however many checkouts load at once', async () => {
    // `direct`: no startup card-mode check, which would have loaded the list already.
    h = await startHarness({ plugin: { rateLimit: false, cardPayments: 'direct' } });
    const harness = h;
    const spy = vi.spyOn(harness.client.paymentMethods, 'listAvailable');
    const ref = addOrder(harness);
    const answers = await Promise.all(
      Array.from({ length: 1000 }, () => harness.app.inject({ method: 'GET', url: `/paydo/checkout/${ref}` })),
    );
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('coalesces 100 concurrent polls of one transaction into one status call', async () => {
    h = await startHarness({ plugin: { rateLimit: false, statusCacheMs: 1000 }, sandbox: { pendingMs: 60_000 } });
    const harness = h;
    const ref = addOrder(harness);
    const res = await pay(harness, ref, cardBody('4000000000000119'));
    const spy = vi.spyOn(harness.client.transactions, 'checkStatus');
    const polls = await Promise.all(
      Array.from({ length: 100 }, () =>
        harness.app.inject({ method: 'GET', url: `/paydo/transactions/${res.body.txid}/next?order=${ref}` }),
      ),
    );
    expect(polls.every((p) => p.json().next.type === 'wait')).toBe(true);
    expect(spy.mock.calls.length).toBeLessThanOrEqual(1);
  });
});
