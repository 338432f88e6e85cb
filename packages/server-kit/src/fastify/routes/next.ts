import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { NextResponse, NextStep } from '../../protocol.ts';
import type { PluginContext } from '../context.ts';
import { CheckoutHttpError, fromPaydoError, notFound } from '../http-error.ts';
import { nextFromStatus, UnsafeRedirectError } from '../next-step.ts';
import { applyVerifiedTransaction } from '../payment-updates.ts';

const FAIL_MESSAGE = 'The payment did not go through.';

/**
 * The next step for a transaction. A final status is confirmed with Paydo
 * and applied (once) right here, so the order is updated even if no IPN comes.
 */
export async function resolveNext(
  ctx: PluginContext,
  request: FastifyRequest,
  tx: { txid: string; orderRef: string; invoiceId: string },
): Promise<NextStep> {
  const { client, pollIntervalMs, allowedRedirectOrigins } = ctx.options;
  let step: ReturnType<typeof nextFromStatus>;
  try {
    const status = await ctx.statuses.run(tx.txid, () => client.transactions.checkStatus(tx.txid));
    step = nextFromStatus(status, { pollIntervalMs, allowedOrigins: allowedRedirectOrigins });
  } catch (error) {
    if (error instanceof UnsafeRedirectError) {
      request.log.error({ txid: tx.txid }, `paydo: ${error.message}`);
      throw new CheckoutHttpError(502, 'upstream_unavailable', 'The payment service sent an address we do not trust.', {
        retryable: false,
      });
    }
    throw fromPaydoError(error);
  }
  if (step.type === 'unknown') {
    throw new CheckoutHttpError(502, 'upstream_unavailable', 'The payment service answered with an unknown status.', {
      retryable: true,
    });
  }
  if (step.type !== 'fail' && step.type !== 'done') return step;

  const result = await applyVerifiedTransaction(ctx, tx.txid, tx.orderRef, tx.invoiceId, 'status-check', request);
  if (result.outcome === 'rejected') {
    request.log.error({ txid: tx.txid, reason: result.reason }, 'paydo: transaction does not match the order');
    return { type: 'done', status: 'fail', message: FAIL_MESSAGE };
  }
  if (step.type === 'fail') {
    const message = 'errorMessage' in result && result.errorMessage ? result.errorMessage : FAIL_MESSAGE;
    return { type: 'done', status: 'fail', message };
  }
  return step;
}

/**
 * A transaction made on Paydo's hosted page is not known here until its IPN
 * arrives. When the payer is back first, Paydo's own invoice says whether the
 * txid belongs to one of the order's invoices.
 */
async function adoptFromInvoices(ctx: PluginContext, txid: string, orderRef: string | undefined) {
  if (!orderRef) return null;
  const { store, client } = ctx.options;
  const invoices = (await store.findInvoicesByOrder(orderRef)).slice(-5);
  for (const invoiceId of invoices.reverse()) {
    const invoice = await client.invoices.retrieve(invoiceId).catch(() => null);
    if (invoice?.transactionIdentifier === txid) {
      await store.saveTransaction({ txid, orderRef, invoiceId });
      return { txid, orderRef, invoiceId, state: null };
    }
  }
  return null;
}

export function nextRoute(app: FastifyInstance, ctx: PluginContext): void {
  app.get<{ Params: { txid: string }; Querystring: { order?: string } }>(
    '/transactions/:txid/next',
    async (request, reply) => {
      const { txid } = request.params;
      if (!/^[\w-]{1,128}$/.test(txid)) throw notFound('This transaction');
      // Only transactions of this server's invoices: the route is no oracle for other people's payments.
      const tx =
        (await ctx.options.store.findTransaction(txid)) ?? (await adoptFromInvoices(ctx, txid, request.query.order));
      if (!tx) throw notFound('This transaction');
      const next = await resolveNext(ctx, request, tx);
      reply.header('cache-control', 'no-store');
      const body: NextResponse = { txid, next };
      return body;
    },
  );
}
