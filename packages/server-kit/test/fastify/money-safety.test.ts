// Attacks and accidents that would lose money, each reproduced end to end against the emulator.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore, type PaydoStore, SqliteStore } from '../../src/fastify/index.ts';
import { postgresUrl, STORE_KINDS } from '../services/stores.ts';
import {
  addOrder,
  cardBody,
  decide,
  type Harness,
  newKey,
  next,
  pay,
  pollUntilSettled,
  startHarness,
} from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const accepted = (harness: Harness) => harness.sandbox.control.snapshot().transactions.filter((t) => t.state === 2);

async function hosted(harness: Harness, ref: string) {
  const res = await harness.app.inject({
    method: 'POST',
    url: `/paydo/checkout/${ref}/hosted`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ payer: { email: 'ada@example.com' } }),
  });
  return { status: res.statusCode, body: res.json() };
}

/** The payer finishes Paydo's own page for an invoice (approve); answers the new txid. */
async function payOnHostedPage(harness: Harness, invoiceId: string): Promise<string> {
  const done = await fetch(`${harness.sandbox.url}/_sandbox/hosted/${invoiceId}/complete`, {
    method: 'POST',
    body: new URLSearchParams({ decision: 'approve' }),
    redirect: 'manual',
  });
  return new URL(done.headers.get('location') as string).searchParams.get('paydo_txid') as string;
}

function ipnBody(invoiceId: string, txid: string, state: number, orderId: string, metadata: unknown = {}) {
  return {
    invoice: { id: invoiceId, txid, status: state === 2 ? 1 : 4, metadata },
    transaction: { id: txid, state, order: { id: orderId }, error: { message: '', code: '' } },
  };
}

async function postIpn(harness: Harness, body: unknown, remoteAddress = '127.0.0.1', headers = {}) {
  const res = await harness.app.inject({
    method: 'POST',
    url: '/paydo/ipn',
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
    remoteAddress,
  });
  return { status: res.statusCode, body: res.json() };
}

// The gate and the duplicate-charge guard hold on every store: their claims are the store's.
for (const kind of STORE_KINDS) {
  describe.skipIf(kind.skip)(
    `one order, one charge: every route that starts a payment goes through one gate (${kind.name} store)`,
    () => {
      it('the hosted fallback refuses while a 3-D Secure payment is pending; finishing it leaves one charge', async () => {
        h = await startHarness({ plugin: { store: kind.place().open(), rateLimit: false } });
        const ref = addOrder(h);
        const card = await pay(h, ref, cardBody('4000000000003220'));
        expect(card.body.next.type).toBe('post');
        const fallback = await hosted(h, ref);
        expect(fallback.status).toBe(409);
        expect(fallback.body).toMatchObject({ error: 'payment_in_progress', txid: card.body.txid });
        await decide(h, 'acs', card.body.txid, 'approve');
        await h.sandbox.control.ipnIdle();
        expect(accepted(h)).toHaveLength(1);
        expect(h.updates.map((u) => u.status)).toEqual(['paid']);
      });

      it('paid on Paydo’s page first (no IPN yet): paying by card is refused as already paid', async () => {
        h = await startHarness({ plugin: { store: kind.place().open(), rateLimit: false } });
        h.sandbox.control.configure({ ipnUrl: null });
        const ref = addOrder(h);
        const page = await hosted(h, ref);
        expect(page.status).toBe(200);
        const txid = await payOnHostedPage(h, page.body.invoiceId);
        const card = await pay(h, ref, cardBody('4242424242424242'));
        expect(card.status).toBe(409);
        expect(card.body).toMatchObject({ error: 'already_paid', txid });
        expect(accepted(h)).toHaveLength(1);
      });

      it('Back from 3-D Secure, then another card: the abandoned transaction is voided, one charge', async () => {
        h = await startHarness({ plugin: { store: kind.place().open(), rateLimit: false } });
        const ref = addOrder(h);
        const first = await pay(h, ref, cardBody('4000000000003220'));
        expect(first.body.next.type).toBe('post');
        // Without saying so, a new payment still waits for the first.
        const blind = await pay(h, ref, cardBody('4242424242424242'));
        expect(blind.body).toMatchObject({ error: 'payment_in_progress', txid: first.body.txid });
        // Naming another transaction than the pending one changes nothing.
        const wrong = await pay(h, ref, { ...cardBody('4242424242424242'), replacePending: 'not-that-one' });
        expect(wrong.body).toMatchObject({ error: 'payment_in_progress', txid: first.body.txid });
        const second = await pay(h, ref, { ...cardBody('4242424242424242'), replacePending: first.body.txid });
        expect(second.status).toBe(200);
        // `wait` when its IPN was being applied at that very moment (the claim was busy): the next poll says done.
        const settled =
          second.body.next.type === 'wait' ? (await pollUntilSettled(h, second.body.txid, ref)).body : second.body;
        expect(settled.next).toEqual({ type: 'done', status: 'success' });
        await h.sandbox.control.ipnIdle();
        const states = new Map(h.sandbox.control.snapshot().transactions.map((t) => [t.identifier, t.state]));
        expect(states.get(first.body.txid)).toBe(3);
        expect(accepted(h)).toHaveLength(1);
        // The old 3-D Secure page can no longer charge.
        await decide(h, 'acs', first.body.txid, 'approve').catch(() => {});
        expect(accepted(h)).toHaveLength(1);
        expect(h.updates.filter((u) => u.status === 'paid').map((u) => u.txid)).toEqual([second.body.txid]);
      });

      it('another card after the abandoned 3-D Secure was completed meanwhile: already paid, no second charge', async () => {
        h = await startHarness({ plugin: { store: kind.place().open(), rateLimit: false } });
        h.sandbox.control.configure({ ipnUrl: null });
        const ref = addOrder(h);
        const first = await pay(h, ref, cardBody('4000000000003220'));
        await decide(h, 'acs', first.body.txid, 'approve'); // in another tab, a moment before
        const second = await pay(h, ref, { ...cardBody('4242424242424242'), replacePending: first.body.txid });
        expect(second.status).toBe(409);
        expect(second.body).toMatchObject({ error: 'already_paid', txid: first.body.txid });
        expect(accepted(h)).toHaveLength(1);
      });

      it('an order lock lease shorter than a slow Paydo call is renewed: a second attempt still waits its turn', async () => {
        h = await startHarness({ plugin: { store: kind.place().open(), rateLimit: false, orderLockLeaseMs: 150 } });
        h.sandbox.control.addFault({ endpoint: 'invoices.create', kind: 'latency', value: 500 });
        const ref = addOrder(h);
        const first = pay(h, ref, cardBody('4000000000003220'));
        await new Promise((r) => setTimeout(r, 300)); // past the lease, while invoices/create is in flight
        const second = await pay(h, ref, cardBody('4000000000003220'));
        expect(second.status).toBe(409);
        expect(second.body.error).toBe('payment_in_progress');
        expect((await first).status).toBe(200);
        expect(h.sandbox.control.snapshot().transactions).toHaveLength(1);
      });
    },
  );

  describe.skipIf(kind.skip)(
    `a second charge the gate could not see (another tab on Paydo’s page; ${kind.name} store)`,
    () => {
      for (const refund of [true, false]) {
        it(`is flagged as a duplicate, never pays the order again${refund ? ', and is refunded in full once' : ' (refunds off)'}`, async () => {
          h = await startHarness({
            plugin: { store: kind.place().open(), rateLimit: false, refundDuplicateCharges: refund },
          });
          const harness = h;
          const ref = addOrder(harness);
          const page = await hosted(harness, ref); // tab 1 opens Paydo's page and leaves it open
          const card = await pay(harness, ref, cardBody('4242424242424242')); // tab 2 pays by card
          expect(card.body.next).toEqual({ type: 'done', status: 'success' });
          const second = await payOnHostedPage(harness, page.body.invoiceId); // tab 1 pays too
          await harness.sandbox.control.ipnIdle();
          harness.sandbox.control.resendIpn(second);
          await harness.sandbox.control.ipnIdle();

          const updates = harness.updates.filter((u) => u.orderRef === ref);
          expect(updates.map((u) => [u.txid, u.status])).toEqual([
            [card.body.txid, 'paid'],
            [second, 'duplicate'],
          ]);
          expect(updates[1]?.duplicateOf).toBe(card.body.txid);
          const refunds = harness.sandbox.control.snapshot().refunds;
          if (refund) {
            expect(refunds).toHaveLength(1);
            expect(refunds[0]).toMatchObject({ sourceTransaction: { identifier: second }, amount: 12.5 });
            expect(updates[1]?.refundId).toBe(refunds[0]?.identifier);
          } else {
            expect(refunds).toHaveLength(0);
            expect(updates[1]?.refundId).toBeNull();
          }
          expect(harness.logs.filter((l) => l.includes('second charge'))).toHaveLength(1);
        });
      }

      it('a refund that fails is retried with the next delivery, and made once', async () => {
        h = await startHarness({ plugin: { store: kind.place().open(), rateLimit: false } });
        const ref = addOrder(h);
        const page = await hosted(h, ref);
        const card = await pay(h, ref, cardBody('4242424242424242'));
        h.sandbox.control.addFault({ endpoint: 'refunds.create', kind: 'error', value: 500, phase: 'after', times: 1 });
        const second = await payOnHostedPage(h, page.body.invoiceId);
        await h.sandbox.control.ipnIdle();
        const attempts = h.sandbox.control.ipnAttempts(second).map((a) => a.statusCode);
        expect(attempts.at(0)).toBe(503); // the refund's answer was lost: Paydo delivers again
        expect(attempts.at(-1)).toBe(200);
        expect(h.sandbox.control.snapshot().refunds).toHaveLength(1); // found, not made twice
        expect(h.updates.map((u) => u.status)).toEqual(['paid', 'duplicate']);
        expect(h.updates[0]?.txid).toBe(card.body.txid);
      });
      it('a refund Paydo refuses for good (already refunded by hand) is reported, not retried for 24 hours', async () => {
        h = await startHarness({ plugin: { store: kind.place().open(), rateLimit: false } });
        h.sandbox.control.configure({ ipnUrl: null });
        const ref = addOrder(h);
        const page = await hosted(h, ref);
        const card = await pay(h, ref, cardBody('4242424242424242'));
        const second = await payOnHostedPage(h, page.body.invoiceId);
        // The merchant saw two charges and refunded the second in Paydo's dashboard first.
        await h.client.refunds.create({ transactionIdentifier: second, refundType: 1, amount: '12.50', metadata: {} });
        const ipn = await postIpn(h, ipnBody(page.body.invoiceId, second, 2, h.orders.get(ref)?.id as string));
        expect(ipn).toEqual({ status: 200, body: { ok: true, outcome: 'applied' } });
        expect(h.updates.map((u) => [u.txid, u.status])).toEqual([
          [card.body.txid, 'paid'],
          [second, 'duplicate'],
        ]);
        expect(h.updates[1]).toMatchObject({ duplicateOf: card.body.txid, refundId: null });
        expect(h.updates[1]?.refundError).toMatch(/money|bigger/i);
        expect(h.sandbox.control.snapshot().refunds).toHaveLength(1);
      });
    },
  );
}

describe('IPNs bind to their own order', () => {
  it('an IPN naming one invoice with a transaction of another is refused and applies nothing', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    h.sandbox.control.configure({ ipnUrl: null });
    // Two orders with one order id (ids reused after a data reset), the same amount.
    const a = addOrder(h, { id: 'ORD-1' });
    const b = addOrder(h, { id: 'ORD-1' });
    const paidA = await pay(h, a, cardBody('4000000000000119'));
    h.sandbox.control.advance(paidA.body.txid, 2);
    const openB = await hosted(h, b);
    const crossed = await postIpn(h, ipnBody(openB.body.invoiceId, paidA.body.txid, 2, 'ORD-1'));
    expect(crossed.status).toBe(422);
    expect(crossed.body.message).toMatch(/belongs to another order/);

    // The same with a transaction this server never saw (made by another shop's server).
    const other = await h.client.invoices.create({
      order: { id: 'ORD-1', amount: '12.50', currency: 'EUR', description: '', items: [] },
      payer: { email: 'eve@example.com' },
      language: 'en',
      resultUrl: 'http://elsewhere.test/',
      failPath: 'http://elsewhere.test/',
      paymentMethod: 200002,
    });
    const foreign = await h.client.transactions.create({
      invoiceIdentifier: other.invoiceId,
      customer: { email: 'eve@example.com', name: 'Eve', extraFields: { nationalid: '1234567890' } },
      checkStatusUrl: 'http://elsewhere.test/',
      paymentMethod: 200002,
    });
    const stranger = await postIpn(h, ipnBody(openB.body.invoiceId, foreign.txid as string, 2, 'ORD-1'));
    expect(stranger.status).toBe(422);
    expect(stranger.body.message).toMatch(/returns the payer to http:\/\/elsewhere\.test\//);
    expect(h.updates).toHaveLength(0);
  });

  it('an IPN claiming a final state while Paydo says pending is answered so that Paydo retries', async () => {
    h = await startHarness({ plugin: { rateLimit: false }, sandbox: { pendingMs: 60_000 } });
    h.sandbox.control.configure({ ipnUrl: null });
    const ref = addOrder(h);
    const res = await pay(h, ref, cardBody('4000000000000119'));
    const orderId = h.orders.get(ref)?.id as string;
    const early = await postIpn(h, ipnBody(res.body.invoiceId, res.body.txid, 2, orderId));
    expect(early.status).toBe(503);
    const pendingClaim = await postIpn(h, ipnBody(res.body.invoiceId, res.body.txid, 4, orderId));
    expect(pendingClaim).toEqual({ status: 200, body: { ok: true, outcome: 'ignored' } });
    h.sandbox.control.advance(res.body.txid, 2);
    const late = await postIpn(h, ipnBody(res.body.invoiceId, res.body.txid, 2, orderId));
    expect(late.status).toBe(200);
    expect(h.updates.map((u) => u.status)).toEqual(['paid']);
  });

  it('a malformed IPN (an id no Paydo id can be) is a 400, not a retry', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    h.sandbox.control.configure({ ipnUrl: null });
    const ref = addOrder(h);
    const paid = await pay(h, ref, cardBody('4242424242424242'));
    const long = 't'.repeat(200);
    const res = await postIpn(h, ipnBody(paid.body.invoiceId, long, 2, h.orders.get(ref)?.id as string));
    expect(res.status).toBe(400);
    expect((await postIpn(h, ipnBody('i'.repeat(129), 'tx', 2, 'x'))).status).toBe(400);
  });

  it('takes IPNs with Paydo’s large metadata (20 kB and 700 kB) while the browser routes keep their 16 KiB limit', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    h.sandbox.control.configure({ ipnUrl: null });
    for (const size of [20_000, 700_000]) {
      const ref = addOrder(h);
      const res = await pay(h, ref, cardBody('4000000000000119'));
      h.sandbox.control.advance(res.body.txid, 2);
      const orderId = h.orders.get(ref)?.id as string;
      const ipn = await postIpn(h, ipnBody(res.body.invoiceId, res.body.txid, 2, orderId, { note: 'x'.repeat(size) }));
      expect(ipn.status).toBe(200);
    }
    expect(h.updates).toHaveLength(2);
    const big = await pay(h, addOrder(h), { ...cardBody('4242424242424242'), padding: 'x'.repeat(20_000) });
    expect(big.status).toBe(413);
  });
});

describe('who is the client', () => {
  it('a forged X-Forwarded-For from an untrusted peer changes nothing; the trusted proxy’s is honoured', async () => {
    h = await startHarness({
      plugin: {
        ipnSourceAddresses: ['18.199.249.46'],
        trustProxy: ['10.0.0.1'],
        rateLimit: { perIp: { max: 2, timeWindowMs: 60_000 } },
      },
      // The app trusting every peer for its own pages does not make the plugin trust them.
      fastify: { trustProxy: true },
    });
    h.sandbox.control.configure({ ipnUrl: null });
    const ref = addOrder(h);
    const res = await pay(h, ref, cardBody('4000000000000119'));
    h.sandbox.control.advance(res.body.txid, 2);
    const body = ipnBody(res.body.invoiceId, res.body.txid, 2, h.orders.get(ref)?.id as string);
    const forged = await postIpn(h, body, '198.51.100.7', { 'x-forwarded-for': '18.199.249.46' });
    expect(forged.status).toBe(403);
    expect(h.ipns.at(-1)?.sourceIp).toBe('198.51.100.7');
    // A chain ending in a forged hop the proxy passed on: the proxy's own entry counts.
    const chained = await postIpn(h, body, '10.0.0.1', { 'x-forwarded-for': '18.199.249.46, 198.51.100.8' });
    expect(chained.status).toBe(403);
    expect(h.ipns.at(-1)?.sourceIp).toBe('198.51.100.8');
    const proxied = await postIpn(h, body, '::ffff:10.0.0.1', { 'x-forwarded-for': '18.199.249.46' });
    expect(proxied.status).toBe(200);

    // Rotating forged addresses does not escape the per-address limit.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await h.app.inject({
        method: 'POST',
        url: `/paydo/checkout/${addOrder(h)}/pay`,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': newKey(),
          'x-forwarded-for': `203.0.113.${i}`,
        },
        payload: JSON.stringify(cardBody('4000000000000002')),
        remoteAddress: '198.51.100.9',
      });
      statuses.push(r.statusCode);
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });

  it('a hop count trusts that many proxies and no more; the payer address sent to Paydo is the client’s', async () => {
    h = await startHarness({
      plugin: { ipnSourceAddresses: ['18.199.249.46'], trustProxy: 1, rateLimit: false },
    });
    h.sandbox.control.configure({ ipnUrl: null });
    const ref = addOrder(h);
    const res = await h.app.inject({
      method: 'POST',
      url: `/paydo/checkout/${ref}/pay`,
      headers: {
        'content-type': 'application/json',
        'idempotency-key': newKey(),
        'x-forwarded-for': '203.0.113.50, 192.0.2.44',
      },
      payload: JSON.stringify(cardBody('4000000000000119')),
      remoteAddress: '10.1.1.1',
    });
    const txid = res.json().txid as string;
    const sent = await h.client.transactions.retrieve(txid);
    expect(sent.payerInformation?.find((p) => p.type === 8)?.value).toBe('192.0.2.44');
    h.sandbox.control.advance(txid, 2);
    const body = ipnBody(res.json().invoiceId, txid, 2, h.orders.get(ref)?.id as string);
    const twoHops = await postIpn(h, body, '10.1.1.1', { 'x-forwarded-for': '18.199.249.46, 198.51.100.8' });
    expect(twoHops.status).toBe(403);
    const oneHop = await postIpn(h, body, '10.1.1.1', { 'x-forwarded-for': '18.199.249.46' });
    expect(oneHop.status).toBe(200);
  });

  it('trusting every peer is refused at registration, with a sentence saying why', async () => {
    await expect(startHarness({ plugin: { trustProxy: true as never } })).rejects.toThrow(/never `true`/);
  });

  it('on a dual-stack listener (::) an IPv4 source matches an IPv4 allowlist', async () => {
    h = await startHarness({ plugin: { rateLimit: false, ipnSourceAddresses: ['127.0.0.1'] }, host: '::' });
    const ref = addOrder(h);
    const res = await pay(h, ref, cardBody('4242424242424242'));
    await h.sandbox.control.ipnIdle();
    const attempts = h.sandbox.control.ipnAttempts(res.body.txid);
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((a) => a.statusCode === 200)).toBe(true);
    expect(h.ipns.at(-1)?.sourceIp).toBe('127.0.0.1');
  });
});

describe('next and checkout', () => {
  for (const [name, makeStore] of [
    ['memory', () => new MemoryStore()],
    ['sqlite', () => new SqliteStore(':memory:')],
    ['postgres', () => STORE_KINDS[2]?.place().open() as PaydoStore],
  ] as const) {
    it.skipIf(name === 'postgres' && !postgresUrl())(
      `a repeated ?order= is a 400, and a txid is only answered for its own order (${name})`,
      async () => {
        h = await startHarness({ plugin: { rateLimit: false, store: makeStore() } });
        const ref = addOrder(h);
        const res = await pay(h, ref, cardBody('4242424242424242'));
        const twice = await h.app.inject({
          method: 'GET',
          url: `/paydo/transactions/${res.body.txid}/next?order=${ref}&order=other`,
        });
        expect(twice.statusCode).toBe(400);
        expect(twice.json().error).toBe('validation');
        expect((await next(h, res.body.txid, addOrder(h))).status).toBe(404);
        expect((await next(h, res.body.txid, ref)).body.next).toEqual({ type: 'done', status: 'success' });
      },
    );
  }

  it('polls of a known transaction ask the store for its order once, and still never answer for another order', async () => {
    const store = new MemoryStore();
    const lookups = vi.spyOn(store, 'findTransaction');
    h = await startHarness({ plugin: { rateLimit: false, store } });
    const ref = addOrder(h);
    const res = await pay(h, ref, cardBody('4000000000000119'));
    lookups.mockClear();
    for (let i = 0; i < 5; i++) expect((await next(h, res.body.txid, ref)).status).toBe(200);
    expect((await next(h, res.body.txid, addOrder(h))).status).toBe(404);
    // Pay recorded the binding in this process: at most one store read (none here).
    expect(lookups.mock.calls.length).toBeLessThanOrEqual(1);
  });

  it('made-up txids cost no upstream call each: the order’s invoices are read once', async () => {
    h = await startHarness({ plugin: { rateLimit: false, pollIntervalMs: 5_000 } });
    const ref = addOrder(h);
    await hosted(h, ref);
    await pay(h, ref, cardBody('4000000000000002'));
    const spy = vi.spyOn(h.client.invoices, 'retrieve');
    const lookups = vi.spyOn(h.client.transactions, 'retrieve');
    for (let i = 0; i < 200; i++) {
      // Not found, or (asked after the order's invoices were read) "wait", until a later read says no.
      const res = await next(h, `made-up-${i}`, ref);
      expect(res.status === 404 || res.body.next?.type === 'wait').toBe(true);
    }
    expect(spy.mock.calls.length).toBeLessThanOrEqual(2); // two invoices, read once
    // A txid no invoice names is asked about at Paydo (a second tab's), a few per order and minute.
    expect(lookups.mock.calls.length).toBeLessThanOrEqual(5);
  });

  it('a payer back from Paydo’s page is never told "not found" because someone asked about made-up txids just before', async () => {
    h = await startHarness({ plugin: { rateLimit: false, pollIntervalMs: 50 } });
    h.sandbox.control.configure({ ipnUrl: null }); // no IPN yet: only Paydo's invoice knows the txid
    const ref = addOrder(h);
    const page = await hosted(h, ref);
    expect((await next(h, 'made-up-1', ref)).status).toBe(404); // the order's invoices are read now
    const txid = await payOnHostedPage(h, page.body.invoiceId);
    const back = await next(h, txid, ref); // within the same second
    expect(back.status).toBe(200);
    const settled = back.body.next.type === 'wait' ? await pollUntilSettled(h, txid, ref, 8000) : back;
    expect(settled.body.next).toEqual({ type: 'done', status: 'success' });
    expect(h.updates.map((u) => [u.txid, u.status])).toEqual([[txid, 'paid']]);
  });

  it('next and checkout are rate limited per address', async () => {
    h = await startHarness({ plugin: { rateLimit: { perIpReads: { max: 3, timeWindowMs: 60_000 } } } });
    const ref = addOrder(h);
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await h.app.inject({ url: `/paydo/checkout/${ref}` })).statusCode);
    codes.push((await next(h, 'any-txid', ref)).status);
    expect(codes).toEqual([200, 200, 200, 429]);
  });

  it('checkout gives the payer fields only, not whatever else the order record holds', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    const ref = addOrder(h, {
      payer: { email: 'ada@example.com', name: 'Ada', address: '1 Secret Lane' } as never,
    });
    const res = await h.app.inject({ url: `/paydo/checkout/${ref}` });
    expect(res.json().payer).toEqual({ email: 'ada@example.com', name: 'Ada' });
  });
});
