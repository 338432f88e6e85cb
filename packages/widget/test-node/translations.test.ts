import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { en } from '../src/translations/en.ts';
import { chain, type Dictionary, PAYDO_LANGUAGES } from '../src/translations/localize.ts';

const dir = fileURLToPath(new URL('../src/translations/', import.meta.url));
/** Every language module beside en.ts and localize.ts (a regional one such as pt-br only adds to its base). */
const modules = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !['en.ts', 'localize.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''));

/** A string, or what a string function says for 7 (`pay('7')`, `cvvLength(7)`). */
const said = (value: unknown): string => (typeof value === 'function' ? value(7) : String(value));

async function load(code: string): Promise<Dictionary> {
  return (await import(`../src/translations/${code}.ts`)).default;
}

/** The keys a language has, with the chain (`pt-br` → `pt`) but without English. */
async function keysOf(code: string): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const c of chain(code).slice(0, -1)) for (const k of Object.keys(await load(c))) keys.add(k);
  return keys;
}

describe('the bundled languages', () => {
  it("are Paydo's twelve hosted-page languages (and Brazilian Portuguese over Portuguese)", () => {
    expect(PAYDO_LANGUAGES).toEqual(['en', 'ru', 'es', 'it', 'pt', 'de', 'fr', 'sv', 'fi', 'tr', 'pl', 'nl']);
    expect([...modules].sort()).toEqual([...PAYDO_LANGUAGES.filter((l) => l !== 'en'), 'pt-br'].sort());
  });

  for (const code of modules) {
    it(`${code} translates every string of en.ts, and no other`, async () => {
      const keys = await keysOf(code);
      expect([...keys].sort()).toEqual(Object.keys(en).sort());
      const strings: Record<string, unknown> = {
        ...en,
        ...(await load(chain(code)[1] ?? 'en')),
        ...(await load(code)),
      };
      const english: Record<string, unknown> = en;
      for (const [key, value] of Object.entries(strings)) {
        const text = said(value);
        expect(text, key).toMatch(/\S/);
        expect(text, key).not.toMatch(/undefined|NaN|\[object/);
        // Translated, not copied: the same text only where a short word is the same (Total, Telefon).
        if (text.length > 12) expect(text, `${code}.${key} is still English`).not.toBe(said(english[key]));
      }
    });
  }

  it('count in their own plural forms', async () => {
    const pl = await load('pl');
    expect([1, 2, 5, 22, 255].map((n) => pl.tooLong?.(n))).toEqual([
      'Maksymalnie 1 znak.',
      'Maksymalnie 2 znaki.',
      'Maksymalnie 5 znaków.',
      'Maksymalnie 22 znaki.',
      'Maksymalnie 255 znaków.',
    ]);
    expect(pl.rateLimited?.(1)).toContain('Odczekaj 1 sekundę');
    expect((await load('de')).rateLimited?.(1)).toContain('1 Sekunde');
    expect((await load('de')).rateLimited?.(30)).toContain('30 Sekunden');
  });
});
