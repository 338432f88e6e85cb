import type { ErrorCode } from '@paydo-checkout/server-kit/protocol';
import { en, type Strings } from './en.ts';

/** Some or all of the widget's strings: a language's, or a merchant's overrides. */
export type Dictionary = Partial<Strings>;
/** A dictionary, or a function loading one (e.g. `() => import('./uk.js')`). */
export type DictionarySource = Dictionary | (() => Promise<Dictionary | { default: Dictionary }>);

/** The languages of Paydo's hosted page; the widget speaks each of them. */
export const PAYDO_LANGUAGES = 'en ru es it pt de fr sv fi tr pl nl'.split(' ');

/** Every bundled language but English is its own chunk, loaded when asked for. */
const sources: Record<string, DictionarySource> = {
  ru: () => import('./ru.ts'),
  es: () => import('./es.ts'),
  it: () => import('./it.ts'),
  pt: () => import('./pt.ts'),
  'pt-br': () => import('./pt-br.ts'),
  de: () => import('./de.ts'),
  fr: () => import('./fr.ts'),
  sv: () => import('./sv.ts'),
  fi: () => import('./fi.ts'),
  tr: () => import('./tr.ts'),
  pl: () => import('./pl.ts'),
  nl: () => import('./nl.ts'),
};

const loaded: Record<string, Dictionary | Promise<unknown>> = { en };
/** Elements to render again when a language arrives or is registered. */
export const listeners = new Set<() => void>();

/**
 * Adds a language (or replaces one) for every `<paydo-checkout>` on the page. Keys it leaves out
 * fall back along the chain (`pt-BR` → `pt` → `en`). Codes are BCP 47 tags, any case.
 */
export function registerLanguage(code: string, source: DictionarySource): void {
  code = code.toLowerCase();
  sources[code] = source;
  delete loaded[code];
  for (const update of listeners) update();
}

/** `pt-BR` → `['pt-br', 'pt', 'en']`. */
export function chain(lang: string): string[] {
  const parts = lang.toLowerCase().split('-');
  return [...parts.map((_, i) => parts.slice(0, parts.length - i).join('-')), 'en'];
}

/** The dictionary for one code; a promise while it loads; undefined when there is none. */
function dictionary(code: string): Dictionary | Promise<unknown> | undefined {
  const source = sources[code];
  if (!loaded[code] && source) {
    loaded[code] =
      typeof source === 'function'
        ? source().then(
            (m) => {
              loaded[code] = 'default' in m ? m.default : m;
              for (const update of listeners) update();
            },
            // Not loaded (offline?): the chain's next language meanwhile, and a new try next time.
            () => delete loaded[code],
          )
        : source;
  }
  return loaded[code];
}

/**
 * The strings for `lang` (the chain merged, `overrides` on top) and the code they are mostly in;
 * `pending` while a language of the chain is still loading.
 */
export function resolve(lang: string, overrides?: Dictionary): { t: Strings; code: string; pending: boolean } {
  let t = { ...overrides } as Strings;
  let code = '';
  let pending = false;
  for (const c of chain(lang)) {
    const d = dictionary(c);
    if (d instanceof Promise) pending = true;
    else if (d) {
      code ||= c;
      t = { ...d, ...t };
    }
  }
  return { t, code, pending };
}

/** Resolves once every language of the chain has loaded (or failed to). */
export function ready(lang: string): Promise<unknown> {
  return Promise.all(chain(lang).map(dictionary));
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
 * The payer's sentence for a code of the error catalogue (server-kit/docs/errors.md), else `fallback`'s.
 * Paydo's outages and refusals (`paydo_*`, `service_unavailable`) all read "not answering";
 * `seconds` is for `rate_limited`.
 */
export function messageFor(t: Strings, code: ErrorCode, fallback: keyof Strings = 'generic', seconds = 60): string {
  const m = t[SAME[code] ?? (/^paydo|unavail/.test(code) ? 'unavailable' : (code as 'generic'))] ?? t[fallback];
  return typeof m === 'function' ? m(seconds as never) : m;
}

export type { Strings };
