import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type {
  AdminSessionRow,
  IpnEntry,
  Order,
  OrderLine,
  OrderStatus,
  PaymentApplied,
  PaymentEvent,
  RefundEntry,
  StoreDb,
} from './db.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS orders (
  ref TEXT PRIMARY KEY,
  number INTEGER NOT NULL UNIQUE,
  lines TEXT NOT NULL,
  amount TEXT NOT NULL,
  currency TEXT NOT NULL,
  email TEXT,
  status TEXT NOT NULL,
  txid TEXT,
  invoice_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS payment_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  order_ref TEXT NOT NULL,
  txid TEXT NOT NULL,
  state INTEGER NOT NULL,
  status TEXT NOT NULL,
  source TEXT NOT NULL,
  message TEXT,
  at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ipn_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  order_ref TEXT,
  at TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT,
  txid TEXT,
  claimed_state INTEGER,
  verified_state INTEGER,
  source_ip TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'payment'
);
CREATE TABLE IF NOT EXISTS refunds (
  refund_id TEXT PRIMARY KEY,
  order_ref TEXT NOT NULL,
  txid TEXT NOT NULL,
  amount TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS admin_sessions (
  id_hash TEXT PRIMARY KEY,
  tag TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
`;

interface OrderRow {
  ref: string;
  number: number;
  lines: string;
  amount: string;
  currency: string;
  email: string | null;
  status: OrderStatus;
  txid: string | null;
  invoice_id: string | null;
  pay_method: string | null;
  card_brand: string | null;
  card_last4: string | null;
  lang: string | null;
  created_at: string;
  updated_at: string;
}

/** Columns added after the first release: added in place to an existing database file. */
const ADDED_COLUMNS = ['pay_method TEXT', 'card_brand TEXT', 'card_last4 TEXT', 'lang TEXT'];

const toOrder = (r: OrderRow): Order => ({
  ref: r.ref,
  number: r.number,
  lines: JSON.parse(r.lines) as OrderLine[],
  amount: r.amount,
  currency: r.currency,
  email: r.email,
  status: r.status,
  txid: r.txid,
  invoiceId: r.invoice_id,
  lang: r.lang ?? null,
  payment: { method: r.pay_method ?? null, cardBrand: r.card_brand ?? null, cardLast4: r.card_last4 ?? null },
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The shop's own records, in one SQLite file created on first start (the zero-config default). */
export class SqliteStoreDb implements StoreDb {
  readonly #db: DatabaseSync;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.#db = new DatabaseSync(join(dataDir, 'store.sqlite'));
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;');
    this.#db.exec(SCHEMA);
    const columns = new Set(
      (this.#db.prepare('PRAGMA table_info(orders)').all() as { name: string }[]).map((c) => c.name),
    );
    for (const column of ADDED_COLUMNS)
      if (!columns.has(column.split(' ')[0] as string)) this.#db.exec(`ALTER TABLE orders ADD COLUMN ${column}`);
    // Logs written before IPNs had a kind were all payment IPNs.
    const ipnColumns = new Set(
      (this.#db.prepare('PRAGMA table_info(ipn_log)').all() as { name: string }[]).map((c) => c.name),
    );
    if (!ipnColumns.has('kind')) this.#db.exec("ALTER TABLE ipn_log ADD COLUMN kind TEXT NOT NULL DEFAULT 'payment'");
    const eventColumns = new Set(
      (this.#db.prepare('PRAGMA table_info(payment_events)').all() as { name: string }[]).map((c) => c.name),
    );
    if (!eventColumns.has('trace_id')) this.#db.exec('ALTER TABLE payment_events ADD COLUMN trace_id TEXT');
  }

  async createOrder(lines: OrderLine[], amount: string, currency: string, lang?: string): Promise<Order> {
    const now = new Date().toISOString();
    const ref = randomBytes(9).toString('base64url');
    const { next } = this.#db.prepare('SELECT COALESCE(MAX(number), 1000) + 1 AS next FROM orders').get() as {
      next: number;
    };
    this.#db
      .prepare(
        'INSERT INTO orders (ref, number, lines, amount, currency, status, lang, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(ref, next, JSON.stringify(lines), amount, currency, 'awaiting_payment', lang ?? null, now, now);
    return this.#find(ref) as Order;
  }

  async findOrder(ref: string): Promise<Order | null> {
    return this.#find(ref);
  }

  #find(ref: string): Order | null {
    const row = this.#db.prepare('SELECT * FROM orders WHERE ref = ?').get(ref) as OrderRow | undefined;
    return row ? toOrder(row) : null;
  }

  async listOrders(): Promise<Order[]> {
    return (this.#db.prepare('SELECT * FROM orders ORDER BY number DESC').all() as unknown as OrderRow[]).map(toOrder);
  }

  /**
   * Applies a verified payment result. A paid order never goes back to failed
   * (a late failure of another attempt must not undo a payment).
   */
  async applyPayment(ref: string, update: PaymentApplied): Promise<void> {
    const now = new Date().toISOString();
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#db
        .prepare(
          'INSERT INTO payment_events (order_ref, txid, state, status, source, message, at, trace_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(ref, update.txid, update.state, update.status, update.source, update.message, now, update.traceId ?? null);
      if (update.status === 'paid') {
        this.#db
          .prepare(
            "UPDATE orders SET status = 'paid', txid = ?, invoice_id = ?, pay_method = ?, card_brand = ?, card_last4 = ?, updated_at = ? WHERE ref = ? AND status IN ('awaiting_payment', 'payment_failed')",
          )
          .run(
            update.txid,
            update.invoiceId,
            update.payment?.method ?? null,
            update.payment?.cardBrand ?? null,
            update.payment?.cardLast4 ?? null,
            now,
            ref,
          );
      } else if (update.status === 'failed') {
        this.#db
          .prepare(
            "UPDATE orders SET status = 'payment_failed', txid = ?, invoice_id = ?, updated_at = ? WHERE ref = ? AND status IN ('awaiting_payment', 'payment_failed')",
          )
          .run(update.txid, update.invoiceId, now, ref);
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  async paymentEvents(ref: string): Promise<PaymentEvent[]> {
    return this.#db
      .prepare(
        'SELECT txid, state, status, source, message, at, trace_id AS traceId FROM payment_events WHERE order_ref = ? ORDER BY id',
      )
      .all(ref) as never;
  }

  async logIpn(ref: string | null, entry: IpnEntry): Promise<void> {
    this.#db
      .prepare(
        'INSERT INTO ipn_log (order_ref, kind, at, outcome, reason, txid, claimed_state, verified_state, source_ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        ref,
        entry.kind,
        entry.at,
        entry.outcome,
        entry.reason,
        entry.txid,
        entry.claimedState,
        entry.verifiedState,
        entry.sourceIp,
      );
  }

  async ipnLog(ref: string): Promise<IpnEntry[]> {
    return (
      this.#db
        .prepare(
          'SELECT kind, at, outcome, reason, txid, claimed_state, verified_state, source_ip FROM ipn_log WHERE order_ref = ? ORDER BY id',
        )
        .all(ref) as {
        kind: 'payment' | 'refund';
        at: string;
        outcome: string;
        reason: string | null;
        txid: string | null;
        claimed_state: number | null;
        verified_state: number | null;
        source_ip: string;
      }[]
    ).map((r) => ({
      kind: r.kind,
      at: r.at,
      outcome: r.outcome,
      reason: r.reason,
      txid: r.txid,
      claimedState: r.claimed_state,
      verifiedState: r.verified_state,
      sourceIp: r.source_ip,
    }));
  }

  /** Cents refunded or being refunded for the order. */
  async refundedCents(ref: string): Promise<number> {
    return this.#refunded(ref);
  }

  #refunded(ref: string): number {
    const rows = this.#db.prepare('SELECT amount FROM refunds WHERE order_ref = ?').all(ref) as { amount: string }[];
    return rows.reduce((sum, r) => sum + Math.round(Number(r.amount) * 100), 0);
  }

  /**
   * Holds `amount` of the order for a refund about to be asked of Paydo, if that
   * much is still refundable. The check and the hold are one write transaction,
   * so two refunds at once (two tabs, two admins, two processes) cannot both pass.
   * Answers the hold's id, or null when the amount is no longer available.
   */
  async reserveRefund(
    ref: string,
    txid: string,
    amount: string,
    kind: 'full' | 'partial',
    orderCents: number,
  ): Promise<string | null> {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      if (this.#refunded(ref) + Math.round(Number(amount) * 100) > orderCents) {
        this.#db.exec('ROLLBACK');
        return null;
      }
      const hold = `hold-${randomBytes(9).toString('base64url')}`;
      this.#db
        .prepare(
          'INSERT INTO refunds (refund_id, order_ref, txid, amount, kind, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(hold, ref, txid, amount, kind, 'requesting', new Date().toISOString());
      this.#db.exec('COMMIT');
      return hold;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Paydo took the refund: the hold becomes the refund, and the order says how much is refunded. */
  async confirmRefund(hold: string, refundId: string, orderCents: number): Promise<void> {
    const now = new Date().toISOString();
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const row = this.#db.prepare('SELECT order_ref FROM refunds WHERE refund_id = ?').get(hold) as
        | { order_ref: string }
        | undefined;
      this.#db
        .prepare("UPDATE refunds SET refund_id = ?, status = 'processing' WHERE refund_id = ?")
        .run(refundId, hold);
      if (row) {
        const full = this.#refunded(row.order_ref) >= orderCents;
        this.#db
          .prepare('UPDATE orders SET status = ?, updated_at = ? WHERE ref = ?')
          .run(full ? 'refunded' : 'partially_refunded', now, row.order_ref);
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Paydo refused or could not be reached: the held amount is refundable again. */
  async cancelRefund(hold: string): Promise<void> {
    this.#db.prepare("DELETE FROM refunds WHERE refund_id = ? AND status = 'requesting'").run(hold);
  }

  async setRefundStatus(refundId: string, status: string): Promise<void> {
    this.#db.prepare('UPDATE refunds SET status = ? WHERE refund_id = ?').run(status, refundId);
  }

  async refunds(ref: string): Promise<RefundEntry[]> {
    return (
      this.#db.prepare('SELECT * FROM refunds WHERE order_ref = ? ORDER BY created_at').all(ref) as {
        refund_id: string;
        order_ref: string;
        txid: string;
        amount: string;
        kind: 'full' | 'partial';
        status: string;
        created_at: string;
      }[]
    ).map((r) => ({
      refundId: r.refund_id,
      orderRef: r.order_ref,
      txid: r.txid,
      amount: r.amount,
      kind: r.kind,
      status: r.status,
      createdAt: r.created_at,
    }));
  }

  async createSession(s: AdminSessionRow): Promise<void> {
    this.#db
      .prepare('INSERT INTO admin_sessions (id_hash, tag, created_at, last_seen_at) VALUES (?, ?, ?, ?)')
      .run(s.idHash, s.tag, s.createdAt, s.lastSeenAt);
  }

  async findSession(idHash: string): Promise<AdminSessionRow | null> {
    const row = this.#db.prepare('SELECT * FROM admin_sessions WHERE id_hash = ?').get(idHash) as
      | { id_hash: string; tag: string; created_at: number; last_seen_at: number }
      | undefined;
    return row
      ? { idHash: row.id_hash, tag: row.tag, createdAt: Number(row.created_at), lastSeenAt: Number(row.last_seen_at) }
      : null;
  }

  async touchSession(idHash: string, lastSeenAt: number): Promise<void> {
    this.#db.prepare('UPDATE admin_sessions SET last_seen_at = ? WHERE id_hash = ?').run(lastSeenAt, idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.#db.prepare('DELETE FROM admin_sessions WHERE id_hash = ?').run(idHash);
  }

  async deleteIdleSessions(lastSeenAt: number): Promise<number> {
    return Number(this.#db.prepare('DELETE FROM admin_sessions WHERE last_seen_at < ?').run(lastSeenAt).changes);
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}
