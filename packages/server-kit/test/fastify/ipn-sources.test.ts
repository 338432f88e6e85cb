import { afterEach, describe, expect, it } from 'vitest';
import { DOCUMENTED_IPN_SOURCES, PAYDO_IPN_SOURCE_ADDRESSES } from '../../src/index.ts';
import { addOrder, cardBody, type Harness, pay, startHarness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function postIpn(harness: Harness, body: unknown, remoteAddress: string) {
  const res = await harness.app.inject({
    method: 'POST',
    url: '/paydo/ipn',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
    remoteAddress,
  });
  return { status: res.statusCode, body: res.json() };
}

/** A paid order whose IPN was not delivered yet. */
async function unappliedPayment(harness: Harness) {
  const ref = addOrder(harness);
  const res = await pay(harness, ref, cardBody('4000000000000119'));
  harness.sandbox.control.advance(res.body.txid, 2);
  const orderId = harness.orders.get(ref)?.id as string;
  return {
    invoice: { id: res.body.invoiceId, txid: res.body.txid, status: 1, metadata: {} },
    transaction: { id: res.body.txid, state: 2, order: { id: orderId }, error: { message: '', code: '' } },
  };
}

describe('IPN source addresses', () => {
  it("default to every documented list: Paydo's two and Payop's four, each with its page", () => {
    expect([...PAYDO_IPN_SOURCE_ADDRESSES].sort()).toEqual(
      ['52.49.204.201', '54.229.170.212', '18.199.249.46', '35.158.36.143', '3.125.109.58', '3.127.103.117'].sort(),
    );
    for (const s of DOCUMENTED_IPN_SOURCES) expect(s.source).toMatch(/^(PaydoW\/paydo-api-doc|Payop\/payop-api-doc) /);
  });

  it("accepts a genuine IPN from Paydo's own published address on the default list", async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    h.sandbox.control.configure({ ipnUrl: null });
    const body = await unappliedPayment(h);
    expect(await postIpn(h, body, '52.49.204.201')).toEqual({ status: 200, body: { ok: true, outcome: 'applied' } });
  });

  it('names each refused source address once, with its catalogue code', async () => {
    h = await startHarness({ plugin: { rateLimit: false } });
    h.sandbox.control.configure({ ipnUrl: null });
    const body = await unappliedPayment(h);
    for (const ip of ['198.51.100.7', '198.51.100.7', '198.51.100.7', '198.51.100.8'])
      expect((await postIpn(h, body, ip)).status).toBe(403);
    const named = (ip: string) =>
      h?.logs.filter((l) => JSON.parse(l).level >= 50 && l.includes(ip) && l.includes('ipn_source_not_allowed')) ?? [];
    expect(named('198.51.100.7')).toHaveLength(1);
    expect(named('198.51.100.8')).toHaveLength(1);
    expect(JSON.parse(named('198.51.100.7')[0] as string).msg).toMatch(/not in ipnSourceAddresses/);
    // Every refusal is still recorded for onIpn.
    expect(h.ipns.filter((i) => i.outcome === 'rejected')).toHaveLength(4);
  });
});
