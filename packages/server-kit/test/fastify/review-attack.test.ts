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
