// Shoots <paydo-checkout> in every bundled language at a phone's width (375 px), with every field's
// error showing (the longest wording), into docs/images/languages/<lang>.png; and one merchant-added
// right-to-left language (Arabic) to show the mirrored layout. Run after `pnpm build`:
//   pnpm screenshots:languages
// It fails when a text in the element is wider than its box (a label or button that does not fit).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARABIC } from '../packages/widget/test/fixtures/arabic.ts';
import { startShop } from './screenshot-shop.mjs';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'docs/images/languages');
const LANGUAGES = ['en', 'ru', 'es', 'it', 'pt', 'pt-BR', 'de', 'fr', 'sv', 'fi', 'tr', 'pl', 'nl'];

const shop = await startShop({ adminPassword: 'screenshots password' });
const { url, browser } = shop;
mkdirSync(out, { recursive: true });

try {
  const context = await browser.newContext({
    baseURL: url,
    viewport: { width: 375, height: 900 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  await page.goto('/');
  await page.locator('form:has(input[value="mug"]) button').click();
  await page.getByRole('button', { name: 'Check out' }).click();
  const checkoutUrl = page.url();
  const problems = [];

  const shoot = async (lang, register) => {
    await page.goto(checkoutUrl);
    await page.locator('paydo-checkout [part~="submit-button"]').waitFor();
    if (register) await page.evaluate(register.fn, register.arg);
    // The language module arrives; the element's own text says it is there.
    await page.evaluate((l) => {
      document.querySelector('paydo-checkout').lang = l;
    }, lang);
    await page.waitForFunction(
      (l) =>
        document.querySelector('paydo-checkout').shadowRoot.querySelector('[part~="base"]').lang === l.toLowerCase(),
      lang,
    );
    await page.waitForFunction(() => document.querySelector('paydo-checkout').shadowRoot.querySelector('form'));
    await page.fill('paydo-checkout input[name="email"]', 'x');
    // Enter submits the form (a click would land where Pay was before the e-mail's error moved it).
    await page.press('paydo-checkout input[name="email"]', 'Enter');
    await page.locator('paydo-checkout #f-card-pan-error').waitFor();
    const wide = await page.evaluate(() =>
      [
        ...document
          .querySelector('paydo-checkout')
          .shadowRoot.querySelectorAll('label, legend, button, [part~="error"], [part~="header"] span, h2, input'),
      ]
        .filter((e) => e.scrollWidth > e.clientWidth + 1)
        .map((e) => e.textContent.trim() || e.outerHTML.slice(0, 60)),
    );
    if (wide.length) problems.push(`${lang}: ${wide.join(' | ')}`);
    await page.evaluate(() => document.activeElement?.blur());
    await page.locator('paydo-checkout').screenshot({ path: join(out, `${lang}.png`) });
  };

  for (const lang of LANGUAGES) await shoot(lang);
  await shoot('ar', {
    fn: async (strings) => {
      const widget = await import('/assets/paydo-checkout.js');
      widget.registerLanguage('ar', { ...strings, pay: (amount) => `ادفع ${amount}` });
    },
    arg: ARABIC,
  });
  const files = [...LANGUAGES, 'ar'].map((l) => `${l}.png`);
  try {
    // Smaller files for the docs where pngquant is installed (Debian: apt-get install pngquant).
    execFileSync('pngquant', ['--force', '--ext', '.png', '--quality', '80-98', ...files], { cwd: out });
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  console.log(`Screenshots written to ${out}: ${files.join(', ')}`);
  if (problems.length) {
    console.error(`Text wider than its box:\n${problems.join('\n')}`);
    process.exitCode = 1;
  }
} finally {
  await shop.close();
}
