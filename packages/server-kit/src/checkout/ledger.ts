import type { Transaction } from '../client/schemas/transactions.ts';
import { type DeclineCode, declineCodeFor } from '../error-catalogue.ts';
import {
  PaydoBusinessError,
  PaydoError,
  PaydoForbiddenError,
  PaydoNotFoundError,
  PaydoValidationError,
} from '../errors.ts';
import { RefundType } from '../vocabulary.ts';
import { sameAmount } from './amounts.ts';
import type { CheckoutLogger } from './logger.ts';
import type { PaydoOrder, PaymentUpdate, ResolvedPluginOptions } from './options.ts';

export type SettleResult =
  | {
      outcome: 'applied' | 'duplicate';
      state: number;
      errorMessage: string | null;
      errorCode: DeclineCode | null;
      /** For `applied`: what was reported (`duplicate`: a second charge). */
      status?: PaymentUpdate['status'];
    }
  | { outcome: 'ignored'; state: number; reason: string }
  | { outcome: 'rejected'; reason: string; state?: number }
  | { outcome: 'failed'; reason: string; retryable: true; state?: number };

/** One transaction to settle, however it arrived. */
export interface SettleInput {
  txid: string;
  orderRef: string;
  /** The invoice it was reported on: pay's, the IPN's, the store's record, the sweep's. */
  invoiceId: string;
  source: PaymentUpdate['source'];
  /** The request that brought it (handed to `resolveOrder`); null when the kit asks on its own. */
  request: unknown;
  log: CheckoutLogger;
  /** The order, when the caller resolved it already. */
  order?: PaydoOrder | undefined;
  /** Being written to the store by the caller (awaited before anything is applied). */
  saving?: Promise<void> | undefined;
}

type LedgerOptions = Pick<
  ResolvedPluginOptions,
  | 'client'
  | 'store'
  | 'resolveOrder'
  | 'onPaymentUpdate'
  | 'claimLeaseMs'
  | 'refundDuplicateCharges'
  | 'checkoutPageUrl'
>;

/**
 * The order's ledger: the one place that decides what a transaction means for its order, whichever
 * way it arrived (pay's answer, a poll, an IPN, reconciliation).
 *
 * - **Belonging.** A transaction is the order's when it was reported on an invoice the kit created
 *   for that order (the store's record) and Paydo, asked with the JWT, confirms it: the order id
 *   the kit put on that invoice, the amount and the currency. Not "the invoice's
 *   latest transaction": Paydo's page can start a second transaction on one invoice (a second tab).
 * - **Charges.** The first accepted transaction pays the order (`claimOrderPayment`, atomic in the
 *   store); every other accepted one is a duplicate, reported as such and refunded in full once.
 * - **Once.** Each (transaction, state) is reported once across instances (`claimPaymentUpdate`);
 *   a report that throws is given back and retried by the next delivery, poll or sweep.
 */
export class Ledger {
  readonly #o: LedgerOptions;
  /**
   * `invoiceId txid state` → order, for results applied (or found applied) here. Applied stays
   * applied, and an invoice's order never changes, so a repeat of one is answered without the store.
   */
  readonly #applied = new Map<string, string>();
  /** invoiceId → its order, as the store recorded it (never changes once recorded). */
  readonly #invoiceOrders = new Map<string, string>();
  /** txid → its order and invoice, as the store recorded them (never change once recorded). */
  readonly #bindings = new Map<string, { orderRef: string; invoiceId: string }>();

  constructor(options: LedgerOptions) {
    this.#o = options;
  }

  static resultKey(invoiceId: string, txid: string, state: number): string {
    return `${invoiceId} ${txid} ${state}`;
  }

  /** The order a result applied here belongs to (a repeat IPN needs nothing else). */
  appliedHere(invoiceId: string, txid: string, state: number): string | undefined {
    return this.#applied.get(Ledger.resultKey(invoiceId, txid, state));
  }

  rememberApplied(invoiceId: string, txid: string, state: number, orderRef: string): void {
    remember(this.#applied, Ledger.resultKey(invoiceId, txid, state), orderRef);
  }

  /** An invoice the kit has just created or found among the order's records. */
  noteInvoice(invoiceId: string, orderRef: string): void {
    remember(this.#invoiceOrders, invoiceId, orderRef);
  }

  /** A transaction recorded in the store for `orderRef` on `invoiceId`. */
  noteTransaction(txid: string, orderRef: string, invoiceId: string): void {
    remember(this.#bindings, txid, { orderRef, invoiceId });
  }

  /** The order and invoice a transaction was recorded with (memo, else the store), or null. */
  async bindingOf(txid: string): Promise<{ orderRef: string; invoiceId: string } | null> {
    const bound = this.#bindings.get(txid);
    if (bound) return bound;
    const record = await this.#o.store.findTransaction(txid);
    if (!record) return null;
    this.noteTransaction(txid, record.orderRef, record.invoiceId);
    return { orderRef: record.orderRef, invoiceId: record.invoiceId };
  }

  /** The order an invoice was created for (memo, else the store), or null when the kit made no such invoice. */
  async orderOfInvoice(invoiceId: string): Promise<string | null> {
    const known = this.#invoiceOrders.get(invoiceId);
    if (known !== undefined) return known;
    const orderRef = await this.#o.store.findOrderByInvoice(invoiceId);
    if (orderRef !== null) this.noteInvoice(invoiceId, orderRef);
    return orderRef;
  }

  /** Confirms the transaction with Paydo, decides what it means for the order, and reports it once. */
  async settle(input: SettleInput): Promise<SettleResult> {
    const { client, store, resolveOrder, onPaymentUpdate } = this.#o;
    const { txid, orderRef, invoiceId, log } = input;
    // The merchant's order, the store's records and Paydo's transaction are read together.
    const resolving = input.order ? Promise.resolve(input.order) : resolveOrder(orderRef, input.request, log);
    const known = this.bindingOf(txid);
    const invoiceOrder = this.orderOfInvoice(invoiceId);
    for (const p of [resolving, known, invoiceOrder]) p.catch(() => {}); // awaited below, unless Paydo ends it first
    let tx: Transaction;
    try {
      tx = await client.transactions.retrieve(txid);
    } catch (error) {
      if (error instanceof PaydoNotFoundError)
        return { outcome: 'rejected', reason: 'Paydo does not know this transaction.' };
      return {
        outcome: 'failed',
        reason: `Could not confirm with Paydo: ${(error as Error).message}`,
        retryable: true,
      };
    }
    const [order, record, ownerOfInvoice] = await Promise.all([resolving, known, invoiceOrder, input.saving]);
    if (ownerOfInvoice !== orderRef) {
      return {
        outcome: 'rejected',
        reason: `Invoice ${invoiceId} is not one the kit created for order "${orderRef}".`,
        state: tx.state,
      };
    }
    if (record && record.orderRef !== orderRef) {
      return { outcome: 'rejected', reason: `Transaction ${txid} belongs to another order.`, state: tx.state };
    }
    if (!order)
      return { outcome: 'rejected', reason: `resolveOrder found no order for "${orderRef}".`, state: tx.state };
    const mismatch = mismatchOf(tx, order) ?? returnPageMismatch(tx, this.#o.checkoutPageUrl(orderRef));
    if (mismatch) return { outcome: 'rejected', reason: mismatch, state: tx.state };
    if (tx.outcome === 'pending') {
      // Heard of now (a second tab's transaction, say): recorded, so the sweep asks about it later.
      if (!record) await this.#record(txid, orderRef, invoiceId);
      return { outcome: 'ignored', state: tx.state, reason: 'The transaction is not final yet.' };
    }

    // Paydo's words are kept verbatim for the merchant; the payer only ever sees the code's message.
    const errorCode = tx.outcome === 'success' ? null : declineCodeFor(tx.errorMessage, tx.state);
    if (!record) await this.#record(txid, orderRef, invoiceId);
    // "The first accepted transaction pays the order" is claimed beside the update: the holder it
    // answers is the same whoever applies the update (or whether it was applied already).
    const [claimed, paying] = await Promise.allSettled([
      store.claimPaymentUpdate(txid, tx.state, this.#o.claimLeaseMs),
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
    if (claim === 'duplicate')
      return { outcome: 'duplicate', state: tx.state, errorMessage: tx.errorMessage, errorCode };
    if (claim === 'busy') {
      return {
        outcome: 'failed',
        reason: 'The same result is being applied right now.',
        retryable: true,
        state: tx.state,
      };
    }
    let status: PaymentUpdate['status'] = tx.outcome === 'success' ? 'paid' : 'failed';
    try {
      let duplicate: Pick<PaymentUpdate, 'duplicateOf' | 'refundId' | 'refundError'> = {};
      // The first accepted transaction pays the order; any later one is a second charge.
      if (status === 'paid' && holder !== null && holder !== txid) {
        status = 'duplicate';
        duplicate = await this.#refundDuplicate(tx, holder, orderRef, log);
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
        source: input.source,
        transaction: tx,
      });
    } catch (error) {
      await store.releasePaymentUpdate(txid, tx.state);
      const reason = error instanceof PaydoError ? error.message : 'onPaymentUpdate threw';
      log.error(
        { err: error, txid, orderRef },
        'paydo: applying the result failed; it will be applied on the next delivery',
      );
      return { outcome: 'failed', reason, retryable: true, state: tx.state };
    }
    await store.completePaymentUpdate(txid, tx.state);
    if (errorCode) {
      log.info(
        { txid, orderRef, code: errorCode, paydoReason: tx.errorMessage, state: tx.state },
        `paydo: payment failed: ${errorCode}`,
      );
    }
    return { outcome: 'applied', state: tx.state, errorMessage: tx.errorMessage, errorCode, status };
  }

  async #record(txid: string, orderRef: string, invoiceId: string): Promise<void> {
    await this.#o.store.saveTransaction({ txid, orderRef, invoiceId });
    this.noteTransaction(txid, orderRef, invoiceId);
  }

  /** A second accepted charge of a paid order: refunded in full (unless turned off), and said in the log. */
  async #refundDuplicate(
    tx: Transaction,
    holder: string,
    orderRef: string,
    log: CheckoutLogger,
  ): Promise<Pick<PaymentUpdate, 'duplicateOf' | 'refundId' | 'refundError'>> {
    let refundId: string | null = null;
    let refundError: string | undefined;
    if (this.#o.refundDuplicateCharges) {
      try {
        refundId = await this.#refundInFull(tx);
      } catch (error) {
        // Paydo unreachable: the next delivery tries again. Paydo refusing (already refunded by
        // hand, a chargeback…) will not change: the merchant hears of the charge now.
        if (!isPermanent(error)) throw error;
        refundError = (error as Error).message;
      }
    }
    const line = { txid: tx.identifier, duplicateOf: holder, orderRef, refundId, refundError };
    if (refundId) log.warn(line, 'paydo: a second charge for a paid order was refunded in full');
    else if (refundError)
      log.error(line, 'paydo: a second charge for a paid order; Paydo refused its refund: refund it yourself');
    else log.warn(line, 'paydo: a second charge for a paid order (refundDuplicateCharges is off: refund it yourself)');
    return { duplicateOf: holder, refundId, ...(refundError !== undefined && { refundError }) };
  }

  /**
   * Refunds a duplicate charge in full, once. Runs under the transaction's update claim, so one
   * caller at a time gets here. A refund asked for whose answer was lost is looked up among
   * Paydo's refunds before asking again.
   */
  async #refundInFull(tx: Transaction): Promise<string> {
    const { client, store } = this.#o;
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
      refundType: RefundType.full,
      amount: String(tx.amount ?? tx.orderAmount),
      metadata: { reason: 'duplicate charge', paidBy: 'another transaction of the same order' },
    });
    await store.saveDuplicateRefund(tx.identifier, refundId);
    return refundId;
  }
}

/**
 * Why Paydo's transaction is not this order's (its order id, amount or currency), or null. The
 * project is not compared: Paydo's `application.identifier` is not documented to equal the
 * project id the kit knows, and a false "not ours" would leave a payment unapplied.
 */
export function mismatchOf(tx: Transaction, order: PaydoOrder): string | null {
  if (tx.orderId !== order.id) return `Transaction is for order "${tx.orderId}", not "${order.id}".`;
  if (!sameAmount(tx.orderAmount, order.amount) || tx.orderCurrency !== order.currency) {
    return `Transaction is for ${tx.orderAmount} ${tx.orderCurrency}, the order is ${order.amount} ${order.currency}.`;
  }
  return null;
}

/**
 * Paydo does not say which invoice a transaction is on, but it does give the invoice's return
 * pages (`resultUrl`, `failUrl`): the kit points every invoice of an order at that order's
 * checkout page, so a transaction made on another shop's (or another order's) invoice that
 * happens to carry the same order id and amount is told apart here. Compared without the query
 * (Paydo fills `{{txid}}` in); left out by Paydo, nothing is compared.
 */
export function returnPageMismatch(tx: Transaction, checkoutPage: string): string | null {
  const page = (url: string) => {
    try {
      const u = new URL(url);
      return `${u.origin}${u.pathname}`;
    } catch {
      return url;
    }
  };
  const ours = page(checkoutPage);
  for (const url of [tx.resultUrl, tx.failUrl]) {
    if (url && page(url) !== ours) return `Transaction returns the payer to ${page(url)}, not to this order's ${ours}.`;
  }
  return null;
}

/** Paydo answered and said no: asking again will not change that. */
function isPermanent(error: unknown): boolean {
  return [PaydoBusinessError, PaydoValidationError, PaydoForbiddenError, PaydoNotFoundError].some(
    (type) => error instanceof type,
  );
}

/** Adds to a bounded map: past `max` entries, the oldest goes. */
export function remember<V>(map: Map<string, V>, key: string, value: V, max = 10_000): void {
  if (map.size >= max && !map.has(key)) map.delete(map.keys().next().value as string);
  map.set(key, value);
}
