import { IpnPayload, RefundIpnPayload } from '../client/schemas/ipn.ts';
import type { IpnErrorCode } from '../error-catalogue.ts';
import { outcomeOfState } from '../vocabulary.ts';
import type { Ledger } from './ledger.ts';
import type { CheckoutRequest } from './logger.ts';
import type { IpnRecord, ResolvedPluginOptions } from './options.ts';
import { applyRefundIpn } from './refund-updates.ts';

/** The IPN answer's error codes, by status (error-catalogue.ts). */
const IPN_CODES = {
  400: 'ipn_invalid',
  403: 'ipn_source_not_allowed',
  404: 'ipn_unknown_invoice',
  422: 'ipn_mismatch',
  503: 'ipn_not_applied',
} as const satisfies Record<number, IpnErrorCode>;

export interface IpnAnswer {
  statusCode: 200 | keyof typeof IPN_CODES;
  body: { ok: true; outcome: IpnRecord['outcome'] } | { error: IpnErrorCode; message: string | null };
}

/**
 * Paydo's IPN has no signature. It is accepted only from the configured source addresses, then
 * settled by the ledger, which confirms the transaction with Paydo (JWT): the state applied is
 * Paydo's answer, never the IPN's claim. 200 only after `onPaymentUpdate` returned; anything that
 * may succeed later answers 5xx so that Paydo delivers again.
 */
export class IpnReceiver {
  readonly #o: ResolvedPluginOptions;
  readonly #ledger: Ledger;
  /**
   * Each refused source address is named once at error level, so a missing Paydo address is seen
   * at once and a flood from one address does not flood the log (bounded: a scan stays small).
   */
  readonly #refusedSources = new Set<string>();

  constructor(options: ResolvedPluginOptions, ledger: Ledger) {
    this.#o = options;
    this.#ledger = ledger;
  }

  async receive(body: unknown, req: CheckoutRequest): Promise<IpnAnswer> {
    const { store, ipnSourceAddresses, onIpn } = this.#o;
    const record: IpnRecord = {
      at: new Date(),
      outcome: 'rejected',
      reason: null,
      code: null,
      sourceIp: req.clientIp,
      kind: 'payment',
      refundId: null,
      txid: null,
      invoiceId: null,
      orderRef: null,
      claimedState: null,
      verifiedState: null,
    };
    const finish = async (
      statusCode: IpnAnswer['statusCode'],
      outcome: IpnRecord['outcome'],
      reason: string | null,
      quiet = false,
    ): Promise<IpnAnswer> => {
      record.outcome = outcome;
      record.reason = reason;
      record.code = statusCode === 200 ? null : IPN_CODES[statusCode];
      const level = quiet ? 'debug' : outcome === 'rejected' || outcome === 'failed' ? 'warn' : 'info';
      req.log[level](
        { ipn: { ...record, at: undefined }, code: record.code ?? undefined },
        `paydo: IPN ${outcome}${reason ? `: ${reason}` : ''}`,
      );
      try {
        await onIpn?.(record);
      } catch (error) {
        req.log.error({ err: error }, 'paydo: onIpn threw');
      }
      return { statusCode, body: record.code ? { error: record.code, message: reason } : { ok: true, outcome } };
    };

    if (!ipnSourceAddresses.has(record.sourceIp)) {
      const first = !this.#refusedSources.has(record.sourceIp) && this.#refusedSources.size < 1000;
      if (first) {
        this.#refusedSources.add(record.sourceIp);
        req.log.error(
          { code: IPN_CODES[403], sourceIp: record.sourceIp },
          `paydo: IPN refused from ${record.sourceIp}, not in ipnSourceAddresses (${IPN_CODES[403]}); if Paydo sends from it, add it (logged once per address)`,
        );
      }
      return finish(403, 'rejected', `Source address ${record.sourceIp} is not an allowed IPN source.`, !first);
    }
    // A refund IPN has no `invoice`: the refund as `transaction`, and the refunded `sourceTransaction`.
    const raw = body as { invoice?: unknown } | null;
    if (raw && typeof raw === 'object' && raw.invoice === undefined) {
      const refundIpn = RefundIpnPayload.safeParse(raw);
      if (refundIpn.success) {
        record.kind = 'refund';
        record.refundId = refundIpn.data.transaction.refundId;
        record.txid = refundIpn.data.sourceTransaction.id;
        record.claimedState = refundIpn.data.transaction.state;
        const result = await applyRefundIpn(this.#o, this.#ledger, refundIpn.data, req.log);
        record.orderRef = result.orderRef;
        record.verifiedState = result.status;
        const status = result.outcome === 'rejected' ? 422 : result.outcome === 'failed' ? 503 : 200;
        return finish(status, result.outcome, result.reason);
      }
    }
    const parsed = IpnPayload.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return finish(
        400,
        'rejected',
        `Not an IPN: ${issue?.path.join('.') || 'body'} ${issue?.message ?? 'is invalid'}.`,
      );
    }
    const ipn = parsed.data;
    const txid = ipn.transaction.id;
    const invoiceId = ipn.invoice.id;
    record.txid = txid;
    record.invoiceId = invoiceId;
    record.claimedState = ipn.transaction.state;
    if (ipn.invoice.txid !== txid) return finish(400, 'rejected', 'invoice.txid and transaction.id differ.');

    const appliedHere = this.#ledger.appliedHere(invoiceId, txid, ipn.transaction.state);
    if (appliedHere !== undefined) {
      // Applied by this process already (Paydo delivers again until it reads 200): nothing to ask.
      record.orderRef = appliedHere;
      record.verifiedState = ipn.transaction.state;
      return finish(200, 'duplicate', null);
    }
    // The invoice must be one this shop created; it names the order.
    const orderRef = await this.#ledger.orderOfInvoice(invoiceId);
    if (!orderRef) return finish(404, 'rejected', `Invoice ${invoiceId} was not created by this shop.`);
    record.orderRef = orderRef;

    // A repeat of a result applied already (Paydo delivers again until it reads 200; several
    // instances each get one): the state was confirmed with Paydo when it was applied, and applying
    // it again would change nothing, so it is answered without asking Paydo or the merchant again.
    const known = await store.findTransaction(txid);
    if (known && known.orderRef !== orderRef) {
      return finish(422, 'rejected', `Transaction ${txid} belongs to another order of this shop.`);
    }
    if (known?.state != null && known.state === ipn.transaction.state) {
      record.verifiedState = known.state;
      this.#ledger.rememberApplied(invoiceId, txid, known.state, orderRef);
      return finish(200, 'duplicate', null);
    }

    const result = await this.#ledger.settle({
      txid,
      orderRef,
      invoiceId,
      source: 'ipn',
      request: req.raw,
      log: req.log,
    });
    record.verifiedState = result.state ?? null;
    switch (result.outcome) {
      case 'applied':
      case 'duplicate':
        // Keyed by the state Paydo confirmed: an IPN claiming another state is not a repeat of it.
        this.#ledger.rememberApplied(invoiceId, txid, result.state, orderRef);
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
  }
}
