import {
  ACCEPTED_STATE,
  type AttemptProgress,
  type IdempotencyClaim,
  type OrderRecords,
  type PaydoStore,
  type StoredResponse,
  type TransactionRecord,
  type UpdateClaim,
} from './store.ts';

interface KeyEntry {
  createdAt: number;
  fingerprint: string;
  leaseUntil: number;
  progress: AttemptProgress;
  /** The answer as JSON text: a copy nobody can change, cheaper to make than a structured clone. */
  response: string | null;
}

interface OrderEntry {
  /** Last time anything of the order was written: retention counts from here. */
  touchedAt: number;
  invoiceIds: string[];
  latest: TransactionRecord | null;
  paidTxid: string | null;
  txids: string[];
}

export interface MemoryStoreOptions {
  /** How long an Idempotency-Key and its answer are kept. Default 1 day. */
  keyRetentionMs?: number;
  /**
   * How long an order's invoices, transactions and applied results are kept
   * after its last change. Default 7 days. After that the merchant's own
   * `order.paid` (from `resolveOrder`) is what stops a second payment.
   */
  orderRetentionMs?: number;
  /** At most this many orders are kept; the least recently changed go first. Default 100,000. */
  maxOrders?: number;
}

const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * In-process store for tests and single-process development. Forgets
 * everything on restart. Every lookup is a Map read (orders index their
 * invoices and transactions), and memory is bounded by `orderRetentionMs`
 * and `maxOrders`, so the cost of a payment does not grow with the history.
 */
export class MemoryStore implements PaydoStore {
  readonly #keyRetentionMs: number;
  readonly #orderRetentionMs: number;
  readonly #maxOrders: number;
  #lastPurge = 0;
  readonly #keys = new Map<string, KeyEntry>();
  readonly #locks = new Map<string, { owner: string; leaseUntil: number }>();
  readonly #invoices = new Map<string, { orderRef: string; invoiceId: string }>();
  /** invoiceId → invoiceKey */
  readonly #invoiceKeys = new Map<string, string>();
  /** Insertion order is change order (an entry moves to the end when touched): purging reads from the front. */
  readonly #orders = new Map<string, OrderEntry>();
  readonly #transactions = new Map<string, TransactionRecord>();
  /** txid → state → claim */
  readonly #updates = new Map<string, Map<number, { applied: boolean; leaseUntil: number }>>();
  readonly #orderPayments = new Map<string, string>();
  readonly #settings = new Map<string, string>();
  readonly #duplicateRefunds = new Map<string, string | null>();

  constructor(options: MemoryStoreOptions = {}) {
    this.#keyRetentionMs = options.keyRetentionMs ?? 24 * 60 * 60 * 1000;
    this.#orderRetentionMs = options.orderRetentionMs ?? 7 * 24 * 60 * 60 * 1000;
    this.#maxOrders = options.maxOrders ?? 100_000;
  }

  /** Forgets Idempotency-Keys and orders past their retention, and expired order locks. */
  purge(now = Date.now()): void {
    this.#lastPurge = now;
    // Keys and orders are in insertion/change order: stop at the first one still young.
    for (const [key, entry] of this.#keys) {
      if (entry.createdAt >= now - this.#keyRetentionMs) break;
      this.#keys.delete(key);
    }
    for (const [ref, order] of this.#orders) {
      if (order.touchedAt >= now - this.#orderRetentionMs) break;
      this.#forgetOrder(ref, order);
    }
    for (const [ref, lock] of this.#locks) if (lock.leaseUntil < now) this.#locks.delete(ref);
  }

  #forgetOrder(ref: string, order: OrderEntry): void {
    this.#orders.delete(ref);
    this.#orderPayments.delete(ref);
    for (const invoiceId of order.invoiceIds) {
      const key = this.#invoiceKeys.get(invoiceId);
      if (key !== undefined) this.#invoices.delete(key);
      this.#invoiceKeys.delete(invoiceId);
    }
    for (const txid of order.txids) {
      this.#transactions.delete(txid);
      this.#updates.delete(txid);
      this.#duplicateRefunds.delete(txid);
    }
  }

  /** The order's entry, moved to the end of the change order. */
  #touch(orderRef: string): OrderEntry {
    const now = Date.now();
    let order = this.#orders.get(orderRef);
    if (order) this.#orders.delete(orderRef);
    else order = { touchedAt: now, invoiceIds: [], latest: null, paidTxid: null, txids: [] };
    order.touchedAt = now;
    this.#orders.set(orderRef, order);
    if (this.#orders.size > this.#maxOrders) {
      const [oldRef, oldest] = this.#orders.entries().next().value as [string, OrderEntry];
      this.#forgetOrder(oldRef, oldest);
    }
    return order;
  }

  async claimIdempotencyKey(key: string, fingerprint: string, leaseMs: number): Promise<IdempotencyClaim> {
    const now = Date.now();
    if (now - this.#lastPurge > PURGE_EVERY_MS) this.purge(now);
    const entry = this.#keys.get(key);
    if (!entry) {
      this.#keys.set(key, { createdAt: now, fingerprint, leaseUntil: now + leaseMs, progress: {}, response: null });
      return { status: 'claimed', progress: {} };
    }
    if (entry.fingerprint !== fingerprint) return { status: 'mismatch' };
    if (entry.response) return { status: 'completed', response: JSON.parse(entry.response) as StoredResponse };
    if (entry.leaseUntil > now) return { status: 'in_progress' };
    entry.leaseUntil = now + leaseMs;
    return { status: 'claimed', progress: { ...entry.progress } };
  }

  async readIdempotencyKey(key: string, fingerprint: string): Promise<IdempotencyClaim | null> {
    const entry = this.#keys.get(key);
    if (!entry) return null;
    if (entry.fingerprint !== fingerprint) return { status: 'mismatch' };
    if (entry.response) return { status: 'completed', response: JSON.parse(entry.response) as StoredResponse };
    return entry.leaseUntil > Date.now() ? { status: 'in_progress' } : null;
  }

  async renewIdempotencyKey(key: string, leaseMs: number): Promise<boolean> {
    const entry = this.#keys.get(key);
    if (!entry || entry.response || entry.leaseUntil === 0) return false;
    entry.leaseUntil = Date.now() + leaseMs;
    return true;
  }

  async saveAttemptProgress(key: string, progress: AttemptProgress): Promise<void> {
    const entry = this.#keys.get(key);
    if (entry) entry.progress = { ...progress };
  }

  async completeIdempotencyKey(key: string, response: StoredResponse): Promise<void> {
    const entry = this.#keys.get(key);
    if (entry) entry.response = JSON.stringify(response);
  }

  async releaseIdempotencyKey(key: string): Promise<void> {
    const entry = this.#keys.get(key);
    if (entry && !entry.response) entry.leaseUntil = 0;
  }

  async acquireOrderLock(orderRef: string, owner: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    const lock = this.#locks.get(orderRef);
    if (lock && lock.leaseUntil > now && lock.owner !== owner) return false;
    this.#locks.set(orderRef, { owner, leaseUntil: now + leaseMs });
    return true;
  }

  async releaseOrderLock(orderRef: string, owner: string): Promise<void> {
    if (this.#locks.get(orderRef)?.owner === owner) this.#locks.delete(orderRef);
  }

  async readOrder(orderRef: string): Promise<OrderRecords> {
    const order = this.#orders.get(orderRef);
    if (!order) return { paidTxid: null, latest: null, invoices: [] };
    const invoices: OrderRecords['invoices'] = [];
    // Only invoices still stored under their key (a replaced one is no longer the order's).
    for (const invoiceId of order.invoiceIds) {
      const invoiceKey = this.#invoiceKeys.get(invoiceId);
      if (invoiceKey !== undefined) invoices.push({ invoiceKey, invoiceId });
    }
    return { paidTxid: order.paidTxid, latest: order.latest ? { ...order.latest } : null, invoices };
  }

  async saveInvoice(invoiceKey: string, orderRef: string, invoiceId: string): Promise<void> {
    const previous = this.#invoices.get(invoiceKey);
    if (previous) this.#invoiceKeys.delete(previous.invoiceId);
    this.#invoices.set(invoiceKey, { orderRef, invoiceId });
    this.#invoiceKeys.set(invoiceId, invoiceKey);
    const order = this.#touch(orderRef);
    if (!order.invoiceIds.includes(invoiceId)) order.invoiceIds.push(invoiceId);
  }

  async findOrderByInvoice(invoiceId: string): Promise<string | null> {
    const key = this.#invoiceKeys.get(invoiceId);
    return key === undefined ? null : (this.#invoices.get(key)?.orderRef ?? null);
  }

  async saveTransaction(record: { txid: string; orderRef: string; invoiceId: string }): Promise<void> {
    if (this.#transactions.has(record.txid)) return;
    const tx: TransactionRecord = { ...record, state: null };
    this.#transactions.set(record.txid, tx);
    const order = this.#touch(record.orderRef);
    order.txids.push(record.txid);
    order.latest = tx;
  }

  async findTransaction(txid: string): Promise<TransactionRecord | null> {
    const tx = this.#transactions.get(txid);
    return tx ? { ...tx } : null;
  }

  async readSetting(name: string): Promise<string | null> {
    return this.#settings.get(name) ?? null;
  }

  async saveSetting(name: string, value: string): Promise<boolean> {
    if (this.#settings.get(name) === value) return false;
    this.#settings.set(name, value);
    return true;
  }

  async claimOrderPayment(orderRef: string, txid: string): Promise<string> {
    const holder = this.#orderPayments.get(orderRef);
    if (holder) return holder;
    this.#orderPayments.set(orderRef, txid);
    return txid;
  }

  async findDuplicateRefund(txid: string): Promise<{ refundId: string | null } | null> {
    return this.#duplicateRefunds.has(txid) ? { refundId: this.#duplicateRefunds.get(txid) ?? null } : null;
  }

  async saveDuplicateRefund(txid: string, refundId: string | null): Promise<void> {
    this.#duplicateRefunds.set(txid, refundId);
  }

  async claimPaymentUpdate(txid: string, state: number, leaseMs: number): Promise<UpdateClaim> {
    const now = Date.now();
    const update = this.#updates.get(txid)?.get(state);
    if (update?.applied) return 'duplicate';
    if (update && update.leaseUntil > now) return 'busy';
    this.#updatesOf(txid).set(state, { applied: false, leaseUntil: now + leaseMs });
    return 'claimed';
  }

  #updatesOf(txid: string) {
    let states = this.#updates.get(txid);
    if (!states) {
      states = new Map();
      this.#updates.set(txid, states);
    }
    return states;
  }

  async completePaymentUpdate(txid: string, state: number): Promise<void> {
    this.#updatesOf(txid).set(state, { applied: true, leaseUntil: 0 });
    const tx = this.#transactions.get(txid);
    if (!tx) return;
    tx.state = state;
    const order = this.#touch(tx.orderRef);
    if (state === ACCEPTED_STATE) order.paidTxid ??= txid;
    else if (order.paidTxid === txid) {
      order.paidTxid = order.txids.find((id) => this.#transactions.get(id)?.state === ACCEPTED_STATE) ?? null;
    }
  }

  async releasePaymentUpdate(txid: string, state: number): Promise<void> {
    const states = this.#updates.get(txid);
    if (!states?.get(state)?.applied) states?.delete(state);
  }
}
