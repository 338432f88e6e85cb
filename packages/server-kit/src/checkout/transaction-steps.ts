import { z } from 'zod';
import type { Transaction } from '../client/schemas/transactions.ts';
import { type DeclineCode, ERROR_CATALOGUE } from '../error-catalogue.ts';
import { PaydoNotFoundError } from '../errors.ts';
import type { NextResponse, NextStep } from '../protocol.ts';
import { CheckoutHttpError, fromPaydoError, transactionNotFound } from './http-error.ts';
import { type Ledger, mismatchOf, remember, returnPageMismatch } from './ledger.ts';
import type { CheckoutRequest } from './logger.ts';
import { nextFromStatus, UnsafeRedirectError } from './next-step.ts';
import type { PaydoOrder, ResolvedPluginOptions } from './options.ts';
import { OrderRef } from './params.ts';
import { SingleFlight } from './single-flight.ts';
import type { TransactionStatuses } from './transaction-status.ts';

/** A failed payment's step: the code and its catalogue sentence, never Paydo's own words. */
const failed = (code: DeclineCode): NextStep => ({
  type: 'done',
  status: 'fail',
  code,
  message: ERROR_CATALOGUE[code].payerMessage,
});

const NextParams = z.object({ txid: z.string().regex(/^[\w-]{1,128}$/) });
// A repeated `order` arrives as an array and is refused like any other malformed query.
const NextQuery = z.looseObject({ order: z.string().min(1).max(256) });

const UNKNOWN_TXIDS_MAX = 10_000;
const UNKNOWN_TXID_TTL_MS = 10 * 60_000;
/**
 * Per order and minute, how many txids no invoice names are looked up at Paydo. A genuine second
 * tab needs one or two; made-up txids beyond the budget cost no upstream call (answered "wait").
 */
const STRANGER_LOOKUPS_PER_MINUTE = 5;

type StepsOptions = Pick<
  ResolvedPluginOptions,
  'client' | 'store' | 'pollIntervalMs' | 'allowedRedirectOrigins' | 'resolveOrder' | 'checkoutPageUrl'
>;

/**
 * The widget's next step for a transaction. A final status is confirmed with Paydo and settled by
 * the ledger right here, so the order is updated even if no IPN comes.
 */
export class TransactionSteps {
  readonly #o: StepsOptions;
  readonly #statuses: TransactionStatuses;
  readonly #ledger: Ledger;
  /**
   * Per order: which transaction each of its invoices has at Paydo (txid → invoice id), read once
   * per few seconds however many unknown txids are asked about.
   */
  readonly #invoiceTransactions: SingleFlight<{ byTxid: Map<string, string>; readAt: number; invoices: number }>;
  /** Paydo's transaction for a txid nobody recorded, asked once per few seconds per txid. */
  readonly #strangers: SingleFlight<Transaction | null>;
  /** `orderRef txid` → when a txid no invoice of the order had was first asked about. */
  readonly #unknownTxids = new Map<string, number>();
  /** orderRef → Paydo lookups of txids no invoice names, this minute (`STRANGER_LOOKUPS_PER_MINUTE`). */
  readonly #strangerLookups = new Map<string, { minute: number; count: number }>();

  constructor(options: StepsOptions, statuses: TransactionStatuses, ledger: Ledger) {
    this.#o = options;
    this.#statuses = statuses;
    this.#ledger = ledger;
    // One read per poll interval: a payer back from Paydo's page waits at most one poll.
    const window = Math.min(5_000, options.pollIntervalMs);
    this.#invoiceTransactions = new SingleFlight(window);
    this.#strangers = new SingleFlight(window);
  }

  /**
   * The next step for a transaction recorded (or being recorded) for its order and invoice. From
   * pay: `saving` is its record being written meanwhile, `order` the order it resolved.
   */
  async forTransaction(
    tx: { txid: string; orderRef: string; invoiceId: string },
    req: CheckoutRequest,
    fromPay: { saving: Promise<void>; order: PaydoOrder } | null = null,
  ): Promise<NextStep> {
    const { pollIntervalMs, allowedRedirectOrigins } = this.#o;
    let step: ReturnType<typeof nextFromStatus>;
    try {
      const [status] = await Promise.all([this.#statuses.check(tx.txid), fromPay?.saving]);
      step = nextFromStatus(status, { pollIntervalMs, allowedOrigins: allowedRedirectOrigins });
    } catch (error) {
      if (error instanceof UnsafeRedirectError) {
        req.log.error({ txid: tx.txid }, `paydo: ${error.message}`);
        throw new CheckoutHttpError('paydo_unsafe_redirect', 'The payment service sent an address we do not trust.');
      }
      throw fromPaydoError(error);
    }
    if (step.type === 'unknown') {
      throw new CheckoutHttpError('paydo_unavailable', 'The payment service answered with an unknown status.');
    }
    if (step.type !== 'fail' && step.type !== 'done') return step;

    const result = await this.#ledger.settle({
      ...tx,
      source: 'status-check',
      request: req.raw,
      log: req.log,
      order: fromPay?.order,
      step: req.step,
    });
    if (result.outcome === 'rejected') {
      req.log.error({ txid: tx.txid, reason: result.reason }, 'paydo: transaction does not match the order');
      return failed('payment_declined');
    }
    // Final at Paydo but not applied yet (onPaymentUpdate threw, the store or Paydo hiccuped, another
    // instance is applying it): the payer waits and asks again rather than hear "paid" before the shop has it.
    if (result.outcome === 'failed') return { type: 'wait', afterMs: pollIntervalMs };
    if (step.type === 'fail') return failed(('errorCode' in result && result.errorCode) || 'payment_declined');
    return step;
  }

  /** `GET transactions/:txid/next?order=`: only this order's transactions, never another order's result. */
  async poll(params: unknown, query: unknown, req: CheckoutRequest): Promise<NextResponse> {
    const p = NextParams.safeParse(params);
    if (!p.success) throw transactionNotFound();
    const q = NextQuery.safeParse(query);
    if (!q.success) {
      throw new CheckoutHttpError('validation', 'Give the order once: ?order=<order reference>.', {
        status: 400,
        fields: { order: ['Give the order reference once.'] },
        issues: { order: 'invalid_format' },
      });
    }
    const { txid } = p.data;
    const orderRef = q.data.order;
    req.step?.note({ txid, orderRef });
    // No order of the merchant's has control characters in its reference: nothing to look up.
    if (!OrderRef.safeParse(orderRef).success) throw transactionNotFound();
    const known = await this.#ledger.bindingOf(txid);
    const tx = known
      ? known.orderRef === orderRef
        ? { txid, ...known }
        : null
      : await this.#adoptFromInvoices(txid, orderRef, req);
    if (!tx) throw transactionNotFound();
    if (tx !== 'not-yet') req.step?.note({ invoiceId: tx.invoiceId });
    if (tx === 'not-yet') return { txid, next: { type: 'wait', afterMs: this.#o.pollIntervalMs } };
    return { txid, next: await this.forTransaction(tx, req) };
  }

  /**
   * A transaction made on Paydo's hosted page is not known here until its IPN arrives. When the
   * payer is back first, Paydo's own invoices say whether the txid is one of the order's. The
   * order's invoices are read at most once per few seconds (shared by every request), so made-up
   * txids cost no upstream calls each. A txid missing from a read made before it was first asked
   * about may simply be newer than that read: the answer is "wait". A second transaction on one
   * invoice (a second tab of Paydo's page) is no invoice's latest: when Paydo confirms it is this
   * order's, the answer is "wait" too, and its IPN (which names its invoice) settles it.
   */
  async #adoptFromInvoices(
    txid: string,
    orderRef: string,
    req: CheckoutRequest,
  ): Promise<{ txid: string; orderRef: string; invoiceId: string } | 'not-yet' | null> {
    const { store, client } = this.#o;
    const key = `${orderRef} ${txid}`;
    const firstAsked = rememberUnknown(this.#unknownTxids, key);
    const read = await this.#invoiceTransactions.run(orderRef, async () => {
      const readAt = Date.now();
      const byTxid = new Map<string, string>();
      const all = (await store.readOrder(orderRef)).invoices;
      const invoices = all.slice(-5);
      await Promise.all(
        invoices.map(async ({ invoiceId }) => {
          const invoice = await client.invoices.retrieve(invoiceId).catch(() => null);
          if (invoice?.transactionIdentifier) byTxid.set(invoice.transactionIdentifier, invoiceId);
        }),
      );
      return { byTxid, readAt, invoices: all.length };
    });
    const { byTxid, readAt } = read;
    const invoiceId = byTxid.get(txid);
    if (invoiceId) {
      this.#unknownTxids.delete(key);
      await store.saveTransaction({ txid, orderRef, invoiceId });
      this.#ledger.noteTransaction(txid, orderRef, invoiceId);
      return { txid, orderRef, invoiceId };
    }
    // An order the kit made no invoice for has no transaction at Paydo: nothing to look up (and a
    // made-up order reference buys no upstream call).
    if (read.invoices === 0) return null;
    if (readAt < firstAsked) return 'not-yet';
    if (!this.#spendLookup(orderRef)) return 'not-yet';
    return (await this.#isOrders(txid, orderRef, req)) ? 'not-yet' : null;
  }

  /** One Paydo lookup of a stranger txid for the order, if its budget for this minute allows. */
  #spendLookup(orderRef: string): boolean {
    const minute = Math.floor(Date.now() / 60_000);
    const spent = this.#strangerLookups.get(orderRef);
    if (spent && spent.minute === minute) {
      if (spent.count >= STRANGER_LOOKUPS_PER_MINUTE) return false;
      spent.count++;
      return true;
    }
    remember(this.#strangerLookups, orderRef, { minute, count: 1 });
    return true;
  }

  /** Whether Paydo (asked with the JWT) says the transaction is this order's. */
  async #isOrders(txid: string, orderRef: string, req: CheckoutRequest): Promise<boolean> {
    const tx = await this.#strangers
      .run(txid, () =>
        this.#o.client.transactions.retrieve(txid).catch((error) => {
          if (error instanceof PaydoNotFoundError) return null;
          throw error;
        }),
      )
      .catch((error) => {
        throw fromPaydoError(error);
      });
    if (!tx) return false;
    const order = await this.#o.resolveOrder(orderRef, req.raw, req.log);
    return (
      order !== null &&
      mismatchOf(tx, order) === null &&
      returnPageMismatch(tx, this.#o.checkoutPageUrl(orderRef)) === null
    );
  }
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
