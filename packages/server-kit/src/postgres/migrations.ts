/**
 * The PostgreSQL schema of `PostgresStore`, as numbered migrations. They are
 * applied in order on start (once, under an advisory lock, so instances that
 * start together do not race) and recorded in `paydo_schema_migrations`. Never
 * edit a shipped migration: add the next one.
 *
 * Leases are `timestamptz` compared with the database's `now()`, so instances
 * whose clocks disagree still agree on who holds a lease.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE paydo_idempotency (
  key text PRIMARY KEY,
  fingerprint text NOT NULL,
  lease_until timestamptz NOT NULL,
  progress json NOT NULL DEFAULT '{}',
  response json,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX paydo_idempotency_created ON paydo_idempotency (created_at);
CREATE TABLE paydo_order_locks (
  order_ref text PRIMARY KEY,
  owner text NOT NULL,
  lease_until timestamptz NOT NULL
);
CREATE TABLE paydo_invoices (
  invoice_key text PRIMARY KEY,
  order_ref text NOT NULL,
  invoice_id text NOT NULL UNIQUE,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX paydo_invoices_order ON paydo_invoices (order_ref, seq);
CREATE TABLE paydo_transactions (
  txid text PRIMARY KEY,
  order_ref text NOT NULL,
  invoice_id text NOT NULL,
  state integer,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX paydo_transactions_order ON paydo_transactions (order_ref, seq);
CREATE TABLE paydo_payment_updates (
  txid text NOT NULL,
  state integer NOT NULL,
  applied boolean NOT NULL DEFAULT false,
  lease_until timestamptz NOT NULL,
  PRIMARY KEY (txid, state)
);
CREATE TABLE paydo_order_payments (
  order_ref text PRIMARY KEY,
  txid text NOT NULL
);
CREATE TABLE paydo_duplicate_refunds (
  txid text PRIMARY KEY,
  refund_id text
);
`,
  },
  {
    version: 2,
    name: 'settings',
    sql: `
CREATE TABLE paydo_settings (
  name text PRIMARY KEY,
  value text NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'every invoice of an order; reconciliation; refund updates; leases',
    // An invoice replaced under its key stays the order's (a payer may still pay it), and each
    // invoice carries its reconciliation schedule.
    sql: `
ALTER TABLE paydo_invoices DROP CONSTRAINT paydo_invoices_pkey;
ALTER TABLE paydo_invoices DROP CONSTRAINT paydo_invoices_invoice_id_key;
ALTER TABLE paydo_invoices ADD PRIMARY KEY (invoice_id);
ALTER TABLE paydo_invoices ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE paydo_invoices ADD COLUMN next_check_at timestamptz DEFAULT now();
ALTER TABLE paydo_invoices ADD COLUMN final_at timestamptz;
ALTER TABLE paydo_invoices ADD COLUMN checks integer NOT NULL DEFAULT 0;
CREATE INDEX paydo_invoices_due ON paydo_invoices (next_check_at) WHERE next_check_at IS NOT NULL;
CREATE TABLE paydo_refund_updates (
  refund_id text NOT NULL,
  status integer NOT NULL,
  applied boolean NOT NULL DEFAULT false,
  lease_until timestamptz NOT NULL,
  PRIMARY KEY (refund_id, status)
);
CREATE TABLE paydo_leases (
  name text PRIMARY KEY,
  owner text NOT NULL,
  lease_until timestamptz NOT NULL
);
`,
  },
];

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS paydo_schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);`;

/** A quoted PostgreSQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The whole schema as one SQL script, for a DBA who applies it by hand
 * (`psql -f`) and starts the store with `migrate: false`. Idempotent: it skips
 * the migrations a database already has.
 */
export function postgresSchemaSql(options: { schema?: string } = {}): string {
  const parts = ['-- @paydo-checkout/server-kit: PostgresStore schema', 'BEGIN;'];
  if (options.schema) {
    parts.push(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(options.schema)};`);
    parts.push(`SET LOCAL search_path TO ${quoteIdentifier(options.schema)};`);
  }
  parts.push(MIGRATIONS_TABLE);
  for (const m of MIGRATIONS) {
    parts.push(
      `-- ${m.version}: ${m.name}`,
      `DO $paydo$ BEGIN
IF NOT EXISTS (SELECT 1 FROM paydo_schema_migrations WHERE version = ${m.version}) THEN
${m.sql.trim()}
INSERT INTO paydo_schema_migrations (version, name) VALUES (${m.version}, '${m.name}');
END IF;
END $paydo$;`,
    );
  }
  parts.push('COMMIT;', '');
  return parts.join('\n');
}

export { MIGRATIONS_TABLE };
