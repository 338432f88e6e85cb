import { randomUUID } from 'node:crypto';
import { PaydoBusinessError, PaydoValidationError } from '../errors.ts';
import type { PluginContext } from './context.ts';
import { CheckoutHttpError } from './http-error.ts';
import type { PaydoOrder } from './options.ts';
import { releaseSoon } from './store/store.ts';

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

/** Runs `work` holding the order's lock; the lease is renewed while the work is in flight. */
export async function withOrderLock<T>(
  ctx: PluginContext,
  orderRef: string,
  work: (lock: OrderLock) => Promise<T>,
): Promise<T> {
  const { store, orderLockLeaseMs } = ctx.options;
  const owner = randomUUID();
  if (!(await store.acquireOrderLock(orderRef, owner, orderLockLeaseMs))) throw inProgress();
  let lost = false;
  const renew = async () => {
    if (lost) return;
    try {
      if (!(await store.acquireOrderLock(orderRef, owner, orderLockLeaseMs))) lost = true;
    } catch {
      // A store hiccup: `confirm()` asks again before anything is created.
    }
  };
  const timer = setInterval(renew, Math.max(10, Math.floor(orderLockLeaseMs / 3)));
  timer.unref();
  const lock: OrderLock = {
    async confirm() {
      if (lost || !(await store.acquireOrderLock(orderRef, owner, orderLockLeaseMs))) {
        lost = true;
        throw inProgress();
      }
    },
  };
  try {
    return await work(lock);
  } finally {
    clearInterval(timer);
    // Renewed at most a third of a lease ago: half a lease from now is still ours to give back.
    await releaseSoon(() => store.releaseOrderLock(orderRef, owner), Date.now() + orderLockLeaseMs / 2);
  }
}

/**
 * Refuses to start a payment when the order is paid, or when any of its
 * invoices at Paydo is paid or has a transaction whose result is not known yet.
 * Every invoice the kit made for the order is asked, not only the newest: a
 * payer may have opened Paydo's page on an older one.
 */
export async function assertNoPaymentUnderway(
  ctx: PluginContext,
  orderRef: string,
  order: PaydoOrder,
  options: { replacePending?: string | undefined; lock?: OrderLock } = {},
): Promise<void> {
  const { store, client } = ctx.options;
  if (order.paid) throw alreadyPaid();
  const paid = await store.paidTransaction(orderRef);
  if (paid) throw alreadyPaid(paid);
  const invoiceIds = await store.findInvoicesByOrder(orderRef);
  type Verdict = { paid: string | null } | { pending: string; invoiceId: string } | null;
  const verdictOf = async (invoiceId: string): Promise<Verdict> => {
    const invoice = await client.invoices.retrieve(invoiceId);
    if (invoice.status === 1) return { paid: invoice.transactionIdentifier ?? null };
    const txid = invoice.transactionIdentifier;
    if (!txid) return null;
    const status = await ctx.statuses.run(txid, () => client.transactions.checkStatus(txid));
    if (status.status === 'success') return { paid: txid };
    if (status.status === 'pending') return { pending: txid, invoiceId };
    return null;
  };
  const verdicts = await Promise.all(invoiceIds.map(verdictOf));
  for (const v of verdicts) if (v && 'paid' in v) throw alreadyPaid(v.paid);
  for (const v of verdicts) {
    if (!v || !('pending' in v)) continue;
    // The payer abandoned this one (Back from 3-D Secure, then another card): void it at Paydo, so
    // it can never complete beside the new payment; if it completed first, the order is paid.
    if (v.pending === options.replacePending && (await voidAbandoned(ctx, v.invoiceId, v.pending, options.lock)))
      continue;
    throw new CheckoutHttpError('payment_in_progress', 'A payment for this order is already in progress.', {
      txid: v.pending,
    });
  }
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
