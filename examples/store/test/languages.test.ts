import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../src/catalog.ts';
import type { StoreDb } from '../src/db.ts';
import { SqliteStoreDb } from '../src/db-sqlite.ts';
import { DICTIONARIES, fromAcceptLanguage, LANGUAGES, type Language, type Words } from '../src/i18n/index.ts';
import { buildStore } from '../src/server.ts';

// Every language the widget ships, on every page a shopper sees: the store's own words are in
// it (and their English is not), the widget gets it, an unknown ?lang= or ?theme= is no error,
// and no route a browser opens answers JSON, whatever goes wrong.
const WIDGET_DIR = dirname(fileURLToPath(import.meta.resolve('@paydo-checkout/widget/paydo-checkout.js')));
const WIDGET_LANGUAGES = [
  'en',
  ...readdirSync(WIDGET_DIR)
    .map((f) => /^paydo-checkout-([a-z-]+)\.js$/.exec(f)?.[1])
    .filter((code): code is string => !!code),
];

let sandbox: Sandbox;
let app: FastifyInstance;
let db: StoreDb;
let dataDir: string;

beforeAll(async () => {
  sandbox = await createSandbox({ pendingMs: 100 });
  dataDir = mkdtempSync(join(tmpdir(), 'paydo-store-lang-'));
  ({ app, db } = await buildStore({
    adminPassword: 'correct horse battery',
    dataDir,
    listen: { port: 0, host: '127.0.0.1' },
    paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
    sandboxOrigin: sandbox.url,
  }));
});
afterAll(async () => {
  await sandbox?.close();
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
const textOf = (body: string) => body.replace(/<[^>]+>/g, ' ');

/** The page says `keys` in `lang`, and not in English where the two differ. */
function speaks(body: string, lang: Language, keys: (keyof Words)[], values: Record<string, string | number> = {}) {
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (w, n: string) => String(values[n] ?? w));
  for (const key of keys) {
    const said = escapeHtml(fill(DICTIONARIES[lang][key]));
    expect(body, `${lang}: ${key}`).toContain(said);
    const english = escapeHtml(fill(DICTIONARIES.en[key]));
    if (lang !== 'en' && english !== said && !said.includes(english))
      expect(textOf(body), `${lang}: English "${key}" left`).not.toContain(fill(DICTIONARIES.en[key]));
  }
}

describe('languages', () => {
  it('the store speaks exactly the languages the widget ships, every word of each', () => {
    expect([...LANGUAGES].sort()).toEqual([...WIDGET_LANGUAGES].sort());
    expect(LANGUAGES.length).toBeGreaterThanOrEqual(12);
    for (const lang of LANGUAGES) {
      for (const key of Object.keys(DICTIONARIES.en) as (keyof Words)[])
        expect(DICTIONARIES[lang][key], `${lang}.${key}`).toMatch(/\S/);
      for (const product of CATALOG) expect(DICTIONARIES[lang]).toHaveProperty(`${product.id}.name`);
    }
  });

  it('every page a shopper sees, in every language: catalogue, cart, checkout (widget too), receipt, not-found pages', async () => {
    const order = await db.createOrder(
      [{ productId: 'mug', name: 'Enamel mug', price: '12.50', quantity: 2 }],
      '25.00',
      'EUR',
    );
    for (const lang of LANGUAGES) {
      const shop = await get(`/?lang=${lang}`);
      expect(shop.statusCode).toBe(200);
      expect(shop.body).toContain(`<html lang="${lang.replace('-br', '-BR')}">`);
      speaks(shop.body, lang, [
        'heroTitle',
        'heroText',
        'addToCart',
        'footerAfter',
        'storeAdmin',
        'mug.name',
        'poster.description',
      ]);
      const checkout = await get(`/checkout/${order.ref}?lang=${lang}`);
      expect(checkout.statusCode).toBe(200);
      expect(checkout.body).toContain(`lang="${lang}" theme="auto"></paydo-checkout>`);
      speaks(checkout.body, lang, ['checkout', 'orderSummary', 'testCard', 'total', 'mug.name']);
      speaks(checkout.body, lang, ['orderNumber'], { n: order.number });
      const receipt = await get(`/orders/${order.ref}?lang=${lang}`);
      speaks(receipt.body, lang, [
        'headline.awaiting_payment',
        'status.awaiting_payment',
        'goToCheckout',
        'backToShop',
      ]);
      for (const [url, key] of [
        ['/no-such-page', 'notFound.page'],
        ['/orders/no-such-order', 'notFound.order'],
        ['/checkout/no-such-order', 'notFound.order'],
      ] as const) {
        const missing = await get(`${url}?lang=${lang}`);
        expect(missing.statusCode).toBe(404);
        expect(missing.headers['content-type']).toMatch(/^text\/html/);
        speaks(missing.body, lang, [key, 'notFoundText', 'backToShop']);
      }
    }
  });

  it('the cart in every language, with its notices', async () => {
    for (const lang of LANGUAGES) {
      const page = await get(`/?lang=${lang}`);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
      const cookies = [page.headers['set-cookie']].flat().map((c) => String(c).split(';')[0]);
      const added = await app.inject({
        method: 'POST',
        url: '/cart/add',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
        payload: `productId=poster&_csrf=${encodeURIComponent(csrf)}`,
      });
      const cart = added.headers['set-cookie']
        ? [added.headers['set-cookie']].flat().map((c) => String(c).split(';')[0])
        : [];
      const res = await get('/cart?error=max_quantity', { cookie: [...cookies, ...cart].join('; ') });
      speaks(res.body, lang, ['yourCart', 'update', 'remove', 'total', 'checkOut', 'continueShopping', 'poster.name']);
      speaks(res.body, lang, ['notice.max_quantity'], { n: 20 });
    }
  });

  it('?lang= is remembered; without it the browser’s language, then English; unknown values fall back quietly', async () => {
    const chosen = await get('/?lang=fi');
    const cookie = String([chosen.headers['set-cookie']].flat().find((c) => String(c).startsWith('lang='))).split(
      ';',
    )[0];
    expect(cookie).toBe('lang=fi');
    expect((await get('/cart', { cookie: cookie as string })).body).toContain('<html lang="fi">');
    expect((await get('/', { 'accept-language': 'de-AT,de;q=0.9,en;q=0.8' })).body).toContain('<html lang="de">');
    expect((await get('/', { 'accept-language': 'pt-BR' })).body).toContain('<html lang="pt-BR">');
    expect((await get('/', { 'accept-language': 'xx, ja;q=0.5' })).body).toContain('<html lang="en">');
    expect(fromAcceptLanguage('en;q=0.1, sv;q=0.8, fr')).toBe('fr');
    const order = await db.createOrder(
      [{ productId: 'tee', name: 'Organic T-shirt', price: '25.00', quantity: 1 }],
      '25.00',
      'EUR',
    );
    for (const query of [
      'lang=xx',
      'lang=',
      'lang=de&lang=fr',
      'theme=purple',
      'theme=',
      'lang=%00',
      `lang=${'a'.repeat(500)}`,
    ]) {
      const res = await get(`/checkout/${order.ref}?${query}`, { 'accept-language': 'nl' });
      expect(res.statusCode, query).toBe(200);
      expect(res.body, query).toMatch(/lang="nl" theme="auto"><\/paydo-checkout>/);
    }
    const dark = await get(`/checkout/${order.ref}?theme=dark&lang=ru`);
    expect(dark.body).toContain('lang="ru" theme="dark"></paydo-checkout>');
  });

  it('an order keeps the language it was placed in: its pages open in it in another browser, and Paydo’s page gets it', async () => {
    for (const [lang, hosted] of [
      ['de', 'de'],
      ['pt-br', 'pt'],
    ] as const) {
      const shop = await get(`/?lang=${lang}`);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(shop.body)?.[1] as string;
      const jar = [shop.headers['set-cookie']].flat().map((c) => String(c).split(';')[0]);
      const form = (payload: string, cookies: (string | undefined)[]) =>
        app.inject({
          method: 'POST',
          url: payload.startsWith('productId') ? '/cart/add' : '/checkout',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
          payload: `${payload}&_csrf=${encodeURIComponent(csrf)}`,
        });
      const added = await form('productId=mug', jar);
      const cart = [added.headers['set-cookie']].flat().map((c) => String(c).split(';')[0]);
      const placed = await form('x=1', [...jar, ...cart]);
      const ref = String(placed.headers.location).split('/').pop() as string;
      expect((await db.findOrder(ref))?.lang).toBe(lang);
      // The link opened elsewhere: no cookie, a French browser.
      const receipt = await get(`/orders/${ref}`, { 'accept-language': 'fr' });
      expect(receipt.body).toContain(`<html lang="${lang.replace('-br', '-BR')}">`);
      const checkout = await get(`/checkout/${ref}`, { 'accept-language': 'fr' });
      expect(checkout.body).toContain(`lang="${lang}" theme="auto"></paydo-checkout>`);
      // ?lang= still wins.
      expect((await get(`/orders/${ref}?lang=fi`)).body).toContain('<html lang="fi">');
      const paydo = await app.inject({ method: 'GET', url: `/paydo/checkout/${ref}` });
      expect(paydo.json().language).toBe(hosted);
    }
  });

  it('no route a browser opens answers JSON: bad bodies, expired forms and server errors are HTML pages with their status, in the page’s language', async () => {
    const cases = [
      { method: 'POST', url: '/cart/add', headers: { 'content-type': 'application/json' }, payload: '{"productId":' },
      { method: 'POST', url: '/cart/add', headers: { 'content-type': 'text/xml' }, payload: '<x/>' },
      {
        method: 'POST',
        url: '/cart/add',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'productId=mug',
      },
      {
        method: 'POST',
        url: '/checkout',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'x'.repeat(2_000_000),
      },
    ] as const;
    const statuses: number[] = [];
    for (const c of cases) {
      const res = await app.inject({ ...c, url: `${c.url}?lang=de`, headers: { ...c.headers, cookie: 'lang=de' } });
      statuses.push(res.statusCode);
      expect(res.headers['content-type'], c.url).toMatch(/^text\/html/);
      expect(res.body).toContain('<html lang="de">');
      expect(res.body).toContain(escapeHtml(DICTIONARIES.de.backToShop));
    }
    expect(statuses).toEqual([400, 415, 403, 413]);
    // A path that cannot be decoded never reaches a route, and still gets the page.
    const badUrl = await get('/orders/%zz', { cookie: 'lang=sv' });
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.headers['content-type']).toMatch(/^text\/html/);
    expect(badUrl.body).toContain('<html lang="sv">');
    expect(badUrl.body).toContain(escapeHtml(DICTIONARIES.sv.badRequestTitle));

    // A failing database: the shop's 500 page, not Fastify's JSON.
    const broken = mkdtempSync(join(tmpdir(), 'paydo-store-broken-'));
    const failing = new SqliteStoreDb(broken);
    failing.findOrder = async () => {
      throw new Error('disk on fire');
    };
    const { app: second } = await buildStore({
      adminPassword: 'correct horse battery',
      dataDir: broken,
      db: failing,
      listen: { port: 0, host: '127.0.0.1' },
      paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
    });
    try {
      const res = await second.inject({ method: 'GET', url: '/orders/abc?lang=pl' });
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain(escapeHtml(DICTIONARIES.pl.serverErrorTitle));
      expect(res.body).not.toContain('disk on fire');
    } finally {
      await second.close();
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
