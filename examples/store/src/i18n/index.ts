// The store's languages: the same ones the widget ships (Paydo's hosted-page languages and
// Brazilian Portuguese), so the page around <paydo-checkout> always speaks the widget's language.
import { de } from './de.ts';
import { en, type Words } from './en.ts';
import { es } from './es.ts';
import { fi } from './fi.ts';
import { fr } from './fr.ts';
import { it } from './it.ts';
import { nl } from './nl.ts';
import { pl } from './pl.ts';
import { pt } from './pt.ts';
import { ptBr } from './pt-br.ts';
import { ru } from './ru.ts';
import { sv } from './sv.ts';
import { tr } from './tr.ts';

export type { Words };

export const DICTIONARIES = {
  en,
  ru,
  es,
  it,
  pt,
  'pt-br': ptBr,
  de,
  fr,
  sv,
  fi,
  tr,
  pl,
  nl,
} as const satisfies Record<string, Words>;

export type Language = keyof typeof DICTIONARIES;
export const LANGUAGES = Object.keys(DICTIONARIES) as Language[];
export const DEFAULT_LANGUAGE: Language = 'en';

/** `pt-BR`, `PT_br` → `pt-br` when the store speaks it; anything else → undefined (never an error). */
export function asLanguage(value: unknown): Language | undefined {
  if (typeof value !== 'string' || value.length > 35) return undefined;
  const code = value.trim().toLowerCase().replace('_', '-');
  return Object.hasOwn(DICTIONARIES, code) ? (code as Language) : undefined;
}

/** The best language of an Accept-Language header (`de-AT,de;q=0.9,en;q=0.8`), by weight then order. */
export function fromAcceptLanguage(header: string | undefined): Language | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const found = asLanguage(tag) ?? asLanguage(tag.split('-')[0]);
    if (found) return found;
  }
  return undefined;
}

/** The page's language: `?lang=`, else the one chosen before (cookie), else the browser's, else English. */
export function pickLanguage(query: unknown, cookie: unknown, acceptLanguage: string | undefined): Language {
  return asLanguage(query) ?? asLanguage(cookie) ?? fromAcceptLanguage(acceptLanguage) ?? DEFAULT_LANGUAGE;
}

/** `pt-br` → `pt-BR` for `<html lang>`. */
export const htmlLang = (lang: Language) => lang.replace(/-(\w+)$/, (_, region: string) => `-${region.toUpperCase()}`);

/** A translator for one language: `t('orderNumber', { n: 1001 })`. */
export function translator(lang: Language) {
  const words = DICTIONARIES[lang];
  return (key: keyof Words, values: Record<string, string | number> = {}) =>
    words[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
export type Translate = ReturnType<typeof translator>;
