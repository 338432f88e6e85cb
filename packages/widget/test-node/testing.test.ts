import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TEST_CARDS } from '@paydo-checkout/sandbox';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import * as driver from '../src/testing/index.ts';
import { testCards } from '../src/testing/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('testCards', () => {
  it("are exactly the emulator's test cards, each named for what the emulator does with it", () => {
    const kind = (pan: string) => {
      const card = TEST_CARDS.find((c) => c.pan === pan);
      if (!card) return undefined;
      return card.scenario.kind === 'decline' ? `decline:${card.scenario.errorCode}` : card.scenario.kind;
    };
    expect(Object.values(testCards).sort()).toEqual(TEST_CARDS.map((c) => c.pan).sort());
    expect({
      visa: kind(testCards.visa),
      mastercard: kind(testCards.mastercard),
      threeDSecure: kind(testCards.threeDSecure),
      declined: kind(testCards.declined),
      insufficientFunds: kind(testCards.insufficientFunds),
      pending: kind(testCards.pending),
    }).toEqual({
      visa: 'accept',
      mastercard: 'accept',
      threeDSecure: 'three-ds',
      declined: 'decline:card_declined',
      insufficientFunds: 'decline:insufficient_funds',
      pending: 'pending',
    });
    expect(TEST_CARDS.find((c) => c.pan === testCards.visa)?.brand).toBe('VISA');
    expect(TEST_CARDS.find((c) => c.pan === testCards.mastercard)?.brand).toBe('MASTERCARD');
  });
});

describe('the built @paydo-checkout/widget/testing', () => {
  it('is one self-contained module with the same exports as its source', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'paydo-testing-'));
    try {
      await build({
        root,
        configFile: join(root, 'vite.testing.config.ts'),
        logLevel: 'silent',
        build: { outDir, sourcemap: false },
      });
      const file = join(outDir, 'testing.js');
      // No import at all: nothing of the widget (Lit) and nothing a merchant's runner lacks.
      expect(readFileSync(file, 'utf8')).not.toMatch(/^\s*import\b/m);
      const built = (await import(pathToFileURL(file).href)) as typeof driver;
      expect(Object.keys(built).sort()).toEqual(Object.keys(driver).sort());
      expect(built.testCards).toEqual(testCards);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 60_000);
});
