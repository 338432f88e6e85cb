export type {
  IpnOutcome,
  IpnRecord,
  PaydoOrder,
  PaydoPluginOptions,
  PaymentUpdate,
  RateLimitRedis,
  RateLimitWindow,
  RefundUpdate,
} from '../checkout/options.ts';
export { MemoryStore } from '../store/memory-store.ts';
export { SqliteStore, type SqliteStoreOptions } from '../store/sqlite-store.ts';
export type {
  AttemptProgress,
  IdempotencyClaim,
  OrderRecords,
  PaydoStore,
  StoredResponse,
  TransactionRecord,
  UpdateClaim,
} from '../store/store.ts';
export { isStoreUnavailable, StoreUnavailableError } from '../store/store.ts';
export type { TrustProxy } from './client-address.ts';
export { paydo as default, paydo, paydoRedactPaths } from './plugin.ts';
