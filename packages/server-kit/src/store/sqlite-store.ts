import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { TransactionState } from '../vocabulary.ts';
import { SqliteCheckpointer } from './sqlite-checkpointer.ts';
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

/**
 * The schema as numbered migrations, applied in order on open and recorded in SQLite's
 * `user_version` (like PostgreSQL's `paydo_schema_migrations`). Never edit a shipped one: add
 * the next. Version 1 is the schema before versions were recorded, so its statements say
 * `IF NOT EXISTS` (a database of that time has them at version 0).
 */
export const SQLITE_MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE IF NOT EXISTS paydo_idempotency (
  key TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  lease_until INTEGER NOT NULL,
  progress TEXT NOT NULL DEFAULT '{}',
  response TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS paydo_idempotency_created ON paydo_idempotency (created_at);
CREATE TABLE IF NOT EXISTS paydo_order_locks (
  order_ref TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  lease_until INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS paydo_order_locks_lease ON paydo_order_locks (lease_until);
CREATE TABLE IF NOT EXISTS paydo_invoices (
  invoice_key TEXT PRIMARY KEY,
  order_ref TEXT NOT NULL,
  invoice_id TEXT NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS paydo_invoices_order ON paydo_invoices (order_ref);
CREATE TABLE IF NOT EXISTS paydo_transactions (
  txid TEXT PRIMARY KEY,
  order_ref TEXT NOT NULL,
  invoice_id TEXT NOT NULL,
  state INTEGER,
  seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS paydo_transactions_order ON paydo_transactions (order_ref, seq);
CREATE INDEX IF NOT EXISTS paydo_transactions_seq ON paydo_transactions (seq);
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
`,
  },
  {
    version: 2,
    name: 'every invoice of an order; reconciliation; refund updates; leases',
    // An invoice replaced under its key stays the order's (a payer may still pay it), and each
    // invoice carries its reconciliation schedule. Times are ms since the epoch.
    sql: `
CREATE TABLE paydo_order_invoices (
  invoice_id TEXT PRIMARY KEY,
  invoice_key TEXT NOT NULL,
  order_ref TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  next_check_at INTEGER,
  final_at INTEGER,
  checks INTEGER NOT NULL DEFAULT 0
);
INSERT INTO paydo_order_invoices (invoice_id, invoice_key, order_ref, created_at, next_check_at)
  SELECT invoice_id, invoice_key, order_ref, CAST(unixepoch('subsec') * 1000 AS INTEGER), CAST(unixepoch('subsec') * 1000 AS INTEGER)
  FROM paydo_invoices ORDER BY rowid;
DROP TABLE paydo_invoices;
CREATE INDEX paydo_order_invoices_order ON paydo_order_invoices (order_ref);
CREATE INDEX paydo_order_invoices_due ON paydo_order_invoices (next_check_at) WHERE next_check_at IS NOT NULL;
CREATE TABLE paydo_refund_updates (
  refund_id TEXT NOT NULL,
  status INTEGER NOT NULL,
  applied INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER NOT NULL,
  PRIMARY KEY (refund_id, status)
);
CREATE TABLE paydo_leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  lease_until INTEGER NOT NULL
);
`,
  },
];

interface TxRow {
  txid: string;
  order_ref: string;
  invoice_id: string;
  state: number | null;
}

export interface SqliteStoreOptions {
  /** How long an Idempotency-Key and its answer are kept. Default 7 days (a widget retries within minutes). */
  keyRetentionMs?: number;
  /**
   * How often a worker thread checkpoints the WAL into the database file (ms). Default 1000.
   * `0`: SQLite's automatic checkpoints, made by the writing commit on the app's thread.
   */
  checkpointEveryMs?: number;
}

const PURGE_EVERY_MS = 60 * 60 * 1000;

/** Every statement the store runs (exported for the test that checks none of them scans a table). */
export const SQLITE_STATEMENTS = {
  purgeKeys: 'DELETE FROM paydo_idempotency WHERE created_at < ?',
  purgeLocks: 'DELETE FROM paydo_order_locks WHERE lease_until < ?',
  insertKey:
    'INSERT INTO paydo_idempotency (key, fingerprint, lease_until, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO NOTHING',
  readKey: 'SELECT fingerprint, lease_until, progress, response FROM paydo_idempotency WHERE key = ?',
  // Takes over a released or expired key: only one of two racing callers changes the row.
  retakeKey:
    'UPDATE paydo_idempotency SET lease_until = ? WHERE key = ? AND fingerprint = ? AND response IS NULL AND lease_until <= ?',
  saveProgress: 'UPDATE paydo_idempotency SET progress = ? WHERE key = ?',
  completeKey: 'UPDATE paydo_idempotency SET response = ? WHERE key = ?',
  releaseKey: 'UPDATE paydo_idempotency SET lease_until = 0 WHERE key = ? AND response IS NULL',
  renewKey: 'UPDATE paydo_idempotency SET lease_until = ? WHERE key = ? AND response IS NULL AND lease_until > 0',
  acquireLock:
    'INSERT INTO paydo_order_locks (order_ref, owner, lease_until) VALUES (?, ?, ?) ON CONFLICT(order_ref) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until WHERE paydo_order_locks.lease_until <= ? OR paydo_order_locks.owner = excluded.owner',
  releaseLock: 'DELETE FROM paydo_order_locks WHERE order_ref = ? AND owner = ?',
  saveInvoice:
    'INSERT INTO paydo_order_invoices (invoice_id, invoice_key, order_ref, created_at, next_check_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(invoice_id) DO NOTHING',
  orderByInvoice: 'SELECT order_ref FROM paydo_order_invoices WHERE invoice_id = ?',
  invoicesByOrder: 'SELECT invoice_key, invoice_id FROM paydo_order_invoices WHERE order_ref = ? ORDER BY rowid',
  invoicesDue:
    'SELECT invoice_id, order_ref, created_at, final_at, checks FROM paydo_order_invoices WHERE next_check_at IS NOT NULL AND next_check_at <= ? ORDER BY next_check_at LIMIT ?',
  scheduleInvoiceCheck:
    'UPDATE paydo_order_invoices SET next_check_at = ?, final_at = ?, checks = ? WHERE invoice_id = ?',
  txsByOrder: 'SELECT txid, order_ref, invoice_id, state FROM paydo_transactions WHERE order_ref = ? ORDER BY seq',
  // `seq` orders an order's transactions; its index makes MAX(seq) one seek, not a scan.
  insertTx:
    'INSERT INTO paydo_transactions (txid, order_ref, invoice_id, state, seq) SELECT ?, ?, ?, NULL, COALESCE((SELECT MAX(seq) FROM paydo_transactions), 0) + 1 WHERE NOT EXISTS (SELECT 1 FROM paydo_transactions WHERE txid = ?)',
  findTx: 'SELECT txid, order_ref, invoice_id, state FROM paydo_transactions WHERE txid = ?',
  latestTx:
    'SELECT txid, order_ref, invoice_id, state FROM paydo_transactions WHERE order_ref = ? ORDER BY seq DESC LIMIT 1',
  paidTx: 'SELECT txid FROM paydo_transactions WHERE order_ref = ? AND state = ? LIMIT 1',
  readUpdate: 'SELECT applied, lease_until FROM paydo_payment_updates WHERE txid = ? AND state = ?',
  claimUpdate:
    'INSERT INTO paydo_payment_updates (txid, state, applied, lease_until) VALUES (?, ?, 0, ?) ON CONFLICT(txid, state) DO UPDATE SET lease_until = excluded.lease_until WHERE paydo_payment_updates.applied = 0 AND paydo_payment_updates.lease_until <= ?',
  completeUpdate: 'UPDATE paydo_payment_updates SET applied = 1, lease_until = 0 WHERE txid = ? AND state = ?',
  setTxState: 'UPDATE paydo_transactions SET state = ? WHERE txid = ?',
  releaseUpdate: 'DELETE FROM paydo_payment_updates WHERE txid = ? AND state = ? AND applied = 0',
  readRefundUpdate: 'SELECT applied, lease_until FROM paydo_refund_updates WHERE refund_id = ? AND status = ?',
  claimRefundUpdate:
    'INSERT INTO paydo_refund_updates (refund_id, status, applied, lease_until) VALUES (?, ?, 0, ?) ON CONFLICT(refund_id, status) DO UPDATE SET lease_until = excluded.lease_until WHERE paydo_refund_updates.applied = 0 AND paydo_refund_updates.lease_until <= ?',
  completeRefundUpdate:
    'INSERT INTO paydo_refund_updates (refund_id, status, applied, lease_until) VALUES (?, ?, 1, 0) ON CONFLICT(refund_id, status) DO UPDATE SET applied = 1, lease_until = 0',
  releaseRefundUpdate: 'DELETE FROM paydo_refund_updates WHERE refund_id = ? AND status = ? AND applied = 0',
  acquireLease:
    'INSERT INTO paydo_leases (name, owner, lease_until) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until WHERE paydo_leases.lease_until <= ? OR paydo_leases.owner = excluded.owner',
  releaseLease: 'DELETE FROM paydo_leases WHERE name = ? AND owner = ?',
  readSetting: 'SELECT value FROM paydo_settings WHERE name = ?',
  // Changes only a different value: the one caller that changed it learns so.
  saveSetting:
    'INSERT INTO paydo_settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value WHERE value <> excluded.value',
  // One statement: the first txid stays; every caller reads the holder.
  claimOrderPayment:
    'INSERT INTO paydo_order_payments (order_ref, txid) VALUES (?, ?) ON CONFLICT(order_ref) DO UPDATE SET txid = txid RETURNING txid',
  findDuplicateRefund: 'SELECT refund_id FROM paydo_duplicate_refunds WHERE txid = ?',
  saveDuplicateRefund:
    'INSERT INTO paydo_duplicate_refunds (txid, refund_id) VALUES (?, ?) ON CONFLICT(txid) DO UPDATE SET refund_id = excluded.refund_id',
} as const;

type Statements = { [K in keyof typeof SQLITE_STATEMENTS]: StatementSync };

/**
 * A store in one SQLite file (`node:sqlite`, no native module): survives
 * restarts on one machine. Each claim is one statement (an upsert whose
 * `WHERE` decides the winner, checked through `changes`), so two processes
 * sharing the file still get one winner without holding a write lock around
 * a read; reads never take the write lock (WAL). Statements are prepared once,
 * and WAL checkpoints run on a worker thread (`SqliteCheckpointer`).
 */
export class SqliteStore implements PaydoStore {
  readonly #db: DatabaseSync;
  readonly #checkpointer: SqliteCheckpointer | null = null;
  readonly #q: Statements;
  readonly #keyRetentionMs: number;
  #lastPurge = 0;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    // Checked before the file is created or opened: a wrong option changes nothing on disk.
    const checkpointEveryMs = options.checkpointEveryMs ?? 1_000;
    if (typeof checkpointEveryMs !== 'number' || !Number.isFinite(checkpointEveryMs) || checkpointEveryMs < 0) {
      throw new TypeError(
        `@paydo-checkout/server-kit: SqliteStore checkpointEveryMs must be a number of milliseconds, 0 or more (got ${String(checkpointEveryMs)}).`,
      );
    }
    this.#keyRetentionMs = options.keyRetentionMs ?? 7 * 24 * 60 * 60 * 1000;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // Loaded here, not at import: apps on another store never load `node:sqlite` (or its warning).
    const sqlite = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
    this.#db = new sqlite.DatabaseSync(path);
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;');
    this.#migrate();
    if (path !== ':memory:' && checkpointEveryMs > 0) {
      this.#db.exec('PRAGMA wal_autocheckpoint = 0');
      this.#checkpointer = new SqliteCheckpointer(path, checkpointEveryMs, () => {
        if (this.#db.isOpen) this.#db.exec('PRAGMA wal_autocheckpoint = 1000');
      });
    }
    this.#q = Object.fromEntries(
      Object.entries(SQLITE_STATEMENTS).map(([name, sql]) => [name, this.#db.prepare(sql)]),
    ) as Statements;
  }

  /** Applies the migrations this file lacks, each in its own transaction with its version. */
  #migrate(): void {
    const current = Number((this.#db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
    for (const migration of SQLITE_MIGRATIONS) {
      if (migration.version <= current) continue;
      this.#tx(() => {
        // Another process may have applied it since this one read the version.
        const now = Number((this.#db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
        if (now >= migration.version) return;
        this.#db.exec(migration.sql);
        this.#db.exec(`PRAGMA user_version = ${migration.version}`);
      });
    }
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
    this.#q.purgeKeys.run(now - this.#keyRetentionMs);
    this.#q.purgeLocks.run(now);
  }

  async claimIdempotencyKey(key: string, fingerprint: string, leaseMs: number): Promise<IdempotencyClaim> {
    const now = Date.now();
    if (now - this.#lastPurge > PURGE_EVERY_MS) this.purge(now);
    if (Number(this.#q.insertKey.run(key, fingerprint, now + leaseMs, now).changes) === 1) {
      return { status: 'claimed', progress: {} };
    }
    const row = this.#q.readKey.get(key) as
      | { fingerprint: string; lease_until: number; progress: string; response: string | null }
      | undefined;
    if (!row) return this.claimIdempotencyKey(key, fingerprint, leaseMs); // purged in between
    if (row.fingerprint !== fingerprint) return { status: 'mismatch' };
    if (row.response) return { status: 'completed', response: JSON.parse(row.response) as StoredResponse };
    if (row.lease_until > now) return { status: 'in_progress' };
    if (Number(this.#q.retakeKey.run(now + leaseMs, key, fingerprint, now).changes) === 1) {
      return { status: 'claimed', progress: JSON.parse(row.progress) as AttemptProgress };
    }
    return { status: 'in_progress' }; // another caller took it back first
  }

  async readIdempotencyKey(key: string, fingerprint: string): Promise<IdempotencyClaim | null> {
    const row = this.#q.readKey.get(key) as
      | { fingerprint: string; lease_until: number; response: string | null }
      | undefined;
    if (!row) return null;
    if (row.fingerprint !== fingerprint) return { status: 'mismatch' };
    if (row.response) return { status: 'completed', response: JSON.parse(row.response) as StoredResponse };
    return row.lease_until > Date.now() ? { status: 'in_progress' } : null;
  }

  async renewIdempotencyKey(key: string, leaseMs: number): Promise<boolean> {
    return Number(this.#q.renewKey.run(Date.now() + leaseMs, key).changes) > 0;
  }

  async saveAttemptProgress(key: string, progress: AttemptProgress): Promise<void> {
    this.#q.saveProgress.run(JSON.stringify(progress), key);
  }

  async completeIdempotencyKey(key: string, response: StoredResponse): Promise<void> {
    this.#q.completeKey.run(JSON.stringify(response), key);
  }

  async releaseIdempotencyKey(key: string): Promise<void> {
    this.#q.releaseKey.run(key);
  }

  async acquireOrderLock(orderRef: string, owner: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    return Number(this.#q.acquireLock.run(orderRef, owner, now + leaseMs, now).changes) === 1;
  }

  async releaseOrderLock(orderRef: string, owner: string): Promise<void> {
    this.#q.releaseLock.run(orderRef, owner);
  }

  async readOrder(orderRef: string): Promise<OrderRecords> {
    const paid = this.#q.paidTx.get(orderRef, TransactionState.accepted) as { txid: string } | undefined;
    const latest = this.#q.latestTx.get(orderRef) as TxRow | undefined;
    const invoices = this.#q.invoicesByOrder.all(orderRef) as { invoice_key: string; invoice_id: string }[];
    const transactions = this.#q.txsByOrder.all(orderRef) as unknown as TxRow[];
    return {
      paidTxid: paid?.txid ?? null,
      latest: latest ? toRecord(latest) : null,
      invoices: invoices.map((r) => ({ invoiceKey: r.invoice_key, invoiceId: r.invoice_id })),
      transactions: transactions.map(toRecord),
    };
  }

  async saveInvoice(invoiceKey: string, orderRef: string, invoiceId: string): Promise<void> {
    const now = Date.now();
    this.#q.saveInvoice.run(invoiceId, invoiceKey, orderRef, now, now);
  }

  async invoicesDue(now: number, limit: number): Promise<InvoiceCheck[]> {
    const rows = this.#q.invoicesDue.all(now, limit) as {
      invoice_id: string;
      order_ref: string;
      created_at: number;
      final_at: number | null;
      checks: number;
    }[];
    return rows.map((r) => ({
      invoiceId: r.invoice_id,
      orderRef: r.order_ref,
      createdAt: r.created_at,
      finalAt: r.final_at,
      checks: r.checks,
    }));
  }

  async scheduleInvoiceCheck(
    invoiceId: string,
    check: { nextCheckAt: number | null; finalAt: number | null; checks: number },
  ): Promise<void> {
    this.#q.scheduleInvoiceCheck.run(check.nextCheckAt, check.finalAt, check.checks, invoiceId);
  }

  async findOrderByInvoice(invoiceId: string): Promise<string | null> {
    const row = this.#q.orderByInvoice.get(invoiceId) as { order_ref: string } | undefined;
    return row?.order_ref ?? null;
  }

  async saveTransaction(record: { txid: string; orderRef: string; invoiceId: string }): Promise<void> {
    // Known already (the status check and every IPN save it again): a read, no write.
    if (this.#q.findTx.get(record.txid)) return;
    this.#q.insertTx.run(record.txid, record.orderRef, record.invoiceId, record.txid);
  }

  async findTransaction(txid: string): Promise<TransactionRecord | null> {
    const row = this.#q.findTx.get(txid) as TxRow | undefined;
    return row ? toRecord(row) : null;
  }

  async readSetting(name: string): Promise<string | null> {
    const row = this.#q.readSetting.get(name) as { value: string } | undefined;
    return row?.value ?? null;
  }

  async saveSetting(name: string, value: string): Promise<boolean> {
    const result = this.#q.saveSetting.run(name, value);
    return Number(result.changes) > 0;
  }

  async claimOrderPayment(orderRef: string, txid: string): Promise<string> {
    const row = this.#q.claimOrderPayment.get(orderRef, txid) as { txid: string };
    return row.txid;
  }

  async findDuplicateRefund(txid: string): Promise<{ refundId: string | null } | null> {
    const row = this.#q.findDuplicateRefund.get(txid) as { refund_id: string | null } | undefined;
    return row ? { refundId: row.refund_id } : null;
  }

  async saveDuplicateRefund(txid: string, refundId: string | null): Promise<void> {
    this.#q.saveDuplicateRefund.run(txid, refundId);
  }

  async claimPaymentUpdate(txid: string, state: number, leaseMs: number): Promise<UpdateClaim> {
    return this.#claimResult(this.#q.readUpdate, this.#q.claimUpdate, txid, state, leaseMs);
  }

  /** One result (an id in one state) claimed by one caller: a repeat is recognised by a read, before any write. */
  #claimResult(read: StatementSync, claim: StatementSync, id: string, state: number, leaseMs: number): UpdateClaim {
    const now = Date.now();
    const seen = read.get(id, state) as { applied: number; lease_until: number } | undefined;
    if (seen?.applied) return 'duplicate';
    if (seen && seen.lease_until > now) return 'busy';
    if (Number(claim.run(id, state, now + leaseMs, now).changes) === 1) return 'claimed';
    const row = read.get(id, state) as { applied: number } | undefined;
    return row?.applied ? 'duplicate' : 'busy';
  }

  async completePaymentUpdate(txid: string, state: number): Promise<void> {
    this.#tx(() => {
      this.#q.completeUpdate.run(txid, state);
      this.#q.setTxState.run(state, txid);
    });
  }

  async releasePaymentUpdate(txid: string, state: number): Promise<void> {
    this.#q.releaseUpdate.run(txid, state);
  }

  async claimRefundUpdate(refundId: string, status: number, leaseMs: number): Promise<UpdateClaim> {
    return this.#claimResult(this.#q.readRefundUpdate, this.#q.claimRefundUpdate, refundId, status, leaseMs);
  }

  async completeRefundUpdate(refundId: string, status: number): Promise<void> {
    this.#q.completeRefundUpdate.run(refundId, status);
  }

  async releaseRefundUpdate(refundId: string, status: number): Promise<void> {
    this.#q.releaseRefundUpdate.run(refundId, status);
  }

  async acquireLease(name: string, owner: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    return Number(this.#q.acquireLease.run(name, owner, now + leaseMs, now).changes) === 1;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    this.#q.releaseLease.run(name, owner);
  }

  async close(): Promise<void> {
    await this.#checkpointer?.stop();
    if (this.#db.isOpen) this.#db.close();
  }
}

function toRecord(row: TxRow): TransactionRecord {
  return { txid: row.txid, orderRef: row.order_ref, invoiceId: row.invoice_id, state: row.state };
}
