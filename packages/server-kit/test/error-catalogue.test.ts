import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_CARDS } from '@paydo-checkout/sandbox';
import { describe, expect, it } from 'vitest';
import { ERRORS_DOC, PAYDO_REASON_SAMPLES, renderErrorsDoc, withoutTablePadding } from '../../../scripts/errors-doc.ts';
import { CheckoutHttpError, fromPaydoError } from '../src/checkout/http-error.ts';
import {
  CATALOGUE_CODES,
  type DeclineCode,
  declineCodeFor,
  ERROR_CATALOGUE,
  ERROR_CODES,
  type ErrorCatalogueEntry,
  isErrorCode,
  PaydoAbortedError,
  PaydoAuthenticationError,
  PaydoBusinessError,
  type PaydoError,
  PaydoForbiddenError,
  PaydoNetworkError,
  PaydoNotFoundError,
  PaydoRequestError,
  PaydoTimeoutError,
  PaydoUnexpectedResponseError,
  PaydoUpstreamError,
  PaydoValidationError,
} from '../src/index.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('declineCodeFor: Paydo’s free-text reasons → decline codes', () => {
  const expected: Record<string, DeclineCode> = {
    'Card declined by the issuer': 'card_declined',
    'Do not honor': 'card_declined',
    'DO NOT HONOUR': 'card_declined',
    'Insufficient funds': 'insufficient_funds',
    'Not enough money on the card': 'insufficient_funds',
    '3-D Secure authentication failed': 'three_d_secure_failed',
    '3DS authorization error or 3DS canceled by payer': 'three_d_secure_failed',
    'Expired card': 'card_expired',
    'Invalid CVV': 'incorrect_cvv',
    'Invalid card number.': 'invalid_card_number',
    'Exceeds withdrawal amount limit': 'limit_exceeded',
    'We are unable to process your payment due to security reasons.': 'fraud_suspected',
    'Payop. Transaction rejected by security reason.': 'fraud_suspected',
    timeout: 'payment_timed_out',
    'Invoice is overdue: the payment was not completed in time': 'invoice_expired',
    'Invoice is overdue': 'invoice_expired',
    'Invoice expired': 'invoice_expired',
    'Payment cancelled on Paydo': 'payment_cancelled',
    'Transaction voided by the merchant': 'payment_cancelled',
    'Declined in the wallet': 'payment_declined',
    'Rejected by the bank': 'payment_declined',
    'Something nobody has seen before': 'payment_declined',
    '': 'payment_declined',
  };
  for (const [reason, code] of Object.entries(expected)) {
    it(`“${reason}” → ${code}`, () => expect(declineCodeFor(reason)).toBe(code));
  }

  it('state 15 (timed out) without words is payment_timed_out; null and whitespace are payment_declined', () => {
    expect(declineCodeFor('', 15)).toBe('payment_timed_out');
    expect(declineCodeFor(null, 5)).toBe('payment_declined');
    expect(declineCodeFor('   ', 3)).toBe('payment_declined');
  });

  it('recognises the emulator’s decline reasons as the codes its test cards are documented with', () => {
    const declines = TEST_CARDS.flatMap((c) => (c.scenario.kind === 'decline' ? [c.scenario] : []));
    expect(declines.length).toBeGreaterThanOrEqual(2);
    for (const d of declines) expect(declineCodeFor(d.message)).toBe(d.errorCode);
  });

  it('every decline code but the fallback is reached by some reason the doc shows', () => {
    const reached = new Set<string>(PAYDO_REASON_SAMPLES.map((r) => declineCodeFor(r)));
    const declineCodes = ERROR_CODES.filter((c) => ERROR_CATALOGUE[c].source === 'decline');
    expect(declineCodes.filter((c) => !reached.has(c))).toEqual([]);
  });
});

describe('the catalogue', () => {
  it('has, for every code, an explanation and a fix; a payer sentence for codes that reach the payer', () => {
    for (const code of ERROR_CODES) {
      const e: ErrorCatalogueEntry = ERROR_CATALOGUE[code];
      expect(code).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      expect(e.explanation.length, code).toBeGreaterThan(20);
      expect(e.fix.length, code).toBeGreaterThan(10);
      if (e.audience === 'payer') expect(e.payerMessage, code).toMatch(/^[A-Z].*\.$/);
      if (e.source === 'answer' || e.source === 'ipn') expect(e.httpStatus.length, code).toBeGreaterThan(0);
      if (e.source === 'decline' || e.source === 'widget') expect(e.httpStatus, code).toEqual([]);
    }
  });

  it('maps every client error code to a catalogue code', () => {
    for (const code of Object.values(CATALOGUE_CODES)) expect(isErrorCode(code), code).toBe(true);
  });

  const clientErrors: PaydoError[] = [
    new PaydoValidationError('x', { pan: ['Invalid card number.'] }),
    new PaydoAuthenticationError('Full authentication is required to access this resource.', { statusCode: 401 }),
    new PaydoForbiddenError('Access denied.', { statusCode: 403 }),
    new PaydoNotFoundError('Application not found', { statusCode: 404 }),
    new PaydoBusinessError('Invalid amount, less than allowed minumum', { statusCode: 422 }),
    new PaydoRequestError('Too many requests', { statusCode: 429 }),
    new PaydoUpstreamError('Something went wrong, try again or contact support.', { statusCode: 500 }),
    new PaydoTimeoutError('headers'),
    new PaydoNetworkError('ECONNREFUSED'),
    new PaydoUnexpectedResponseError('data.txid is missing', 'data.txid'),
    new PaydoAbortedError('aborted'),
  ];
  it('client errors keep their PAYDO_ERR_* code and carry their catalogueCode', () => {
    expect(new Set(clientErrors.map((e) => e.code))).toEqual(new Set(Object.keys(CATALOGUE_CODES)));
    for (const e of clientErrors) expect(e.catalogueCode).toBe(CATALOGUE_CODES[e.code]);
  });

  it('the plugin answers a client error with its catalogue code, status and retryable; Paydo’s words only in `detail`', () => {
    for (const e of clientErrors) {
      const answer = fromPaydoError(e);
      const code = e.catalogueCode === 'request_aborted' ? 'internal' : e.catalogueCode;
      expect(answer.body.error, e.code).toBe(code);
      const entry: ErrorCatalogueEntry = ERROR_CATALOGUE[code];
      expect(entry.httpStatus, e.code).toContain(answer.statusCode);
      expect(answer.body.retryable === true, e.code).toBe(entry.retryable);
      if (code !== 'validation' && code !== 'internal') {
        expect(answer.body.message).not.toContain(e.message);
        expect(answer.detail).toContain(e.message);
      }
    }
  });

  it('an answer with a status its code never has is a programming error', () => {
    expect(() => new CheckoutHttpError('rate_limited', 'x', { status: 503 })).toThrow(/never answered with 503/);
    expect(new CheckoutHttpError('validation', 'x', { status: 413 }).statusCode).toBe(413);
  });
});

describe('docs/errors.md', () => {
  it('is what `pnpm errors:doc` writes from the catalogue (run it after changing error-catalogue.ts)', () => {
    expect(withoutTablePadding(readFileSync(ERRORS_DOC, 'utf8'))).toBe(withoutTablePadding(renderErrorsDoc()));
  });

  it('has a row for every code', () => {
    const doc = readFileSync(ERRORS_DOC, 'utf8');
    for (const code of ERROR_CODES) expect(withoutTablePadding(doc), code).toContain(`|\`${code}\`|`);
  });
});

//// every code the code base can produce is in the catalogue ////

/** String literals in the kit's and the widget's sources that look like codes but are not. Each says why. */
const NOT_CODES: Record<string, string> = {
  custom: "zod's issue code (ctx.addIssue)",
  too_big: "zod's issue code (a value over its maximum)",
  in_progress: 'a state of the store’s idempotency records',
  paydo_txid: 'the query parameter the payer returns with',
  cards_local: 'a Paydo method type',
  cards_international: 'a Paydo method type',
  paydo_idempotency: 'a table',
  paydo_transactions: 'a table',
  paydo_payment_updates: 'a table',
  paydo_invoices: 'a table',
  paydo_order_locks: 'a table',
  paydo_settings: 'a table',
  paydo_duplicate_refunds: 'a table',
  paydo_order_payments: 'a table',
  paydo_schema_migrations: 'a table',
  paydo_refund_updates: 'a table',
  paydo_leases: 'a table',
  user_version: 'a SQLite pragma (the schema version)',
  refund_id: 'a column',
  order_ref: 'a column',
  action_required: "a span's paydo.outcome (3-D Secure or a wallet is waiting for the payer)",
  duplicate_refund: 'a payment step (its span is paydo.duplicate_refund)',
  not_ours: "a reconciliation finding (paydo.reconciliation.findings' paydo.finding)",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.d\.ts$/.test(name) ? [path] : [];
  });
}

describe('every code the sources can produce', () => {
  const files = ['packages/server-kit/src', 'packages/widget/src', 'packages/react/src'].flatMap((d) =>
    sourceFiles(join(root, d)),
  );
  // Any snake_case literal, and any literal where a code goes (`error:`, `code:`, `errorCode:`,
  // `new CheckoutHttpError('…'`, `new ApiError('…'`), in single quotes or backticks.
  const patterns = [
    /['`]([a-z][a-z0-9]*(?:_[a-z0-9]+)+)['`]/g,
    /\b(?:error|code|errorCode)\s*:\s*['`]([a-z][a-z0-9_]*)['`]/g,
    /new (?:CheckoutHttpError|ApiError)\(\s*['`]([a-z][a-z0-9_]*)['`]/g,
  ];

  it('scans the sources it should (a moved folder cannot make this pass silently)', () => {
    const names = files.map((f) => f.slice(root.length));
    expect(names).toContain('packages/server-kit/src/checkout/http-error.ts');
    expect(names).toContain('packages/server-kit/src/checkout/ipn.ts');
    expect(names).toContain('packages/widget/src/paydo-checkout/paydo-checkout.component.ts');
    expect(files.length).toBeGreaterThan(40);
  });

  it('is in the catalogue (or is a known non-code literal)', () => {
    const unknown = new Set<string>();
    const seen = new Set<string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of patterns) {
        for (const match of text.matchAll(pattern)) {
          const literal = match[1] as string;
          seen.add(literal);
          if (!isErrorCode(literal) && !(literal in NOT_CODES)) unknown.add(`${literal} (${file.slice(root.length)})`);
        }
      }
    }
    expect([...unknown]).toEqual([]);
    // The scan sees the codes made in single places, not only the catalogue's own keys.
    for (const code of ['confirmation_timeout', 'offline', 'internal', 'ipn_mismatch', 'route_not_found']) {
      expect(seen.has(code), code).toBe(true);
    }
    // A stale allow-list entry would hide nothing today, but would hide a code tomorrow.
    expect(Object.keys(NOT_CODES).filter((k) => !seen.has(k))).toEqual([]);
  });
});
