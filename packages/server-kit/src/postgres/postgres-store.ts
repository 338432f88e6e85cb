import { createHash } from 'node:crypto';
import pg from 'pg';
import {
  type AttemptProgress,
  type IdempotencyClaim,
  type InvoiceCheck,
  type OrderRecords,
  type PaydoStore,
  type StoredResponse,
  StoreUnavailableError,
  type TransactionRecord,
  type UpdateClaim,
} from '../store/store.ts';
import { TransactionState } from '../vocabulary.ts';
import { MIGRATIONS, MIGRATIONS_TABLE, quoteIdentifier } from './migrations.ts';

/** What the store needs of a pool: `pg.Pool` has it. */
export interface PostgresPool {
  /** With `name`, the statement is prepared once per connection (parsed and planned once, not per call). */
  query(query: {
    name?: string;
    text: string;
    values?: unknown[];
  }): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
  connect(): Promise<PostgresPoolClient>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface PostgresPoolClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
  release(error?: Error | boolean): void;
}

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/db`. Either this or `pool`. */
  connectionString?: string | undefined;
  /** A `pg.Pool` of your own (then its settings apply and `close()` leaves it open). */
  pool?: PostgresPool | undefined;
  /** Tables go in this schema (created if missing). Default: the connection's search_path (usually `public`). */
  schema?: string | undefined;
  /** Most connections per instance. Default 10. */
  maxConnections?: number | undefined;
  /** How long to wait for a connection before the request answers 503. Default 5000. */
  connectTimeoutMs?: number | undefined;
  /** Idle connections are closed after this long. Default 30000. */
  idleTimeoutMs?: number | undefined;
  /** Every statement is cancelled after this long (a stuck lock answers 503, not forever). Default 10000. */
  statementTimeoutMs?: number | undefined;
  /** TLS settings passed to `pg` (e.g. `{ rejectUnauthorized: true, ca }`). */
  ssl?: boolean | Record<string, unknown> | undefined;
  /** Apply the shipped migrations on start. Default true; `false` when a DBA applies `postgresSchemaSql()`. */
  migrate?: boolean | undefined;
  /** How long an Idempotency-Key and its answer are kept. Default 7 days, as in `SqliteStore`. */
  keyRetentionMs?: number | undefined;
  /**
   * Prepare each statement once per connection (parsed and planned once, not per call). Default
   * true; `false` behind a pooler that cannot keep prepared statements (PgBouncer in transaction
   * mode before 1.21, or with `max_prepared_statements = 0`).
   */
  preparedStatements?: boolean | undefined;
}

const PURGE_EVERY_MS = 60 * 60 * 1000;
// "paydo" as a number: the advisory lock that serialises migrations across instances.
const MIGRATION_LOCK = 0x7061_7964_6f;

/** SQLSTATE classes that mean "the database is not there right now", not "this statement is wrong". */
const UNAVAILABLE_SQLSTATE = /^(08|53|57)/;

function unavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string') {
    if (UNAVAILABLE_SQLSTATE.test(e.code)) return true;
    if (/^E[A-Z]+$/.test(e.code)) return true; // ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE, …
    return false;
  }
  // pg's own errors when a connection ends or the pool cannot give one in time.
  return typeof e?.message === 'string' && /connect|terminat|Connection|timeout/i.test(e.message);
}

/**
 * A `PaydoStore` on PostgreSQL (the `pg` driver) for several instances behind
 * a load balancer. Every claim is one statement (`INSERT … ON CONFLICT …
 * RETURNING` or a conditional `UPDATE`), so two instances asking at once get
 * one winner; leases run on the database's clock. When the database cannot be
 * reached, every method throws `StoreUnavailableError` (the routes answer 503,
 * retryable) and nothing is half-written.
 *
 * ```ts
 * import { PostgresStore } from '@paydo-checkout/server-kit/postgres';
 * const store = await PostgresStore.open({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export class PostgresStore implements PaydoStore {
  readonly #pool: PostgresPool;
  readonly #ownsPool: boolean;
  readonly #schema: string | undefined;
  readonly #migrate: boolean;
  readonly #keyRetentionMs: number;
  readonly #prepared: boolean;
  readonly #t: (table: string) => string;
  #ready: Promise<void> | null = null;
  #lastPurge = 0;

  /** Opens the pool and applies the migrations; throws when the database cannot be reached. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    await store.ready();
    return store;
  }

  constructor(options: PostgresStoreOptions) {
    if (!options.pool && !options.connectionString) {
      throw new TypeError('@paydo-checkout/server-kit: PostgresStore needs `connectionString` or `pool`.');
    }
    this.#schema = options.schema;
    this.#migrate = options.migrate ?? true;
    this.#keyRetentionMs = options.keyRetentionMs ?? 7 * 24 * 60 * 60 * 1000;
    this.#prepared = options.preparedStatements ?? true;
    if (typeof this.#prepared !== 'boolean') {
      throw new TypeError('@paydo-checkout/server-kit: PostgresStore preparedStatements must be true or false.');
    }
    const prefix = options.schema ? `${quoteIdentifier(options.schema)}.` : '';
    this.#t = (table) => `${prefix}${table}`;
    if (options.pool) {
      this.#pool = options.pool;
      this.#ownsPool = false;
    } else {
      const statementTimeoutMs = options.statementTimeoutMs ?? 10_000;
      this.#pool = new pg.Pool({
        connectionString: options.connectionString,
        max: options.maxConnections ?? 10,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
        idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
        ...(statementTimeoutMs > 0 && { statement_timeout: statementTimeoutMs }),
        ...(options.ssl !== undefined && { ssl: options.ssl as pg.PoolConfig['ssl'] }),
      }) as unknown as PostgresPool;
      this.#ownsPool = true;
    }
    // An idle connection cut by a restart emits here; without a listener it would crash the process.
    this.#pool.on('error', () => {});
  }

  /** Resolves once the schema is in place (migrations applied); retried on the next call if it failed. */
  ready(): Promise<void> {
    this.#ready ??= this.#applyMigrations().catch((error: unknown) => {
      this.#ready = null;
      throw wrap(error);
    });
    return this.#ready;
  }

  async #applyMigrations(): Promise<void> {
    if (!this.#migrate) return;
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      if (this.#schema) {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(this.#schema)}`);
        await client.query(`SET LOCAL search_path TO ${quoteIdentifier(this.#schema)}`);
      }
      await client.query(MIGRATIONS_TABLE);
      const done = new Set(
        (await client.query('SELECT version FROM paydo_schema_migrations')).rows.map((r) => Number(r.version)),
      );
      for (const m of MIGRATIONS) {
        if (done.has(m.version)) continue;
        await client.query(m.sql);
        await client.query('INSERT INTO paydo_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      }
      await client.query('COMMIT');
      client.release();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      client.release(true);
      throw error;
    }
  }

  async #query(text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
    await this.ready();
    try {
      const query = this.#prepared ? { name: statementName(text), text, values } : { text, values };
      return (await this.#pool.query(query)).rows;
    } catch (error) {
      throw wrap(error);
    }
  }

  /** Forgets Idempotency-Keys past their retention and expired order locks. `now`: for tests (default the database's clock). */
  async purge(now?: number): Promise<void> {
    this.#lastPurge = Date.now();
    const at = now === undefined ? 'now()' : 'to_timestamp($1::float8 / 1000)';
    const values = now === undefined ? [] : [now];
    await this.#query(
      `DELETE FROM ${this.#t('paydo_idempotency')} WHERE created_at < ${at} - ${Math.trunc(this.#keyRetentionMs)} * interval '1 millisecond'`,
      values,
    );
    await this.#query(`DELETE FROM ${this.#t('paydo_order_locks')} WHERE lease_until < ${at}`, values);
  }

  async claimIdempotencyKey(key: string, fingerprint: string, leaseMs: number): Promise<IdempotencyClaim> {
    if (Date.now() - this.#lastPurge > PURGE_EVERY_MS) await this.purge();
    // Insert, or take over a released / expired claim of the same request: one statement, one winner.
    const claimed = await this.#query(
      `INSERT INTO ${this.#t('paydo_idempotency')} AS k (key, fingerprint, lease_until)
       VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET lease_until = EXCLUDED.lease_until
         WHERE k.fingerprint = EXCLUDED.fingerprint AND k.response IS NULL AND k.lease_until <= now()
       RETURNING progress`,
      [key, fingerprint, leaseMs],
    );
    if (claimed[0]) return { status: 'claimed', progress: claimed[0].progress as AttemptProgress };
    return (await this.readIdempotencyKey(key, fingerprint)) ?? this.claimIdempotencyKey(key, fingerprint, leaseMs);
  }

  async readIdempotencyKey(key: string, fingerprint: string): Promise<IdempotencyClaim | null> {
    const [row] = await this.#query(
      `SELECT fingerprint, response, lease_until > now() AS leased FROM ${this.#t('paydo_idempotency')} WHERE key = $1`,
      [key],
    );
    if (!row) return null;
    if (row.fingerprint !== fingerprint) return { status: 'mismatch' };
    if (row.response !== null) return { status: 'completed', response: row.response as StoredResponse };
    return row.leased ? { status: 'in_progress' } : null;
  }

  async renewIdempotencyKey(key: string, leaseMs: number): Promise<boolean> {
    const rows = await this.#query(
      `UPDATE ${this.#t('paydo_idempotency')} SET lease_until = now() + $2 * interval '1 millisecond'
       WHERE key = $1 AND response IS NULL AND lease_until > '-infinity' RETURNING 1`,
      [key, leaseMs],
    );
    return rows.length === 1;
  }

  async saveAttemptProgress(key: string, progress: AttemptProgress): Promise<void> {
    await this.#query(`UPDATE ${this.#t('paydo_idempotency')} SET progress = $2 WHERE key = $1`, [
      key,
      JSON.stringify(progress),
    ]);
  }

  async completeIdempotencyKey(key: string, response: StoredResponse): Promise<void> {
    await this.#query(`UPDATE ${this.#t('paydo_idempotency')} SET response = $2 WHERE key = $1`, [
      key,
      JSON.stringify(response),
    ]);
  }

  async releaseIdempotencyKey(key: string): Promise<void> {
    await this.#query(
      `UPDATE ${this.#t('paydo_idempotency')} SET lease_until = '-infinity' WHERE key = $1 AND response IS NULL`,
      [key],
    );
  }

  async acquireOrderLock(orderRef: string, owner: string, leaseMs: number): Promise<boolean> {
    return this.#takeLease(LEASE_TABLES.order, orderRef, owner, leaseMs);
  }

  async releaseOrderLock(orderRef: string, owner: string): Promise<void> {
    await this.#giveLease(LEASE_TABLES.order, orderRef, owner);
  }

  /** Takes (or renews, for its owner) a lease in one of the lease tables; true when `owner` holds it now. */
  async #takeLease(table: LeaseTable, key: string, owner: string, leaseMs: number): Promise<boolean> {
    const rows = await this.#query(
      `INSERT INTO ${this.#t(table.name)} AS l (${table.key}, owner, lease_until)
       VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (${table.key}) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until
         WHERE l.owner = EXCLUDED.owner OR l.lease_until <= now()
       RETURNING 1`,
      [key, owner, leaseMs],
    );
    return rows.length === 1;
  }

  async #giveLease(table: LeaseTable, key: string, owner: string): Promise<void> {
    await this.#query(`DELETE FROM ${this.#t(table.name)} WHERE ${table.key} = $1 AND owner = $2`, [key, owner]);
  }

  async readOrder(orderRef: string): Promise<OrderRecords> {
    // One statement, one round trip (and one snapshot) for the three reads.
    const tx = this.#t('paydo_transactions');
    const [row] = await this.#query(
      `SELECT
         (SELECT txid FROM ${tx} WHERE order_ref = $1 AND state = $2 ORDER BY seq LIMIT 1) AS paid_txid,
         (SELECT json_build_array(txid, invoice_id, state)
            FROM ${tx} WHERE order_ref = $1 ORDER BY seq DESC LIMIT 1) AS latest,
         (SELECT json_agg(json_build_array(invoice_key, invoice_id) ORDER BY seq)
            FROM ${this.#t('paydo_invoices')} WHERE order_ref = $1) AS invoices,
         (SELECT json_agg(json_build_array(txid, invoice_id, state) ORDER BY seq)
            FROM ${tx} WHERE order_ref = $1) AS transactions`,
      [orderRef, TransactionState.accepted],
    );
    type Row = [string, string, number | null];
    const latest = row?.latest as Row | null;
    const invoices = (row?.invoices as [string, string][] | null) ?? [];
    const transactions = (row?.transactions as Row[] | null) ?? [];
    const record = ([txid, invoiceId, state]: Row) => ({ txid, orderRef, invoiceId, state });
    return {
      paidTxid: (row?.paid_txid as string | null) ?? null,
      latest: latest ? record(latest) : null,
      invoices: invoices.map(([invoiceKey, invoiceId]) => ({ invoiceKey, invoiceId })),
      transactions: transactions.map(record),
    };
  }

  async saveInvoice(invoiceKey: string, orderRef: string, invoiceId: string): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#t('paydo_invoices')} (invoice_key, order_ref, invoice_id) VALUES ($1, $2, $3)
       ON CONFLICT (invoice_id) DO NOTHING`,
      [invoiceKey, orderRef, invoiceId],
    );
  }

  async invoicesDue(now: number, limit: number): Promise<InvoiceCheck[]> {
    const rows = await this.#query(
      `SELECT invoice_id, order_ref, (extract(epoch FROM created_at) * 1000)::float8 AS created_at,
              (extract(epoch FROM final_at) * 1000)::float8 AS final_at, checks
       FROM ${this.#t('paydo_invoices')}
       WHERE next_check_at IS NOT NULL AND next_check_at <= to_timestamp($1::float8 / 1000)
       ORDER BY next_check_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({
      invoiceId: r.invoice_id as string,
      orderRef: r.order_ref as string,
      createdAt: Math.round(r.created_at as number),
      finalAt: r.final_at == null ? null : Math.round(r.final_at as number),
      checks: r.checks as number,
    }));
  }

  async scheduleInvoiceCheck(
    invoiceId: string,
    check: { nextCheckAt: number | null; finalAt: number | null; checks: number },
  ): Promise<void> {
    await this.#query(
      `UPDATE ${this.#t('paydo_invoices')}
       SET next_check_at = to_timestamp($2::float8 / 1000), final_at = to_timestamp($3::float8 / 1000), checks = $4
       WHERE invoice_id = $1`,
      [invoiceId, check.nextCheckAt, check.finalAt, check.checks],
    );
  }

  async findOrderByInvoice(invoiceId: string): Promise<string | null> {
    const [row] = await this.#query(`SELECT order_ref FROM ${this.#t('paydo_invoices')} WHERE invoice_id = $1`, [
      invoiceId,
    ]);
    return (row?.order_ref as string | undefined) ?? null;
  }

  async saveTransaction(record: { txid: string; orderRef: string; invoiceId: string }): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#t('paydo_transactions')} (txid, order_ref, invoice_id) VALUES ($1, $2, $3)
       ON CONFLICT (txid) DO NOTHING`,
      [record.txid, record.orderRef, record.invoiceId],
    );
  }

  async findTransaction(txid: string): Promise<TransactionRecord | null> {
    const [row] = await this.#query(
      `SELECT txid, order_ref, invoice_id, state FROM ${this.#t('paydo_transactions')} WHERE txid = $1`,
      [txid],
    );
    return row ? toRecord(row) : null;
  }

  async claimOrderPayment(orderRef: string, txid: string): Promise<string> {
    // The no-op update makes RETURNING answer the holder when the order is taken.
    const [row] = await this.#query(
      `INSERT INTO ${this.#t('paydo_order_payments')} AS p (order_ref, txid) VALUES ($1, $2)
       ON CONFLICT (order_ref) DO UPDATE SET txid = p.txid RETURNING txid`,
      [orderRef, txid],
    );
    return row?.txid as string;
  }

  async findDuplicateRefund(txid: string): Promise<{ refundId: string | null } | null> {
    const [row] = await this.#query(`SELECT refund_id FROM ${this.#t('paydo_duplicate_refunds')} WHERE txid = $1`, [
      txid,
    ]);
    return row ? { refundId: (row.refund_id as string | null) ?? null } : null;
  }

  async saveDuplicateRefund(txid: string, refundId: string | null): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#t('paydo_duplicate_refunds')} (txid, refund_id) VALUES ($1, $2)
       ON CONFLICT (txid) DO UPDATE SET refund_id = EXCLUDED.refund_id`,
      [txid, refundId],
    );
  }

  async readSetting(name: string): Promise<string | null> {
    const [row] = await this.#query(`SELECT value FROM ${this.#t('paydo_settings')} WHERE name = $1`, [name]);
    return (row?.value as string | undefined) ?? null;
  }

  async saveSetting(name: string, value: string): Promise<boolean> {
    // Changes only a different value: the one caller that changed it gets a row back.
    const rows = await this.#query(
      `INSERT INTO ${this.#t('paydo_settings')} AS s (name, value) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value WHERE s.value IS DISTINCT FROM EXCLUDED.value
       RETURNING 1`,
      [name, value],
    );
    return rows.length === 1;
  }

  async claimPaymentUpdate(txid: string, state: number, leaseMs: number): Promise<UpdateClaim> {
    return this.#claimResult(RESULT_TABLES.payment, txid, state, leaseMs);
  }

  /** Claims reporting one result (an id in one state) in one of the results tables. */
  async #claimResult(
    table: (typeof RESULT_TABLES)[keyof typeof RESULT_TABLES],
    id: string,
    state: number,
    leaseMs: number,
  ): Promise<UpdateClaim> {
    const [idColumn, stateColumn] = table.columns;
    const claimed = await this.#query(
      `INSERT INTO ${this.#t(table.name)} AS u (${idColumn}, ${stateColumn}, lease_until)
       VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (${idColumn}, ${stateColumn}) DO UPDATE SET lease_until = EXCLUDED.lease_until
         WHERE NOT u.applied AND u.lease_until <= now()
       RETURNING 1`,
      [id, state, leaseMs],
    );
    if (claimed.length) return 'claimed';
    const [row] = await this.#query(
      `SELECT applied FROM ${this.#t(table.name)} WHERE ${idColumn} = $1 AND ${stateColumn} = $2`,
      [id, state],
    );
    // Released (deleted) between the two statements: ask again.
    if (!row) return this.#claimResult(table, id, state, leaseMs);
    return row.applied ? 'duplicate' : 'busy';
  }

  async completePaymentUpdate(txid: string, state: number): Promise<void> {
    // One statement: the update is marked applied and the transaction's state set together, or neither.
    await this.#query(
      `WITH applied AS (
         UPDATE ${this.#t('paydo_payment_updates')} SET applied = true, lease_until = '-infinity'
         WHERE txid = $1 AND state = $2
       )
       UPDATE ${this.#t('paydo_transactions')} SET state = $2 WHERE txid = $1`,
      [txid, state],
    );
  }

  async releasePaymentUpdate(txid: string, state: number): Promise<void> {
    await this.#query(
      `DELETE FROM ${this.#t('paydo_payment_updates')} WHERE txid = $1 AND state = $2 AND NOT applied`,
      [txid, state],
    );
  }

  async claimRefundUpdate(refundId: string, status: number, leaseMs: number): Promise<UpdateClaim> {
    return this.#claimResult(RESULT_TABLES.refund, refundId, status, leaseMs);
  }

  async completeRefundUpdate(refundId: string, status: number): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#t('paydo_refund_updates')} (refund_id, status, applied, lease_until)
       VALUES ($1, $2, true, '-infinity')
       ON CONFLICT (refund_id, status) DO UPDATE SET applied = true, lease_until = '-infinity'`,
      [refundId, status],
    );
  }

  async releaseRefundUpdate(refundId: string, status: number): Promise<void> {
    await this.#query(
      `DELETE FROM ${this.#t('paydo_refund_updates')} WHERE refund_id = $1 AND status = $2 AND NOT applied`,
      [refundId, status],
    );
  }

  async acquireLease(name: string, owner: string, leaseMs: number): Promise<boolean> {
    return this.#takeLease(LEASE_TABLES.named, name, owner, leaseMs);
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.#giveLease(LEASE_TABLES.named, name, owner);
  }

  async close(): Promise<void> {
    if (this.#ownsPool) await this.#pool.end();
  }
}

/** The tables where a lease is held by one owner until it runs out: the order lock, named leases. */
const LEASE_TABLES = {
  order: { name: 'paydo_order_locks', key: 'order_ref' },
  named: { name: 'paydo_leases', key: 'name' },
} as const;
type LeaseTable = (typeof LEASE_TABLES)[keyof typeof LEASE_TABLES];

/** The tables where a result is claimed, reported once, and marked applied. */
const RESULT_TABLES = {
  payment: { name: 'paydo_payment_updates', columns: ['txid', 'state'] },
  refund: { name: 'paydo_refund_updates', columns: ['refund_id', 'status'] },
} as const;

const statementNames = new Map<string, string>();
/**
 * One name per statement text (the schema is part of it), derived from the text itself: two copies
 * of this module sharing a pool name the same statement alike, never two statements alike.
 */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `paydo_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

function wrap(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || !unavailable(error)) return error;
  return new StoreUnavailableError('The database is not reachable right now.', { cause: error });
}

function toRecord(row: Record<string, unknown>): TransactionRecord {
  return {
    txid: row.txid as string,
    orderRef: row.order_ref as string,
    invoiceId: row.invoice_id as string,
    state: (row.state as number | null) ?? null,
  };
}
