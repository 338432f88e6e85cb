import type { FastifyRequest } from 'fastify';
import type { Transaction } from '../client/schemas/transactions.ts';
import { type DeclineCode, declineCodeFor } from '../error-catalogue.ts';
import {
  PaydoBusinessError,
  PaydoError,
  PaydoForbiddenError,
  PaydoNotFoundError,
  PaydoValidationError,
} from '../errors.ts';
import { sameAmount } from './amounts.ts';
import type { PluginContext } from './context.ts';
import type { PaydoOrder, PaymentUpdate } from './options.ts';

export type UpdateResult =
  | { outcome: 'applied' | 'duplicate'; state: number; errorMessage: string | null; errorCode: DeclineCode | null }
  | { outcome: 'ignored'; state: number; reason: string }
  | { outcome: 'rejected'; reason: string; state?: number }
  | { outcome: 'failed'; reason: string; retryable: true; state?: number };

/**
 * Confirms a transaction with Paydo (JWT) and applies its state once. Both the
 * IPN and the widget's status checks end here, so a result is never lost when
 * one of them does not arrive, and never applied twice when both do.
 */
export async function applyVerifiedTransaction(
  ctx: PluginContext,
  txid: string,
  orderRef: string,
  invoiceId: string,
  source: PaymentUpdate['source'],
  request: FastifyRequest,
  /** `stored`: the transaction is in the store already. `order`: resolved by this request already. */
  options: { stored?: boolean; order?: PaydoOrder } = {},
): Promise<UpdateResult> {
  const { client, store, resolveOrder, onPaymentUpdate } = ctx.options;
  // The merchant's order is read while Paydo is asked (two round trips' wait become one).
  const resolving = options.order ? Promise.resolve(options.order) : resolveOrder(orderRef, request);
  resolving.catch(() => {}); // awaited below, unless Paydo's answer ends it first
  let tx: Transaction;
  try {
    tx = await client.transactions.retrieve(txid);
  } catch (error) {
    if (error instanceof PaydoNotFoundError)
      return { outcome: 'rejected', reason: 'Paydo does not know this transaction.' };
    return { outcome: 'failed', reason: `Could not confirm with Paydo: ${(error as Error).message}`, retryable: true };
  }
  const order = await resolving;
  if (!order) return { outcome: 'rejected', reason: `resolveOrder found no order for "${orderRef}".`, state: tx.state };
  if (tx.orderId !== order.id) {
    return {
      outcome: 'rejected',
      reason: `Transaction is for order "${tx.orderId}", not "${order.id}".`,
      state: tx.state,
    };
  }
  if (!sameAmount(tx.orderAmount, order.amount) || tx.orderCurrency !== order.currency) {
    return {
      outcome: 'rejected',
      reason: `Transaction is for ${tx.orderAmount} ${tx.orderCurrency}, the order is ${order.amount} ${order.currency}.`,
      state: tx.state,
    };
  }
  if (tx.outcome === 'pending')
    return { outcome: 'ignored', state: tx.state, reason: 'The transaction is not final yet.' };

  // Paydo's words are kept verbatim for the merchant; the payer only ever sees the code's message.
  const errorCode = tx.outcome === 'success' ? null : declineCodeFor(tx.errorMessage, tx.state);
  // A transaction first heard of here (paid on Paydo's page) is stored before its result.
  if (!options.stored) await store.saveTransaction({ txid, orderRef, invoiceId });
  // "The first accepted transaction pays the order" is claimed beside the update: the holder it
  // answers is the same whoever applies the update (or whether it was applied already).
  const [claimed, paying] = await Promise.allSettled([
    store.claimPaymentUpdate(txid, tx.state, ctx.options.claimLeaseMs),
    tx.outcome === 'success' ? store.claimOrderPayment(orderRef, txid) : null,
  ]);
  if (claimed.status === 'rejected') throw claimed.reason;
  const claim = claimed.value;
  if (paying.status === 'rejected') {
    // The update was claimed but cannot go on: give it back now, or every delivery and poll would
    // be told "busy" until the claim's lease ran out.
    if (claim === 'claimed') await store.releasePaymentUpdate(txid, tx.state).catch(() => {});
    throw paying.reason;
  }
  const holder = paying.value;
  if (claim === 'duplicate') return { outcome: 'duplicate', state: tx.state, errorMessage: tx.errorMessage, errorCode };
  if (claim === 'busy') {
    return {
      outcome: 'failed',
      reason: 'The same result is being applied right now.',
      retryable: true,
      state: tx.state,
    };
  }
  try {
    let status: PaymentUpdate['status'] = tx.outcome === 'success' ? 'paid' : 'failed';
    let duplicate: Pick<PaymentUpdate, 'duplicateOf' | 'refundId' | 'refundError'> = {};
    if (status === 'paid') {
      // The first accepted transaction pays the order; any later one is a second charge.
      if (holder !== null && holder !== txid) {
        status = 'duplicate';
        let refundId: string | null = null;
        let refundError: string | undefined;
        if (ctx.options.refundDuplicateCharges) {
          try {
            refundId = await refundDuplicateCharge(ctx, tx);
          } catch (error) {
            // Paydo unreachable: the next delivery tries again. Paydo refusing (already refunded
            // by hand, a chargeback…) will not change: the merchant hears of the charge now.
            if (!isPermanent(error)) throw error;
            refundError = (error as Error).message;
          }
        }
        duplicate = { duplicateOf: holder, refundId, ...(refundError !== undefined && { refundError }) };
        const log = { txid, duplicateOf: holder, orderRef, refundId, refundError };
        if (refundId) request.log.warn(log, 'paydo: a second charge for a paid order was refunded in full');
        else if (refundError) {
          request.log.error(
            log,
            'paydo: a second charge for a paid order; Paydo refused its refund: refund it yourself',
          );
        } else {
          request.log.warn(
            log,
            'paydo: a second charge for a paid order (refundDuplicateCharges is off: refund it yourself)',
          );
        }
      }
    }
    await onPaymentUpdate({
      orderRef,
      orderId: order.id,
      invoiceId,
      txid,
      state: tx.state,
      status,
      ...duplicate,
      amount: order.amount,
      currency: order.currency,
      errorMessage: tx.errorMessage,
      errorCode,
      source,
      transaction: tx,
    });
  } catch (error) {
    await store.releasePaymentUpdate(txid, tx.state);
    const reason = error instanceof PaydoError ? error.message : 'onPaymentUpdate threw';
    request.log.error(
      { err: error, txid, orderRef },
      'paydo: applying the result failed; it will be applied on the next delivery',
    );
    return { outcome: 'failed', reason, retryable: true, state: tx.state };
  }
  await store.completePaymentUpdate(txid, tx.state);
  if (errorCode) {
    request.log.info(
      { txid, orderRef, code: errorCode, paydoReason: tx.errorMessage, state: tx.state },
      `paydo: payment failed: ${errorCode}`,
    );
  }
  return { outcome: 'applied', state: tx.state, errorMessage: tx.errorMessage, errorCode };
}

/** Paydo answered and said no: asking again will not change that. */
function isPermanent(error: unknown): boolean {
  return [PaydoBusinessError, PaydoValidationError, PaydoForbiddenError, PaydoNotFoundError].some(
    (type) => error instanceof type,
  );
}

/**
 * Refunds a duplicate charge in full, once. Runs under the transaction's update
 * claim, so one delivery at a time gets here. A refund asked for whose answer
 * was lost is looked up among Paydo's refunds before asking again.
 */
async function refundDuplicateCharge(ctx: PluginContext, tx: Transaction): Promise<string> {
  const { client, store } = ctx.options;
  const known = await store.findDuplicateRefund(tx.identifier);
  if (known?.refundId) return known.refundId;
  if (known) {
    const earlier = (await client.refunds.list()).find((r) => r.transactionIdentifier === tx.identifier);
    if (earlier) {
      await store.saveDuplicateRefund(tx.identifier, earlier.identifier);
      return earlier.identifier;
    }
  }
  await store.saveDuplicateRefund(tx.identifier, null);
  const { refundId } = await client.refunds.create({
    transactionIdentifier: tx.identifier,
    refundType: 1,
    amount: String(tx.amount ?? tx.orderAmount),
    metadata: { reason: 'duplicate charge', paidBy: 'another transaction of the same order' },
  });
  await store.saveDuplicateRefund(tx.identifier, refundId);
  return refundId;
}
