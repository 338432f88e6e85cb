import { paydoCheckout } from '@paydo-checkout/widget/testing';
import { type Browser, chromium, type Page as PwPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_ARGS, findChrome } from '../../../../scripts/chrome-path.mjs';
import { DICTIONARIES, LANGUAGES } from '../../src/i18n/index.ts';
import {
  checkoutProduct,
  ENGINE,
  ENGINE_TITLE,
  expectText,
  openPage,
  type Shop,
  startShop,
  transactionsOf,
} from './harness.ts';

// The store's checkout page sets the widget's `theme` and `lang` from `?theme=` and `?lang=`:
// a dark checkout on a light OS, and the Russian texts, including the long-name message.
const NAME = 'Я'.repeat(300);
const ENGLISH_OR_ZOD = /Too big|expected string|characters|Use at most|Please correct/;

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
});
afterAll(async () => {
  await shop?.close();
});

describe(`theme and language through the store's checkout page (${ENGINE_TITLE})`, () => {
  it('?theme= and ?lang= reach the widget and the page; the default follows the page (auto, English); an unknown value falls back quietly', async () => {
    const page = await openPage(shop, 'theme attribute');
    const ref = await checkoutProduct(page);
    const widget = page.locator('paydo-checkout');
    expect(await widget.getAttribute('theme')).toBe('auto');
    expect(await widget.getAttribute('lang')).toBe('en');
    await page.goto(`/checkout/${ref}?theme=dark&lang=ru`);
    await page.locator('paydo-checkout [part~="submit-button"]').waitFor();
    expect(await widget.getAttribute('theme')).toBe('dark');
    expect(await widget.getAttribute('lang')).toBe('ru');
    // The page around the widget speaks Russian too.
    await expectText(page.locator('.summary'), 'Заказ №');
    await expectText(page.locator('header.top'), 'Корзина');
    await page.goto(`/checkout/${ref}?theme=purple&lang=xx`);
    await page.locator('paydo-checkout [part~="submit-button"]').waitFor();
    expect(await widget.getAttribute('theme')).toBe('auto');
    // The language chosen before stays (remembered), an unknown one changes nothing.
    expect(await widget.getAttribute('lang')).toBe('ru');
    expect(await page.problems()).toEqual([]);
  });

  it('a 300-character name typed on the Russian page: the field stops at 255, and the order is paid with it', async () => {
    const page = await openPage(shop, 'long name typed');
    const ref = await checkoutProduct(page);
    await page.goto(`/checkout/${ref}?lang=ru`);
    await page.locator('paydo-checkout [part~="submit-button"]').waitFor();
    const paydo = paydoCheckout(page);
    await paydo.fillCardPayment('4242424242424242');
    await page.fill('paydo-checkout input[name="card.holderName"]', NAME);
    expect(await page.locator('paydo-checkout input[name="card.holderName"]').inputValue()).toBe('Я'.repeat(255));
    expect(await page.locator('paydo-checkout [part~="base"]').textContent()).not.toMatch(ENGLISH_OR_ZOD);
    await paydo.pay();
    await page.waitForURL(`**/orders/${ref}`);
    const [tx] = await transactionsOf(shop, ref);
    expect(tx?.cardMetadata).toMatchObject({ holderName: 'Я'.repeat(255) });
  });
});

// Colours and values a person cannot type need the page's scripts and colour-scheme emulation:
// Playwright's Chromium beside the engine under test (as look.test.ts), run once, in the Chromium pass.
describe.skipIf(ENGINE !== 'chromium')('what the shopper sees (Chromium, emulated light OS)', () => {
  let chrome: Browser;
  beforeAll(async () => {
    chrome = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS, headless: true });
  });
  afterAll(async () => {
    await chrome?.close();
  });

  let ref = '';
  /** An order's checkout page (one order for all), opened in a context with the OS colour scheme given. */
  async function checkout(query: string, colorScheme: 'light' | 'dark'): Promise<PwPage> {
    const page = await (await chrome.newContext({ baseURL: shop.url, colorScheme })).newPage();
    if (!ref) {
      await page.goto('/');
      await page.locator('form:has(input[value="mug"]) button').click();
      await page.waitForURL('**/cart');
      await page.getByRole('button', { name: 'Check out' }).click();
      await page.waitForURL('**/checkout/*');
      ref = new URL(page.url()).pathname.split('/').pop() as string;
    }
    await page.goto(`/checkout/${ref}${query}`);
    await page.locator('paydo-checkout [part~="submit-button"]').waitFor();
    return page;
  }

  /** The relative luminance (0 black … 1 white) of the widget's background. */
  const background = (page: PwPage) =>
    page.locator('paydo-checkout [part~="base"]').evaluate((el) => {
      // Runs in the page (this file is typed without the DOM library).
      const style = (
        globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
      ).getComputedStyle(el);
      const [r, g, b] = (style.backgroundColor.match(/[\d.]+/g) ?? []).map(Number);
      const lin = (v = 0) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    });

  it('theme=dark is dark on a light OS, theme=light is light on a dark OS, auto follows the OS', async () => {
    const dark = await checkout('?theme=dark', 'light');
    expect(await background(dark)).toBeLessThan(0.05);
    const light = await checkout('?theme=light', 'dark');
    expect(await background(light)).toBeGreaterThan(0.8);
    const auto = await checkout('', 'light');
    expect(await background(auto)).toBeGreaterThan(0.8);
    for (const page of [dark, light, auto]) await page.context().close();
  });

  it('a 300-character name put in by a script (past maxlength): a Russian sentence by the field, no English, nothing sent', async () => {
    const page = await checkout('?lang=ru', 'light');
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/pay')) sent.push(r.url());
    });
    const field = (name: string) => page.locator(`paydo-checkout input[name="${name}"]`);
    await field('email').fill('ada@example.com');
    await field('card.pan').fill('4242 4242 4242 4242');
    await field('card.expirationDate').fill('12/39');
    await field('card.cvv').fill('123');
    // What an autofill extension or a devtools edit can do: a value past maxlength.
    await field('card.holderName').evaluate((el, name) => {
      const input = el as { value: string; dispatchEvent(e: unknown): boolean };
      const { Event } = globalThis as unknown as { Event: new (type: string, init: object) => unknown };
      input.value = name;
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    }, NAME);
    await page.locator('paydo-checkout [part~="submit-button"]').click();
    const error = page.locator('paydo-checkout #f-card-holderName-error');
    await expect.poll(() => error.textContent(), { timeout: 5_000 }).toBe('Не больше 255 символов.');
    expect(await field('card.holderName').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('paydo-checkout [part~="base"]').textContent()).not.toMatch(ENGLISH_OR_ZOD);
    expect(sent).toEqual([]);
    await page.context().close();
  });
});

// Every language the widget ships, on the real checkout page: the page and the widget agree.
describe(`every language on the checkout page (${ENGINE_TITLE})`, () => {
  it('?lang= for each of the widget’s languages: the store’s words and the widget’s, no error', async () => {
    const page = await openPage(shop, 'every language');
    const ref = await checkoutProduct(page);
    for (const lang of LANGUAGES) {
      await page.goto(`/checkout/${ref}?lang=${lang}`);
      await page.locator('paydo-checkout [part~="submit-button"]').waitFor();
      expect(await page.locator('paydo-checkout').getAttribute('lang')).toBe(lang);
      await expectText(page.locator('.summary'), DICTIONARIES[lang].testCard);
      await expectText(page.locator('footer'), DICTIONARIES[lang].footerAfter);
    }
    expect(await page.problems()).toEqual([]);
  });
});
