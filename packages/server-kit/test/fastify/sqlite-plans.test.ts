// The cost of a payment must not grow with the number stored: no statement of
// the SQLite store may read a whole table (a missing index once made
// the order's invoice lookup (now part of readOrder) a scan: 1 ms at 1,000 payments, 24 ms at 50,000).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, expect, it } from 'vitest';
import { SQLITE_STATEMENTS, SqliteStore } from '../../src/store/sqlite-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'paydo-plans-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('every statement of the SQLite store seeks an index; none scans a table', async () => {
  const file = join(dir, 'paydo.sqlite');
  await new SqliteStore(file).close();
  const db = new DatabaseSync(file);
  const scans: string[] = [];
  for (const [name, sql] of Object.entries(SQLITE_STATEMENTS)) {
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[];
    for (const { detail } of plan) if (/^SCAN (?!CONSTANT ROW)/.test(detail)) scans.push(`${name}: ${detail}`);
  }
  db.close();
  expect(scans).toEqual([]);
});
