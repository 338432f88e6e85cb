/**
 * The error catalogue: every error code a payer can see and every code the kit
 * gives the merchant, in one place. The plugin's answers (`error`), the widget's
 * events (`code`), the payment results (`errorCode`), the client's typed errors
 * (`catalogueCode`) and the log lines all use these codes; `docs/errors.md` is
 * generated from this file (`pnpm errors:doc`), and a test fails when the code
 * base uses a code that is not here. The widget imports the types only.
 */

/** Who meets the code. `payer` codes reach the browser (plugin answers, widget events); `merchant` codes stay on the server. */
export type ErrorAudience = 'payer' | 'merchant';

/**
 * Where the code is produced: `decline` — the result of a payment (`next: done, fail`, `onPaymentUpdate`,
 * `paydo-fail`); `field` — one input's problem (`issues` of a `validation` answer; the widget checks the
 * same before sending); `answer` — an error answer of the plugin's routes; `widget` — the element's own;
 * `client` — the Paydo client's typed errors; `ipn` — the IPN route's answers to Paydo.
 */
export type ErrorSource = 'decline' | 'field' | 'answer' | 'widget' | 'client' | 'ipn';

export interface ErrorCatalogueEntry {
  source: ErrorSource;
  audience: ErrorAudience;
  /** HTTP statuses of the plugin's answer with this code, the usual one first; empty when it is not an answer. */
  httpStatus: readonly number[];
  /** Whether the same request (or payment) may succeed when made again unchanged. */
  retryable: boolean;
  /** A decline code that is also a field's problem (`issues` of a `validation` answer). */
  field?: boolean;
  /** The English sentence the payer sees; the widget's dictionaries translate it under the same code. */
  payerMessage: string;
  /** What happened, for the merchant's developers. */
  explanation: string;
  /** What to do about it. */
  fix: string;
}

const GENERIC = 'Something went wrong. Please try again.';
const UNAVAILABLE = 'The payment service is not answering. Please try again.';
const NEVER_SHOWN = '(never shown to the payer)';

export const ERROR_CATALOGUE = {
  //// declines: the result of a payment ////
  payment_declined: {
    source: 'decline',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'The payment did not go through.',
    explanation:
      'The payment failed and Paydo gave no reason, or one the kit does not recognise. Paydo’s own words are in `errorMessage` of the payment update and in the log.',
    fix: 'Read `errorMessage`; if a reason recurs, look it up in the Paydo dashboard. The payer may try another card or method.',
  },
  card_declined: {
    source: 'decline',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'The card was declined.',
    explanation:
      'The card issuer declined the payment without a reason it shares ("Declined", "Do not honor", a restricted, lost or stolen card).',
    fix: 'Nothing on your side. The payer uses another card or method, or asks the bank.',
  },
  insufficient_funds: {
    source: 'decline',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'The card has insufficient funds.',
    explanation: 'The issuer declined: not enough money on the card (sandbox card 4000 0000 0000 9995).',
    fix: 'Nothing on your side. The payer uses another card or tops this one up.',
  },
  card_expired: {
    source: 'decline',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    field: true,
    payerMessage: 'This card has expired.',
    explanation: 'The issuer or Paydo declined an expired card (the kit checks the expiry date before paying too).',
    fix: 'Nothing on your side. The payer uses a valid card.',
  },
  incorrect_cvv: {
    source: 'decline',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'The security code is wrong.',
    explanation: 'The issuer declined: the CVV/CVC does not match the card.',
    fix: 'Nothing on your side. The payer types the code again.',
  },
  invalid_card_number: {
    source: 'decline',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    field: true,
    payerMessage: 'The card number is not valid.',
    explanation: 'The acquirer does not know the card number (it passed the Luhn check the kit makes before paying).',
    fix: 'Nothing on your side. The payer checks the number.',
  },
  limit_exceeded: {
    source: 'decline',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'The payment did not go through.',
    explanation: 'The issuer declined: the card’s amount or count limit is exceeded.',
    fix: 'Nothing on your side. The payer uses another card or asks the bank to raise the limit.',
  },
  three_d_secure_failed: {
    source: 'decline',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'The bank did not confirm the payment.',
    explanation: '3-D Secure authentication failed or was declined on the bank’s page.',
    fix: 'Nothing on your side. The payer tries again and completes the bank’s check, or uses another card.',
  },
  fraud_suspected: {
    source: 'decline',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'The payment did not go through.',
    explanation:
      'Paydo rejected the payment "due to security reasons" (its antifraud). The payer is told only that it did not go through.',
    fix: 'Check the order and the payer; ask Paydo support if a good customer is rejected.',
  },
  payment_timed_out: {
    source: 'decline',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'The payment did not go through.',
    explanation: 'The transaction timed out at Paydo (state 15, or "timeout"): the payer did not finish in time.',
    fix: 'Nothing on your side. The payer pays again.',
  },
  invoice_expired: {
    source: 'decline',
    audience: 'payer',
    httpStatus: [],
    retryable: true,
    payerMessage: 'This payment expired before it was completed. Nothing was charged: pay again to start a new one.',
    explanation:
      'The invoice was not paid within Paydo’s 24 hours and became overdue (invoice status 2); the transaction the payer left unfinished on it (3-D Secure, wallet) ended with it. The next attempt on the order makes a new invoice.',
    fix: 'Nothing on your side. The payer pays again; the kit makes a new invoice (an overdue one is never reused).',
  },
  payment_cancelled: {
    source: 'decline',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'The payment did not go through.',
    explanation: 'The payer cancelled on Paydo’s or the wallet’s page, or the transaction was voided.',
    fix: 'Nothing on your side. The payer pays again when ready.',
  },

  //// one field's problem: `issues` of a `validation` answer ////
  field_required: {
    source: 'field',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'This field is required.',
    explanation: 'A required input is empty: the method’s required payer field, the e-mail, or a card field.',
    fix: 'The widget marks it. Your own client: ask for it (`fields` of the method list says which are required).',
  },
  invalid_email: {
    source: 'field',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'Enter an e-mail address like name@example.com.',
    explanation: 'The e-mail is not an address Paydo takes.',
    fix: 'The payer corrects it.',
  },
  invalid_format: {
    source: 'field',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'The format is not valid.',
    explanation:
      'A value does not match its method field’s pattern (e.g. a national id), or Paydo refused a field the kit could not check.',
    fix: 'The payer corrects it; the method list gives each field’s `pattern`.',
  },
  field_too_long: {
    source: 'field',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'Use at most {n} characters.',
    explanation: 'A value is longer than the protocol allows (255 for names and e-mails, 32 for a phone).',
    fix: 'Your own client: keep `maxlength` as the widget does.',
  },
  invalid_expiry_date: {
    source: 'field',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'Enter the expiry date as MM/YY.',
    explanation: 'The card’s expiry date is not MM/YY with a month 01–12.',
    fix: 'The payer corrects it.',
  },
  invalid_cvv: {
    source: 'field',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'Enter the {n}-digit security code.',
    explanation: 'The CVV/CVC is not 3 digits (4 for American Express).',
    fix: 'The payer corrects it.',
  },
  method_unavailable: {
    source: 'field',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: GENERIC,
    explanation:
      'The `method` sent is not one the order may be paid with (unknown, disabled, or not for its currency).',
    fix: 'Your own client: offer only the methods of `GET /checkout/:orderRef`.',
  },

  //// answers of the plugin's routes ////
  validation: {
    source: 'answer',
    audience: 'payer',
    httpStatus: [422, 400, 413],
    retryable: false,
    payerMessage: 'Please correct the highlighted fields.',
    explanation:
      'The request is not valid: `fields` maps each input (`email`, `card.pan`, `nationalid`, …) to messages, `issues` each input to the code of its first problem (the field codes below). 400 for a malformed query or body, 413 for a body over `bodyLimit`. Nothing was sent to Paydo.',
    fix: 'The widget marks each field. Your own client: show `fields` next to the inputs.',
  },
  order_not_found: {
    source: 'answer',
    audience: 'payer',
    httpStatus: [404],
    retryable: false,
    payerMessage: 'This order was not found.',
    explanation: '`resolveOrder` returned null for the order reference.',
    fix: 'Check the reference the page passes to `<paydo-checkout order>` and what `resolveOrder` looks it up by.',
  },
  transaction_not_found: {
    source: 'answer',
    audience: 'payer',
    httpStatus: [404],
    retryable: false,
    payerMessage: GENERIC,
    explanation: 'The txid is not one of this order’s transactions (a made-up or another order’s `?paydo_txid=`).',
    fix: 'Nothing, unless your page builds links with `paydo_txid` itself: use the txid of the same order.',
  },
  already_paid: {
    source: 'answer',
    audience: 'payer',
    httpStatus: [409],
    retryable: false,
    payerMessage: 'This order is already paid.',
    explanation: 'The order is paid (`txid` when known); no new payment was started.',
    fix: 'Show the order’s receipt. The widget does, and fires `paydo-success` with `alreadyPaid: true`.',
  },
  payment_in_progress: {
    source: 'answer',
    audience: 'payer',
    httpStatus: [409],
    retryable: true,
    payerMessage: 'A payment for this order is already in progress.',
    explanation: 'Another attempt holds the order, or Paydo has a pending transaction for it (`txid` to follow).',
    fix: 'Follow `txid` (the widget waits for it), or try again in a moment.',
  },
  idempotency_mismatch: {
    source: 'answer',
    audience: 'payer',
    httpStatus: [422],
    retryable: false,
    payerMessage: GENERIC,
    explanation: 'The Idempotency-Key was already used for a different payment (another method, payer or card).',
    fix: 'Your own client: one new key per attempt, reused only when sending the same attempt again.',
  },
  payment_rejected: {
    source: 'answer',
    audience: 'payer',
    httpStatus: [422],
    retryable: false,
    payerMessage: 'The payment did not go through.',
    explanation:
      'Paydo refused to create the transaction (amount below or above the method’s limits, a currency the method does not take, …). Paydo’s words are in the log line.',
    fix: 'Check the method’s limits and currencies in the Paydo account; offer the methods that fit (`methods` attribute).',
  },
  rate_limited: {
    source: 'answer',
    audience: 'payer',
    httpStatus: [429],
    retryable: true,
    payerMessage: 'Too many attempts. Please wait {seconds} seconds and try again.',
    explanation: 'Too many payment attempts (per address, per order) or reads (per address); `Retry-After` says when.',
    fix: 'Normal against card testing. Raise `rateLimit` if real payers meet it (e.g. behind one proxy: set `trustProxy`).',
  },
  paydo_unavailable: {
    source: 'answer',
    audience: 'payer',
    httpStatus: [503],
    retryable: true,
    payerMessage: UNAVAILABLE,
    explanation:
      'Paydo answered 5xx, timed out, could not be reached, or gave a status the kit does not know. A pay attempt keeps its progress: a retry with the same key resumes it.',
    fix: 'Nothing; it passes. Check Paydo’s status and your server’s outbound network if it lasts.',
  },
  paydo_authentication_failed: {
    source: 'client',
    audience: 'payer',
    httpStatus: [502],
    retryable: false,
    payerMessage: UNAVAILABLE,
    explanation: 'Paydo answered 401: the JWT is missing, wrong or expired (client error `PAYDO_ERR_AUTHENTICATION`).',
    fix: 'Create a new JWT in the Paydo account, set `jwt`, and run `npx paydo-doctor`.',
  },
  paydo_forbidden: {
    source: 'client',
    audience: 'payer',
    httpStatus: [502],
    retryable: false,
    payerMessage: UNAVAILABLE,
    explanation:
      'Paydo answered 403: the project may not use a feature (client error `PAYDO_ERR_FORBIDDEN`). Card tokenization refused is handled by itself (`cardPayments: "auto"` switches to Paydo’s card page).',
    fix: 'Ask Paydo to enable the feature, or use `cardPayments: "hosted"`. `npx paydo-doctor` says which.',
  },
  paydo_not_found: {
    source: 'client',
    audience: 'payer',
    httpStatus: [502],
    retryable: false,
    payerMessage: UNAVAILABLE,
    explanation:
      'Paydo does not know what the kit asked for: usually the public key ("Application not found") or an invoice of another project (client error `PAYDO_ERR_NOT_FOUND`).',
    fix: 'Check `publicKey` and `baseUrl` (the sandbox and Paydo do not share keys); run `npx paydo-doctor`.',
  },
  paydo_request_refused: {
    source: 'client',
    audience: 'payer',
    httpStatus: [502],
    retryable: false,
    payerMessage: UNAVAILABLE,
    explanation: 'Paydo refused the request with another 4xx (415, 429, …) (client error `PAYDO_ERR_REQUEST`).',
    fix: 'Read the log line (Paydo’s status and words). A 429 from Paydo: fewer calls (see `methodsCacheTtlMs`).',
  },
  paydo_unexpected_response: {
    source: 'client',
    audience: 'payer',
    httpStatus: [502],
    retryable: false,
    payerMessage: UNAVAILABLE,
    explanation:
      'Paydo answered 2xx with a body the kit cannot rely on (`path` names the field; client error `PAYDO_ERR_UNEXPECTED_RESPONSE`), or `baseUrl` points at something that is not Paydo.',
    fix: 'Check `baseUrl`. If it is Paydo, report the log line (it carries no secrets) to the kit.',
  },
  paydo_unsafe_redirect: {
    source: 'answer',
    audience: 'payer',
    httpStatus: [502],
    retryable: false,
    payerMessage: UNAVAILABLE,
    explanation:
      'Paydo’s status answer sent the payer to an address that is neither https nor an allowed origin; the kit refused it.',
    fix: 'Against a local emulator on http, set `allowedRedirectOrigins`; against Paydo, report it.',
  },
  service_unavailable: {
    source: 'answer',
    audience: 'payer',
    httpStatus: [503],
    retryable: true,
    payerMessage: UNAVAILABLE,
    explanation:
      'The kit’s own store (SQLite, PostgreSQL) or the rate-limit Redis is unreachable; nothing was written.',
    fix: 'Check the database or Redis; the claims held are given back once it answers again.',
  },
  order_invalid: {
    source: 'answer',
    audience: 'payer',
    httpStatus: [500],
    retryable: false,
    payerMessage: GENERIC,
    explanation:
      '`resolveOrder` returned an order the kit cannot charge (an amount that is not decimal text, a lowercase or unknown currency, …). The log line names the field.',
    fix: 'Fix `resolveOrder` as the log line says: `amount` as text such as "12.50", `currency` as an ISO code such as "EUR".',
  },
  origin_not_allowed: {
    source: 'answer',
    audience: 'payer',
    httpStatus: [403],
    retryable: false,
    payerMessage: GENERIC,
    explanation: 'A POST from an origin that is neither the plugin’s own nor in `allowedOrigins`.',
    fix: 'Add the page’s origin to `allowedOrigins` when the checkout page is on another origin.',
  },
  unsupported_media_type: {
    source: 'answer',
    audience: 'merchant',
    httpStatus: [415],
    retryable: false,
    payerMessage: NEVER_SHOWN,
    explanation: 'The body is not JSON (`Content-Type: application/json`).',
    fix: 'Your own client: send JSON.',
  },
  route_not_found: {
    source: 'answer',
    audience: 'merchant',
    httpStatus: [404],
    retryable: false,
    payerMessage: NEVER_SHOWN,
    explanation: 'No route of the plugin has this path.',
    fix: 'Check the `api` attribute of `<paydo-checkout>` against the plugin’s `prefix`.',
  },
  internal: {
    source: 'answer',
    audience: 'payer',
    httpStatus: [500],
    retryable: false,
    payerMessage: GENERIC,
    explanation:
      'An unexpected error in the plugin (logged with its stack, never echoed), or an answer that is not JSON.',
    fix: 'Read the log line `paydo: unexpected error`.',
  },

  //// the widget's own ////
  offline: {
    source: 'widget',
    audience: 'payer',
    httpStatus: [],
    retryable: true,
    payerMessage: 'You seem to be offline. Check your connection.',
    explanation:
      'The browser could not reach the merchant’s server (a pay attempt was retried twice with its key first).',
    fix: 'Nothing, unless it is your server: check that the plugin’s `prefix` is reachable from the page.',
  },
  confirmation_timeout: {
    source: 'widget',
    audience: 'payer',
    httpStatus: [],
    retryable: false,
    payerMessage: 'We could not confirm the payment yet. If you were charged, your order will update by itself.',
    explanation: 'No final state within `max-wait-ms` of waiting. The IPN still updates the order when it comes.',
    fix: 'Nothing; raise `max-wait-ms` for slow methods (bank transfers).',
  },

  widget_load_failed: {
    source: 'widget',
    audience: 'merchant',
    httpStatus: [],
    retryable: true,
    payerMessage: NEVER_SHOWN,
    explanation:
      'The React wrapper (`@paydo-checkout/react`) could not load the element’s module, so no element shows anything; `message` says why.',
    fix: 'Show your own sentence and a reload link (the React example does); check that the widget’s script is served.',
  },

  //// the client only (never an answer) ////
  request_aborted: {
    source: 'client',
    audience: 'merchant',
    httpStatus: [],
    retryable: false,
    payerMessage: NEVER_SHOWN,
    explanation: 'Your AbortSignal fired before Paydo answered (client error `PAYDO_ERR_ABORTED`).',
    fix: 'None needed; a create call may still have taken effect (`requestSent`).',
  },

  //// answers of the IPN route (to Paydo) ////
  ipn_source_not_allowed: {
    source: 'ipn',
    audience: 'merchant',
    httpStatus: [403],
    retryable: false,
    payerMessage: NEVER_SHOWN,
    explanation: 'An IPN from an address not in `ipnSourceAddresses`.',
    fix: 'If Paydo published new addresses, add them to `ipnSourceAddresses`; behind a proxy, set `trustProxy`.',
  },
  ipn_invalid: {
    source: 'ipn',
    audience: 'merchant',
    httpStatus: [400],
    retryable: false,
    payerMessage: NEVER_SHOWN,
    explanation: 'The body is not an IPN (malformed, or ids no Paydo id can be).',
    fix: 'None for Paydo’s IPNs; your own test posts must follow the IPN shape.',
  },
  ipn_unknown_invoice: {
    source: 'ipn',
    audience: 'merchant',
    httpStatus: [404],
    retryable: false,
    payerMessage: NEVER_SHOWN,
    explanation: 'The IPN names an invoice this shop (its store) did not create.',
    fix: 'Two shops on one Paydo project each get the other’s IPNs: give each its own project, or the same store.',
  },
  ipn_mismatch: {
    source: 'ipn',
    audience: 'merchant',
    httpStatus: [422],
    retryable: false,
    payerMessage: NEVER_SHOWN,
    explanation:
      'The transaction does not exist, belongs to another invoice, or does not match the order (id, amount, currency from `resolveOrder`).',
    fix: 'Check the log line: a changed order amount after paying, or a reused order id.',
  },
  ipn_not_applied: {
    source: 'ipn',
    audience: 'merchant',
    httpStatus: [503],
    retryable: true,
    payerMessage: NEVER_SHOWN,
    explanation:
      '`onPaymentUpdate` threw, Paydo could not confirm the transaction, or it still says pending: Paydo delivers again (for 24 hours).',
    fix: 'Read the log line; make `onPaymentUpdate` succeed (it may be called again for the same result).',
  },
} as const satisfies Record<string, ErrorCatalogueEntry>;

/** Every code of the catalogue. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

type CodesOf<S extends ErrorSource> = {
  [K in ErrorCode]: (typeof ERROR_CATALOGUE)[K]['source'] extends S ? K : never;
}[ErrorCode];

/** Why a payment failed: `done.code`, `PaymentUpdate.errorCode`, `paydo-fail`'s `code`. */
export type DeclineCode = CodesOf<'decline'>;

/** One input's problem: `issues` of a `validation` answer (field name → code). */
export type FieldErrorCode =
  | CodesOf<'field'>
  | {
      [K in ErrorCode]: (typeof ERROR_CATALOGUE)[K] extends { field: true } ? K : never;
    }[ErrorCode];

/** Codes the plugin's routes answer the browser with (`error` of the protocol's error body). */
export type CheckoutErrorCode = {
  [K in ErrorCode]: (typeof ERROR_CATALOGUE)[K]['source'] extends 'ipn'
    ? never
    : (typeof ERROR_CATALOGUE)[K]['httpStatus'] extends readonly []
      ? never
      : K;
}[ErrorCode];

/** Codes the IPN route answers Paydo with. */
export type IpnErrorCode = CodesOf<'ipn'>;

/** Codes a `paydo-error` event carries: an answer's, or the widget's own. */
export type WidgetErrorCode = CheckoutErrorCode | CodesOf<'widget'>;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}

//// Paydo's free-text reasons ////

// Paydo's IPN `error.code` is documented as always empty, and its transaction `error` is a
// sentence: the reason is recognised from the words. First match wins; more specific first.
const REASONS: readonly [RegExp, DeclineCode][] = [
  // Before "expired" (the card's): the invoice's 24 hours are over, not the card.
  [/\binvoice\b.*\b(overdue|expired)\b|\boverdue\b/i, 'invoice_expired'],
  [/insufficient|not enough (money|funds)|недостаточно/i, 'insufficient_funds'],
  [/3-?d[- ]?s(ecure)?|three[- ]d|authenticat|\bacs\b|verification failed/i, 'three_d_secure_failed'],
  [/expired|expiry|expiration/i, 'card_expired'],
  [/\bcvv2?\b|\bcvc2?\b|security code/i, 'incorrect_cvv'],
  [/invalid (card|account)|card number|no such (card|issuer|account)|unknown card/i, 'invalid_card_number'],
  [/limit|exceed|too many/i, 'limit_exceeded'],
  [/security reasons?|fraud|suspected|risk|blocked by/i, 'fraud_suspected'],
  [/time-?out|timed out|took too long/i, 'payment_timed_out'],
  [/cancel|void|abandon/i, 'payment_cancelled'],
  // Only what names the card or its issuer: "Declined in the wallet" is not a card's decline.
  [/do not honou?r|card (was |is )?(declined|restricted|blocked)|issuer|lost|stolen|pick ?up/i, 'card_declined'],
];

/** Paydo's transaction state for "timed out" (paydo-api.md §7). */
const STATE_TIMED_OUT = 15;

/**
 * Paydo's free-text reason (and the transaction state) → a decline code. The reason
 * itself is kept verbatim for the merchant (`PaymentUpdate.errorMessage`, logs) and
 * never shown to the payer; an unrecognised or empty reason is `payment_declined`.
 */
export function declineCodeFor(reason: string | null | undefined, state?: number | null): DeclineCode {
  const text = reason?.trim() ?? '';
  for (const [pattern, code] of REASONS) if (pattern.test(text)) return code;
  if (state === STATE_TIMED_OUT) return 'payment_timed_out';
  return 'payment_declined';
}
