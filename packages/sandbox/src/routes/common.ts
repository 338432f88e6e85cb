import type { FastifyReply, FastifyRequest } from 'fastify';
import { toUnits } from '../money.ts';
import type { SandboxProject } from '../options.ts';

/** Paydo's sentences, word for word where the contract gives them. */
export const MESSAGES = {
  unauthorized: 'Full authentication is required to access this resource.',
  tokenInvalid: 'Authorization token invalid',
  methodNotAllowed: 'Method Not Allowed',
  forbidden: 'Access denied.',
  unsupportedMediaType: 'Unsupported media type. Only json allowed',
  invoiceNotFound: 'Invoice not found',
  routeNotFound: 'Not found',
  transactionNotFound: 'Transaction not found',
  applicationNotFound: 'Application not found',
  wrongSignature: 'Wrong signature',
  methodDisabled: 'Method must be enabled to use it',
  serverError: 'Something went wrong, try again or contact support.',
  tokenizationUnavailable: 'Card tokenization is temporarily unavailable. Please contact support',
  tokenizationForbidden: 'Card tokenization is not available for your application. Please contact support',
  amountTooSmall: 'Invalid amount, less than allowed minumum',
  amountTooLarge: 'Invalid amount, more than allowed maximum',
  refundTooBig: 'Refund amount is bigger than transaction amount',
  refundNotEnough: 'Not enough money on transaction to make refund',
  blank: 'This value should not be blank.',
  email: 'This value is not a valid email address.',
  invalid: 'This value is not valid.',
  string: 'This value should be of type string.',
} as const;

export function sendError(reply: FastifyReply, status: number, message: unknown): FastifyReply {
  return reply.code(status).send({ message });
}

/** Success envelope; the id of a created thing goes into the `identifier` header. */
export function sendData(reply: FastifyReply, data: unknown, options: { status?: number; identifier?: string } = {}) {
  if (options.identifier) reply.header('identifier', options.identifier);
  return reply.code(options.status ?? 200).send({ data, status: 1 });
}

/** 200 (the pages) or 201 (Paydo's API tests) for card tokens and refunds, by variant. */
export function createdStatus(ctx: { options: { variants: { createdStatus: string } } }): number {
  return ctx.options.variants.createdStatus === '201' ? 201 : 200;
}

/** `Authorization: Bearer <JWT>`, or the deprecated `token: <JWT>` header Paydo still accepts. */
export function isAuthorized(request: FastifyRequest, project: SandboxProject): boolean {
  return presentedToken(request) === project.jwt;
}

function presentedToken(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  const bearer = typeof auth === 'string' && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '') : undefined;
  const legacy = typeof request.headers.token === 'string' ? request.headers.token : undefined;
  return bearer ?? legacy;
}

/**
 * Refuses a call without the project's JWT as Paydo's pages do: no token →
 * 401 "Full authentication is required…" (fail-response page); a token that
 * is not the project's → 401 "Authorization token invalid" (methods and
 * refund pages); a JWT whose segments do not decode to JSON → 422 with PHP's
 * json_decode sentence and `status: 0` (methods page, "edited JWT").
 * Returns true when it answered.
 */
export function refuseUnauthorized(request: FastifyRequest, reply: FastifyReply, project: SandboxProject): boolean {
  const token = presentedToken(request);
  if (token === project.jwt) return false;
  if (!token) {
    void sendError(reply, 401, MESSAGES.unauthorized);
    return true;
  }
  const broken = jwtJsonProblem(token);
  if (broken) void reply.code(422).send({ message: broken, status: 0 });
  else void sendError(reply, 401, MESSAGES.tokenInvalid);
  return true;
}

/** The sentence PHP's json_decode gives for a JWT segment, or null when the token is not a broken JWT. */
export function jwtJsonProblem(token: string): string | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  for (const part of parts.slice(0, 2)) {
    const bytes = Buffer.from(part, 'base64url');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return 'Malformed UTF-8 characters';
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: PHP refuses raw control characters in JSON
    if (/[\u0000-\u001f]/.test(text)) return 'Unexpected control character found';
    try {
      JSON.parse(text);
    } catch {
      return 'Syntax error, malformed JSON';
    }
  }
  return null;
}

/** Collects Symfony-style field errors: field → list of sentences. */
export class FieldErrors {
  readonly map: Record<string, string[]> = {};
  add(field: string, message: string): void {
    this.map[field] = [...(this.map[field] ?? []), message];
  }
  get any(): boolean {
    return Object.keys(this.map).length > 0;
  }
  /** Adds "should not be blank" for a missing or empty string; returns the string or undefined. */
  requireString(field: string, value: unknown, { allowEmpty = false } = {}): string | undefined {
    if (value === undefined || value === null || (!allowEmpty && value === '')) {
      this.add(field, MESSAGES.blank);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.add(field, MESSAGES.string);
      return undefined;
    }
    return value;
  }
  optionalString(field: string, value: unknown): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.add(field, MESSAGES.string);
      return undefined;
    }
    return value;
  }
  email(field: string, value: unknown): string | undefined {
    const s = this.requireString(field, value);
    if (s !== undefined && !EMAIL.test(s)) {
      this.add(field, MESSAGES.email);
      return undefined;
    }
    return s;
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The method's amount limits: Paydo's `{isSuccess: false, message}` answer, or null when the amount fits. */
export function amountLimitError(amount: string, method: { minAmount: string; maxAmount: string }) {
  const units = toUnits(amount);
  if (units < toUnits(method.minAmount)) return { isSuccess: false, message: MESSAGES.amountTooSmall };
  if (units > toUnits(method.maxAmount)) return { isSuccess: false, message: MESSAGES.amountTooLarge };
  return null;
}

/** Replaces Paydo's URL templates. */
export function fillTemplate(url: string, values: { invoiceId: string; txid: string }): string {
  return url.replaceAll('{{invoiceId}}', values.invoiceId).replaceAll('{{txid}}', values.txid);
}
