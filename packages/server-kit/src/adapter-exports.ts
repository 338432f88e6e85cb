// What every adapter's entry point (fastify, express, fetch) exports besides its own function:
// the checkout's types and the stores.
export type { CheckoutLogger, CheckoutRequest } from './checkout/logger.ts';
export type {
  IpnOutcome,
  IpnRecord,
  PaydoOrder,
  PaymentUpdate,
  RateLimitRedis,
  RateLimitWindow,
  RefundUpdate,
} from './checkout/options.ts';
export type { ReconcileSummary } from './checkout/reconciliation.ts';
export * from './store/index.ts';
