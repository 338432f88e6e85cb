import type { FastifyRequest } from 'fastify';
import type { RefundIpnPayload } from '../client/schemas/ipn.ts';
import { releaseSoon } from '../store/store.ts';
import type { PluginContext } from './context.ts';
import type { RefundUpdate } from './options.ts';

export type RefundIpnResult =
  | {
      outcome: 'applied' | 'duplicate' | 'ignored';
      status: number | null;
      reason: string | null;
      orderRef: string | null;
    }
  | { outcome: 'rejected' | 'failed'; status: number | null; reason: string; orderRef: string | null };

const LEASE_MS = 30_000;

/**
 * A refund IPN (unsigned, like every IPN) confirmed with Paydo: the refund is
 * looked up by id and must name the IPN's source transaction; the status
 * reported is Paydo's answer, never the IPN's claim. Each refund and status is
 * reported once through `onRefundUpdate`; a throw there is retried with Paydo's
 * next delivery.
 */
export async function applyRefundIpn(
  ctx: PluginContext,
  ipn: RefundIpnPayload,
  request: FastifyRequest,
): Promise<RefundIpnResult> {
  const { store, client, onRefundUpdate } = ctx.options;
  const refundId = ipn.transaction.refundId;
  const txid = ipn.sourceTransaction.id;
  const known = await store.findTransaction(txid);
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
  if (refund.transactionIdentifier && refund.transactionIdentifier !== txid) {
    return {
      outcome: 'rejected',
      status: null,
      reason: `Paydo says refund ${refundId} is of transaction ${refund.transactionIdentifier}, not ${txid}.`,
      orderRef: known.orderRef,
    };
  }
  const status = refund.status ?? refund.state ?? ipn.transaction.state;
  const key = `refund:${refundId}`;
  const claim = await store.claimPaymentUpdate(key, status, LEASE_MS);
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
    accepted: status === 2,
    amount: refund.amount ?? String(ipn.transaction.amount ?? ''),
    currency: refund.currency ?? ipn.transaction.currency ?? '',
    refund,
  };
  try {
    await onRefundUpdate?.(update);
  } catch (error) {
    await releaseSoon(() => store.releasePaymentUpdate(key, status), Date.now() + LEASE_MS);
    request.log.error({ err: error, refundId, txid }, 'paydo: onRefundUpdate threw; Paydo will deliver again');
    return { outcome: 'failed', status, reason: 'onRefundUpdate failed.', orderRef: known.orderRef };
  }
  await store.completePaymentUpdate(key, status);
  return { outcome: 'applied', status, reason: null, orderRef: known.orderRef };
}
