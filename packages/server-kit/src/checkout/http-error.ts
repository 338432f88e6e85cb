import { type CheckoutErrorCode, ERROR_CATALOGUE, type FieldErrorCode } from '../error-catalogue.ts';
import { PaydoError, PaydoValidationError } from '../errors.ts';
import type { CheckoutError } from '../protocol.ts';
import { isStoreUnavailable } from '../store/store.ts';

/**
 * An error answer of the plugin: the protocol's `{error, message, …}` body, with the HTTP
 * status and `retryable` of its code in the error catalogue (the first status unless `status`
 * names another of the code's).
 */
export class CheckoutHttpError extends Error {
  override name = 'CheckoutHttpError';
  readonly statusCode: number;
  readonly body: CheckoutError;
  /** For the merchant's log only (e.g. Paydo's own words): never sent to the browser. */
  readonly detail: string | undefined;
  constructor(
    code: CheckoutErrorCode,
    message: string,
    extra: Omit<Partial<CheckoutError>, 'error' | 'message'> & { status?: number; detail?: string } = {},
  ) {
    super(message);
    const { status, detail, ...rest } = extra;
    this.detail = detail;
    const entry = ERROR_CATALOGUE[code];
    const statuses: readonly number[] = entry.httpStatus;
    if (status !== undefined && !statuses.includes(status)) {
      throw new Error(`unreachable: ${code} is never answered with ${status} (error-catalogue.ts)`);
    }
    this.statusCode = status ?? (statuses[0] as number);
    this.body = { error: code, message, ...(entry.retryable && { retryable: true }), ...rest };
  }
}

export const orderNotFound = () => new CheckoutHttpError('order_not_found', 'This order was not found.');
export const transactionNotFound = () =>
  new CheckoutHttpError('transaction_not_found', 'This transaction was not found for this order.');

/** A `validation` answer's fields: name → messages, and `issues`: name → the code of its first problem. */
export class FieldProblems {
  readonly fields: Record<string, string[]> = {};
  readonly issues: Record<string, FieldErrorCode> = {};
  add(name: string, code: FieldErrorCode, message: string): this {
    this.fields[name] = [...(this.fields[name] ?? []), message];
    this.issues[name] ??= code;
    return this;
  }
  get any(): boolean {
    return Object.keys(this.fields).length > 0;
  }
}

export function validationError(problems: FieldProblems, message = 'Some fields need attention.') {
  return new CheckoutHttpError('validation', message, { fields: problems.fields, issues: problems.issues });
}

/** A refused request body → the field names the widget's inputs have, each with its sentences and code. */
export function bodyFields(
  issues: readonly { path: readonly PropertyKey[]; message: string; code?: string }[],
): FieldProblems {
  const problems = new FieldProblems();
  for (const issue of issues) {
    const name =
      issue.path
        .map(String)
        .join('.')
        .replace(/^payer\.(extraFields\.)?/, '') || 'body';
    problems.add(name, issue.code === 'too_big' ? 'field_too_long' : 'invalid_format', issue.message);
  }
  return problems;
}

/** Why an e-mail cannot go on an invoice, or null when it can. */
export function emailProblem(email: string | undefined): [FieldErrorCode, string] | null {
  if (!email) return ['field_required', 'This field is required.'];
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)
    ? null
    : ['invalid_email', 'Enter an e-mail address like name@example.com.'];
}

// Paydo's field names → the names the widget's inputs have.
const FIELD_NAMES: Record<string, string> = {
  pan: 'card.pan',
  expirationDate: 'card.expirationDate',
  cvv: 'card.cvv',
  holderName: 'card.holderName',
  cardToken: 'card.pan',
};

/** What Paydo's refusal of a card field means; any other field Paydo refuses is `invalid_format`. */
const PAYDO_FIELD_CODES: Record<string, FieldErrorCode> = {
  'card.pan': 'invalid_card_number',
  'card.expirationDate': 'invalid_expiry_date',
  'card.cvv': 'invalid_cvv',
};

export function widgetFieldName(paydoField: string): string {
  if (FIELD_NAMES[paydoField]) return FIELD_NAMES[paydoField];
  return paydoField.replace(/^(customer|payer)\.(extraFields\.)?/, '');
}

/**
 * Turns a client error into the protocol's answer, under the catalogue code of the client
 * error. `retryable` errors mean "nothing is lost, try again"; the others will not get better
 * by retrying. The payer gets a plain sentence; Paydo's words stay in the merchant's log.
 */
export function fromPaydoError(error: unknown): CheckoutHttpError {
  if (error instanceof CheckoutHttpError) return error;
  if (isStoreUnavailable(error)) return storeUnavailable();
  if (error instanceof PaydoValidationError) {
    const problems = new FieldProblems();
    for (const [name, messages] of Object.entries(error.fields)) {
      const key = widgetFieldName(name);
      for (const message of messages) problems.add(key, PAYDO_FIELD_CODES[key] ?? 'invalid_format', message);
    }
    return validationError(problems, 'Paydo did not accept some fields.');
  }
  if (error instanceof PaydoError) {
    const code = error.catalogueCode;
    const detail = `Paydo: ${error.code}${error.statusCode ? ` (HTTP ${error.statusCode})` : ''}: ${error.message}`;
    if (code === 'payment_rejected') return new CheckoutHttpError(code, ERROR_CATALOGUE[code].payerMessage, { detail });
    if (code === 'paydo_unavailable') {
      return new CheckoutHttpError(code, 'The payment service is not answering right now. Please try again.', {
        detail,
      });
    }
    // Credentials, shape or not-found problems: the merchant's setup, not the payer's.
    if (code !== 'request_aborted' && code !== 'validation') {
      return new CheckoutHttpError(code, 'The payment service refused the request. Please try again later.', {
        detail,
      });
    }
  }
  return internalError();
}

export const internalError = () =>
  new CheckoutHttpError('internal', 'Something went wrong on our side. Nothing was charged twice; please try again.');

/** The kit's own database (the `PaydoStore`) is not reachable: nothing was written, try again. */
export function storeUnavailable(): CheckoutHttpError {
  return new CheckoutHttpError(
    'service_unavailable',
    'The shop cannot record payments for a moment. Please try again: nothing is charged twice.',
  );
}
