import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCatalogueEntry, type ErrorCode } from '@paydo-checkout/server-kit';
import { describe, expect, it } from 'vitest';
import { en } from '../src/translations/en.ts';
import { type Dictionary, messageFor, PAYDO_LANGUAGES, type Strings } from '../src/translations/localize.ts';

/** Codes the widget answers with a view of its own rather than a message (`#fail`, `#poll`). */
const VIEWS: Partial<Record<ErrorCode, keyof Strings>> = {
  validation: 'fixErrors', // the fields are marked; this is announced
  already_paid: 'paid', // the success view
  confirmation_timeout: 'gaveUp', // the gave-up view
};

/** Field codes: the element's own check of the input gives the same sentence (`#validate`). */
const FIELDS: Partial<Record<ErrorCode, (t: Strings) => string>> = {
  field_required: (t) => t.required,
  invalid_email: (t) => t.invalidEmail,
  invalid_format: (t) => t.invalidFormat,
  field_too_long: (t) => t.tooLong(7),
  invalid_expiry_date: (t) => t.expiryFormat,
  invalid_cvv: (t) => t.cvvLength(7),
  method_unavailable: (t) => t.generic, // a field the form does not show: the plain sentence
};

/** What the payer reads for a code, as the element picks it. */
function shown(t: Strings, code: ErrorCode): string {
  const view = VIEWS[code];
  if (view) return t[view] as string;
  const field = FIELDS[code];
  if (field) return field(t);
  const entry: ErrorCatalogueEntry = ERROR_CATALOGUE[code];
  return messageFor(t, code, entry.source === 'decline' ? 'fail' : 'generic', 7);
}

describe("the widget's sentence for every code a payer can meet", () => {
  const payerCodes = ERROR_CODES.filter((c) => ERROR_CATALOGUE[c].audience === 'payer');

  it('is, in English, the sentence the catalogue (server-kit/docs/errors.md) documents', () => {
    expect(payerCodes.length).toBeGreaterThan(20);
    const wrong = payerCodes.filter(
      (c) => shown(en, c) !== ERROR_CATALOGUE[c].payerMessage.replace(/\{(seconds|n)\}/, '7'),
    );
    expect(wrong.map((c) => [c, shown(en, c)])).toEqual([]);
  });

  for (const lang of PAYDO_LANGUAGES.filter((l) => l !== 'en')) {
    it(`is translated in ${lang}`, async () => {
      const dictionary = ((await import(`../src/translations/${lang}.ts`)) as { default: Dictionary }).default;
      // Keys a language leaves out fall back to English at run time: none of these may.
      const t = { ...en, ...dictionary } as Strings;
      const untranslated = payerCodes.filter((code) => shown(t, code) === shown(en, code));
      expect(untranslated).toEqual([]);
      expect(shown(t, 'rate_limited')).toContain('7');
    });
  }

  it('falls back to a plain sentence for a code this version does not know', () => {
    expect(messageFor(en, 'brand_new' as ErrorCode)).toBe(en.generic);
    expect(messageFor(en, 'brand_new' as ErrorCode, 'fail')).toBe(en.fail);
  });
});
