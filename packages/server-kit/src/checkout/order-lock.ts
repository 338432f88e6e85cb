import { randomUUID } from 'node:crypto';
import type { PaydoStore } from '../store/store.ts';
import { releaseSoon } from '../store/store.ts';
import { CheckoutHttpError } from './http-error.ts';

export interface OrderLock {
  /**
   * Confirms the lock is still ours and extends it. Called right before each
   * call that creates something at Paydo: a lease that ran out during a slow
   * upstream call is refused here, before a second charge, not after.
   */
  confirm(): Promise<void>;
}

export function inProgress(message = 'Another payment for this order is being processed.'): CheckoutHttpError {
  return new CheckoutHttpError('payment_in_progress', message);
}

export function alreadyPaid(txid?: string | null): CheckoutHttpError {
  return new CheckoutHttpError('already_paid', 'This order is already paid.', txid ? { txid } : {});
}

/**
 * Runs `work` holding the order's lock; the lease is renewed while the work is in flight.
 * `then` (answering the Idempotency-Key, say) runs beside the release, not after it.
 */
export async function withOrderLock<T>(
  { store, orderLockLeaseMs }: { store: PaydoStore; orderLockLeaseMs: number },
  orderRef: string,
  work: (lock: OrderLock) => Promise<T>,
  then?: (result: T) => Promise<void>,
): Promise<T> {
  const owner = randomUUID();
  // Until when the lease is surely ours: it was granted (or renewed) no earlier than the request
  // was sent, so half a lease after sending it cannot have run out. A monotonic clock: a wall
  // clock stepped back would stretch the window.
  let surelyOursUntil = 0;
  const take = async () => {
    const sentAt = performance.now();
    const ok = await store.acquireOrderLock(orderRef, owner, orderLockLeaseMs);
    if (ok) surelyOursUntil = Math.max(surelyOursUntil, sentAt + orderLockLeaseMs / 2);
    return ok;
  };
  if (!(await take())) throw inProgress();
  let lost = false;
  let done = false;
  // The renewal in flight: the release waits for it, or a renewal landing after the release would
  // take the lock again for an attempt that is over (the next payer told "in progress" for a lease).
  let renewing: Promise<void> = Promise.resolve();
  const renew = () => {
    if (lost || done) return;
    renewing = (async () => {
      try {
        if (!(await take())) lost = true;
      } catch {
        // A store hiccup: `confirm()` asks again before anything is created.
      }
    })();
  };
  const timer = setInterval(renew, Math.max(10, Math.floor(orderLockLeaseMs / 3)));
  timer.unref();
  const lock: OrderLock = {
    async confirm() {
      if (!lost && performance.now() < surelyOursUntil) return; // no store call: the lease cannot have run out
      if (lost || !(await take())) {
        lost = true;
        throw inProgress();
      }
    },
  };
  const release = async () => {
    done = true;
    clearInterval(timer);
    await renewing;
    // Renewed at most a third of a lease ago: half a lease from now is still ours to give back.
    return releaseSoon(() => store.releaseOrderLock(orderRef, owner), Date.now() + orderLockLeaseMs / 2);
  };
  let result: T;
  try {
    result = await work(lock);
  } catch (error) {
    await release();
    throw error;
  }
  await Promise.all([release(), then?.(result)]);
  return result;
}
