import type { PaydoClient } from '../client/client.ts';
import type { Invoice } from '../client/schemas/invoices.ts';
import { PaydoBusinessError, PaydoValidationError } from '../errors.ts';
import type { OrderRecords, PaydoStore } from '../store/store.ts';
import { InvoiceStatus } from '../vocabulary.ts';
import { CheckoutHttpError } from './http-error.ts';
import type { PaydoOrder } from './options.ts';
import { alreadyPaid, type OrderLock } from './order-lock.ts';
import type { TransactionStatuses } from './transaction-status.ts';

/** What the gate reads through. */
export interface GateDeps {
  store: PaydoStore;
  client: PaydoClient;
  statuses: TransactionStatuses;
}

/**
 * The one way into "start a payment for this order". Every route that can make
 * an invoice or a transaction at Paydo (pay, the hosted fallback, and any later
 * one) runs inside `withOrderLock` and calls `assertNoPaymentUnderway` before
 * it creates anything, so two routes, two tabs or two instances cannot charge
 * one order twice. What the lock cannot see (a payer finishing Paydo's page in
 * another tab) is caught when the result is confirmed (`ledger.ts`).
 */

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
  deps: GateDeps,
  orderRef: string,
  order: PaydoOrder,
  options: { replacePending?: string | undefined; lock?: OrderLock } = {},
): Promise<GateReading> {
  const { store, client, statuses } = deps;
  if (order.paid) throw alreadyPaid();
  const records = await store.readOrder(orderRef);
  if (records.paidTxid) throw alreadyPaid(records.paidTxid);
  const invoices = new Map<string, Invoice>();
  type Verdict = { paid: string | null } | { pending: string; invoiceId: string } | null;
  const verdictOf = async (invoiceId: string): Promise<Verdict> => {
    const invoice = await client.invoices.retrieve(invoiceId);
    invoices.set(invoiceId, invoice);
    if (invoice.status === InvoiceStatus.paid) return { paid: invoice.transactionIdentifier ?? null };
    const txid = invoice.transactionIdentifier;
    if (!txid) return null;
    const status = await statuses.check(txid);
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
    if (v.pending === options.replacePending && (await voidAbandoned(deps, v.invoiceId, v.pending, options.lock))) {
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
  { client, statuses }: GateDeps,
  invoiceId: string,
  txid: string,
  lock: OrderLock | undefined,
): Promise<boolean> {
  await lock?.confirm();
  try {
    await client.transactions.void(invoiceId);
  } catch (error) {
    if (!(error instanceof PaydoValidationError || error instanceof PaydoBusinessError)) throw error;
  }
  statuses.forget(txid);
  const status = await client.transactions.checkStatus(txid);
  if (status.status === 'success') throw alreadyPaid(txid);
  return status.status !== 'pending';
}
