import type { FastifyInstance } from 'fastify';
import { IpnPayload, RefundIpnPayload } from '../../client/schemas/ipn.ts';
import { outcomeOfState } from '../../client/schemas/transactions.ts';
import type { IpnErrorCode } from '../../error-catalogue.ts';
import { clientIp } from '../client-address.ts';
import { type PluginContext, remember } from '../context.ts';
import type { IpnRecord } from '../options.ts';
import { applyVerifiedTransaction } from '../payment-updates.ts';
import { applyRefundIpn } from '../refund-updates.ts';

/** The IPN route's error answers, by status (error-catalogue.ts). */
const IPN_CODES = {
  400: 'ipn_invalid',
  403: 'ipn_source_not_allowed',
  404: 'ipn_unknown_invoice',
  422: 'ipn_mismatch',
  503: 'ipn_not_applied',
} as const satisfies Record<number, IpnErrorCode>;

/** `ctx.appliedResults`' key: a result is the invoice's transaction in one state. */
const appliedKey = (invoiceId: string, txid: string, state: number) => `${invoiceId} ${txid} ${state}`;

/**
 * Paydo's IPN has no signature. It is accepted only from the configured
 * source addresses, then confirmed by fetching the transaction with the JWT;
 * the state applied is Paydo's answer, never the IPN's claim. 200 only after
 * `onPaymentUpdate` returned; anything that may succeed later answers 5xx so
 * that Paydo delivers again.
 */
export function ipnRoute(app: FastifyInstance, ctx: PluginContext): void {
  // Each refused source address is named once at error level, so a missing Paydo address is
  // seen at once and a flood from one address does not flood the log (bounded: a scan stays small).
  const refusedSources = new Set<string>();
  // Paydo echoes the invoice's metadata (< 800 kB) in every IPN: this route alone takes large bodies.
  app.post('/ipn', { bodyLimit: ctx.options.ipnBodyLimit }, async (request, reply) => {
    const { store, ipnSourceAddresses, onIpn } = ctx.options;
    const record: IpnRecord = {
      at: new Date(),
      outcome: 'rejected',
      reason: null,
      code: null,
      sourceIp: clientIp(request, ctx.options.trustProxy),
      kind: 'payment',
      refundId: null,
      txid: null,
      invoiceId: null,
      orderRef: null,
      claimedState: null,
      verifiedState: null,
    };
    const finish = async (
      statusCode: 200 | keyof typeof IPN_CODES,
      outcome: IpnRecord['outcome'],
      reason: string | null,
      quiet = false,
    ) => {
      record.outcome = outcome;
      record.reason = reason;
      record.code = statusCode === 200 ? null : IPN_CODES[statusCode];
      const level = quiet ? 'debug' : outcome === 'rejected' || outcome === 'failed' ? 'warn' : 'info';
      request.log[level](
        { ipn: { ...record, at: undefined }, code: record.code ?? undefined },
        `paydo: IPN ${outcome}${reason ? `: ${reason}` : ''}`,
      );
      try {
        await onIpn?.(record);
      } catch (error) {
        request.log.error({ err: error }, 'paydo: onIpn threw');
      }
      reply.code(statusCode);
      return record.code ? { error: record.code, message: reason } : { ok: true, outcome };
    };

    if (!ipnSourceAddresses.has(record.sourceIp)) {
      const first = !refusedSources.has(record.sourceIp) && refusedSources.size < 1000;
      if (first) {
        refusedSources.add(record.sourceIp);
        request.log.error(
          { code: IPN_CODES[403], sourceIp: record.sourceIp },
          `paydo: IPN refused from ${record.sourceIp}, not in ipnSourceAddresses (${IPN_CODES[403]}); if Paydo sends from it, add it (logged once per address)`,
        );
      }
      return finish(403, 'rejected', `Source address ${record.sourceIp} is not an allowed IPN source.`, !first);
    }
    // A refund IPN has no `invoice`: the refund as `transaction`, and the refunded `sourceTransaction`.
    const body = request.body as { invoice?: unknown } | null;
    if (body && typeof body === 'object' && body.invoice === undefined) {
      const refundIpn = RefundIpnPayload.safeParse(body);
      if (refundIpn.success) {
        record.kind = 'refund';
        record.refundId = refundIpn.data.transaction.refundId;
        record.txid = refundIpn.data.sourceTransaction.id;
        record.claimedState = refundIpn.data.transaction.state;
        const result = await applyRefundIpn(ctx, refundIpn.data, request);
        record.orderRef = result.orderRef;
        record.verifiedState = result.status;
        const status = result.outcome === 'rejected' ? 422 : result.outcome === 'failed' ? 503 : 200;
        return finish(status, result.outcome, result.reason);
      }
    }
    const parsed = IpnPayload.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return finish(
        400,
        'rejected',
        `Not an IPN: ${issue?.path.join('.') || 'body'} ${issue?.message ?? 'is invalid'}.`,
      );
    }
    const ipn = parsed.data;
    record.txid = ipn.transaction.id;
    record.invoiceId = ipn.invoice.id;
    record.claimedState = ipn.transaction.state;
    if (ipn.invoice.txid !== ipn.transaction.id)
      return finish(400, 'rejected', 'invoice.txid and transaction.id differ.');

    const resultKey = appliedKey(ipn.invoice.id, ipn.transaction.id, ipn.transaction.state);
    const appliedHere = ctx.appliedResults.get(resultKey);
    if (appliedHere !== undefined) {
      // Applied by this process already (Paydo delivers again until it reads 200): nothing to ask.
      record.orderRef = appliedHere;
      record.verifiedState = ipn.transaction.state;
      return finish(200, 'duplicate', null);
    }
    // The invoice must be one this server created; it names the order.
    const orderRef = await store.findOrderByInvoice(ipn.invoice.id);
    if (!orderRef) return finish(404, 'rejected', `Invoice ${ipn.invoice.id} was not created by this shop.`);
    record.orderRef = orderRef;

    // The transaction must belong to that invoice: an IPN naming one order's invoice with
    // another payment's transaction (a reused order id, a replay) applies nothing.
    const known = await store.findTransaction(ipn.transaction.id);
    if (known && (known.invoiceId !== ipn.invoice.id || known.orderRef !== orderRef)) {
      return finish(422, 'rejected', `Transaction ${ipn.transaction.id} belongs to another invoice of this shop.`);
    }
    // A repeat of a result applied already (Paydo delivers again until it reads 200; several
    // instances each get one): the state was confirmed with Paydo when it was applied, and applying
    // it again would change nothing, so it is answered without asking Paydo or the merchant again.
    if (known?.state != null && known.state === ipn.transaction.state) {
      record.verifiedState = known.state;
      remember(ctx.appliedResults, resultKey, orderRef);
      return finish(200, 'duplicate', null);
    }
    if (!known) {
      let invoiceTxid: string | null | undefined;
      try {
        invoiceTxid = (await ctx.options.client.invoices.retrieve(ipn.invoice.id)).transactionIdentifier;
      } catch (error) {
        return finish(503, 'failed', `Could not confirm the invoice with Paydo: ${(error as Error).message}`);
      }
      if (invoiceTxid !== ipn.transaction.id) {
        return finish(
          422,
          'rejected',
          `Paydo says invoice ${ipn.invoice.id} has no transaction ${ipn.transaction.id}.`,
        );
      }
    }

    const result = await applyVerifiedTransaction(ctx, ipn.transaction.id, orderRef, ipn.invoice.id, 'ipn', request);
    record.verifiedState = result.state ?? null;
    switch (result.outcome) {
      case 'applied':
      case 'duplicate':
        // Keyed by the state Paydo confirmed: an IPN claiming another state is not a repeat of it.
        remember(ctx.appliedResults, appliedKey(ipn.invoice.id, ipn.transaction.id, result.state), orderRef);
        return finish(200, result.outcome, null);
      case 'ignored':
        // The IPN says final, Paydo still says pending: answer so that Paydo delivers again
        // (its retries end after 24 hours), or the real final state could be missed.
        if (outcomeOfState(ipn.transaction.state) !== 'pending') {
          return finish(503, 'failed', `The IPN says state ${ipn.transaction.state}, Paydo still says pending.`);
        }
        return finish(200, 'ignored', result.reason);
      case 'rejected':
        return finish(422, 'rejected', result.reason);
      case 'failed':
        return finish(503, 'failed', result.reason);
    }
  });
}
