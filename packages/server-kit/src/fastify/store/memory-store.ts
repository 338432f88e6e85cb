import {
  ACCEPTED_STATE,
  type AttemptProgress,
  type IdempotencyClaim,
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
  response: StoredResponse | null;
}

/** In-process store for tests and single-process development. Forgets everything on restart. */
const PURGE_EVERY_MS = 60 * 60 * 1000;

export class MemoryStore implements PaydoStore {
  readonly #keyRetentionMs: number;
  #lastPurge = 0;
  readonly #keys = new Map<string, KeyEntry>();
  readonly #locks = new Map<string, { owner: string; leaseUntil: number }>();
  readonly #invoices = new Map<string, { orderRef: string; invoiceId: string }>();
  readonly #transactions = new Map<string, TransactionRecord & { seq: number }>();
  readonly #updates = new Map<string, { applied: boolean; leaseUntil: number }>();
  readonly #orderPayments = new Map<string, string>();
  readonly #settings = new Map<string, string>();
  readonly #duplicateRefunds = new Map<string, string | null>();
  #seq = 0;

  /** `keyRetentionMs`: how long an Idempotency-Key and its answer are kept (default 1 day). */
  constructor(options: { keyRetentionMs?: number } = {}) {
    this.#keyRetentionMs = options.keyRetentionMs ?? 24 * 60 * 60 * 1000;
  }

  /** Forgets Idempotency-Keys past their retention and expired order locks. */
  purge(now = Date.now()): void {
    this.#lastPurge = now;
    for (const [key, entry] of this.#keys) if (entry.createdAt < now - this.#keyRetentionMs) this.#keys.delete(key);
    for (const [ref, lock] of this.#locks) if (lock.leaseUntil < now) this.#locks.delete(ref);
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
    if (entry.response) return { status: 'completed', response: entry.response };
    if (entry.leaseUntil > now) return { status: 'in_progress' };
    entry.leaseUntil = now + leaseMs;
    return { status: 'claimed', progress: { ...entry.progress } };
  }

  async readIdempotencyKey(key: string, fingerprint: string): Promise<IdempotencyClaim | null> {
    const entry = this.#keys.get(key);
    if (!entry) return null;
    if (entry.fingerprint !== fingerprint) return { status: 'mismatch' };
    if (entry.response) return { status: 'completed', response: entry.response };
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
    if (entry) entry.response = structuredClone(response);
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

  async findInvoice(invoiceKey: string): Promise<string | null> {
    return this.#invoices.get(invoiceKey)?.invoiceId ?? null;
  }

  async saveInvoice(invoiceKey: string, orderRef: string, invoiceId: string): Promise<void> {
    this.#invoices.set(invoiceKey, { orderRef, invoiceId });
  }

  async findOrderByInvoice(invoiceId: string): Promise<string | null> {
    for (const v of this.#invoices.values()) if (v.invoiceId === invoiceId) return v.orderRef;
    return null;
  }

  async findInvoicesByOrder(orderRef: string): Promise<string[]> {
    return [...this.#invoices.values()].filter((v) => v.orderRef === orderRef).map((v) => v.invoiceId);
  }

  async saveTransaction(record: { txid: string; orderRef: string; invoiceId: string }): Promise<void> {
    if (!this.#transactions.has(record.txid)) {
      this.#transactions.set(record.txid, { ...record, state: null, seq: ++this.#seq });
    }
  }

  async findTransaction(txid: string): Promise<TransactionRecord | null> {
    const tx = this.#transactions.get(txid);
    return tx ? strip(tx) : null;
  }

  async latestTransaction(orderRef: string): Promise<TransactionRecord | null> {
    let latest: (TransactionRecord & { seq: number }) | undefined;
    for (const tx of this.#transactions.values()) {
      if (tx.orderRef === orderRef && (!latest || tx.seq > latest.seq)) latest = tx;
    }
    return latest ? strip(latest) : null;
  }

  async paidTransaction(orderRef: string): Promise<string | null> {
    for (const tx of this.#transactions.values()) {
      if (tx.orderRef === orderRef && tx.state === ACCEPTED_STATE) return tx.txid;
    }
    return null;
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
    const id = `${txid}:${state}`;
    const now = Date.now();
    const update = this.#updates.get(id);
    if (update?.applied) return 'duplicate';
    if (update && update.leaseUntil > now) return 'busy';
    this.#updates.set(id, { applied: false, leaseUntil: now + leaseMs });
    return 'claimed';
  }

  async completePaymentUpdate(txid: string, state: number): Promise<void> {
    this.#updates.set(`${txid}:${state}`, { applied: true, leaseUntil: 0 });
    const tx = this.#transactions.get(txid);
    if (tx) tx.state = state;
  }

  async releasePaymentUpdate(txid: string, state: number): Promise<void> {
    const id = `${txid}:${state}`;
    if (!this.#updates.get(id)?.applied) this.#updates.delete(id);
  }
}

function strip(tx: TransactionRecord & { seq: number }): TransactionRecord {
  return { txid: tx.txid, orderRef: tx.orderRef, invoiceId: tx.invoiceId, state: tx.state };
}
