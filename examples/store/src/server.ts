import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import { HOSTED_PAGE_LANGUAGES, type InvoiceLanguage } from '@paydo-checkout/server-kit';
import {
  type PaydoPluginOptions,
  type PaydoStore,
  paydo,
  paydoRedactPaths,
  SqliteStore,
} from '@paydo-checkout/server-kit/fastify';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { adminPlugin, paymentLine } from './admin.ts';
import { CART_NOTICES, type Cart, checkCart, MAX_QUANTITY, readCart, writeCart } from './cart.ts';
import { CATALOG, findProduct, formatMoney, fromCents, imageOf, total } from './catalog.ts';
import type { Order, StoreDb } from './db.ts';
import { SqliteStoreDb } from './db-sqlite.ts';
import { type Html, html, layout, type PageOptions } from './html.ts';
import {
  asLanguage,
  DEFAULT_LANGUAGE,
  DICTIONARIES,
  type Language,
  pickLanguage,
  type Translate,
  translator,
  type Words,
} from './i18n/index.ts';
import type { SessionTimes } from './sessions.ts';

export interface StoreOptions {
  dataDir: string;
  /**
   * Where the shop listens. It binds before it registers anything, so that it knows its own URL
   * when the Paydo plugin checks `checkoutPageUrl` (at registration, not at the first Pay).
   */
  listen: { port: number; host: string };
  /** The shop's public origin (PUBLIC_URL); default: the address it listens on. */
  publicUrl?: string | undefined;
  paydo: {
    publicKey: string;
    secretKey: string;
    jwt: string;
    projectId?: string | undefined;
    baseUrl?: string | undefined;
  };
  /** The sandbox's origin, allowed in the page's CSP for its logos and 3-D Secure page. */
  sandboxOrigin?: string | undefined;
  logger?: boolean;
  /** Where log lines go when `logger` is on (default: stdout); tests read the plugin's warnings from it. */
  logStream?: { write(line: string): void } | undefined;
  /** Paydo's advice is 5–10 s; tests and the sandbox use shorter. */
  pollIntervalMs?: number;
  /** The plugin's rate limits on paying (defaults: 10/min per IP, 20/10 min per order). */
  rateLimit?: PaydoPluginOptions['rateLimit'];
  /** The shop's orders (default: SQLite in `dataDir`); a `PostgresStoreDb` for several instances. Closed with the app. */
  db?: StoreDb | undefined;
  /** Where the kit keeps its state (default: SQLite in `dataDir`); a `PostgresStore` for several instances. */
  paydoStore?: PaydoStore | undefined;
  /** Where payers type the card (PAYDO_CARD_PAYMENTS): `auto` (default), `direct` or `hosted`. */
  cardPayments?: PaydoPluginOptions['cardPayments'];
  /** Addresses IPNs are accepted from (PAYDO_IPN_SOURCES); the plugin's default when not given. */
  ipnSourceAddresses?: readonly string[] | undefined;
  /** The back office's password (ADMIN_PASSWORD). */
  adminPassword: string;
  /** Signs the cart and CSRF cookies (COOKIE_SECRET); random per start when not given, which empties carts on restart. */
  cookieSecret?: string | undefined;
  /** Back-office session lifetimes (default: 30 minutes idle, 8 hours at most). */
  sessionTimes?: SessionTimes | undefined;
}

export interface RouteEntry {
  method: string;
  /** The route's pattern, e.g. `/admin/orders/:ref/refund`. */
  url: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The page's language (see the onRequest hook in registerStore). */
    lang: Language;
  }
}

const WIDGET = fileURLToPath(import.meta.resolve('@paydo-checkout/widget/paydo-checkout.js'));
const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));

/** The shop, listening and ready; `url` is its public origin. `app.close()` stops it. */
export async function buildStore(
  options: StoreOptions,
): Promise<{ app: FastifyInstance; db: StoreDb; url: string; routes: RouteEntry[] }> {
  const { server, url } = await bind(options.listen, options.publicUrl);
  try {
    const { app, db, routes } = await registerStore(options, server, url);
    await app.ready();
    return { app, db, url, routes };
  } catch (error) {
    server.close();
    throw error;
  }
}

/** Listens on `listen` (port 0: any free port) and works out the shop's URL. */
async function bind(
  listen: StoreOptions['listen'],
  publicUrl: string | undefined,
): Promise<{ server: Server; url: string }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  // A wildcard address is reached through loopback from this machine.
  const host =
    address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '[::1]' : isIP(address) === 6 ? `[${address}]` : address;
  return { server, url: (publicUrl ?? `http://${host}:${port}`).replace(/\/$/, '') };
}

async function registerStore(options: StoreOptions, server: Server, publicUrl: string) {
  const db = options.db ?? new SqliteStoreDb(options.dataDir);
  const app = Fastify({
    // The store's own listening server: Fastify handles its requests once ready.
    serverFactory: (handler) => server.on('request', handler),
    // A path the router cannot decode (`/%zz`) is answered before any hook: the shop's 400 page,
    // in the language of the browser's cookie or Accept-Language, not Fastify's JSON.
    frameworkErrors: (_error, request, reply) => {
      const cookie = /(?:^|;\s*)lang=([^;]*)/.exec(String(request.headers.cookie ?? ''))?.[1];
      request.lang = pickLanguage(undefined, cookie, request.headers['accept-language']);
      return errorPage(reply, 400, 'badRequestTitle', 'badRequestText');
    },
    logger: options.logger
      ? {
          level: process.env.LOG_LEVEL ?? 'warn',
          redact: paydoRedactPaths,
          ...(options.logStream && { stream: options.logStream }),
        }
      : false,
  });
  // The route table as registered (tests generate requests from it).
  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url ?? route.path });
  });
  app.addHook('onClose', async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await db.close();
  });

  const extra = options.sandboxOrigin ? [options.sandboxOrigin] : [];
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:', ...extra],
        connectSrc: ["'self'"],
        // The 3-D Secure page gets a top-level form POST; redirects go to the wallet or Paydo.
        formAction: ["'self'", 'https:', ...extra],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    // Locally the shop and the sandbox are plain http.
    strictTransportSecurity: publicUrl.startsWith('https:'),
  });
  const secure = publicUrl.startsWith('https:');
  await app.register(cookie, { secret: options.cookieSecret ?? randomBytes(32).toString('base64url') });
  await app.register(formbody);
  // Every state-changing form of the shop carries a CSRF token (the /paydo routes are JSON-only
  // and check the Origin themselves).
  await app.register(csrf, {
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure, signed: true },
  });
  // The page's language for every request: `?lang=` (remembered in a cookie), the cookie, the
  // browser's Accept-Language, English. An unknown value is ignored, never an error.
  app.decorateRequest('lang', DEFAULT_LANGUAGE);
  app.addHook('onRequest', async (request, reply) => {
    const asked = asLanguage((request.query as { lang?: unknown } | undefined)?.lang);
    request.lang = pickLanguage(asked, request.cookies[LANG_COOKIE], request.headers['accept-language']);
    if (asked && asked !== request.cookies[LANG_COOKIE])
      reply.setCookie(LANG_COOKIE, asked, { path: '/', sameSite: 'lax', httpOnly: true, secure, maxAge: 31_536_000 });
  });
  // A browser opens these routes: whatever goes wrong, the answer is the shop's HTML page in the
  // page's language, with the status kept (the /paydo routes have the plugin's JSON handler).
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error.code?.startsWith('FST_CSRF')) return errorPage(reply, 403, 'expiredTitle', 'expiredText');
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return errorPage(reply, status, 'badRequestTitle', 'badRequestText');
    request.log.error({ err: error }, 'store: unexpected error');
    return errorPage(reply, 500, 'serverErrorTitle', 'serverErrorText');
  });
  app.setNotFoundHandler((_request, reply) => notFoundPage(reply, 'page'));

  // The payment method's name for the receipt, from Paydo's list (asked once per unknown id).
  const methodTitles = new Map<string, string>();
  const methodTitle = async (id: string | number | null | undefined): Promise<string | null> => {
    if (id == null) return null;
    if (!methodTitles.has(String(id))) {
      try {
        for (const m of await app.paydo.paymentMethods.listAvailable()) methodTitles.set(String(m.identifier), m.title);
      } catch {
        // The receipt then names no method; the payment itself is not affected.
      }
    }
    return methodTitles.get(String(id)) ?? null;
  };

  await app.register(paydo, {
    prefix: '/paydo',
    ...options.paydo,
    store: options.paydoStore ?? new SqliteStore(join(options.dataDir, 'paydo.sqlite')),
    pollIntervalMs: options.pollIntervalMs ?? 5_000,
    rateLimit: options.rateLimit,
    cardPayments: options.cardPayments,
    ipnSourceAddresses: options.ipnSourceAddresses,
    resolveOrder: async (ref) => {
      const order = await db.findOrder(ref);
      if (!order) return null;
      const hosted = hostedLanguage(order.lang);
      return {
        id: `ORD-${order.number}`,
        amount: order.amount,
        currency: order.currency,
        description: `Order #${order.number}`,
        items: order.lines.map((l) => ({ id: l.productId, name: l.name, price: l.price, quantity: l.quantity })),
        paid: order.status !== 'awaiting_payment' && order.status !== 'payment_failed',
        // Paydo's own page in the order's language where it has it (pt-BR → pt; the widget's wins).
        ...(hosted && { language: hosted }),
      };
    },
    onPaymentUpdate: async (update) => {
      const card = update.transaction.cardMetadata;
      await db.applyPayment(update.orderRef, {
        payment:
          update.status === 'paid'
            ? {
                method: await methodTitle(update.transaction.paymentMethodIdentifier),
                cardBrand: card?.paymentSystem ?? null,
                cardLast4: card?.lastDigits && /^\d{4}$/.test(card.lastDigits) ? card.lastDigits : null,
              }
            : undefined,
        txid: update.txid,
        invoiceId: update.invoiceId,
        state: update.state,
        status: update.status,
        source: update.source,
        traceId: update.traceId ?? null,
        message:
          update.status === 'duplicate'
            ? `Second charge (the order was paid by ${update.duplicateOf}); ${update.refundId ? `refunded in full: ${update.refundId}` : 'not refunded'}.`
            : update.errorCode
              ? // The catalogue code (server-kit/docs/errors.md) and Paydo's own words, for the shop's records only.
                `${update.errorCode}: ${update.errorMessage ?? 'Paydo gave no reason'}`
              : update.errorMessage,
      });
    },
    // Paydo's refund IPN, confirmed by the kit: the refund is done (or still processing).
    onRefundUpdate: async (update) => {
      await db.setRefundStatus(update.refundId, update.accepted ? 'refunded' : 'processing');
    },
    onIpn: async (record) => {
      await db.logIpn(record.orderRef, {
        kind: record.kind,
        at: record.at.toISOString(),
        outcome: record.outcome,
        reason: record.reason,
        txid: record.txid,
        claimedState: record.claimedState,
        verifiedState: record.verifiedState,
        sourceIp: record.sourceIp,
      });
    },
    checkoutPageUrl: (ref) => `${publicUrl}/checkout/${encodeURIComponent(ref)}`,
  });

  // The shop's own pages and the back office: every POST carries a CSRF token. A scope of their
  // own, so the check hangs on these routes (the /paydo routes are JSON-only and check the Origin).
  await app.register(async (app) => {
    app.addHook('preHandler', (request, reply, done) => {
      if (request.method !== 'POST') return done();
      app.csrfProtection(request, reply, done);
    });
    const asset = (file: string, type: string) => {
      const body = readFileSync(file);
      return (_request: FastifyRequest, reply: FastifyReply) =>
        reply.type(type).header('cache-control', 'no-cache').send(body);
    };
    app.get('/assets/paydo-checkout.js', asset(WIDGET, 'text/javascript; charset=utf-8'));
    // Each language of the widget is a file beside it, fetched only by a page that shows that language.
    for (const file of readdirSync(dirname(WIDGET)).filter((f) => /^paydo-checkout-[a-z-]+\.js$/.test(f)))
      app.get(`/assets/${file}`, asset(join(dirname(WIDGET), file), 'text/javascript; charset=utf-8'));
    app.get('/assets/store.js', asset(join(PUBLIC, 'store.js'), 'text/javascript; charset=utf-8'));
    app.get('/assets/store.css', asset(join(PUBLIC, 'store.css'), 'text/css; charset=utf-8'));
    app.get('/favicon.svg', asset(join(PUBLIC, 'favicon.svg'), 'image/svg+xml'));
    app.get('/favicon.ico', (_request, reply) => reply.redirect('/favicon.svg', 301));
    for (const product of CATALOG)
      app.get(imageOf(product), asset(join(PUBLIC, 'products', `${product.id}.svg`), 'image/svg+xml'));

    const cartOf = (request: FastifyRequest): Cart => readCart(request);
    const count = (cart: Cart) => Object.values(cart).reduce((a, b) => a + b, 0);
    const csrfField = (reply: FastifyReply) => html`<input type="hidden" name="_csrf" value="${reply.generateCsrf()}">`;
    const page = (reply: FastifyReply, title: string, body: Html, cart?: Cart, options: PageOptions = {}) =>
      reply
        .type('text/html; charset=utf-8')
        .send(layout(title, body, { ...options, lang: reply.request.lang, cartCount: cart ? count(cart) : 0 }));

    app.get('/', async (request, reply) => {
      const token = csrfField(reply);
      const t = translator(request.lang);
      return page(
        reply,
        t('shop'),
        html`<section class="hero"><h1>${t('heroTitle')}</h1>
      <p class="muted">${t('heroText')}</p></section>
      <div class="grid">${CATALOG.map(
        (p) => html`<article class="product">
          <img class="product-image" src="${imageOf(p)}" alt="" width="320" height="240">
          <div class="product-body">
            <h2>${productName(t, p.id, p.name)}</h2>
            <p class="muted">${t(`${p.id}.description` as keyof Words)}</p>
            <div class="product-foot">
              <span class="price">${formatMoney(p.price, p.currency, request.lang)}</span>
              <form method="post" action="/cart/add">${token}<input type="hidden" name="productId" value="${p.id}"><button type="submit" aria-label="${t('addToCartLabel', { name: productName(t, p.id, p.name) })}">${t('addToCart')}</button></form>
            </div>
          </div>
        </article>`,
      )}</div>`,
        cartOf(request),
      );
    });

    app.post<{ Body: { productId?: string } }>('/cart/add', async (request, reply) => {
      const product = findProduct(String(request.body?.productId ?? ''));
      if (!product) return notFoundPage(reply, 'product');
      const cart = cartOf(request);
      const checked = checkCart({ ...cart, [product.id]: 1 });
      if ('error' in checked) return reply.redirect(`/cart?error=${checked.error}`, 303);
      if ((cart[product.id] ?? 0) >= MAX_QUANTITY) return reply.redirect('/cart?error=max_quantity', 303);
      cart[product.id] = (cart[product.id] ?? 0) + 1;
      return writeCart(reply, cart, secure).redirect('/cart', 303);
    });

    /** Sets a line's quantity; 0 removes it. */
    app.post<{ Body: { productId?: string; quantity?: string } }>('/cart/update', async (request, reply) => {
      const cart = cartOf(request);
      const id = String(request.body?.productId ?? '');
      const quantity = Number(request.body?.quantity ?? 0);
      if (!Object.hasOwn(cart, id)) return reply.redirect('/cart', 303);
      if (!Number.isInteger(quantity) || quantity < 0) return reply.redirect('/cart?error=bad_quantity', 303);
      if (quantity > MAX_QUANTITY) return reply.redirect('/cart?error=max_quantity', 303);
      if (quantity === 0) delete cart[id];
      else cart[id] = quantity;
      return writeCart(reply, cart, secure).redirect('/cart', 303);
    });

    app.post<{ Body: { productId?: string } }>('/cart/remove', async (request, reply) => {
      const cart = cartOf(request);
      delete cart[String(request.body?.productId ?? '')];
      return writeCart(reply, cart, secure).redirect('/cart', 303);
    });

    app.get<{ Querystring: { error?: string } }>('/cart', async (request, reply) => {
      const cart = cartOf(request);
      const checked = checkCart(cart);
      if ('error' in checked) return writeCart(reply, {}, secure).redirect(`/cart?error=cart_invalid`, 303);
      const { lines, currency } = checked;
      const token = csrfField(reply);
      const t = translator(request.lang);
      const lang = request.lang;
      const notice = Object.hasOwn(CART_NOTICES, request.query.error ?? '')
        ? t(`notice.${request.query.error}` as keyof Words, { n: MAX_QUANTITY })
        : null;
      const sum = total(lines.map((l) => ({ price: l.product.price, quantity: l.quantity })));
      return page(
        reply,
        t('cart'),
        html`<h1>${t('yourCart')}</h1>
      ${notice ? html`<p class="notice" role="alert">${notice}</p>` : ''}
      ${
        lines.length === 0
          ? html`<section class="empty card"><p>${t('cartEmpty')}</p><p><a class="button" href="/">${t('browseShop')}</a></p></section>`
          : html`<div class="cart">
          <ul class="cart-lines">
          ${lines.map(
            (l) => html`<li class="cart-line">
              <img src="${imageOf(l.product)}" alt="" width="96" height="72">
              <div class="cart-item"><strong>${productName(t, l.product.id, l.product.name)}</strong><span class="muted small">${t('each', { price: formatMoney(l.product.price, l.product.currency, lang) })}</span></div>
              <form method="post" action="/cart/update" class="qty">${token}
                <input type="hidden" name="productId" value="${l.product.id}">
                <label class="visually-hidden" for="qty-${l.product.id}">${t('quantityOf', { name: productName(t, l.product.id, l.product.name) })}</label>
                <input id="qty-${l.product.id}" type="number" name="quantity" min="0" max="${MAX_QUANTITY}" value="${l.quantity}" inputmode="numeric">
                <button class="secondary small" type="submit">${t('update')}</button>
              </form>
              <strong class="line-total">${formatMoney(total([{ price: l.product.price, quantity: l.quantity }]), l.product.currency, lang)}</strong>
              <form method="post" action="/cart/remove" class="remove">${token}<input type="hidden" name="productId" value="${l.product.id}"><button class="link" type="submit" aria-label="${t('removeLabel', { name: productName(t, l.product.id, l.product.name) })}">${t('remove')}</button></form>
            </li>`,
          )}
          </ul>
          <aside class="card cart-summary">
            <div class="row"><span>${t('total')}</span><strong>${formatMoney(sum, currency, lang)}</strong></div>
            <form method="post" action="/checkout">${token}<button class="block" type="submit">${t('checkOut')}</button></form>
            <a href="/" class="small">${t('continueShopping')}</a>
          </aside></div>`
      }`,
        cart,
      );
    });

    // The order is created from the server's catalog: the browser never sets a price.
    app.post('/checkout', async (request, reply) => {
      // The whole cart is checked again here: a cart that passed "add" one item at a time is not trusted.
      const checked = checkCart(cartOf(request));
      if ('error' in checked) return writeCart(reply, {}, secure).redirect(`/cart?error=${checked.error}`, 303);
      const lines = checked.lines.map(({ product: p, quantity }) => ({
        productId: p.id,
        name: p.name,
        price: p.price,
        quantity,
      }));
      if (!lines.length) return reply.redirect('/cart', 303);
      const order = await db.createOrder(lines, total(lines), checked.currency, request.lang);
      return reply.clearCookie('cart', { path: '/' }).redirect(`/checkout/${order.ref}`, 303);
    });

    // `?theme=` sets the widget's theme and `?lang=` the page's and the widget's language: the
    // demo's way to try a dark checkout on a light page or another language. A value the store
    // does not know falls back quietly (auto; the remembered or the browser's language).
    app.get<{ Params: { ref: string }; Querystring: { theme?: unknown } }>('/checkout/:ref', async (request, reply) => {
      const order = await db.findOrder(request.params.ref);
      if (!order) return notFoundPage(reply, 'order');
      // Paid already (Back from the order page, a reload, a second tab): the receipt is the way on.
      if (isPaid(order)) return reply.redirect(`/orders/${order.ref}`, 303);
      request.lang = orderLanguage(request, order);
      // Never from the back/forward cache: Back from 3-D Secure, a wallet or the order page must load
      // the page again so <paydo-checkout> asks the server where the payment stands.
      reply.header('cache-control', 'no-store');
      const t = translator(request.lang);
      const theme = THEMES.find((name) => name === request.query.theme) ?? 'auto';
      return page(
        reply,
        `${t('checkout')} · ${t('orderNumber', { n: order.number })}`,
        html`<h1>${t('checkout')}</h1>
      <div class="checkout">
        <section class="card summary" aria-label="${t('orderSummary')}">
          <h2>${t('orderNumber', { n: order.number })}</h2>
          ${itemsTable(order, request.lang)}
          <p class="muted small">${t('testCard')}</p>
        </section>
        <paydo-checkout api="/paydo" order="${order.ref}" lang="${request.lang}" theme="${theme}"></paydo-checkout>
      </div>`,
      );
    });

    app.get<{ Params: { ref: string } }>('/orders/:ref', async (request, reply) => {
      const order = await db.findOrder(request.params.ref);
      if (!order) return notFoundPage(reply, 'order');
      request.lang = orderLanguage(request, order);
      const lang = request.lang;
      const t = translator(lang);
      const refunded = formatMoney(fromCents(await db.refundedCents(order.ref)), order.currency, lang);
      const paidAt = (await db.paymentEvents(order.ref)).find((e) => e.status === 'paid' && e.txid === order.txid)?.at;
      return page(
        reply,
        t('orderNumber', { n: order.number }),
        html`<section class="receipt card">
        <header class="receipt-head">
          <h1>${t('orderNumber', { n: order.number })}</h1>
          <span class="badge ${order.status}" data-status="${order.status}">${t(`status.${order.status}`)}</span>
        </header>
        <p class="lead">${t(`headline.${order.status}`, { amount: refunded })}</p>
        ${itemsTable(order, lang)}
        ${
          isPaid(order)
            ? html`<dl class="facts">
            <dt>${t('paidWith')}</dt><dd>${paymentLine(order)}</dd>
            ${paidAt ? html`<dt>${t('paidOn')}</dt><dd>${paidAt.slice(0, 16).replace('T', ' ')} UTC</dd>` : ''}
            ${order.invoiceId ? html`<dt>${t('paydoInvoice')}</dt><dd><code>${order.invoiceId}</code></dd>` : ''}
            ${order.txid ? html`<dt>${t('paydoTransaction')}</dt><dd><code>${order.txid}</code></dd>` : ''}
          </dl>`
            : html`<p><a class="button" href="/checkout/${order.ref}">${t('goToCheckout')}</a></p>`
        }
      </section>
      <p class="center"><a href="/">${t('backToShop')}</a></p>`,
      );
    });

    await app.register(adminPlugin, {
      prefix: '/admin',
      db,
      password: options.adminPassword,
      secureCookies: secure,
      sessionTimes: options.sessionTimes,
    });
  });

  return { app, db, routes };
}

const isPaid = (order: Order) => order.status !== 'awaiting_payment' && order.status !== 'payment_failed';

const THEMES = ['light', 'dark', 'auto'] as const;

/**
 * An order's pages: the language asked for (`?lang=`) or chosen before (cookie), else the one
 * the order was placed in, else the browser's. A link opened in another browser keeps the order's.
 */
function orderLanguage(request: FastifyRequest, order: Order): Language {
  const query = (request.query as { lang?: unknown } | undefined)?.lang;
  return asLanguage(query) ?? asLanguage(request.cookies[LANG_COOKIE]) ?? asLanguage(order.lang) ?? request.lang;
}

/** The hosted page's language for an order's language: its own, its base (`pt-br` → `pt`), or none. */
function hostedLanguage(lang: string | null): InvoiceLanguage | undefined {
  const base = lang?.split('-')[0];
  return HOSTED_PAGE_LANGUAGES.find((l) => l === lang || l === base);
}
const LANG_COOKIE = 'lang';

/** A product's name in the page's language (an order keeps the English name it was sold under). */
const productName = (t: Translate, id: string, fallback: string) =>
  Object.hasOwn(DICTIONARIES.en, `${id}.name`) ? t(`${id}.name` as keyof Words) : fallback;

function itemsTable(order: Order, lang: Language): Html {
  const t = translator(lang);
  return html`<table class="items"><tbody>
    ${order.lines.map((l) => html`<tr><td>${productName(t, l.productId, l.name)} <span class="muted">× ${l.quantity}</span></td><td class="num">${formatMoney(total([l]), order.currency, lang)}</td></tr>`)}
    </tbody><tfoot><tr><th scope="row">${t('total')}</th><th class="num">${formatMoney(order.amount, order.currency, lang)}</th></tr></tfoot></table>`;
}

/** The shop's HTML page for an error, in the request's language, with the status kept. */
function errorPage(reply: FastifyReply, status: number, title: keyof Words, text: keyof Words) {
  const lang = reply.request.lang ?? DEFAULT_LANGUAGE;
  const t = translator(lang);
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(
      layout(
        t(title),
        html`<section class="empty card" data-error="${status}">
        <h1>${t(title)}</h1>
        <p class="muted">${t(text)}</p>
        <p><a class="button" href="/">${t('backToShop')}</a></p>
      </section>`,
        { lang },
      ),
    );
}

function notFoundPage(reply: FastifyReply, what: 'page' | 'order' | 'product') {
  const lang = reply.request.lang ?? DEFAULT_LANGUAGE;
  const t = translator(lang);
  return reply
    .code(404)
    .type('text/html; charset=utf-8')
    .send(
      layout(
        t('notFoundTitle'),
        html`<section class="empty card" data-error="404">
        <h1>${t(`notFound.${what}`)}</h1>
        <p class="muted">${t('notFoundText')}</p>
        <p><a class="button" href="/">${t('backToShop')}</a></p>
      </section>`,
        { lang },
      ),
    );
}
