import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The whole widget, Lit included, must stay within 15 KB gzipped. */
const BUDGET_BYTES = 15 * 1024;

describe('the widget bundle', () => {
  it(`is at most ${BUDGET_BYTES} bytes gzipped, and carries no validator or card logging`, async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'paydo-widget-'));
    // Vitest sets NODE_ENV=test, which would make Vite pick Lit's development build.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        root,
        configFile: join(root, 'vite.config.ts'),
        mode: 'production',
        logLevel: 'silent',
        build: { outDir, sourcemap: false },
      });
      const code = readFileSync(join(outDir, 'paydo-checkout.js'));
      const gzipped = gzipSync(code, { level: 9 }).length;
      console.log(
        `widget bundle: ${code.length} bytes, ${gzipped} bytes gzipped (${((gzipped / BUDGET_BYTES) * 100).toFixed(1)}% of the budget)`,
      );
      expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
      const text = code.toString();
      // Every language but English is a file of its own, fetched only when a page asks for it.
      for (const lang of ['ru', 'es', 'it', 'pt', 'pt-br', 'de', 'fr', 'sv', 'fi', 'tr', 'pl', 'nl']) {
        expect(text).toContain(`import(\`./paydo-checkout-${lang}.js\`)`);
        const chunk = readFileSync(join(outDir, `paydo-checkout-${lang}.js`));
        expect(gzipSync(chunk, { level: 9 }).length, lang).toBeLessThan(1500);
      }
      expect(text).not.toMatch(/Способ оплаты|Zahlungsart/);
      expect(text).not.toMatch(/zod|ZodError/); // protocol types are imported with `import type` only
      expect(text).not.toMatch(/console\.(log|info|debug)/);
      expect(text).not.toMatch(/paydo-testing|approve3DSecure|4000000000003220/); // the test driver is its own file
    } finally {
      process.env.NODE_ENV = nodeEnv;
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('server-side rendering safety', () => {
  it('imports in Node without a DOM', async () => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    const widget = await import('../src/index.ts');
    expect(typeof widget.PaydoCheckout).toBe('function');
    expect(typeof widget.ApiError).toBe('function');
  });
});
