/** The store contract and the stores that ship with the kit (PostgreSQL: `@paydo-checkout/server-kit/postgres`). */
export { MemoryStore, type MemoryStoreOptions } from './memory-store.ts';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
export type {
  AttemptProgress,
  IdempotencyClaim,
  InvoiceCheck,
  OrderRecords,
  PaydoStore,
  StoredResponse,
  TransactionRecord,
  UpdateClaim,
} from './store.ts';
export { isStoreUnavailable, StoreUnavailableError } from './store.ts';
