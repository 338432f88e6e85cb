import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createPaydoHandler, type PaydoHandlerOptions, type PaydoOrder } from '@paydo-checkout/server-kit/fetch';
import { Hono } from 'hono';

const WIDGET_DIR = dirname(fileURLToPath(import.meta.resolve('@paydo-checkout/widget/paydo-checkout.js')));

/** An order of this shop: what the checkout charges, and what Paydo told us. */
export interface ShopOrder extends PaydoOrder {
  status: 'open' | 'paid' | 'failed';
  txid: string | null;
}

export interface ShopOptions {
  /** Paydo's keys and API origin (the sandbox's in development). */
  paydo: { publicKey: string; secretKey: string; jwt: string; baseUrl?: string | undefined };
  /** The shop's public origin (where the payer comes back after 3-D Secure). */
  publicUrl: () => string;
  pollIntervalMs?: number;
}

/**
 * The whole shop on Hono: `POST /orders` makes an order, `GET /checkout/:ref` is its checkout page
 * with `<paydo-checkout>`, `GET /orders/:ref` says whether it is paid, and the server kit's
 * Web-standard handler answers the widget and Paydo's IPN under `/paydo`.
 */
export function buildShop(options: ShopOptions) {
  // The shop's own records (a database in a real shop). The checkout reference is unguessable.
  const orders = new Map<string, ShopOrder>();
  const checkout: PaydoHandlerOptions = {
    ...options.paydo,
    prefix: '/paydo',
    resolveOrder: async (ref) => orders.get(ref) ?? null,
    onPaymentUpdate: async (update) => {
      const order = orders.get(update.orderRef);
      // A second charge is refunded by the kit; a paid order never goes back to failed (another
      // tab's card declined afterwards changes nothing): only the first result that pays counts.
      if (!order || update.status === 'duplicate' || order.paid) return;
      order.status = update.status;
      order.txid = update.txid;
      if (update.status === 'paid') order.paid = true;
    },
    checkoutPageUrl: (ref) => `${options.publicUrl()}/checkout/${ref}`,
    pollIntervalMs: options.pollIntervalMs,
  };
  const paydo = createPaydoHandler(checkout);

  const app = new Hono();
  // The peer's address from Node's socket (a Request does not carry it): the IPN's source check
  // and the rate limits need it. Behind a proxy, list the proxy in `trustProxy`.
  app.all('/paydo/*', (c) => paydo(c.req.raw, { remoteAddress: getConnInfo(c).remote.address }));

  app.get('/assets/:file', async (c) => {
    const file = c.req.param('file');
    if (!/^paydo-checkout(-[a-z-]+)?\.js$/.test(file)) return c.notFound();
    const code = await readFile(join(WIDGET_DIR, file), 'utf8');
    return c.body(code, 200, { 'content-type': 'text/javascript; charset=utf-8' });
  });

  app.post('/orders', (c) => {
    const ref = randomUUID();
    orders.set(ref, {
      id: `ORD-${orders.size + 1}`,
      amount: '12.50',
      currency: 'EUR',
      description: 'Two mugs',
      status: 'open',
      txid: null,
    });
    return c.redirect(`/checkout/${ref}`, 303);
  });

  app.get('/orders/:ref', (c) => {
    const order = orders.get(c.req.param('ref'));
    if (!order) return c.json({ error: 'not found' }, 404);
    return c.json({ status: order.status, txid: order.txid });
  });

  app.get('/checkout/:ref', (c) => {
    const ref = c.req.param('ref');
    const order = orders.get(ref);
    if (!order) return c.text('No such order.', 404);
    return c.html(checkoutPage(ref, order));
  });

  app.get('/', (c) =>
    c.html(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Mugs</title>
<h1>Two mugs, 12.50 EUR</h1>
<form method="post" action="/orders"><button>Buy</button></form></html>`),
  );

  return { app, orders, paydo };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function checkoutPage(ref: string, order: ShopOrder): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Checkout</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<h1>${escapeHtml(order.description ?? '')}: ${escapeHtml(order.amount)} ${escapeHtml(order.currency)}</h1>
<paydo-checkout api="/paydo" order="${escapeHtml(ref)}"></paydo-checkout>
<p id="result" role="status"></p>
<script type="module" src="/assets/paydo-checkout.js"></script>
<script type="module">
  const result = document.getElementById('result');
  document.querySelector('paydo-checkout').addEventListener('paydo-success', () => {
    result.textContent = 'Paid. Thank you!';
    result.dataset.status = 'paid';
  });
</script></html>`;
}
