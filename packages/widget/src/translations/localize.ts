import type { ErrorCode } from '@paydo-checkout/server-kit/protocol';
import { en, type Strings } from './en.ts';
import { ru } from './ru.ts';

const LOCALES: Record<string, Strings> = { en, ru };

/** Strings for a `lang` such as "ru" or "ru-RU"; English when the language is not bundled. */
export function stringsFor(lang: string | undefined): Strings {
  const base = (lang ?? '').toLowerCase().split('-')[0] ?? '';
  return LOCALES[base] ?? en;
}

/**
 * Catalogue codes whose sentence the widget has under another name. Codes with a view of their
 * own (`validation`, `already_paid`, `confirmation_timeout`) never come here.
 */
const SAME: Record<string, keyof Strings> = {
  order_not_found: 'notFound',
  payment_in_progress: 'inProgress',
  rate_limited: 'rateLimited',
  payment_rejected: 'fail',
  card_expired: 'expiryPast',
  invalid_card_number: 'cardInvalid',
};

/**
 * The payer's sentence for a code of the error catalogue (docs/errors.md), else `fallback`'s.
 * Paydo's outages and refusals (`paydo_*`, `service_unavailable`) all read "not answering";
 * `seconds` is for `rate_limited`.
 */
export function messageFor(t: Strings, code: ErrorCode, fallback: keyof Strings = 'generic', seconds = 60): string {
  const m = t[SAME[code] ?? (/^paydo|unavail/.test(code) ? 'unavailable' : (code as 'generic'))] ?? t[fallback];
  return typeof m === 'function' ? m(seconds as never) : m;
}

export type { Strings };
