export type { CheckoutLogger, CheckoutRequest } from '../checkout/logger.ts';
export type {
  IpnOutcome,
  IpnRecord,
  PaydoOrder,
  PaymentUpdate,
  RateLimitRedis,
  RateLimitWindow,
  RefundUpdate,
} from '../checkout/options.ts';
export type { ReconcileSummary } from '../checkout/reconciliation.ts';
export * from '../store/index.ts';
export type { TrustProxy } from './client-address.ts';
export {
  type PaydoCheckoutDecorator,
  type PaydoPluginOptions,
  paydo as default,
  paydo,
  paydoRedactPaths,
} from './plugin.ts';
