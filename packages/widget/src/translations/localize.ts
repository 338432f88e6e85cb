import { en, type Strings } from './en.ts';
import { ru } from './ru.ts';

const LOCALES: Record<string, Strings> = { en, ru };

/** Strings for a `lang` such as "ru" or "ru-RU"; English when the language is not bundled. */
export function stringsFor(lang: string | undefined): Strings {
  const base = (lang ?? '').toLowerCase().split('-')[0] ?? '';
  return LOCALES[base] ?? en;
}

export type { Strings };
