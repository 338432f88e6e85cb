import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import { PaydoError } from '@paydo-checkout/server-kit';
import { type PaydoPluginOptions, paydo, paydoRedactPaths, SqliteStore } from '@paydo-checkout/server-kit/fastify';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { CATALOG, findProduct, formatMoney, total } from './catalog.ts';
import { type Order, StoreDb } from './db.ts';
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
}

const WIDGET = fileURLToPath(import.meta.resolve('@paydo-checkout/widget/paydo-checkout.js'));
const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));
const STATUS_LABEL: Record<Order['status'], string> = {
  awaiting_payment: 'awaiting payment',
  paid: 'paid',
  payment_failed: 'payment failed',
  partially_refunded: 'partially refunded',
  refunded: 'refunded',
};
const REFUND_STATUS: Record<string, string> = { '1': 'processing', '2': 'refunded' };

type Cart = Record<string, number>;

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
  await app.register(cookie);
  await app.register(formbody);

  await app.register(paydo, {
    prefix: '/paydo',
    ...options.paydo,
    store: new SqliteStore(join(options.dataDir, 'paydo.sqlite')),
    pollIntervalMs: options.pollIntervalMs ?? 5_000,
    rateLimit: options.rateLimit,
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

  const cartOf = (request: FastifyRequest): Cart => {
    try {
      const parsed = JSON.parse(request.cookies.cart ?? '{}') as Cart;
      return Object.fromEntries(
        Object.entries(parsed).filter(([id, n]) => findProduct(id) && Number.isInteger(n) && n > 0 && n < 100),
      );
    } catch {
      return {};
    }
  };
  const count = (cart: Cart) => Object.values(cart).reduce((a, b) => a + b, 0);
  const page = (reply: FastifyReply, title: string, body: ReturnType<typeof html>, cart?: Cart) =>
    reply.type('text/html; charset=utf-8').send(layout(title, body, { cartCount: cart ? count(cart) : 0 }));

  app.get('/', async (request, reply) =>
    page(
      reply,
      'Shop',
      html`<h1>Shop</h1>
      <div class="grid">${CATALOG.map(
        (p) => html`<article class="product">
          <div class="emoji" aria-hidden="true">${p.emoji}</div>
          <h2>${p.name}</h2>
          <p class="muted">${p.description}</p>
          <div class="price">${formatMoney(p.price, p.currency)}</div>
          <form method="post" action="/cart/add"><input type="hidden" name="productId" value="${p.id}"><button type="submit" aria-label="Add ${p.name} to cart">Add to cart</button></form>
        </article>`,
      )}</div>`,
      cartOf(request),
    ),
  );

  app.post<{ Body: { productId?: string } }>('/cart/add', async (request, reply) => {
    const product = findProduct(String(request.body?.productId ?? ''));
    if (!product)
      return reply
        .code(400)
        .type('text/html')
        .send(layout('Not found', html`<p class="notice error">No such product.</p>`));
    const cart = cartOf(request);
    const currencies = new Set(Object.keys(cart).map((id) => findProduct(id)?.currency));
    if (currencies.size && !currencies.has(product.currency)) return reply.redirect('/cart?error=currency', 303);
    cart[product.id] = (cart[product.id] ?? 0) + 1;
    return reply
      .setCookie('cart', JSON.stringify(cart), { path: '/', sameSite: 'lax', httpOnly: true })
      .redirect('/cart', 303);
  });

  app.post<{ Body: { productId?: string } }>('/cart/remove', async (request, reply) => {
    const cart = cartOf(request);
    delete cart[String(request.body?.productId ?? '')];
    return reply
      .setCookie('cart', JSON.stringify(cart), { path: '/', sameSite: 'lax', httpOnly: true })
      .redirect('/cart', 303);
  });

  app.get<{ Querystring: { error?: string } }>('/cart', async (request, reply) => {
    const cart = cartOf(request);
    const lines = Object.entries(cart).map(([id, quantity]) => ({ product: findProduct(id)!, quantity }));
    const currency = lines[0]?.product.currency ?? 'EUR';
    const sum = total(lines.map((l) => ({ price: l.product.price, quantity: l.quantity })));
    return page(
      reply,
      'Cart',
      html`<h1>Cart</h1>
      ${request.query.error === 'currency' ? html`<p class="notice" role="alert">Items in another currency go in a separate order: check out this cart first.</p>` : ''}
      ${
        lines.length === 0
          ? html`<p>Your cart is empty. <a href="/">Browse the shop</a>.</p>`
          : html`<table><thead><tr><th>Item</th><th>Qty</th><th>Price</th><th></th></tr></thead><tbody>
          ${lines.map(
            (
              l,
            ) => html`<tr><td>${l.product.name}</td><td>${l.quantity}</td><td>${formatMoney(l.product.price, l.product.currency)}</td>
            <td><form method="post" action="/cart/remove"><input type="hidden" name="productId" value="${l.product.id}"><button class="secondary" type="submit">Remove</button></form></td></tr>`,
          )}
          <tr><th colspan="2">Total</th><th>${formatMoney(sum, currency)}</th><td></td></tr></tbody></table>
          <form method="post" action="/checkout"><p><button type="submit">Check out</button></p></form>`
      }`,
      cart,
    );
  });

  // The order is created from the server's catalog: the browser never sets a price.
  app.post('/checkout', async (request, reply) => {
    const cart = cartOf(request);
    const lines = Object.entries(cart).map(([id, quantity]) => {
      const p = findProduct(id)!;
      return { productId: p.id, name: p.name, price: p.price, quantity };
    });
    if (!lines.length) return reply.redirect('/cart', 303);
    const currency = findProduct(lines[0]!.productId)!.currency;
    const order = db.createOrder(lines, total(lines), currency);
    return reply.clearCookie('cart', { path: '/' }).redirect(`/checkout/${order.ref}`, 303);
  });

  app.get<{ Params: { ref: string } }>('/checkout/:ref', async (request, reply) => {
    const order = db.findOrder(request.params.ref);
    if (!order) return reply.code(404).type('text/html').send(layout('Not found', html`<h1>Order not found</h1>`));
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

  app.get<{ Querystring: { error?: string; ok?: string } }>('/admin/orders', async (request, reply) => {
    const orders = db.listOrders();
    await refreshRefunds(app, db, orders);
    return page(
      reply,
      'Orders',
      html`<h1>Orders</h1>
      ${request.query.error ? html`<p class="notice error" role="alert">${request.query.error}</p>` : ''}
      ${request.query.ok ? html`<p class="notice" role="status">${request.query.ok}</p>` : ''}
      <table><thead><tr><th>Order</th><th>Amount</th><th>Status</th><th>Paydo</th><th>IPN history</th><th>Refunds</th></tr></thead><tbody>
      ${orders.map((o) => adminRow(o, db))}
      </tbody></table>`,
    );
  });

  app.post<{ Params: { ref: string }; Body: { kind?: string; amount?: string } }>(
    '/admin/orders/:ref/refund',
    async (request, reply) => {
      const order = db.findOrder(request.params.ref);
      const back = (key: 'error' | 'ok', message: string) =>
        reply.redirect(`/admin/orders?${key}=${encodeURIComponent(message)}`, 303);
      if (!order?.txid || (order.status !== 'paid' && order.status !== 'partially_refunded')) {
        return back('error', 'Only a paid order can be refunded.');
      }
      const refunded = db.refunds(order.ref).reduce((sum, r) => sum + toCents(r.amount), 0);
      const remaining = toCents(order.amount) - refunded;
      const kind = request.body?.kind === 'partial' ? 'partial' : 'full';
      const amount = kind === 'full' ? fromCents(remaining) : String(request.body?.amount ?? '').trim();
      if (!/^\d{1,9}(\.\d{1,2})?$/.test(amount) || toCents(amount) <= 0)
        return back('error', 'Enter the amount to refund, e.g. 5.00.');
      if (toCents(amount) > remaining)
        return back('error', `At most ${formatMoney(fromCents(remaining), order.currency)} can still be refunded.`);
      try {
        const { refundId } = await app.paydo.refunds.create({
          transactionIdentifier: order.txid,
          refundType: kind === 'full' ? 1 : 2,
          amount,
          metadata: { order: `ORD-${order.number}` },
        });
        db.addRefund(
          {
            refundId,
            orderRef: order.ref,
            txid: order.txid,
            amount,
            kind,
            status: 'processing',
            createdAt: new Date().toISOString(),
          },
          toCents(amount) === remaining ? 'full' : 'partial',
        );
        return back('ok', `Refund of ${formatMoney(amount, order.currency)} requested for order #${order.number}.`);
      } catch (error) {
        const message = error instanceof PaydoError ? error.message : 'The refund could not be requested.';
        request.log.warn({ err: error }, 'refund failed');
        return back('error', `Refund failed: ${message}`);
      }
    },
  );

  return { app, db };
}

function adminRow(o: Order, db: StoreDb) {
  const ipns = db.ipnLog(o.ref);
  const refunds = db.refunds(o.ref);
  const refundable = o.status === 'paid' || o.status === 'partially_refunded';
  return html`<tr data-order="${o.ref}">
    <td><a href="/orders/${o.ref}">#${o.number}</a><br><span class="muted">${o.createdAt.slice(0, 19).replace('T', ' ')}</span></td>
    <td>${formatMoney(o.amount, o.currency)}</td>
    <td><span class="badge ${o.status}" data-status="${o.status}">${STATUS_LABEL[o.status]}</span></td>
    <td>${o.invoiceId ? html`invoice <code>${o.invoiceId}</code><br>` : ''}${o.txid ? html`tx <code>${o.txid}</code>` : html`<span class="muted">—</span>`}</td>
    <td>${
      ipns.length
        ? html`<ul class="ipn">${ipns.map(
            (i) =>
              html`<li data-outcome="${i.outcome}"><strong>${i.outcome}</strong> ${i.at.slice(11, 19)}${i.verifiedState != null ? ` · state ${i.verifiedState}` : ''}${i.reason ? html` — ${i.reason}` : ''}</li>`,
          )}</ul>`
        : html`<span class="muted">none</span>`
    }</td>
    <td>${refunds.map((r) => html`<div data-refund="${r.status}">${r.kind} ${r.amount} · ${r.status}</div>`)}
      ${
        refundable
          ? html`<form class="refund-form" method="post" action="/admin/orders/${o.ref}/refund">
          <label><input type="radio" name="kind" value="full" checked> full</label>
          <label><input type="radio" name="kind" value="partial"> partial</label>
          <label>Amount <input name="amount" inputmode="decimal" placeholder="5.00" aria-label="Refund amount for order ${o.number}"></label>
          <button class="secondary" type="submit">Refund</button></form>`
          : ''
      }</td>
  </tr>`;
}

/** Asks Paydo for refunds still processing (a handful per page view). */
async function refreshRefunds(app: FastifyInstance, db: StoreDb, orders: Order[]): Promise<void> {
  const pending = orders.flatMap((o) => db.refunds(o.ref)).filter((r) => r.status === 'processing');
  await Promise.all(
    pending.slice(0, 20).map(async (r) => {
      try {
        const refund = await app.paydo.refunds.retrieve(r.refundId, { signal: AbortSignal.timeout(3_000) });
        const status = REFUND_STATUS[String(refund?.status)];
        if (status && status !== r.status) db.setRefundStatus(r.refundId, status);
      } catch {
        // Paydo unreachable: the status stays as it is and is asked again next time.
      }
    }),
  );
}

const toCents = (amount: string) => Math.round(Number(amount) * 100);
const fromCents = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
