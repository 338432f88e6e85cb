import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type PaydoOrder,
  type PaydoRouter,
  type PaydoRouterOptions,
  paydoRouter,
} from '@paydo-checkout/server-kit/express';
import express, { type Express } from 'express';

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
 * The whole shop: `POST /orders` makes an order, `GET /checkout/:ref` is its checkout page with
 * `<paydo-checkout>`, `GET /orders/:ref` says whether it is paid, and the server kit's router
 * answers the widget and Paydo's IPN under `/paydo`.
 */
export function buildShop(options: ShopOptions): { app: Express; orders: Map<string, ShopOrder>; paydo: PaydoRouter } {
  // The shop's own records (a database in a real shop). The checkout reference is unguessable.
  const orders = new Map<string, ShopOrder>();
  const checkout: PaydoRouterOptions = {
    ...options.paydo,
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
  const paydo = paydoRouter(checkout);

  const app = express();
  app.disable('x-powered-by');
  app.use('/paydo', paydo);
  app.use('/assets', express.static(WIDGET_DIR, { index: false }));

  app.post('/orders', (_req, res) => {
    const ref = randomUUID();
    orders.set(ref, {
      id: `ORD-${orders.size + 1}`,
      amount: '12.50',
      currency: 'EUR',
      description: 'Two mugs',
      status: 'open',
      txid: null,
    });
    res.redirect(303, `/checkout/${ref}`);
  });

  app.get('/orders/:ref', (req, res) => {
    const order = orders.get(req.params.ref);
    if (!order) return void res.status(404).json({ error: 'not found' });
    res.json({ status: order.status, txid: order.txid });
  });

  app.get('/checkout/:ref', (req, res) => {
    const order = orders.get(req.params.ref);
    if (!order) return void res.status(404).type('text').send('No such order.');
    res.type('html').send(checkoutPage(req.params.ref, order));
  });

  app.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Mugs</title>
<h1>Two mugs, 12.50 EUR</h1>
<form method="post" action="/orders"><button>Buy</button></form></html>`);
  });

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
