/**
 * What the plugin must remember across requests, restarts and (with a shared
 * store) instances. Every operation that decides "who goes first" is one
 * atomic claim, never a read followed by a write, so a PostgreSQL store can
 * implement it with one statement or one transaction.
 *
 * Cost: every lookup runs on a hot path (checkout, each poll, each IPN), so
 * each should be one index lookup whose cost does not grow with the history,
 * and a duplicate (`saveTransaction` of a known txid, `claimPaymentUpdate` of
 * an applied state) should be recognised by a read, without a write.
 */

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

/** How far a payment attempt got: a retry with the same key resumes from here. */
export interface AttemptProgress {
  invoiceId?: string;
  /** The invoice's transaction before this attempt asked for one (to recognise ours after a lost answer). */
  transactionBefore?: string | null;
  /**
   * Set before `checkout/create` is sent. A retry then asks Paydo for the invoice's transaction
   * and adopts it when it is a new one, so a lost answer never leads to a second charge.
   */
  transactionRequested?: boolean;
}

export type IdempotencyClaim =
  | { status: 'claimed'; progress: AttemptProgress }
  | { status: 'in_progress' }
  | { status: 'completed'; response: StoredResponse }
  | { status: 'mismatch' };

export interface TransactionRecord {
  txid: string;
  orderRef: string;
  invoiceId: string;
  /** Last state applied through `onPaymentUpdate`; null until then. */
  state: number | null;
}

export type UpdateClaim = 'claimed' | 'duplicate' | 'busy';

/** What `PaydoStore.readOrder` answers. */
export interface OrderRecords {
  /** The order's accepted transaction (the first one), when it is paid. */
  paidTxid: string | null;
  /** The order's newest transaction. */
  latest: TransactionRecord | null;
  /**
   * Every invoice the kit created for the order, oldest first. A key may have several (a new
   * invoice replaces an overdue or failed one for new attempts); the newest of a key is the one
   * to reuse, and every one of them stays the order's: a payer may still pay an old one.
   */
  invoices: { invoiceKey: string; invoiceId: string }[];
  /** Every transaction the kit knows of the order, oldest first. */
  transactions: TransactionRecord[];
}

/** An invoice the reconciliation sweep is due to ask Paydo about (`PaydoStore.invoicesDue`). */
export interface InvoiceCheck {
  invoiceId: string;
  orderRef: string;
  /** When the kit created it (ms since the epoch). */
  createdAt: number;
  /** When Paydo was first seen to call it final (paid, overdue, failed); null while open. */
  finalAt: number | null;
  /** How many times the sweep asked Paydo about it. */
  checks: number;
}

export interface PaydoStore {
  /**
   * Claims an Idempotency-Key for one attempt. `claimed` also when an earlier
   * claim was released (a retryable failure) or its lease ran out (a crash):
   * then `progress` says where that attempt stopped.
   */
  claimIdempotencyKey(key: string, fingerprint: string, leaseMs: number): Promise<IdempotencyClaim>;
  /** Where a claimed key stands now (for requests waiting on another one). */
  readIdempotencyKey(key: string, fingerprint: string): Promise<IdempotencyClaim | null>;
  /**
   * Extends a running attempt's lease (it is alive, only slow): answers false
   * when the key is no longer held (answered, or given back).
   */
  renewIdempotencyKey(key: string, leaseMs: number): Promise<boolean>;
  saveAttemptProgress(key: string, progress: AttemptProgress): Promise<void>;
  completeIdempotencyKey(key: string, response: StoredResponse): Promise<void>;
  /** Gives the key back after a retryable failure; the progress stays. */
  releaseIdempotencyKey(key: string): Promise<void>;

  /** One payment attempt per order at a time, across keys and instances. */
  acquireOrderLock(orderRef: string, owner: string, leaseMs: number): Promise<boolean>;
  releaseOrderLock(orderRef: string, owner: string): Promise<void>;

  /**
   * Everything the kit keeps of one order, in one read: the checkout, the payment gate and the
   * polls need it together, and with a database each separate read would be one more round trip.
   */
  readOrder(orderRef: string): Promise<OrderRecords>;

  /**
   * Records an invoice the kit created for the order, under its key (order, method, amount and
   * currency). A later invoice under the same key becomes the one to reuse; the earlier one stays
   * the order's. A new invoice is due for reconciliation at once (`invoicesDue`).
   */
  saveInvoice(invoiceKey: string, orderRef: string, invoiceId: string): Promise<void>;
  findOrderByInvoice(invoiceId: string): Promise<string | null>;

  /**
   * Invoices whose next reconciliation check is due at `now`, the longest-waiting first, at most
   * `limit`. One index range read: it costs nothing measurable when nothing is open.
   */
  invoicesDue(now: number, limit: number): Promise<InvoiceCheck[]>;
  /** After a check: when the invoice is next due (`null`: never again), and what was learned. */
  scheduleInvoiceCheck(
    invoiceId: string,
    check: { nextCheckAt: number | null; finalAt: number | null; checks: number },
  ): Promise<void>;

  saveTransaction(record: { txid: string; orderRef: string; invoiceId: string }): Promise<void>;
  findTransaction(txid: string): Promise<TransactionRecord | null>;

  /**
   * Records `txid` as the transaction that paid the order unless another one
   * did first; answers the txid that holds the order (insert-or-read, never
   * released: an accepted transaction stays accepted).
   */
  claimOrderPayment(orderRef: string, txid: string): Promise<string>;
  /**
   * The kit's full refund of a duplicate charge: null when none was asked for;
   * `refundId: null` when it was asked for and the answer is not known.
   */
  findDuplicateRefund(txid: string): Promise<{ refundId: string | null } | null>;
  saveDuplicateRefund(txid: string, refundId: string | null): Promise<void>;

  /** A project-wide setting the kit learned (e.g. `cardMode`), shared by every instance. */
  readSetting(name: string): Promise<string | null>;
  /** Saves it; answers true when this call changed it (so one instance reports the change). */
  saveSetting(name: string, value: string): Promise<boolean>;

  /** Claims applying `state` to `txid`: `duplicate` when it was applied already. */
  claimPaymentUpdate(txid: string, state: number, leaseMs: number): Promise<UpdateClaim>;
  completePaymentUpdate(txid: string, state: number): Promise<void>;
  releasePaymentUpdate(txid: string, state: number): Promise<void>;

  /** Claims reporting refund `refundId` in `status` (`onRefundUpdate`): `duplicate` when it was reported. */
  claimRefundUpdate(refundId: string, status: number, leaseMs: number): Promise<UpdateClaim>;
  completeRefundUpdate(refundId: string, status: number): Promise<void>;
  releaseRefundUpdate(refundId: string, status: number): Promise<void>;

  /**
   * A named lease for work one instance at a time should do (the reconciliation sweep): true when
   * `owner` holds it now (taken, or renewed by its holder).
   */
  acquireLease(name: string, owner: string, leaseMs: number): Promise<boolean>;
  releaseLease(name: string, owner: string): Promise<void>;

  /** Forgets what is past its retention (keys, old orders, expired locks and leases). */
  purge(now?: number): Promise<void> | void;
  /** Gives back what the store holds (files, connections). The plugin calls it on close. */
  close(): Promise<void>;
}

/**
 * Thrown by a store when its database cannot be reached right now (refused,
 * cut, timed out). The routes answer 503 `service_unavailable` with
 * `retryable: true`; nothing was half-written, so the same request may simply
 * be sent again. Stores of your own can throw it too.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  readonly code = 'PAYDO_ERR_STORE_UNAVAILABLE';
  readonly retryable = true;
}

/** Whether `error` is a `StoreUnavailableError` (also from another loaded copy of the kit). */
export function isStoreUnavailable(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'PAYDO_ERR_STORE_UNAVAILABLE';
}

/**
 * Gives a claim back; when the store is down, keeps trying in the background
 * until `deadline` (kept inside the claim's lease, so a late release can never
 * free a claim someone else has taken since). Never throws: the caller is
 * already answering with the original error.
 */
export function releaseSoon(release: () => Promise<void>, deadline: number): Promise<void> {
  const attempt = (delayMs: number): Promise<void> =>
    release().catch(() => {
      if (Date.now() + delayMs >= deadline) return;
      setTimeout(() => void attempt(Math.min(delayMs * 2, 2_000)), delayMs).unref();
    });
  return attempt(100);
}
