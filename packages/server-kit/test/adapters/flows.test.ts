import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrder, CARD, cardBody, decide, HOSTED } from '../fastify/harness.ts';
import { ADAPTERS, type AdapterHarness, type AdapterName, call, newKey, next, pay, startAdapter } from './harness.ts';

/**
 * One protocol, three adapters: the same flows run against the Fastify plugin, the Express
 * router and the fetch handler, over real HTTP on loopback, each beside its own emulator. The
 * answers that do not depend on Paydo's ids are also recorded per adapter and compared at the end,
 * status, body and headers, so a difference between adapters fails even where each looks fine.
 */
const seen = new Map<string, Map<AdapterName, unknown>>();
function record(adapter: AdapterName, name: string, answer: { status: number; body: unknown; headers: object }) {
  const byAdapter = seen.get(name) ?? new Map<AdapterName, unknown>();
  byAdapter.set(adapter, answer);
  seen.set(name, byAdapter);
}

// `addOrder` takes the Fastify harness; the order book is the same shape in every adapter.
const order = (h: AdapterHarness, o: Parameters<typeof addOrder>[1] = {}) =>
  addOrder(h as unknown as Parameters<typeof addOrder>[0], o);
const approve = (h: AdapterHarness, kind: 'acs' | 'wallet', txid: string) =>
  decide(h as unknown as Parameters<typeof decide>[0], kind, txid, 'approve');

async function waitFor<T>(read: () => T, ok: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(ADAPTERS)('%s', (adapter) => {
  describe('the flows', () => {
    let h: AdapterHarness;
    beforeAll(async () => {
      h = await startAdapter(adapter, { plugin: { rateLimit: false, trustProxy: 'loopback' } });
    });
    afterAll(() => h.close());

    it('checkout: the order and its methods, not cached; an unknown order is 404', async () => {
      const ref = order(h, { currency: 'USD', amount: '30.00' });
      const res = await call(h, 'GET', `/paydo/checkout/${ref}`);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body.order).toEqual({ ref, amount: '30.00', currency: 'USD', description: 'Two mugs', items: [] });
      expect(res.body).toMatchObject({ status: 'open', txid: null, payer: { email: 'ada@example.com' } });
      const unknown = await call(h, 'GET', '/paydo/checkout/nope');
      expect(unknown.body).toEqual({ error: 'order_not_found', message: 'This order was not found.' });
      record(adapter, 'unknown order', unknown);
      const head = await call(h, 'HEAD', `/paydo/checkout/${ref}`);
      expect(head.status).toBe(200);
      expect(head.text).toBe('');
      expect(head.headers['cache-control']).toBe('no-store');
      record(adapter, 'HEAD unknown order', await call(h, 'HEAD', '/paydo/checkout/nope'));
    });

    it('card: done/success in one round trip, applied once although the IPN also arrives', async () => {
      const ref = order(h);
      const res = await pay(h, ref, cardBody('4242 4242 4242 4242'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        invoiceId: expect.any(String),
        txid: expect.any(String),
        next: { type: 'done', status: 'success' },
      });
      await h.sandbox.control.ipnIdle();
      expect(h.updates.filter((u) => u.orderRef === ref).map((u) => u.status)).toEqual(['paid']);
      const tx = await h.client.transactions.retrieve(res.body.txid);
      expect(tx.payerInformation).toContainEqual({ type: 8, value: '127.0.0.1' });
    });

    it('3-D Secure: a post step to the ACS page, resumed by next after the payer is back', async () => {
      const ref = order(h);
      const res = await pay(h, ref, cardBody('4000000000003220'));
      expect(res.body.next).toMatchObject({ type: 'post', url: `${h.sandbox.url}/_sandbox/acs/${res.body.txid}` });
      expect(res.body.next.fields.TermUrl).toBe(`http://shop.test/checkout/${ref}?paydo_txid=${res.body.txid}`);
      expect(await approve(h, 'acs', res.body.txid)).toBe(
        `http://shop.test/checkout/${ref}?paydo_txid=${res.body.txid}`,
      );
      const done = await next(h, res.body.txid, ref);
      expect(done.headers['cache-control']).toBe('no-store');
      expect(done.body).toEqual({ txid: res.body.txid, next: { type: 'done', status: 'success' } });
      // The checkout page reloaded now says paid.
      expect((await call(h, 'GET', `/paydo/checkout/${ref}`)).body.status).toBe('paid');
    });

    it("hosted fallback: Paydo's page for one reused invoice, paid there, applied through the IPN", async () => {
      const ref = order(h);
      const post = (body: unknown) =>
        call(h, 'POST', `/paydo/checkout/${ref}/hosted`, {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const first = await post({ payer: { email: 'ada@example.com' }, language: 'ru' });
      expect(first.body.next).toEqual({
        type: 'hosted',
        url: `${h.sandbox.url}/ru/payment/invoice-preprocessing/${first.body.invoiceId}`,
      });
      expect((await post({})).body.invoiceId).toBe(first.body.invoiceId);
      await fetch(`${h.sandbox.url}/_sandbox/hosted/${first.body.invoiceId}/complete`, {
        method: 'POST',
        body: new URLSearchParams({ decision: 'approve' }),
        redirect: 'manual',
      });
      const statuses = await waitFor(
        () => h.updates.filter((u) => u.orderRef === ref).map((u) => u.status),
        (s) => s.length > 0,
      );
      expect(statuses).toEqual(['paid']);
      const paid = await post({});
      expect(paid.status).toBe(409);
      expect(paid.body.error).toBe('already_paid');
      // The hosted method of a pay call goes the same way.
      const viaPay = await pay(h, order(h), { method: HOSTED, payer: { email: 'ada@example.com' } });
      expect(viaPay.body.next.type).toBe('hosted');
    });

    it('IPN: a pending payment is applied while nobody polls; one from a foreign address is 403', async () => {
      const ref = order(h);
      const res = await pay(h, ref, cardBody('4000000000000119'));
      expect(res.body.next.type).toBe('wait');
      const mine = await waitFor(
        () => h.updates.filter((u) => u.orderRef === ref),
        (u) => u.length > 0,
      );
      expect(mine).toEqual([expect.objectContaining({ source: 'ipn', status: 'paid' })]);
      expect(h.ipns.find((i) => i.txid === res.body.txid)?.outcome).toBe('applied');
      // Through a trusted proxy (loopback), from an address that is not Paydo's.
      const forged = await call(h, 'POST', '/paydo/ipn', {
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7' },
        body: JSON.stringify({ invoice: { id: res.body.invoiceId }, transaction: { id: res.body.txid, state: 2 } }),
      });
      expect(forged.status).toBe(403);
      expect(h.ipns.at(-1)).toMatchObject({ outcome: 'rejected', sourceIp: '198.51.100.7' });
    });

    it('idempotency: the same key gets the same answer; a key reused for another payment is refused', async () => {
      const ref = order(h);
      const key = newKey();
      const first = await pay(h, ref, cardBody('4000000000000002'), key);
      const second = await pay(h, ref, cardBody('4000000000000002'), key);
      expect({ status: second.status, body: second.body }).toEqual({ status: first.status, body: first.body });
      const snapshot = h.sandbox.control.snapshot();
      expect(snapshot.transactions.filter((t) => t.invoiceIdentifier === first.body.invoiceId)).toHaveLength(1);
      const other = await pay(h, ref, { ...cardBody('4000000000000002'), payer: { email: 'eve@example.com' } }, key);
      expect(other.status).toBe(422);
      expect(other.body.error).toBe('idempotency_mismatch');
      const none = await call(h, 'POST', `/paydo/checkout/${ref}/pay`, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(cardBody('4242424242424242')),
      });
      expect(none.status).toBe(422);
      record(adapter, 'no idempotency key', none);
    });

    it('already paid: another key for a paid order is 409 with the paying txid', async () => {
      const ref = order(h);
      const first = await pay(h, ref, cardBody('4242424242424242'));
      const again = await pay(h, ref, cardBody('4242424242424242'));
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ error: 'already_paid', txid: first.body.txid });
    });
  });

  describe('bad input', () => {
    let h: AdapterHarness;
    beforeAll(async () => {
      h = await startAdapter(adapter, { plugin: { rateLimit: false, allowedOrigins: ['https://shop.example'] } });
    });
    afterAll(() => h.close());

    it('415 for a body that is not JSON, 413 for one too large, 400 for broken JSON; nothing reaches Paydo', async () => {
      const ref = order(h);
      const path = `/paydo/checkout/${ref}/pay`;
      const form = await call(h, 'POST', path, {
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': newKey() },
        body: 'method=200001',
      });
      expect(form.status).toBe(415);
      expect(form.body.error).toBe('unsupported_media_type');
      const huge = await pay(h, ref, { ...cardBody('4242424242424242'), padding: 'x'.repeat(20_000) });
      expect(huge.status).toBe(413);
      const broken = await call(h, 'POST', path, {
        headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' },
        body: '{"method":',
      });
      expect(broken.status).toBe(400);
      const poisoned = await call(h, 'POST', path, {
        headers: { 'content-type': 'application/json', 'idempotency-key': 'k2' },
        body: '{"__proto__":{"admin":true}}',
      });
      expect(poisoned.status).toBe(400);
      const invalid = await pay(h, ref, { method: CARD, payer: { email: 'nope' } });
      expect(invalid.status).toBe(422);
      expect(invalid.body.error).toBe('validation');
      expect(h.sandbox.control.snapshot().invoices).toHaveLength(0);
      for (const [name, answer] of Object.entries({ form, huge, broken, poisoned, invalid }))
        record(adapter, `bad body: ${name}`, answer);
    });

    it('404 route_not_found for anything that is no route; the IPN takes a large body', async () => {
      for (const [method, path] of [
        ['GET', '/paydo/nope'],
        ['GET', '/paydo/checkout/x/pay'],
        ['POST', '/paydo/checkout/x'],
        ['GET', '/paydo/Checkout/x'],
      ] as const) {
        const res = await call(h, method, path);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ error: 'route_not_found', message: 'No such Paydo route.' });
        record(adapter, `404 ${method} ${path}`, res);
      }
      const big = await call(h, 'POST', '/paydo/ipn', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ invoice: { metadata: { pad: 'x'.repeat(200_000) } } }),
      });
      expect(big.status).not.toBe(413);
      record(adapter, 'large ipn', big);
    });

    it('a POST from a foreign origin is 403; the allowed one gets CORS headers and a preflight', async () => {
      const ref = order(h);
      const foreign = await pay(h, ref, {}, 'k', { origin: 'https://evil.example' });
      expect(foreign.status).toBe(403);
      expect(foreign.body.error).toBe('origin_not_allowed');
      const allowed = await call(h, 'GET', `/paydo/checkout/${ref}`, { headers: { origin: 'https://shop.example' } });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
      const preflight = await call(h, 'OPTIONS', `/paydo/checkout/${ref}/pay`, {
        headers: {
          origin: 'https://shop.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,idempotency-key',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
      expect(preflight.headers['access-control-allow-headers']).toContain('idempotency-key');
      record(adapter, 'foreign origin', foreign);
      record(adapter, 'preflight', { status: preflight.status, body: preflight.body, headers: preflight.headers });
    });
  });

  describe('rate limits', () => {
    let h: AdapterHarness;
    beforeAll(async () => {
      h = await startAdapter(adapter, {
        plugin: {
          rateLimit: {
            perIp: { max: 4, timeWindowMs: 60_000 },
            perOrder: { max: 2, timeWindowMs: 60_000 },
            perIpReads: { max: 3, timeWindowMs: 60_000 },
          },
        },
      });
    });
    afterAll(() => h.close());

    it('per IP and per order on paying, per IP on reading: 429 with Retry-After and the x-ratelimit headers', async () => {
      const ref = order(h);
      const body = { method: 200002, payer: { email: 'ada@example.com' } }; // fails validation: nothing reaches Paydo
      const first = await pay(h, ref, body);
      expect(first.status).toBe(422);
      expect(first.headers['x-ratelimit-limit']).toBe('2');
      expect(first.headers['x-ratelimit-remaining']).toBe('1');
      expect((await pay(h, ref, body)).status).toBe(422);
      const perOrder = await pay(h, ref, body);
      expect(perOrder.status).toBe(429);
      expect(perOrder.body).toMatchObject({ error: 'rate_limited', retryable: true });
      expect(Number(perOrder.headers['retry-after'])).toBeGreaterThan(0);
      expect((await pay(h, order(h), body)).status).toBe(422);
      expect((await pay(h, order(h), body)).status).toBe(429); // the 5th from this IP
      const reads = [];
      for (let i = 0; i < 4; i++) reads.push((await call(h, 'GET', `/paydo/checkout/${ref}`)).status);
      expect(reads).toEqual([200, 200, 200, 429]);
      record(adapter, 'rate limited', perOrder);
    });
  });
});

describe('every adapter answers alike', () => {
  it('the same status, body and headers for the same request', () => {
    expect(seen.size).toBeGreaterThan(10);
    for (const [name, byAdapter] of seen) {
      const fastify = byAdapter.get('fastify');
      for (const adapter of ADAPTERS)
        expect({ name, adapter, answer: byAdapter.get(adapter) }).toEqual({ name, adapter, answer: fastify });
    }
  });
});
