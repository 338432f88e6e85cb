import type { InvoiceLanguage } from '../client/schemas/invoices.ts';
import type { TransactionStatus } from '../client/schemas/transactions.ts';
import type { NextStep } from '../protocol.ts';

/** Paydo's hosted payment page for an invoice, in one of its languages. */
export function hostedPageUrl(origin: string, invoiceId: string, language: InvoiceLanguage): string {
  return `${origin}/${language}/payment/invoice-preprocessing/${encodeURIComponent(invoiceId)}`;
}

export class UnsafeRedirectError extends Error {
  override name = 'UnsafeRedirectError';
}

/**
 * Paydo's status answer → the widget's next step, in the contract's order:
 * form first, then pending, then success/fail. Form URLs must be https (or
 * an allowed origin such as the sandbox), or the answer is refused.
 */
export function nextFromStatus(
  status: TransactionStatus,
  options: { pollIntervalMs: number; allowedOrigins: ReadonlySet<string> },
): NextStep | { type: 'fail' } | { type: 'unknown' } {
  if (status.form) {
    const url = checkedUrl(status.form.url, options.allowedOrigins);
    if (status.form.method === 'POST') return { type: 'post', url, fields: status.form.fields };
    const target = new URL(url);
    for (const [k, v] of Object.entries(status.form.fields)) target.searchParams.set(k, v);
    return { type: 'redirect', url: target.toString() };
  }
  if (status.status === 'pending') return { type: 'wait', afterMs: options.pollIntervalMs };
  if (status.status === 'success') return { type: 'done', status: 'success' };
  if (status.status === 'fail') return { type: 'fail' };
  return { type: 'unknown' };
}

export function checkedUrl(value: string, allowedOrigins: ReadonlySet<string>): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UnsafeRedirectError('Paydo sent a next-step address that is not a URL.');
  }
  if (url.protocol === 'https:' || allowedOrigins.has(url.origin)) return url.toString();
  throw new UnsafeRedirectError(
    `Paydo sent a next-step address on ${url.origin}, which is not https or an allowed origin.`,
  );
}
