import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import helmet from '@fastify/helmet';
import { paydo, paydoRedactPaths } from '@paydo-checkout/server-kit/fastify';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { CheckoutData, PageData } from './app.tsx';

export interface ExampleOptions {
  paydo: { publicKey: string; secretKey: string; jwt: string; projectId?: string | undefined; baseUrl?: string };
  /** The site's public origin, known once it listens. */
  publicUrl: () => string;
  /** The server render (src/render.tsx, or its build in dist/server). */
  renderPage: (data: PageData, clientScript: string) => Promise<Readable>;
  /** The browser build (dist/client): `assets/client.js` and its chunks. */
  clientDir: string;
  /** The sandbox's origin, allowed in the page's CSP for its logos and 3-D Secure page. */
  sandboxOrigin?: string | undefined;
  logger?: boolean;
  pollIntervalMs?: number;
}

interface Order {
  ref: string;
  number: number;
  amount: string;
  currency: string;
  description: string;
  status: 'awaiting_payment' | 'paid' | 'payment_failed';
  txid: string | null;
}

const REF = '^[A-Za-z0-9_-]{16,32}$';
const ASSET = '^[A-Za-z0-9_-]+\\.(js|css)$';

/** A one-product shop: the order in memory, the checkout page rendered by React on the server. */
export async function buildExample(
  options: ExampleOptions,
): Promise<{ app: FastifyInstance; orders: Map<string, Order> }> {
  const orders = new Map<string, Order>();
  const app = Fastify({ logger: options.logger ? { level: 'warn', redact: paydoRedactPaths } : false });

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
        formAction: ["'self'", 'https:', ...extra],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: options.publicUrl().startsWith('https:'),
  });

  await app.register(paydo, {
    prefix: '/paydo',
    ...options.paydo,
    pollIntervalMs: options.pollIntervalMs ?? 5_000,
    resolveOrder: async (ref) => {
      const order = orders.get(ref);
      if (!order) return null;
      return {
        id: `ORD-${order.number}`,
        amount: order.amount,
        currency: order.currency,
        description: order.description,
        paid: order.status === 'paid',
      };
    },
    // Verified results only (IPN or the kit's own status check), once per transaction and state.
    onPaymentUpdate: async (update) => {
      const order = orders.get(update.orderRef);
      if (!order || order.status === 'paid' || update.status === 'duplicate') return;
      order.status = update.status === 'paid' ? 'paid' : 'payment_failed';
      order.txid = update.txid;
    },
    checkoutPageUrl: (ref) => `${options.publicUrl()}/checkout/${encodeURIComponent(ref)}`,
  });

  const PRODUCT = { description: 'Paydo mug', amount: '12.50', currency: 'EUR' };
  const money = (amount: string, currency: string) =>
    new Intl.NumberFormat('en', { style: 'currency', currency }).format(Number(amount));
  const checkoutData = (order: Order): CheckoutData => ({
    orderRef: order.ref,
    description: order.description,
    total: money(order.amount, order.currency),
  });
  const sendPage = async (reply: FastifyReply, data: PageData) =>
    // Never restored from the back/forward cache: Back from 3-D Secure loads the checkout again.
    reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(await options.renderPage(data, '/assets/client.js'));

  app.get('/', async (_request, reply) =>
    sendPage(reply, { page: 'home', description: PRODUCT.description, total: money(PRODUCT.amount, PRODUCT.currency) }),
  );
  // The form's body carries nothing the order needs.
  app.addContentTypeParser('application/x-www-form-urlencoded', { bodyLimit: 1024 }, (_request, _body, done) =>
    done(null, {}),
  );
  // The page's script asks for JSON and shows the checkout itself; a plain form post is redirected to it.
  app.post('/orders', async (request, reply) => {
    const order: Order = {
      ref: randomBytes(12).toString('base64url'),
      number: orders.size + 1,
      ...PRODUCT,
      status: 'awaiting_payment',
      txid: null,
    };
    orders.set(order.ref, order);
    if (request.headers.accept === 'application/json') return reply.code(201).send(checkoutData(order));
    return reply.redirect(`/checkout/${order.ref}`, 303);
  });

  const refParams = {
    type: 'object',
    properties: { ref: { type: 'string', pattern: REF } },
    required: ['ref'],
  } as const;

  app.get<{ Params: { ref: string } }>('/checkout/:ref', { schema: { params: refParams } }, async (request, reply) => {
    const order = orders.get(request.params.ref);
    if (!order) return reply.code(404).type('text/plain; charset=utf-8').send('No such order.');
    return sendPage(reply, { page: 'checkout', ...checkoutData(order) });
  });

  app.get<{ Params: { ref: string } }>('/orders/:ref', { schema: { params: refParams } }, async (request, reply) => {
    const order = orders.get(request.params.ref);
    if (!order) return reply.code(404).type('text/plain; charset=utf-8').send('No such order.');
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Order ${order.number}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/page.css"></head><body><main><h1>Order ${order.number}</h1><p data-status="${order.status}">${order.status === 'paid' ? 'Paid' : 'Not paid yet'}</p></main></body></html>`,
      );
  });

  app.get<{ Params: { file: string } }>(
    '/assets/:file',
    { schema: { params: { type: 'object', properties: { file: { type: 'string', pattern: ASSET } } } } },
    async (request, reply) => {
      const { file } = request.params;
      const dir =
        file === 'page.css' ? new URL('../public/', import.meta.url).pathname : join(options.clientDir, 'assets');
      const body = await readFile(join(dir, file)).catch(() => null);
      if (!body) return reply.code(404).type('text/plain; charset=utf-8').send('Not found.');
      return reply
        .type(file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(body);
    },
  );

  return { app, orders };
}
