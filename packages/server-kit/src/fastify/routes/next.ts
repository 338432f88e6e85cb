import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import { z } from 'zod';
import { type PluginContext, remember } from '../../checkout/context.ts';
import { CheckoutHttpError, fromPaydoError, transactionNotFound } from '../../checkout/http-error.ts';
import { applyVerifiedTransaction } from '../../checkout/ledger.ts';
import { nextFromStatus, UnsafeRedirectError } from '../../checkout/next-step.ts';
import type { PaydoOrder } from '../../checkout/options.ts';
import { OrderRef } from '../../checkout/params.ts';
import { type DeclineCode, ERROR_CATALOGUE } from '../../error-catalogue.ts';
import type { NextResponse, NextStep } from '../../protocol.ts';
import type { TransactionRecord } from '../../store/store.ts';

/** A failed payment's step: the code and its catalogue sentence, never Paydo's own words. */
const failed = (code: DeclineCode): NextStep => ({
  type: 'done',
  status: 'fail',
  code,
  message: ERROR_CATALOGUE[code].payerMessage,
});

/**
 * The next step for a transaction. A final status is confirmed with Paydo
 * and applied (once) right here, so the order is updated even if no IPN comes.
 * From pay: `stored` is the transaction's record being written meanwhile
 * (awaited before anything is applied or answered), `order` the order it resolved.
 */
export async function resolveNext(
  ctx: PluginContext,
  request: FastifyRequest,
  tx: { txid: string; orderRef: string; invoiceId: string },
  fromPay: { stored: Promise<void>; order: PaydoOrder } | null = null,
): Promise<NextStep> {
  const { client, pollIntervalMs, allowedRedirectOrigins } = ctx.options;
  let step: ReturnType<typeof nextFromStatus>;
  try {
    const checking = ctx.statuses.run(tx.txid, () => client.transactions.checkStatus(tx.txid));
    const [status] = await Promise.all([checking, fromPay?.stored]);
    step = nextFromStatus(status, { pollIntervalMs, allowedOrigins: allowedRedirectOrigins });
  } catch (error) {
    if (error instanceof UnsafeRedirectError) {
      request.log.error({ txid: tx.txid }, `paydo: ${error.message}`);
      throw new CheckoutHttpError('paydo_unsafe_redirect', 'The payment service sent an address we do not trust.');
    }
    throw fromPaydoError(error);
  }
  if (step.type === 'unknown') {
    throw new CheckoutHttpError('paydo_unavailable', 'The payment service answered with an unknown status.');
  }
  if (step.type !== 'fail' && step.type !== 'done') return step;

  // Known to the store here (a poll found it there; pay has just stored it): no second write.
  const result = await applyVerifiedTransaction(ctx, tx.txid, tx.orderRef, tx.invoiceId, 'status-check', request, {
    stored: true,
    ...(fromPay && { order: fromPay.order }),
  });
  if (result.outcome === 'rejected') {
    request.log.error({ txid: tx.txid, reason: result.reason }, 'paydo: transaction does not match the order');
    return failed('payment_declined');
  }
  if (step.type === 'fail') return failed(('errorCode' in result && result.errorCode) || 'payment_declined');
  return step;
}

const UNKNOWN_TXIDS_MAX = 10_000;
const UNKNOWN_TXID_TTL_MS = 10 * 60_000;

/**
 * A transaction made on Paydo's hosted page is not known here until its IPN
 * arrives. When the payer is back first, Paydo's own invoices say whether the
 * txid is one of the order's. The order's invoices are read at most once per
 * few seconds (shared by every request), so made-up txids cost no upstream
 * calls each. A txid missing from a read made before it was first asked about
 * may simply be newer than that read: the answer is "wait" (the next poll sees
 * a fresh read), never "not found" for a payment that exists.
 */
async function adoptFromInvoices(
  ctx: PluginContext,
  txid: string,
  orderRef: string,
): Promise<TransactionRecord | 'not-yet' | null> {
  const { store, client } = ctx.options;
  const key = `${orderRef} ${txid}`;
  const firstAsked = rememberUnknown(ctx.unknownTxids, key);
  const { byTxid, readAt } = await ctx.invoiceTransactions.run(orderRef, async () => {
    const readAt = Date.now();
    const byTxid = new Map<string, string>();
    const invoices = (await store.readOrder(orderRef)).invoices.slice(-5);
    await Promise.all(
      invoices.map(async ({ invoiceId }) => {
        const invoice = await client.invoices.retrieve(invoiceId).catch(() => null);
        if (invoice?.transactionIdentifier) byTxid.set(invoice.transactionIdentifier, invoiceId);
      }),
    );
    return { byTxid, readAt };
  });
  const invoiceId = byTxid.get(txid);
  if (!invoiceId) return readAt >= firstAsked ? null : 'not-yet';
  ctx.unknownTxids.delete(key);
  await store.saveTransaction({ txid, orderRef, invoiceId });
  return { txid, orderRef, invoiceId, state: null };
}

/** The store's record of a txid's order and invoice, kept in the bounded in-process map. */
async function findBinding(ctx: PluginContext, txid: string) {
  const record = await ctx.options.store.findTransaction(txid);
  if (!record) return null;
  const binding = { orderRef: record.orderRef, invoiceId: record.invoiceId };
  remember(ctx.transactionBindings, txid, binding);
  return binding;
}

/** When `key` was first asked about; the list is bounded (oldest entries go first). */
function rememberUnknown(seen: Map<string, number>, key: string): number {
  const now = Date.now();
  const first = seen.get(key);
  if (first !== undefined && first > now - UNKNOWN_TXID_TTL_MS) return first;
  seen.delete(key);
  if (seen.size >= UNKNOWN_TXIDS_MAX) {
    for (const [k, at] of seen) {
      if (seen.size < UNKNOWN_TXIDS_MAX && at > now - UNKNOWN_TXID_TTL_MS) break;
      seen.delete(k); // insertion order: the oldest first
    }
  }
  seen.set(key, now);
  return now;
}

const NextParams = z.object({ txid: z.string().regex(/^[\w-]{1,128}$/) });
// A repeated `order` arrives as an array and is refused like any other malformed query.
const NextQuery = z.looseObject({ order: z.string().min(1).max(256) });

export function nextRoute(app: FastifyInstance, ctx: PluginContext, limits: onRequestHookHandler[]): void {
  app.get('/transactions/:txid/next', { onRequest: limits }, async (request, reply) => {
    const params = NextParams.safeParse(request.params);
    if (!params.success) throw transactionNotFound();
    const query = NextQuery.safeParse(request.query);
    if (!query.success) {
      throw new CheckoutHttpError('validation', 'Give the order once: ?order=<order reference>.', {
        status: 400,
        fields: { order: ['Give the order reference once.'] },
        issues: { order: 'invalid_format' },
      });
    }
    const { txid } = params.data;
    const orderRef = query.data.order;
    // No order of the merchant's has control characters in its reference: nothing to look up.
    if (!OrderRef.safeParse(orderRef).success) throw transactionNotFound();
    // Only this order's transactions: a crafted link cannot show another order's result.
    const known = ctx.transactionBindings.get(txid) ?? (await findBinding(ctx, txid));
    const tx = known
      ? known.orderRef === orderRef
        ? { txid, ...known }
        : null
      : await adoptFromInvoices(ctx, txid, orderRef);
    if (!tx) throw transactionNotFound();
    reply.header('cache-control', 'no-store');
    if (tx === 'not-yet') {
      const body: NextResponse = { txid, next: { type: 'wait', afterMs: ctx.options.pollIntervalMs } };
      return body;
    }
    const next = await resolveNext(ctx, request, tx);
    const body: NextResponse = { txid, next };
    return body;
  });
}
