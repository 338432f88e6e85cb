/** The store implementations every store contract test runs against. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { MemoryStore, type PaydoStore, SqliteStore } from '../../src/fastify/index.ts';
import { PostgresStore } from '../../src/postgres/index.ts';

export type StoreWithPurge = PaydoStore & { purge(now?: number): void | Promise<void> };

export interface StoreKind {
  name: 'memory' | 'sqlite' | 'postgres';
  /** Null when the kind cannot run here (no PostgreSQL). */
  skip: string | null;
  /**
   * A new, empty place to keep state; `open()` opens a store on it (again after
   * a "restart" for the kinds that persist).
   */
  place(options?: { keyRetentionMs?: number }): { open(): StoreWithPurge; persistent: boolean };
}

export const postgresUrl = (): string => inject('postgresUrl');
export const redisUrl = (): string => inject('redisUrl');

export const STORE_KINDS: StoreKind[] = [
  {
    name: 'memory',
    skip: null,
    place: (options = {}) => ({ open: () => new MemoryStore(options), persistent: false }),
  },
  {
    name: 'sqlite',
    skip: null,
    place: (options = {}) => {
      const file = join(mkdtempSync(join(tmpdir(), 'paydo-sqlite-')), 'paydo.sqlite');
      return { open: () => new SqliteStore(file, options), persistent: true };
    },
  },
  {
    name: 'postgres',
    get skip() {
      return postgresUrl() ? null : 'no PostgreSQL';
    },
    place: (options = {}) => {
      // One schema per place: test files share the server, never each other's tables.
      const schema = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
      return {
        open: () => new PostgresStore({ connectionString: postgresUrl(), schema, maxConnections: 5, ...options }),
        persistent: true,
      };
    },
  },
];
