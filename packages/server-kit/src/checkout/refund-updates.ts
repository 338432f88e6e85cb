import type { RefundIpnPayload } from '../client/schemas/ipn.ts';
import { releaseSoon } from '../store/store.ts';
import { RefundStatus } from '../vocabulary.ts';
import type { Ledger } from './ledger.ts';
import type { CheckoutLogger } from './logger.ts';
import type { RefundUpdate, ResolvedPluginOptions } from './options.ts';

export type RefundIpnResult =
  | {
      outcome: 'applied' | 'duplicate' | 'ignored';
      status: number | null;
      reason: string | null;
      orderRef: string | null;
    }
  | { outcome: 'rejected' | 'failed'; status: number | null; reason: string; orderRef: string | null };

/**
 * A refund IPN (unsigned, like every IPN) confirmed with Paydo: the refund is
 * looked up by id and must name the IPN's source transaction; the status
 * reported is Paydo's answer, never the IPN's claim. Each refund and status is
 * reported once through `onRefundUpdate`; a throw there is retried with Paydo's
 * next delivery.
 */
export async function applyRefundIpn(
  options: Pick<ResolvedPluginOptions, 'store' | 'client' | 'onRefundUpdate' | 'claimLeaseMs'>,
  ledger: Ledger,
  ipn: RefundIpnPayload,
  log: CheckoutLogger,
): Promise<RefundIpnResult> {
  const { store, client, onRefundUpdate, claimLeaseMs } = options;
  const refundId = ipn.transaction.refundId;
  const txid = ipn.sourceTransaction.id;
  const known = await ledger.bindingOf(txid);
  // Every refund of the project comes to this URL: one of a payment this shop never saw is not its business.
  if (!known)
    return {
      outcome: 'ignored',
      status: null,
      reason: `Transaction ${txid} is not one of this shop's.`,
      orderRef: null,
    };

  let refund: Awaited<ReturnType<typeof client.refunds.retrieve>>;
  try {
    refund = await client.refunds.retrieve(refundId);
  } catch (error) {
    return {
      outcome: 'failed',
      status: null,
      reason: `Could not confirm the refund with Paydo: ${(error as Error).message}`,
      orderRef: known.orderRef,
    };
  }
  if (!refund)
    return {
      outcome: 'rejected',
      status: null,
      reason: `Paydo knows no refund ${refundId}.`,
      orderRef: known.orderRef,
    };
  if (refund.transactionIdentifier !== null && refund.transactionIdentifier !== txid) {
    return {
      outcome: 'rejected',
      status: null,
      reason: `Paydo says refund ${refundId} is of transaction ${refund.transactionIdentifier}, not ${txid}.`,
      orderRef: known.orderRef,
    };
  }
  // Paydo's answer decides, never the unsigned IPN's claim: a refund Paydo gives without its status
  // or its transaction cannot be confirmed now, and is asked about again at the next delivery.
  const status = refund.status ?? refund.state ?? null;
  if (status === null || !refund.transactionIdentifier) {
    return {
      outcome: 'failed',
      status: null,
      reason: `Paydo's answer for refund ${refundId} names no status or no transaction.`,
      orderRef: known.orderRef,
    };
  }
  const claim = await store.claimRefundUpdate(refundId, status, claimLeaseMs);
  if (claim === 'duplicate') return { outcome: 'duplicate', status, reason: null, orderRef: known.orderRef };
  if (claim === 'busy')
    return {
      outcome: 'failed',
      status,
      reason: 'The same refund update is being applied right now.',
      orderRef: known.orderRef,
    };
  const update: RefundUpdate = {
    orderRef: known.orderRef,
    invoiceId: known.invoiceId,
    txid,
    refundId,
    status,
    accepted: status === RefundStatus.accepted,
    amount: refund.amount ?? String(ipn.transaction.amount ?? ''),
    currency: refund.currency ?? ipn.transaction.currency ?? '',
    refund,
  };
  try {
    await onRefundUpdate?.(update);
  } catch (error) {
    await releaseSoon(() => store.releaseRefundUpdate(refundId, status), Date.now() + claimLeaseMs / 2);
    log.error({ err: error, refundId, txid }, 'paydo: onRefundUpdate threw; Paydo will deliver again');
    return { outcome: 'failed', status, reason: 'onRefundUpdate failed.', orderRef: known.orderRef };
  }
  await store.completeRefundUpdate(refundId, status);
  return { outcome: 'applied', status, reason: null, orderRef: known.orderRef };
}
