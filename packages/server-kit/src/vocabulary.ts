/**
 * Paydo's words, named once: transaction states, invoice statuses, refund types and statuses,
 * method form types, the hosted page's languages. Everything else imports them from here (the
 * client's schemas, the checkout, the stores, the emulator, the widget).
 *
 * No dependencies (no zod): the widget imports this module into its bundle
 * (`@paydo-checkout/server-kit/vocabulary`) without pulling in the server side.
 */

/** Transaction states (getTransaction): 1 new, 2 accepted, 3/5 failed, 4 pending, 9 pre-approved, 15 timed out. */
export const TransactionState = {
  new: 1,
  accepted: 2,
  failed: 3,
  pending: 4,
  rejected: 5,
  preApproved: 9,
  timedOut: 15,
} as const;
export type TransactionStateCode = (typeof TransactionState)[keyof typeof TransactionState];

/** States after which a transaction changes no more (Paydo may still move failed → accepted: apply it). */
export const FAILED_TRANSACTION_STATES: readonly number[] = [
  TransactionState.failed,
  TransactionState.rejected,
  TransactionState.timedOut,
];

export type TransactionOutcome = 'success' | 'fail' | 'pending';

/** What a transaction state means for the order. */
export function outcomeOfState(state: number): TransactionOutcome {
  if (state === TransactionState.accepted) return 'success';
  if (FAILED_TRANSACTION_STATES.includes(state)) return 'fail';
  return 'pending';
}

/** Invoice statuses (getInvoice): 0 new, 1 paid, 2 overdue, 4 pending, 5 failed. */
export const InvoiceStatus = {
  new: 0,
  paid: 1,
  overdue: 2,
  pending: 4,
  failed: 5,
} as const;

/** Refund types (createRefund). */
export const RefundType = { full: 1, partial: 2 } as const;

/** Refund statuses as the examples show them: 1 waiting for acceptance, 2 accepted. */
export const RefundStatus = { waiting: 1, accepted: 2 } as const;

/** A payment method's `formType`: `cards` takes card data; anything else is paid without it. */
export const FormType = { cards: 'cards', standard: 'standard' } as const;

/** The languages of Paydo's hosted payment page (Payop's invoice page lists these twelve). */
export const HOSTED_PAGE_LANGUAGES = ['en', 'ru', 'es', 'it', 'pt', 'de', 'fr', 'sv', 'fi', 'tr', 'pl', 'nl'] as const;
export type HostedPageLanguage = (typeof HOSTED_PAGE_LANGUAGES)[number];

/** `checkout/create` codes. 1002 and 100001–100003: the payer must go to Paydo's page. */
export const CheckoutCode = {
  created: 1000,
  notCreated: 1001,
  authenticationRequired: [1002, 100001, 100002, 100003],
} as const;
