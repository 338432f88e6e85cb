import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import {
  ACCEPTED_STATE,
  type AttemptProgress,
  type IdempotencyClaim,
  type PaydoStore,
  type StoredResponse,
  type TransactionRecord,
  type UpdateClaim,
} from './store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS paydo_idempotency (
  key TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  lease_until INTEGER NOT NULL,
  progress TEXT NOT NULL DEFAULT '{}',
  response TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS paydo_order_locks (
  order_ref TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  lease_until INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS paydo_invoices (
  invoice_key TEXT PRIMARY KEY,
  order_ref TEXT NOT NULL,
  invoice_id TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS paydo_transactions (
  txid TEXT PRIMARY KEY,
  order_ref TEXT NOT NULL,
  invoice_id TEXT NOT NULL,
  state INTEGER,
  seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS paydo_transactions_order ON paydo_transactions (order_ref, seq);
CREATE TABLE IF NOT EXISTS paydo_payment_updates (
  txid TEXT NOT NULL,
  state INTEGER NOT NULL,
  applied INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER NOT NULL,
  PRIMARY KEY (txid, state)
);
CREATE TABLE IF NOT EXISTS paydo_order_payments (
  order_ref TEXT PRIMARY KEY,
  txid TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS paydo_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS paydo_duplicate_refunds (
  txid TEXT PRIMARY KEY,
  refund_id TEXT
);
`;

interface TxRow {
  txid: string;
  order_ref: string;
  invoice_id: string;
  state: number | null;
}

/**
 * A store in one SQLite file (`node:sqlite`, no native module): survives
 * restarts on one machine. Every claim runs in `BEGIN IMMEDIATE`, so two
 * processes sharing the file still get one winner, and a crash never leaves
 * half an update.
 */
export interface SqliteStoreOptions {
  /** How long an Idempotency-Key and its answer are kept. Default 7 days (a widget retries within minutes). */
  keyRetentionMs?: number;
}

const PURGE_EVERY_MS = 60 * 60 * 1000;

export class SqliteStore implements PaydoStore {
  readonly #db: DatabaseSync;
  readonly #keyRetentionMs: number;
  #lastPurge = 0;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.#keyRetentionMs = options.keyRetentionMs ?? 7 * 24 * 60 * 60 * 1000;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // Loaded here, not at import: apps on another store never load `node:sqlite` (or its warning).
    const sqlite = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
    this.#db = new sqlite.DatabaseSync(path);
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;');
    this.#db.exec(SCHEMA);
  }

  #tx<T>(fn: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Forgets Idempotency-Keys past their retention and expired order locks. */
  purge(now = Date.now()): void {
    this.#lastPurge = now;
    this.#db.prepare('DELETE FROM paydo_idempotency WHERE created_at < ?').run(now - this.#keyRetentionMs);
    this.#db.prepare('DELETE FROM paydo_order_locks WHERE lease_until < ?').run(now);
  }

  async claimIdempotencyKey(key: string, fingerprint: string, leaseMs: number): Promise<IdempotencyClaim> {
    if (Date.now() - this.#lastPurge > PURGE_EVERY_MS) this.purge();
    return this.#tx(() => {
      const now = Date.now();
      const row = this.#db
        .prepare('SELECT fingerprint, lease_until, progress, response FROM paydo_idempotency WHERE key = ?')
        .get(key) as
        | { fingerprint: string; lease_until: number; progress: string; response: string | null }
        | undefined;
      if (!row) {
        this.#db
          .prepare('INSERT INTO paydo_idempotency (key, fingerprint, lease_until, created_at) VALUES (?, ?, ?, ?)')
          .run(key, fingerprint, now + leaseMs, now);
        return { status: 'claimed', progress: {} };
      }
      if (row.fingerprint !== fingerprint) return { status: 'mismatch' };
      if (row.response) return { status: 'completed', response: JSON.parse(row.response) as StoredResponse };
      if (row.lease_until > now) return { status: 'in_progress' };
      this.#db.prepare('UPDATE paydo_idempotency SET lease_until = ? WHERE key = ?').run(now + leaseMs, key);
      return { status: 'claimed', progress: JSON.parse(row.progress) as AttemptProgress };
    });
  }

  async readIdempotencyKey(key: string, fingerprint: string): Promise<IdempotencyClaim | null> {
    const row = this.#db
      .prepare('SELECT fingerprint, lease_until, response FROM paydo_idempotency WHERE key = ?')
      .get(key) as { fingerprint: string; lease_until: number; response: string | null } | undefined;
    if (!row) return null;
    if (row.fingerprint !== fingerprint) return { status: 'mismatch' };
    if (row.response) return { status: 'completed', response: JSON.parse(row.response) as StoredResponse };
    return row.lease_until > Date.now() ? { status: 'in_progress' } : null;
  }

  async saveAttemptProgress(key: string, progress: AttemptProgress): Promise<void> {
    this.#db.prepare('UPDATE paydo_idempotency SET progress = ? WHERE key = ?').run(JSON.stringify(progress), key);
  }

  async completeIdempotencyKey(key: string, response: StoredResponse): Promise<void> {
    this.#db.prepare('UPDATE paydo_idempotency SET response = ? WHERE key = ?').run(JSON.stringify(response), key);
  }

  async releaseIdempotencyKey(key: string): Promise<void> {
    this.#db.prepare('UPDATE paydo_idempotency SET lease_until = 0 WHERE key = ? AND response IS NULL').run(key);
  }

  async acquireOrderLock(orderRef: string, owner: string, leaseMs: number): Promise<boolean> {
    return this.#tx(() => {
      const now = Date.now();
      const row = this.#db
        .prepare('SELECT owner, lease_until FROM paydo_order_locks WHERE order_ref = ?')
        .get(orderRef) as { owner: string; lease_until: number } | undefined;
      if (row && row.lease_until > now && row.owner !== owner) return false;
      this.#db
        .prepare(
          'INSERT INTO paydo_order_locks (order_ref, owner, lease_until) VALUES (?, ?, ?) ON CONFLICT(order_ref) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until',
        )
        .run(orderRef, owner, now + leaseMs);
      return true;
    });
  }

  async releaseOrderLock(orderRef: string, owner: string): Promise<void> {
    this.#db.prepare('DELETE FROM paydo_order_locks WHERE order_ref = ? AND owner = ?').run(orderRef, owner);
  }

  async findInvoice(invoiceKey: string): Promise<string | null> {
    const row = this.#db.prepare('SELECT invoice_id FROM paydo_invoices WHERE invoice_key = ?').get(invoiceKey) as
      | { invoice_id: string }
      | undefined;
    return row?.invoice_id ?? null;
  }

  async saveInvoice(invoiceKey: string, orderRef: string, invoiceId: string): Promise<void> {
    this.#db
      .prepare(
        'INSERT INTO paydo_invoices (invoice_key, order_ref, invoice_id) VALUES (?, ?, ?) ON CONFLICT(invoice_key) DO UPDATE SET invoice_id = excluded.invoice_id',
      )
      .run(invoiceKey, orderRef, invoiceId);
  }

  async findOrderByInvoice(invoiceId: string): Promise<string | null> {
    const row = this.#db.prepare('SELECT order_ref FROM paydo_invoices WHERE invoice_id = ?').get(invoiceId) as
      | { order_ref: string }
      | undefined;
    return row?.order_ref ?? null;
  }

  async findInvoicesByOrder(orderRef: string): Promise<string[]> {
    const rows = this.#db
      .prepare('SELECT invoice_id FROM paydo_invoices WHERE order_ref = ? ORDER BY rowid')
      .all(orderRef) as {
      invoice_id: string;
    }[];
    return rows.map((r) => r.invoice_id);
  }

  async saveTransaction(record: { txid: string; orderRef: string; invoiceId: string }): Promise<void> {
    this.#tx(() => {
      const seq = (
        this.#db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM paydo_transactions').get() as { seq: number }
      ).seq;
      this.#db
        .prepare(
          'INSERT OR IGNORE INTO paydo_transactions (txid, order_ref, invoice_id, state, seq) VALUES (?, ?, ?, NULL, ?)',
        )
        .run(record.txid, record.orderRef, record.invoiceId, seq);
    });
  }

  async findTransaction(txid: string): Promise<TransactionRecord | null> {
    const row = this.#db
      .prepare('SELECT txid, order_ref, invoice_id, state FROM paydo_transactions WHERE txid = ?')
      .get(txid) as TxRow | undefined;
    return row ? toRecord(row) : null;
  }

  async latestTransaction(orderRef: string): Promise<TransactionRecord | null> {
    const row = this.#db
      .prepare(
        'SELECT txid, order_ref, invoice_id, state FROM paydo_transactions WHERE order_ref = ? ORDER BY seq DESC LIMIT 1',
      )
      .get(orderRef) as TxRow | undefined;
    return row ? toRecord(row) : null;
  }

  async paidTransaction(orderRef: string): Promise<string | null> {
    const row = this.#db
      .prepare('SELECT txid FROM paydo_transactions WHERE order_ref = ? AND state = ? LIMIT 1')
      .get(orderRef, ACCEPTED_STATE) as { txid: string } | undefined;
    return row?.txid ?? null;
  }

  async readSetting(name: string): Promise<string | null> {
    const row = this.#db.prepare('SELECT value FROM paydo_settings WHERE name = ?').get(name) as
      | { value: string }
      | undefined;
    return row?.value ?? null;
  }

  async saveSetting(name: string, value: string): Promise<boolean> {
    // Changes only a different value: the one caller that changed it learns so.
    const result = this.#db
      .prepare(
        'INSERT INTO paydo_settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value WHERE value <> excluded.value',
      )
      .run(name, value);
    return Number(result.changes) > 0;
  }

  async claimOrderPayment(orderRef: string, txid: string): Promise<string> {
    // One statement: the first txid stays; every caller reads the holder.
    const row = this.#db
      .prepare(
        'INSERT INTO paydo_order_payments (order_ref, txid) VALUES (?, ?) ON CONFLICT(order_ref) DO UPDATE SET txid = txid RETURNING txid',
      )
      .get(orderRef, txid) as { txid: string };
    return row.txid;
  }

  async findDuplicateRefund(txid: string): Promise<{ refundId: string | null } | null> {
    const row = this.#db.prepare('SELECT refund_id FROM paydo_duplicate_refunds WHERE txid = ?').get(txid) as
      | { refund_id: string | null }
      | undefined;
    return row ? { refundId: row.refund_id } : null;
  }

  async saveDuplicateRefund(txid: string, refundId: string | null): Promise<void> {
    this.#db
      .prepare(
        'INSERT INTO paydo_duplicate_refunds (txid, refund_id) VALUES (?, ?) ON CONFLICT(txid) DO UPDATE SET refund_id = excluded.refund_id',
      )
      .run(txid, refundId);
  }

  async claimPaymentUpdate(txid: string, state: number, leaseMs: number): Promise<UpdateClaim> {
    return this.#tx(() => {
      const now = Date.now();
      const row = this.#db
        .prepare('SELECT applied, lease_until FROM paydo_payment_updates WHERE txid = ? AND state = ?')
        .get(txid, state) as { applied: number; lease_until: number } | undefined;
      if (row?.applied) return 'duplicate';
      if (row && row.lease_until > now) return 'busy';
      this.#db
        .prepare(
          'INSERT INTO paydo_payment_updates (txid, state, applied, lease_until) VALUES (?, ?, 0, ?) ON CONFLICT(txid, state) DO UPDATE SET lease_until = excluded.lease_until',
        )
        .run(txid, state, now + leaseMs);
      return 'claimed';
    });
  }

  async completePaymentUpdate(txid: string, state: number): Promise<void> {
    this.#tx(() => {
      this.#db
        .prepare('UPDATE paydo_payment_updates SET applied = 1, lease_until = 0 WHERE txid = ? AND state = ?')
        .run(txid, state);
      this.#db.prepare('UPDATE paydo_transactions SET state = ? WHERE txid = ?').run(state, txid);
    });
  }

  async releasePaymentUpdate(txid: string, state: number): Promise<void> {
    this.#db.prepare('DELETE FROM paydo_payment_updates WHERE txid = ? AND state = ? AND applied = 0').run(txid, state);
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}

function toRecord(row: TxRow): TransactionRecord {
  return { txid: row.txid, orderRef: row.order_ref, invoiceId: row.invoice_id, state: row.state };
}
