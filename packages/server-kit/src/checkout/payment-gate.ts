import { randomUUID } from 'node:crypto';
import type { Invoice } from '../client/schemas/invoices.ts';
import { PaydoBusinessError, PaydoValidationError } from '../errors.ts';
import { type OrderRecords, releaseSoon } from '../store/store.ts';
import type { PluginContext } from './context.ts';
import { CheckoutHttpError } from './http-error.ts';
import type { PaydoOrder } from './options.ts';

/**
 * The one way into "start a payment for this order". Every route that can make
 * an invoice or a transaction at Paydo (pay, the hosted fallback, and any later
 * one) runs inside `withOrderLock` and calls `assertNoPaymentUnderway` before
 * it creates anything, so two routes, two tabs or two instances cannot charge
 * one order twice. What the lock cannot see (a payer finishing Paydo's page in
 * another tab) is caught when the result is confirmed (`payment-updates.ts`).
 */

export interface OrderLock {
  /**
   * Confirms the lock is still ours and extends it. Called right before each
   * call that creates something at Paydo: a lease that ran out during a slow
   * upstream call is refused here, before a second charge, not after.
   */
  confirm(): Promise<void>;
}

function inProgress(message = 'Another payment for this order is being processed.'): CheckoutHttpError {
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
  ctx: PluginContext,
  orderRef: string,
  work: (lock: OrderLock) => Promise<T>,
  then?: (result: T) => Promise<void>,
): Promise<T> {
  const { store, orderLockLeaseMs } = ctx.options;
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
  const renew = async () => {
    if (lost) return;
    try {
      if (!(await take())) lost = true;
    } catch {
      // A store hiccup: `confirm()` asks again before anything is created.
    }
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
  const release = () => {
    clearInterval(timer);
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

/** What the gate read: the store's records of the order and every invoice of it as Paydo has it now. */
export interface GateReading {
  records: OrderRecords;
  invoices: Map<string, Invoice>;
}

/**
 * Refuses to start a payment when the order is paid, or when any of its
 * invoices at Paydo is paid or has a transaction whose result is not known yet.
 * Every invoice the kit made for the order is asked, not only the newest: a
 * payer may have opened Paydo's page on an older one. Answers what it read, so
 * the caller reuses an invoice without asking Paydo for it again.
 */
export async function assertNoPaymentUnderway(
  ctx: PluginContext,
  orderRef: string,
  order: PaydoOrder,
  options: { replacePending?: string | undefined; lock?: OrderLock } = {},
): Promise<GateReading> {
  const { store, client } = ctx.options;
  if (order.paid) throw alreadyPaid();
  const records = await store.readOrder(orderRef);
  if (records.paidTxid) throw alreadyPaid(records.paidTxid);
  const invoices = new Map<string, Invoice>();
  type Verdict = { paid: string | null } | { pending: string; invoiceId: string } | null;
  const verdictOf = async (invoiceId: string): Promise<Verdict> => {
    const invoice = await client.invoices.retrieve(invoiceId);
    invoices.set(invoiceId, invoice);
    if (invoice.status === 1) return { paid: invoice.transactionIdentifier ?? null };
    const txid = invoice.transactionIdentifier;
    if (!txid) return null;
    const status = await ctx.statuses.run(txid, () => client.transactions.checkStatus(txid));
    if (status.status === 'success') return { paid: txid };
    if (status.status === 'pending') return { pending: txid, invoiceId };
    return null;
  };
  const verdicts = await Promise.all(records.invoices.map((i) => verdictOf(i.invoiceId)));
  for (const v of verdicts) if (v && 'paid' in v) throw alreadyPaid(v.paid);
  for (const v of verdicts) {
    if (!v || !('pending' in v)) continue;
    // The payer abandoned this one (Back from 3-D Secure, then another card): void it at Paydo, so
    // it can never complete beside the new payment; if it completed first, the order is paid.
    if (v.pending === options.replacePending && (await voidAbandoned(ctx, v.invoiceId, v.pending, options.lock))) {
      invoices.delete(v.invoiceId); // changed at Paydo since it was read
      continue;
    }
    throw new CheckoutHttpError('payment_in_progress', 'A payment for this order is already in progress.', {
      txid: v.pending,
    });
  }
  return { records, invoices };
}

/**
 * Voids the invoice's pending transaction; answers true once it is final and not paid. A void
 * Paydo refuses because the transaction became final meanwhile is read again: paid → already_paid.
 */
async function voidAbandoned(
  ctx: PluginContext,
  invoiceId: string,
  txid: string,
  lock: OrderLock | undefined,
): Promise<boolean> {
  const { client } = ctx.options;
  await lock?.confirm();
  try {
    await client.transactions.void(invoiceId);
  } catch (error) {
    if (!(error instanceof PaydoValidationError || error instanceof PaydoBusinessError)) throw error;
  }
  ctx.statuses.forget(txid);
  const status = await client.transactions.checkStatus(txid);
  if (status.status === 'success') throw alreadyPaid(txid);
  return status.status !== 'pending';
}
