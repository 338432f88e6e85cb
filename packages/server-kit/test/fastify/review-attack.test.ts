// Holes found by an attacker's review of the routes, each reproduced against the emulator. Each
// test states what should hold; it fails while the hole is open.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addOrder, type Harness, next, pay, startHarness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the poll of a txid no invoice names (GET next)', () => {
  it('made-up order references do not buy fresh Paydo lookups: one address gets at most the per-order budget', async () => {
    // The default read limit (120 per minute per address) is on: this is what one payer's address may do.
    h = await startHarness({ plugin: { pollIntervalMs: 5_000 } });
    const lookups = vi.spyOn(h.client.transactions, 'retrieve');
    for (let i = 0; i < 40; i++) {
      // No such order and no such transaction: the budget is spent per order *reference as sent*,
      // before anything checks that the order exists.
      const res = await next(h, `made-up-tx-${i}`, `no-such-order-${i}`);
      expect(res.status).toBe(404);
    }
    // "A genuine second tab needs one or two; made-up txids beyond the budget cost no upstream call":
    // five per order and minute. An order that does not exist needs none.
    expect(lookups.mock.calls.length).toBeLessThanOrEqual(5);
  });
});

describe('rate limits per address', () => {
  it('one IPv6 /64 (one attacker’s machine) is one address for the paying limit', async () => {
    h = await startHarness({
      plugin: {
        // The shop sits behind its own proxy on loopback, which names the client in X-Forwarded-For.
        trustProxy: 'loopback',
        rateLimit: { perIp: { max: 3, timeWindowMs: 60_000 }, perOrder: { max: 1_000, timeWindowMs: 60_000 } },
      },
    });
    const body = { method: 200002, payer: { email: 'ada@example.com' } }; // fails validation: nothing reaches Paydo
    // Control: the proxy's header is honoured (one address, asked four times, is refused the fourth).
    const same = { 'x-forwarded-for': '2001:db8:9:9::1' };
    for (let i = 0; i < 3; i++) expect((await pay(h, addOrder(h), body, undefined, same)).status).toBe(422);
    expect((await pay(h, addOrder(h), body, undefined, same)).status).toBe(429);
    const statuses: number[] = [];
    for (let i = 1; i <= 10; i++) {
      // Any host gets a /64; every address in it is the same attacker (card testing across new orders).
      const res = await pay(h, addOrder(h), body, undefined, { 'x-forwarded-for': `2001:db8:1:2::${i.toString(16)}` });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7);
  });
});
