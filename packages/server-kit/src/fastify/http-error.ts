import { PaydoError, PaydoValidationError } from '../errors.ts';
import type { CheckoutError, CheckoutErrorCode } from '../protocol.ts';
import { isStoreUnavailable } from './store/store.ts';

/** An error answer of the plugin: HTTP status plus the protocol's `{error, message, …}` body. */
export class CheckoutHttpError extends Error {
  override name = 'CheckoutHttpError';
  readonly statusCode: number;
  readonly body: CheckoutError;
  constructor(statusCode: number, code: CheckoutErrorCode, message: string, extra: Partial<CheckoutError> = {}) {
    super(message);
    this.statusCode = statusCode;
    this.body = { error: code, message, ...extra };
  }
}

export const notFound = (what = 'This order') => new CheckoutHttpError(404, 'not_found', `${what} was not found.`);

export function validationError(fields: Record<string, string[]>, message = 'Some fields need attention.') {
  return new CheckoutHttpError(422, 'validation', message, { fields });
}

/** A refused request body → the field names the widget's inputs have, each with its sentences. */
export function bodyFields(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of issues) {
    const name =
      issue.path
        .map(String)
        .join('.')
        .replace(/^payer\.(extraFields\.)?/, '') || 'body';
    fields[name] = [...(fields[name] ?? []), issue.message];
  }
  return fields;
}

/** Why an e-mail cannot go on an invoice, or null when it can. */
export function emailProblem(email: string | undefined): string | null {
  if (!email) return 'This field is required.';
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? null : 'Enter an e-mail address like name@example.com.';
}

// Paydo's field names → the names the widget's inputs have.
const FIELD_NAMES: Record<string, string> = {
  pan: 'card.pan',
  expirationDate: 'card.expirationDate',
  cvv: 'card.cvv',
  holderName: 'card.holderName',
  cardToken: 'card.pan',
};

export function widgetFieldName(paydoField: string): string {
  if (FIELD_NAMES[paydoField]) return FIELD_NAMES[paydoField];
  return paydoField.replace(/^(customer|payer)\.(extraFields\.)?/, '');
}

/**
 * Turns a client error into the protocol's answer. `retryable` errors mean
 * "nothing is lost, try again"; the others will not get better by retrying.
 */
export function fromPaydoError(error: unknown): CheckoutHttpError {
  if (error instanceof CheckoutHttpError) return error;
  if (isStoreUnavailable(error)) return storeUnavailable();
  if (error instanceof PaydoValidationError) {
    const fields: Record<string, string[]> = {};
    for (const [name, messages] of Object.entries(error.fields)) {
      const key = widgetFieldName(name);
      fields[key] = [...(fields[key] ?? []), ...messages];
    }
    return validationError(fields, 'Paydo did not accept some fields.');
  }
  if (error instanceof PaydoError) {
    switch (error.code) {
      case 'PAYDO_ERR_BUSINESS':
        return new CheckoutHttpError(422, 'payment_rejected', error.message);
      case 'PAYDO_ERR_UPSTREAM':
      case 'PAYDO_ERR_TIMEOUT':
      case 'PAYDO_ERR_NETWORK':
        return new CheckoutHttpError(
          503,
          'upstream_unavailable',
          'The payment service is not answering right now. Please try again.',
          {
            retryable: true,
          },
        );
      default:
        // Credentials, shape or not-found problems: the merchant's setup, not the payer's.
        return new CheckoutHttpError(
          502,
          'upstream_unavailable',
          'The payment service refused the request. Please try again later.',
          {
            retryable: false,
          },
        );
    }
  }
  return new CheckoutHttpError(
    500,
    'internal',
    'Something went wrong on our side. Nothing was charged twice; please try again.',
  );
}

/** The kit's own database (the `PaydoStore`) is not reachable: nothing was written, try again. */
export function storeUnavailable(): CheckoutHttpError {
  return new CheckoutHttpError(
    503,
    'service_unavailable',
    'The shop cannot record payments for a moment. Please try again: nothing is charged twice.',
    { retryable: true },
  );
}
