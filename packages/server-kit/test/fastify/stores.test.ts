import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore, SqliteStore } from '../../src/fastify/index.ts';
import { MIGRATIONS, PostgresStore, postgresSchemaSql } from '../../src/postgres/index.ts';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite-store.ts';
import { describeStoreContract } from '../../src/testing/index.ts';
import { postgresUrl, STORE_KINDS } from '../services/stores.ts';
import { addOrder, cardBody, type Harness, newKey, pay, startHarness } from './harness.ts';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox({ pendingMs: 100 });
});
afterEach(async () => {
  await sandbox.close();
});

// The store contract (exported for merchants' own stores) on every store of the kit.
for (const kind of STORE_KINDS) {
  if (kind.skip === null) {
    describeStoreContract(`PaydoStore contract: ${kind.name}`, (options) => kind.place(options).open(), {
      describe,
      it,
      expect,
    });
  }
}

describe.each(STORE_KINDS)('PaydoStore across a restart: $name', (kind) => {
  it.skipIf(kind.skip !== null || !kind.place().persistent)(
    'keeps idempotency and IPN dedupe across a restart',
    async () => {
      const place = kind.place();
      const start = () => startHarness({ sandboxInstance: sandbox, plugin: { rateLimit: false, store: place.open() } });
      let h: Harness = await start();
      sandbox.control.configure({ ipnUrl: `${h.url}/paydo/ipn` });
      const orders = h.orders;
      const ref = addOrder(h);
      const key = newKey();
      const first = await pay(h, ref, cardBody('4242424242424242'), key);
      await sandbox.control.ipnIdle();
      expect(h.updates).toHaveLength(1);
      await h.close();

      h = await start(); // a new process, the same database
      for (const [k, v] of orders) h.orders.set(k, v);
      sandbox.control.configure({ ipnUrl: `${h.url}/paydo/ipn` });
      const again = await pay(h, ref, cardBody('4242424242424242'), key);
      expect(again).toEqual(first);
      sandbox.control.resendIpn(first.body.txid);
      await sandbox.control.ipnIdle();
      expect(h.updates).toHaveLength(0); // applied before the restart: a duplicate now
      expect(h.ipns.at(-1)?.outcome).toBe('duplicate');
      const otherKey = await pay(h, ref, cardBody('4242424242424242'));
      expect(otherKey.body.error).toBe('already_paid');
      expect(sandbox.control.snapshot().transactions).toHaveLength(1);
      await h.close();
    },
  );
});

describe.skipIf(!postgresUrl())('PostgresStore schema', () => {
  it('prints SQL a DBA can apply by hand (twice: idempotent), then runs on it without migrating', async () => {
    const schema = `dba_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const sql = postgresSchemaSql({ schema });
    expect(sql).toContain('CREATE TABLE paydo_idempotency');
    const admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    await admin.query(sql);
    await admin.query(sql);
    const versions = await admin.query(`SELECT version FROM "${schema}".paydo_schema_migrations ORDER BY version`);
    expect(versions.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    const store = await PostgresStore.open({ connectionString: postgresUrl(), schema, migrate: false });
    expect((await store.claimIdempotencyKey('k', 'f', 1_000)).status).toBe('claimed');
    await store.close();
    // Migrating on start finds nothing left to do.
    const again = await PostgresStore.open({ connectionString: postgresUrl(), schema });
    expect(await again.readIdempotencyKey('k', 'f')).toEqual({ status: 'in_progress' });
    await again.close();
    await admin.end();
  });

  it('applies only the migrations a database lacks, once, however many instances start together', async () => {
    const schema = `mig_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    // A database from before migration 2.
    const first = MIGRATIONS[0] as (typeof MIGRATIONS)[number];
    await admin.query(`CREATE SCHEMA "${schema}"; SET search_path TO "${schema}";
      CREATE TABLE paydo_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
      ${first.sql} INSERT INTO paydo_schema_migrations (version, name) VALUES (1, 'initial');`);
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => PostgresStore.open({ connectionString: postgresUrl(), schema })),
    );
    const versions = await admin.query(`SELECT version FROM "${schema}".paydo_schema_migrations ORDER BY version`);
    expect(versions.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await stores[0]?.saveSetting('a', 'b')).toBe(true);
    await Promise.all(stores.map((s) => s.close()));
    await admin.end();
  });

  it('prepares each statement once per connection, by name; preparedStatements: false sends them unnamed', async () => {
    for (const prepared of [true, false]) {
      const schema = `prep_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
      const pool = new pg.Pool({ connectionString: postgresUrl(), max: 2 });
      const names: (string | undefined)[] = [];
      const query = pool.query.bind(pool) as (q: unknown) => Promise<never>;
      const seen = Object.assign(Object.create(pool) as pg.Pool, {
        query: (q: { name?: string }) => {
          names.push(q.name);
          return query(q);
        },
      });
      const store = await PostgresStore.open({ pool: seen, schema, preparedStatements: prepared });
      for (const ref of ['a', 'b', 'a']) await store.readOrder(ref);
      await store.saveInvoice('a|1|EUR', 'a', 'inv-a');
      expect((await store.readOrder('a')).invoices).toEqual([{ invoiceKey: 'a|1|EUR', invoiceId: 'inv-a' }]);
      if (prepared) {
        expect(names.every((n) => typeof n === 'string' && n.startsWith('paydo_'))).toBe(true);
        expect(new Set(names.slice(0, 3)).size).toBe(1); // the same statement, the same name
      } else expect(names.every((n) => n === undefined)).toBe(true);
      await store.close();
      await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      await pool.end();
    }
  });

  it('refuses a preparedStatements that is not true or false', () => {
    expect(
      () => new PostgresStore({ connectionString: postgresUrl(), preparedStatements: 'no' as unknown as boolean }),
    ).toThrow(/preparedStatements must be true or false/);
  });

  it('throws StoreUnavailableError when the database cannot be reached', async () => {
    const store = new PostgresStore({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
      connectTimeoutMs: 500,
    });
    await expect(store.readOrder('x')).rejects.toMatchObject({
      name: 'StoreUnavailableError',
      code: 'PAYDO_ERR_STORE_UNAVAILABLE',
      retryable: true,
    });
    await store.close();
  });
});

describe('MemoryStore retention', () => {
  it('forgets an order (invoices, transactions, results) after orderRetentionMs, and beyond maxOrders', async () => {
    const store = new MemoryStore({ orderRetentionMs: 1_000, maxOrders: 2 });
    await store.saveInvoice('a|1', 'a', 'inv-a');
    await store.saveTransaction({ txid: 'ta', orderRef: 'a', invoiceId: 'inv-a' });
    await store.claimPaymentUpdate('ta', 2, 60_000);
    await store.completePaymentUpdate('ta', 2);
    store.purge(Date.now() + 500);
    expect((await store.readOrder('a')).paidTxid).toBe('ta');
    store.purge(Date.now() + 5_000);
    expect((await store.readOrder('a')).paidTxid).toBeNull();
    expect(await store.findOrderByInvoice('inv-a')).toBeNull();
    expect(await store.findTransaction('ta')).toBeNull();
    expect(await store.claimPaymentUpdate('ta', 2, 60_000)).toBe('claimed');

    for (const ref of ['b', 'c', 'd']) await store.saveInvoice(`${ref}|1`, ref, `inv-${ref}`);
    expect(await store.findOrderByInvoice('inv-b')).toBeNull(); // the least recently changed went first
    expect((await store.readOrder('d')).invoices).toEqual([{ invoiceKey: 'd|1', invoiceId: 'inv-d' }]);
  });
});

describe('SqliteStore schema versions', () => {
  it('migrates a file from before versions were recorded, keeping its invoices, and records the version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paydo-migrate-'));
    const path = join(dir, 'store.db');
    const old = new DatabaseSync(path);
    old.exec((SQLITE_MIGRATIONS[0] as { sql: string }).sql); // the schema as it shipped, user_version 0
    old.exec(`INSERT INTO paydo_invoices (invoice_key, order_ref, invoice_id) VALUES ('o|1|EUR', 'o', 'inv-old')`);
    old.close();
    const store = new SqliteStore(path, { checkpointEveryMs: 0 });
    expect((await store.readOrder('o')).invoices).toEqual([{ invoiceKey: 'o|1|EUR', invoiceId: 'inv-old' }]);
    expect((await store.invoicesDue(Date.now() + 1, 10)).map((d) => d.invoiceId)).toEqual(['inv-old']);
    await store.close();
    const look = new DatabaseSync(path);
    expect(look.prepare('PRAGMA user_version').get()).toEqual({ user_version: SQLITE_MIGRATIONS.at(-1)?.version });
    look.close();
    // Opening it again applies nothing twice.
    const again = new SqliteStore(path, { checkpointEveryMs: 0 });
    expect((await again.readOrder('o')).invoices).toHaveLength(1);
    await again.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('SqliteStore checkpoints', () => {
  it('copies the WAL into the database on a worker thread, not on the writing commits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paydo-checkpoint-'));
    const path = join(dir, 'store.db');
    const store = new SqliteStore(path, { checkpointEveryMs: 50 });
    const look = new DatabaseSync(path);
    try {
      const size = () => statSync(path).size;
      const before = size();
      // Far fewer pages than SQLite's automatic checkpoint waits for (1,000): only the worker
      // copies them into the database file, which grows.
      for (let i = 0; i < 40; i++) await store.saveInvoice(`o${i}|1|EUR`, `o${i}`, `inv-${i}`);
      await expect.poll(size, { timeout: 5_000, interval: 25 }).toBeGreaterThan(before);
      expect(look.prepare('SELECT COUNT(*) AS n FROM paydo_order_invoices').get()).toEqual({ n: 40 });
    } finally {
      look.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a checkpointEveryMs that is not a number of milliseconds, before opening anything', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paydo-checkpoint-'));
    try {
      for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '1000']) {
        expect(() => new SqliteStore(join(dir, 'store.db'), { checkpointEveryMs: bad as number })).toThrow(
          /checkpointEveryMs must be a number of milliseconds, 0 or more/,
        );
      }
      expect(existsSync(join(dir, 'store.db'))).toBe(false); // nothing was created
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with checkpointEveryMs 0, SQLite checkpoints on its own (no worker), as it does by default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paydo-checkpoint-'));
    const store = new SqliteStore(join(dir, 'store.db'), { checkpointEveryMs: 0 });
    try {
      await store.saveInvoice('o|1|EUR', 'o', 'inv-1');
      expect((await store.readOrder('o')).invoices).toHaveLength(1);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
