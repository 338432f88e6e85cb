export {
  type CreatedInvoice,
  type CreatedRefund,
  PAYDO_BASE_URL,
  PaydoClient,
  type PaydoClientOptions,
} from './client/client.ts';
export type { CallOptions } from './client/request-sender.ts';
export { defaultRetryPolicy, isSafeToRetry, type RetryPolicy } from './client/retry.ts';
export * from './client/schemas/card-tokens.ts';
export * from './client/schemas/invoices.ts';
export * from './client/schemas/ipn.ts';
export * from './client/schemas/payment-methods.ts';
export * from './client/schemas/refunds.ts';
export * from './client/schemas/transactions.ts';
export * from './error-catalogue.ts';
export * from './errors.ts';
export { signInvoice } from './signature.ts';
export * from './store/index.ts';
export { FAILED_TRANSACTION_STATES, FormType, type HostedPageLanguage } from './vocabulary.ts';
