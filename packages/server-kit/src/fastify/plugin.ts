import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { CheckoutEngine } from '../checkout/engine.ts';
import { CheckoutHttpError, internalError, storeUnavailable } from '../checkout/http-error.ts';
import {
  type PaydoPluginOptions as CheckoutOptions,
  type RateLimitWindow,
  type ResolvedPluginOptions,
  resolvePluginOptions,
} from '../checkout/options.ts';
import type { ReconcileSummary } from '../checkout/reconciliation.ts';
import type { PaydoClient } from '../client/client.ts';
import { isStoreUnavailable, StoreUnavailableError } from '../store/store.ts';
import { clientIp } from './client-address.ts';
import { checkoutRoutes } from './routes.ts';

/** The plugin's options: the checkout's, with a Fastify request handed to `resolveOrder`. */
export type PaydoPluginOptions = CheckoutOptions<FastifyRequest>;

/** What the plugin adds to the Fastify instance besides `paydo`. */
export interface PaydoCheckoutDecorator {
  /**
   * Runs one reconciliation sweep now (for your own scheduler, or after an outage): asks Paydo
   * about the invoices that are due and applies what no IPN brought. Resolves to what it did.
   */
  reconcile(): Promise<ReconcileSummary>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The Paydo client the plugin uses (refunds, lookups from your own routes). */
    paydo: PaydoClient;
    /** The checkout's own operations (`reconcile()`). */
    paydoCheckout: PaydoCheckoutDecorator;
  }
}

/**
 * Paths whose values must never reach a log. Pass them to your Fastify
 * logger: `Fastify({ logger: { redact: paydoRedactPaths } })`.
 */
export const paydoRedactPaths: string[] = [
  'req.headers.authorization',
  'req.body.card',
  'body.card',
  '*.card.pan',
  '*.card.cvv',
  '*.pan',
  '*.cvv',
  '*.secretKey',
  '*.jwt',
];

const paydoPlugin: FastifyPluginAsync<PaydoPluginOptions> = async (fastify, options) => {
  const resolved = resolvePluginOptions(options);
  const engine = new CheckoutEngine(resolved, fastify.log);
  if (!fastify.hasDecorator('paydo')) fastify.decorate('paydo', resolved.client);
  if (!fastify.hasDecorator('paydoCheckout')) {
    fastify.decorate('paydoCheckout', { reconcile: () => engine.reconcile() } satisfies PaydoCheckoutDecorator);
  }
  fastify.addHook('onReady', async () => engine.start());
  fastify.addHook('onClose', () => engine.close());
  // The routes live in their own encapsulated context: their body parser,
  // rate limits, CORS and error format do not leak into the merchant's app.
  await fastify.register((instance) => routes(instance, engine), { prefix: resolved.prefix });
};

async function routes(app: FastifyInstance, engine: CheckoutEngine): Promise<void> {
  const options: ResolvedPluginOptions = engine.options;

  // JSON only, small bodies: anything else is refused before a handler runs.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: options.bodyLimit },
    app.getDefaultJsonParser('error', 'error'),
  );

  if (options.allowedOrigins.length) {
    await app.register(cors, {
      origin: [...options.allowedOrigins],
      methods: ['GET', 'POST'],
      allowedHeaders: ['content-type', 'idempotency-key'],
    });
  }
  // A browser POST from a foreign origin is refused (the IPN has no Origin header).
  // Callback style: it runs on every request, and a promise per request is measurable (bench).
  app.addHook('onRequest', (request, _reply, done) => {
    const origin = request.headers.origin;
    if (
      request.method !== 'POST' ||
      !origin ||
      origin === 'null' ||
      options.allowedOrigins.includes(origin) ||
      isSameOrigin(request, origin)
    )
      return done();
    done(new CheckoutHttpError('origin_not_allowed', 'Requests from this site are not allowed.'));
  });

  // @fastify/rate-limit runs one limiter per request and registration, so each
  // window gets its own (encapsulated) registration, and the hooks go on the routes.
  const limiter = async (name: string, window: RateLimitWindow, keyOf: (r: FastifyRequest) => string) => {
    if (!options.rateLimit) throw new Error('unreachable: rate limits are off');
    const { redis, redisPrefix } = options.rateLimit;
    let hook: onRequestHookHandler | undefined;
    await app.register(async (scope) => {
      await scope.register(rateLimit, {
        global: false,
        // Shared by every instance when given; one namespace per window so they never share a counter.
        ...(redis && { redis, nameSpace: `${redisPrefix}${options.prefix}:${name}:` }),
        errorResponseBuilder: (_request, context) =>
          new CheckoutHttpError('rate_limited', `Too many requests. Try again in ${context.after}.`),
      });
      hook = scope.rateLimit({ max: window.max, timeWindow: window.timeWindowMs, keyGenerator: keyOf });
    });
    const limit = hook as (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    // A limiter that cannot count (Redis down) refuses with 503 rather than letting card testers through.
    const guarded: onRequestHookHandler = async (request, reply) => {
      try {
        await limit(request, reply);
      } catch (error) {
        if (error instanceof CheckoutHttpError) throw error;
        throw new StoreUnavailableError('The rate-limit store is not reachable right now.', { cause: error });
      }
    };
    return guarded;
  };
  const byIp = (r: FastifyRequest) => `ip:${clientIp(r, options.trustProxy)}`;
  const byOrder = (r: FastifyRequest) => `order:${(r.params as { orderRef?: string }).orderRef ?? ''}`;
  const payLimits: onRequestHookHandler[] = [];
  const readLimits: onRequestHookHandler[] = [];
  if (options.rateLimit) {
    payLimits.push(
      await limiter('pay-ip', options.rateLimit.perIp, byIp),
      await limiter('pay-order', options.rateLimit.perOrder, byOrder),
    );
    // Reading an order or polling a payment is cheap for a payer and costly to scrape or to
    // flood with made-up txids: a wider window, still per address.
    readLimits.push(await limiter('read-ip', options.rateLimit.perIpReads, byIp));
  }

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const answer = (e: CheckoutHttpError) => {
      // The log line carries the same catalogue code as the answer, and what only the merchant may read.
      const level = e.statusCode >= 500 ? 'error' : 'info';
      request.log[level]({ code: e.body.error, status: e.statusCode, detail: e.detail }, `paydo: ${e.body.error}`);
      return reply.code(e.statusCode).send(e.body);
    };
    if (error instanceof CheckoutHttpError) return answer(error);
    if (isStoreUnavailable(error)) {
      request.log.warn({ err: error }, 'paydo: the store is unavailable');
      return answer(storeUnavailable());
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return answer(new CheckoutHttpError('unsupported_media_type', 'Send JSON (Content-Type: application/json).'));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return answer(new CheckoutHttpError('validation', 'The request body is too large.', { status: 413 }));
    }
    if (error.statusCode === 400 || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return answer(new CheckoutHttpError('validation', 'The request body is not valid JSON.', { status: 400 }));
    }
    // Never echo the error: it could carry request data. Log it (redacted) and answer plainly.
    request.log.error({ err: error, code: 'internal' }, 'paydo: unexpected error');
    return reply.code(500).send(internalError().body);
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send(new CheckoutHttpError('route_not_found', 'No such Paydo route.').body),
  );

  checkoutRoutes(app, engine, { pay: payLimits, read: readLimits });
}

function isSameOrigin(request: FastifyRequest, origin: string): boolean {
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}

/** The Fastify plugin: `app.register(paydo, { prefix: '/paydo', publicKey, secretKey, jwt, resolveOrder, onPaymentUpdate, checkoutPageUrl })`. */
export const paydo = fp(paydoPlugin, { fastify: '5.x', name: '@paydo-checkout/fastify' });
export default paydo;
