import { TransactionState } from '../vocabulary.ts';
import type {
  AttemptProgress,
  IdempotencyClaim,
  InvoiceCheck,
  OrderRecords,
  PaydoStore,
  StoredResponse,
  TransactionRecord,
  UpdateClaim,
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
  /** Every invoice of the order, oldest first. */
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
  /** invoiceId → the invoice and its reconciliation schedule. */
  readonly #invoices = new Map<string, InvoiceCheck & { invoiceKey: string; nextCheckAt: number | null }>();
  /** Insertion order is change order (an entry moves to the end when touched): purging reads from the front. */
  readonly #orders = new Map<string, OrderEntry>();
  readonly #transactions = new Map<string, TransactionRecord>();
  /** txid → state → claim */
  readonly #updates = new Map<string, Map<number, { applied: boolean; leaseUntil: number }>>();
  /** refundId → status → claim */
  readonly #refundUpdates = new Map<string, Map<number, { applied: boolean; leaseUntil: number }>>();
  readonly #leases = new Map<string, { owner: string; leaseUntil: number }>();
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
    for (const [name, lease] of this.#leases) if (lease.leaseUntil < now) this.#leases.delete(name);
  }

  #forgetOrder(ref: string, order: OrderEntry): void {
    this.#orders.delete(ref);
    this.#orderPayments.delete(ref);
    for (const invoiceId of order.invoiceIds) this.#invoices.delete(invoiceId);
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
    if (!order) return { paidTxid: null, latest: null, invoices: [], transactions: [] };
    const invoices: OrderRecords['invoices'] = [];
    for (const invoiceId of order.invoiceIds) {
      const invoice = this.#invoices.get(invoiceId);
      if (invoice) invoices.push({ invoiceKey: invoice.invoiceKey, invoiceId });
    }
    const transactions: TransactionRecord[] = [];
    for (const txid of order.txids) {
      const tx = this.#transactions.get(txid);
      if (tx) transactions.push({ ...tx });
    }
    return {
      paidTxid: order.paidTxid,
      latest: order.latest ? { ...order.latest } : null,
      invoices,
      transactions,
    };
  }

  async saveInvoice(invoiceKey: string, orderRef: string, invoiceId: string): Promise<void> {
    if (this.#invoices.has(invoiceId)) return;
    const now = Date.now();
    this.#invoices.set(invoiceId, {
      invoiceId,
      invoiceKey,
      orderRef,
      createdAt: now,
      finalAt: null,
      checks: 0,
      nextCheckAt: now,
    });
    this.#touch(orderRef).invoiceIds.push(invoiceId);
  }

  async findOrderByInvoice(invoiceId: string): Promise<string | null> {
    return this.#invoices.get(invoiceId)?.orderRef ?? null;
  }

  async invoicesDue(now: number, limit: number): Promise<InvoiceCheck[]> {
    const due: (InvoiceCheck & { nextCheckAt: number | null })[] = [];
    for (const invoice of this.#invoices.values()) {
      if (invoice.nextCheckAt !== null && invoice.nextCheckAt <= now) due.push(invoice);
    }
    due.sort((a, b) => (a.nextCheckAt as number) - (b.nextCheckAt as number));
    return due.slice(0, limit).map(({ invoiceId, orderRef, createdAt, finalAt, checks }) => ({
      invoiceId,
      orderRef,
      createdAt,
      finalAt,
      checks,
    }));
  }

  async scheduleInvoiceCheck(
    invoiceId: string,
    check: { nextCheckAt: number | null; finalAt: number | null; checks: number },
  ): Promise<void> {
    const invoice = this.#invoices.get(invoiceId);
    if (!invoice) return;
    invoice.nextCheckAt = check.nextCheckAt;
    invoice.finalAt = check.finalAt;
    invoice.checks = check.checks;
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
    return claimIn(this.#updates, txid, state, leaseMs);
  }

  async completePaymentUpdate(txid: string, state: number): Promise<void> {
    statesOf(this.#updates, txid).set(state, { applied: true, leaseUntil: 0 });
    const tx = this.#transactions.get(txid);
    if (!tx) return;
    tx.state = state;
    const order = this.#touch(tx.orderRef);
    if (state === TransactionState.accepted) order.paidTxid ??= txid;
    else if (order.paidTxid === txid) {
      order.paidTxid =
        order.txids.find((id) => this.#transactions.get(id)?.state === TransactionState.accepted) ?? null;
    }
  }

  async releasePaymentUpdate(txid: string, state: number): Promise<void> {
    releaseIn(this.#updates, txid, state);
  }

  async claimRefundUpdate(refundId: string, status: number, leaseMs: number): Promise<UpdateClaim> {
    return claimIn(this.#refundUpdates, refundId, status, leaseMs);
  }

  async completeRefundUpdate(refundId: string, status: number): Promise<void> {
    statesOf(this.#refundUpdates, refundId).set(status, { applied: true, leaseUntil: 0 });
  }

  async releaseRefundUpdate(refundId: string, status: number): Promise<void> {
    releaseIn(this.#refundUpdates, refundId, status);
  }

  async acquireLease(name: string, owner: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    const lease = this.#leases.get(name);
    if (lease && lease.leaseUntil > now && lease.owner !== owner) return false;
    this.#leases.set(name, { owner, leaseUntil: now + leaseMs });
    return true;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    if (this.#leases.get(name)?.owner === owner) this.#leases.delete(name);
  }

  async close(): Promise<void> {}
}

type Claims = Map<string, Map<number, { applied: boolean; leaseUntil: number }>>;

function statesOf(claims: Claims, id: string) {
  let states = claims.get(id);
  if (!states) {
    states = new Map();
    claims.set(id, states);
  }
  return states;
}

/** One result (an id in one state) claimed by one caller until it is applied or given back. */
function claimIn(claims: Claims, id: string, state: number, leaseMs: number): UpdateClaim {
  const now = Date.now();
  const update = claims.get(id)?.get(state);
  if (update?.applied) return 'duplicate';
  if (update && update.leaseUntil > now) return 'busy';
  statesOf(claims, id).set(state, { applied: false, leaseUntil: now + leaseMs });
  return 'claimed';
}

function releaseIn(claims: Claims, id: string, state: number): void {
  const states = claims.get(id);
  if (!states?.get(state)?.applied) states?.delete(state);
}
