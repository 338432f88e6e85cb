import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import { type PaydoPluginOptions, paydo, paydoRedactPaths, SqliteStore } from '@paydo-checkout/server-kit/fastify';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { registerAdmin, STATUS_LABEL } from './admin.ts';
import { CART_NOTICES, type Cart, checkCart, MAX_QUANTITY, readCart, writeCart } from './cart.ts';
import { CATALOG, findProduct, formatMoney, total } from './catalog.ts';
import { StoreDb } from './db.ts';
import { html, layout } from './html.ts';

export interface StoreOptions {
  dataDir: string;
  /** The shop's public origin, known once it listens. */
  publicUrl: () => string;
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
  /** Paydo's advice is 5–10 s; tests and the sandbox use shorter. */
  pollIntervalMs?: number;
  /** The plugin's rate limits on paying (defaults: 10/min per IP, 20/10 min per order). */
  rateLimit?: PaydoPluginOptions['rateLimit'];
  /** Where payers type the card (PAYDO_CARD_PAYMENTS): `auto` (default), `direct` or `hosted`. */
  cardPayments?: PaydoPluginOptions['cardPayments'];
  /** The back office's password (ADMIN_PASSWORD). */
  adminPassword: string;
  /** Signs the cart and session cookies (COOKIE_SECRET); random per start when not given, which signs everyone out on restart. */
  cookieSecret?: string | undefined;
}

const WIDGET = fileURLToPath(import.meta.resolve('@paydo-checkout/widget/paydo-checkout.js'));
const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));

export async function buildStore(options: StoreOptions): Promise<{ app: FastifyInstance; db: StoreDb }> {
  const db = new StoreDb(options.dataDir);
  const app = Fastify({
    logger: options.logger ? { level: process.env.LOG_LEVEL ?? 'warn', redact: paydoRedactPaths } : false,
  });
  app.addHook('onClose', async () => db.close());

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
    strictTransportSecurity: options.publicUrl().startsWith('https:'),
  });
  const secure = options.publicUrl().startsWith('https:');
  await app.register(cookie, { secret: options.cookieSecret ?? randomBytes(32).toString('base64url') });
  await app.register(formbody);
  // Every state-changing form of the shop carries a CSRF token (the /paydo routes are JSON-only
  // and check the Origin themselves).
  await app.register(csrf, {
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure, signed: true },
  });
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method !== 'POST' || request.url.startsWith('/paydo/')) return done();
    app.csrfProtection(request, reply, done);
  });
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error.code?.startsWith('FST_CSRF')) {
      return reply
        .code(403)
        .type('text/html; charset=utf-8')
        .send(
          layout(
            'Expired form',
            html`<h1>This form has expired</h1><p>Go back, reload the page and try again.</p><p><a href="/">Back to the shop</a></p>`,
          ),
        );
    }
    if ((error.statusCode ?? 500) < 500) return reply.code(error.statusCode as number).send(error);
    request.log.error({ err: error }, 'store: unexpected error');
    return reply.code(500).type('text/plain').send('Something went wrong on our side.');
  });
  app.setNotFoundHandler((_request, reply) =>
    reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(
        layout(
          'Not found',
          html`<h1>Page not found</h1><p>There is nothing at this address.</p><p><a href="/">Back to the shop</a></p>`,
        ),
      ),
  );

  await app.register(paydo, {
    prefix: '/paydo',
    ...options.paydo,
    store: new SqliteStore(join(options.dataDir, 'paydo.sqlite')),
    pollIntervalMs: options.pollIntervalMs ?? 5_000,
    rateLimit: options.rateLimit,
    cardPayments: options.cardPayments,
    resolveOrder: async (ref) => {
      const order = db.findOrder(ref);
      if (!order) return null;
      return {
        id: `ORD-${order.number}`,
        amount: order.amount,
        currency: order.currency,
        description: `Order #${order.number}`,
        items: order.lines.map((l) => ({ id: l.productId, name: l.name, price: l.price, quantity: l.quantity })),
        paid: order.status !== 'awaiting_payment' && order.status !== 'payment_failed',
      };
    },
    onPaymentUpdate: async (update) => {
      db.applyPayment(update.orderRef, {
        txid: update.txid,
        invoiceId: update.invoiceId,
        state: update.state,
        status: update.status,
        source: update.source,
        message:
          update.status === 'duplicate'
            ? `Second charge (the order was paid by ${update.duplicateOf}); ${update.refundId ? `refunded in full: ${update.refundId}` : 'not refunded'}.`
            : update.errorMessage,
      });
    },
    onIpn: (record) => {
      db.logIpn(record.orderRef, {
        at: record.at.toISOString(),
        outcome: record.outcome,
        reason: record.reason,
        txid: record.txid,
        claimedState: record.claimedState,
        verifiedState: record.verifiedState,
        sourceIp: record.sourceIp,
      });
    },
    checkoutPageUrl: (ref) => `${options.publicUrl()}/checkout/${encodeURIComponent(ref)}`,
  });

  const asset = (file: string, type: string) => {
    const body = readFileSync(file);
    return (_request: FastifyRequest, reply: FastifyReply) =>
      reply.type(type).header('cache-control', 'no-cache').send(body);
  };
  app.get('/assets/paydo-checkout.js', asset(WIDGET, 'text/javascript; charset=utf-8'));
  app.get('/assets/store.js', asset(join(PUBLIC, 'store.js'), 'text/javascript; charset=utf-8'));
  app.get('/assets/store.css', asset(join(PUBLIC, 'store.css'), 'text/css; charset=utf-8'));

  const cartOf = (request: FastifyRequest): Cart => readCart(request);
  const count = (cart: Cart) => Object.values(cart).reduce((a, b) => a + b, 0);
  const csrfField = (reply: FastifyReply) => html`<input type="hidden" name="_csrf" value="${reply.generateCsrf()}">`;
  const page = (reply: FastifyReply, title: string, body: ReturnType<typeof html>, cart?: Cart) =>
    reply.type('text/html; charset=utf-8').send(layout(title, body, { cartCount: cart ? count(cart) : 0 }));

  app.get('/', async (request, reply) => {
    const token = csrfField(reply);
    return page(
      reply,
      'Shop',
      html`<h1>Shop</h1>
      <div class="grid">${CATALOG.map(
        (p) => html`<article class="product">
          <div class="emoji" aria-hidden="true">${p.emoji}</div>
          <h2>${p.name}</h2>
          <p class="muted">${p.description}</p>
          <div class="price">${formatMoney(p.price, p.currency)}</div>
          <form method="post" action="/cart/add">${token}<input type="hidden" name="productId" value="${p.id}"><button type="submit" aria-label="Add ${p.name} to cart">Add to cart</button></form>
        </article>`,
      )}</div>`,
      cartOf(request),
    );
  });

  app.post<{ Body: { productId?: string } }>('/cart/add', async (request, reply) => {
    const product = findProduct(String(request.body?.productId ?? ''));
    if (!product)
      return reply
        .code(400)
        .type('text/html')
        .send(layout('Not found', html`<p class="notice error">No such product.</p>`));
    const cart = cartOf(request);
    const checked = checkCart({ ...cart, [product.id]: 1 });
    if ('error' in checked) return reply.redirect(`/cart?error=${checked.error}`, 303);
    if ((cart[product.id] ?? 0) >= MAX_QUANTITY) return reply.redirect('/cart?error=max_quantity', 303);
    cart[product.id] = (cart[product.id] ?? 0) + 1;
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
    const notice = Object.hasOwn(CART_NOTICES, request.query.error ?? '')
      ? CART_NOTICES[request.query.error as keyof typeof CART_NOTICES]
      : null;
    const sum = total(lines.map((l) => ({ price: l.product.price, quantity: l.quantity })));
    return page(
      reply,
      'Cart',
      html`<h1>Cart</h1>
      ${notice ? html`<p class="notice" role="alert">${notice}</p>` : ''}
      ${
        lines.length === 0
          ? html`<p>Your cart is empty. <a href="/">Browse the shop</a>.</p>`
          : html`<table><thead><tr><th>Item</th><th>Qty</th><th>Price</th><th></th></tr></thead><tbody>
          ${lines.map(
            (
              l,
            ) => html`<tr><td>${l.product.name}</td><td>${l.quantity}</td><td>${formatMoney(l.product.price, l.product.currency)}</td>
            <td><form method="post" action="/cart/remove">${token}<input type="hidden" name="productId" value="${l.product.id}"><button class="secondary" type="submit">Remove</button></form></td></tr>`,
          )}
          <tr><th colspan="2">Total</th><th>${formatMoney(sum, currency)}</th><td></td></tr></tbody></table>
          <form method="post" action="/checkout">${token}<p><button type="submit">Check out</button></p></form>`
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
    const order = db.createOrder(lines, total(lines), checked.currency);
    return reply.clearCookie('cart', { path: '/' }).redirect(`/checkout/${order.ref}`, 303);
  });

  app.get<{ Params: { ref: string } }>('/checkout/:ref', async (request, reply) => {
    const order = db.findOrder(request.params.ref);
    if (!order) return reply.callNotFound();
    if (order.status !== 'awaiting_payment' && order.status !== 'payment_failed') {
      return reply.redirect(`/orders/${order.ref}`, 303);
    }
    return page(
      reply,
      `Checkout #${order.number}`,
      html`<h1>Checkout — order #${order.number}</h1>
      <div class="checkout">
        <section class="summary" aria-label="Order summary">
          <table><tbody>${order.lines.map((l) => html`<tr><td>${l.quantity} × ${l.name}</td><td>${formatMoney(total([l]), order.currency)}</td></tr>`)}
          <tr><th>Total</th><th>${formatMoney(order.amount, order.currency)}</th></tr></tbody></table>
          <p class="muted">Sandbox test card: 4242 4242 4242 4242, any future date, any CVC.</p>
        </section>
        <paydo-checkout api="/paydo" order="${order.ref}" lang="en"></paydo-checkout>
      </div>`,
    );
  });

  app.get<{ Params: { ref: string } }>('/orders/:ref', async (request, reply) => {
    const order = db.findOrder(request.params.ref);
    if (!order) return reply.code(404).type('text/html').send(layout('Not found', html`<h1>Order not found</h1>`));
    const paid = order.status !== 'awaiting_payment' && order.status !== 'payment_failed';
    return page(
      reply,
      `Order #${order.number}`,
      html`<h1>Order #${order.number}</h1>
      <p>Status: <span class="badge ${order.status}" data-status="${order.status}">${STATUS_LABEL[order.status]}</span></p>
      <p>${paid ? 'Thank you! Your payment is confirmed.' : html`Not paid yet. <a href="/checkout/${order.ref}">Go to checkout</a>.`}</p>
      <p>Total: ${formatMoney(order.amount, order.currency)}</p>
      <p><a href="/">Back to the shop</a></p>`,
    );
  });

  registerAdmin(app, db, { password: options.adminPassword, secureCookies: secure });

  return { app, db };
}
