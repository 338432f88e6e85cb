/**
 * Typed errors of the Paydo client. Every error has a stable `code` to switch
 * on (`PAYDO_ERR_*`, Node style), the code of the error catalogue it belongs to
 * (`catalogueCode`, the one the plugin answers and logs with; docs/errors.md),
 * a `retryable` flag, and a message a person can read. Messages never carry
 * the secret key, the JWT or card data: everything that comes from the wire
 * goes through `redact()` first.
 */
import type { ErrorCode } from './error-catalogue.ts';

export type PaydoErrorCode =
  | 'PAYDO_ERR_VALIDATION'
  | 'PAYDO_ERR_AUTHENTICATION'
  | 'PAYDO_ERR_FORBIDDEN'
  | 'PAYDO_ERR_NOT_FOUND'
  | 'PAYDO_ERR_BUSINESS'
  | 'PAYDO_ERR_REQUEST'
  | 'PAYDO_ERR_UPSTREAM'
  | 'PAYDO_ERR_TIMEOUT'
  | 'PAYDO_ERR_NETWORK'
  | 'PAYDO_ERR_UNEXPECTED_RESPONSE'
  | 'PAYDO_ERR_ABORTED';

/** Each client error code → its code in the error catalogue (several may share one). */
export const CATALOGUE_CODES = {
  PAYDO_ERR_VALIDATION: 'validation',
  PAYDO_ERR_AUTHENTICATION: 'paydo_authentication_failed',
  PAYDO_ERR_FORBIDDEN: 'paydo_forbidden',
  PAYDO_ERR_NOT_FOUND: 'paydo_not_found',
  PAYDO_ERR_BUSINESS: 'payment_rejected',
  PAYDO_ERR_REQUEST: 'paydo_request_refused',
  PAYDO_ERR_UPSTREAM: 'paydo_unavailable',
  PAYDO_ERR_TIMEOUT: 'paydo_unavailable',
  PAYDO_ERR_NETWORK: 'paydo_unavailable',
  PAYDO_ERR_UNEXPECTED_RESPONSE: 'paydo_unexpected_response',
  PAYDO_ERR_ABORTED: 'request_aborted',
} as const satisfies Record<PaydoErrorCode, ErrorCode>;

export type PaydoCatalogueCode = (typeof CATALOGUE_CODES)[PaydoErrorCode];

/** Field name → the sentences Paydo (or the client's own check) gave for it. */
export type FieldErrors = Record<string, string[]>;

const kPaydoError = Symbol.for('paydo-checkout.error');

export interface PaydoErrorOptions {
  statusCode?: number | undefined;
  /** `false` only when the client knows the request never left this process. */
  requestSent?: boolean | undefined;
  cause?: unknown;
}

export abstract class PaydoError extends Error {
  override name = 'PaydoError';
  abstract readonly code: PaydoErrorCode;
  /** The error catalogue's code for this error (docs/errors.md): what the plugin answers and logs. */
  get catalogueCode(): PaydoCatalogueCode {
    return CATALOGUE_CODES[this.code];
  }
  /** Whether the same call may succeed if made again later. */
  readonly retryable: boolean = false;
  /** HTTP status of Paydo's answer, when there was one. */
  readonly statusCode: number | undefined;
  /**
   * Whether the request may have reached Paydo. A create call that failed with
   * `requestSent: true` may have taken effect: look it up before making it again.
   */
  readonly requestSent: boolean;

  constructor(message: string, options: PaydoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.statusCode = options.statusCode;
    this.requestSent = options.requestSent ?? true;
  }

  /** Set by each subclass; lets `instanceof` work across two loaded copies of the package. */
  static readonly errorCode: PaydoErrorCode | undefined = undefined;

  // instanceof across two loaded copies of the package (undici does the same with Symbol.for).
  // `this` is the class on the right of `instanceof`: that is the point.
  // biome-ignore-start lint/complexity/noThisInStatic: polymorphic on purpose
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== 'object' || value === null || !(kPaydoError in value)) return false;
    return this.errorCode === undefined || (value as PaydoError).code === this.errorCode;
  }
  // biome-ignore-end lint/complexity/noThisInStatic: polymorphic on purpose

  get [kPaydoError](): true {
    return true;
  }
}

/** 422 with a field map, or a request the client refused before sending it. */
export class PaydoValidationError extends PaydoError {
  override name = 'PaydoValidationError';
  static override readonly errorCode: PaydoErrorCode = 'PAYDO_ERR_VALIDATION';
  override readonly code = 'PAYDO_ERR_VALIDATION';
  readonly fields: FieldErrors;
  constructor(message: string, fields: FieldErrors, options?: PaydoErrorOptions) {
    super(message, options);
    this.fields = fields;
  }
}

/** 401: the JWT is missing, wrong or expired. */
export class PaydoAuthenticationError extends PaydoError {
  override name = 'PaydoAuthenticationError';
  static override readonly errorCode: PaydoErrorCode = 'PAYDO_ERR_AUTHENTICATION';
  override readonly code = 'PAYDO_ERR_AUTHENTICATION';
}

/** 403: the project may not use this feature (e.g. card tokenization). */
export class PaydoForbiddenError extends PaydoError {
  override name = 'PaydoForbiddenError';
  static override readonly errorCode: PaydoErrorCode = 'PAYDO_ERR_FORBIDDEN';
  override readonly code = 'PAYDO_ERR_FORBIDDEN';
}

/** 404, or 422 "Invoice not found" (newer Paydo pages answer 422). */
export class PaydoNotFoundError extends PaydoError {
  override name = 'PaydoNotFoundError';
  static override readonly errorCode: PaydoErrorCode = 'PAYDO_ERR_NOT_FOUND';
  override readonly code = 'PAYDO_ERR_NOT_FOUND';
}

/** 422 with a sentence: a business rule refused the call (wrong signature, amount limits…). */
export class PaydoBusinessError extends PaydoError {
  override name = 'PaydoBusinessError';
  static override readonly errorCode: PaydoErrorCode = 'PAYDO_ERR_BUSINESS';
  override readonly code = 'PAYDO_ERR_BUSINESS';
}

/** Any other 4xx (415, 429…): the request itself was not acceptable. */
export class PaydoRequestError extends PaydoError {
  override name = 'PaydoRequestError';
  static override readonly errorCode: PaydoErrorCode = 'PAYDO_ERR_REQUEST';
  override readonly code = 'PAYDO_ERR_REQUEST';
}

/** 5xx: Paydo is failing; try again later. */
export class PaydoUpstreamError extends PaydoError {
  override name = 'PaydoUpstreamError';
  static override readonly errorCode: PaydoErrorCode = 'PAYDO_ERR_UPSTREAM';
  override readonly code = 'PAYDO_ERR_UPSTREAM';
  override readonly retryable = true;
  /** From Paydo's `Retry-After`, when it sent one. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options?: PaydoErrorOptions & { retryAfterMs?: number | undefined }) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

export type TimeoutPhase = 'connect' | 'headers' | 'body';

/** No answer in time. `phase: 'connect'` means the request was never sent. */
export class PaydoTimeoutError extends PaydoError {
  override name = 'PaydoTimeoutError';
  static override readonly errorCode: PaydoErrorCode = 'PAYDO_ERR_TIMEOUT';
  override readonly code = 'PAYDO_ERR_TIMEOUT';
  override readonly retryable = true;
  readonly phase: TimeoutPhase;
  constructor(phase: TimeoutPhase, options?: PaydoErrorOptions) {
    super(`Paydo did not answer in time (${phase} timeout).`, {
      ...options,
      requestSent: phase !== 'connect',
    });
    this.phase = phase;
  }
}

/** The connection failed (refused, reset, DNS). */
export class PaydoNetworkError extends PaydoError {
  override name = 'PaydoNetworkError';
  static override readonly errorCode: PaydoErrorCode = 'PAYDO_ERR_NETWORK';
  override readonly code = 'PAYDO_ERR_NETWORK';
  override readonly retryable = true;
}

/** Paydo answered 2xx with a body the kit cannot rely on. `path` names the field. */
export class PaydoUnexpectedResponseError extends PaydoError {
  override name = 'PaydoUnexpectedResponseError';
  static override readonly errorCode: PaydoErrorCode = 'PAYDO_ERR_UNEXPECTED_RESPONSE';
  override readonly code = 'PAYDO_ERR_UNEXPECTED_RESPONSE';
  readonly path: string;
  constructor(message: string, path: string, options?: PaydoErrorOptions) {
    super(message, options);
    this.path = path;
  }
}

/** The caller's AbortSignal fired. */
export class PaydoAbortedError extends PaydoError {
  override name = 'PaydoAbortedError';
  static override readonly errorCode: PaydoErrorCode = 'PAYDO_ERR_ABORTED';
  override readonly code = 'PAYDO_ERR_ABORTED';
}

//// redaction ////

// 12–19 digits, optionally grouped by spaces or dashes: anything that could be a PAN.
const PAN_LIKE = /\b(?:\d[ -]?){11,18}\d\b/g;

/**
 * Removes what must never appear in an error message or a log: card-number-like
 * digit runs, and the given secrets (secret key, JWT) wherever they occur.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(PAN_LIKE, '[redacted]');
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
