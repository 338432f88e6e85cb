import { afterEach, describe, expect, it, vi } from 'vitest';
import { withOrderLock } from '../../src/checkout/order-lock.ts';
import { MemoryStore } from '../../src/fastify/index.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** A MemoryStore whose lock calls are counted, and whose renewals can be made to fail. */
function lockStore() {
  const store = new MemoryStore();
  const acquire = store.acquireOrderLock.bind(store);
  const counts = { acquire: 0 };
  const state = { down: false };
  store.acquireOrderLock = async (ref, owner, leaseMs) => {
    counts.acquire++;
    if (state.down) throw new Error('store down');
    return acquire(ref, owner, leaseMs);
  };
  return { store, counts, state };
}

const contextWith = (store: MemoryStore, orderLockLeaseMs: number) => ({ store, orderLockLeaseMs });

describe('withOrderLock: confirm()', () => {
  it('asks the store only once half the lease has passed since it was last granted', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance', 'setInterval', 'clearInterval', 'setTimeout'] });
    const { store, counts, state } = lockStore();
    await withOrderLock(contextWith(store, 3_000), 'o', async (lock) => {
      expect(counts.acquire).toBe(1);
      await lock.confirm(); // just granted: surely ours
      expect(counts.acquire).toBe(1);
      state.down = true; // renewals fail from now on (a store hiccup)
      await vi.advanceTimersByTimeAsync(1_600); // past half the lease, one failed renewal
      expect(counts.acquire).toBe(2);
      state.down = false;
      await lock.confirm(); // not surely ours any more: asked, and granted
      expect(counts.acquire).toBe(3);
    });
  });

  it('refuses once the lease ran out and another attempt took the order', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance', 'setInterval', 'clearInterval', 'setTimeout'] });
    const { store, state } = lockStore();
    await expect(
      withOrderLock(contextWith(store, 3_000), 'o', async (lock) => {
        state.down = true; // no renewal reaches the store: the lease runs out
        await vi.advanceTimersByTimeAsync(3_100);
        state.down = false;
        expect(await store.acquireOrderLock('o', 'another attempt', 3_000)).toBe(true);
        await lock.confirm();
      }),
    ).rejects.toMatchObject({ body: { error: 'payment_in_progress' } });
    // The other attempt's lock was not given back by the one that lost it.
    expect(await store.acquireOrderLock('o', 'a third', 3_000)).toBe(false);
  });
});

describe('withOrderLock: release', () => {
  it('waits for a renewal in flight, so the lock is not taken again for a finished attempt', async () => {
    const store = new MemoryStore();
    const acquire = store.acquireOrderLock.bind(store);
    const slow: { land?: () => void } = {};
    let renewals = 0;
    store.acquireOrderLock = async (ref, owner, leaseMs) => {
      if (++renewals === 2) await new Promise<void>((r) => (slow.land = r)); // the first renewal hangs
      return acquire(ref, owner, leaseMs);
    };
    let finished = false;
    const done = withOrderLock({ store, orderLockLeaseMs: 60 }, 'o', async () => {
      await vi.waitFor(() => expect(slow.land).toBeDefined(), { timeout: 2_000, interval: 5 });
    }).then(() => (finished = true));
    await vi.waitFor(() => expect(slow.land).toBeDefined(), { timeout: 2_000, interval: 5 });
    await new Promise((r) => setTimeout(r, 30));
    expect(finished).toBe(false); // the release waits for the renewal
    slow.land?.(); // the renewal lands, then the lock is given back
    await done;
    expect(await store.acquireOrderLock('o', 'next-payer', 60_000)).toBe(true);
  });
});
