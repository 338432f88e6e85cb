import cors from '@fastify/cors';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { CheckoutEngine } from '../checkout/engine.ts';
import {
  bodyTooLarge,
  errorAnswer,
  invalidJson,
  routeNotFound,
  unsupportedMediaType,
} from '../checkout/http-answers.ts';
import { CheckoutHttpError } from '../checkout/http-error.ts';
import {
  type PaydoPluginOptions as CheckoutOptions,
  type ResolvedPluginOptions,
  resolvePluginOptions,
} from '../checkout/options.ts';
import { RateLimits } from '../checkout/rate-limits.ts';
import type { ReconcileSummary } from '../checkout/reconciliation.ts';
import type { PaydoClient } from '../client/client.ts';
import { checkoutRoutes } from './routes.ts';

/** The plugin's options: the checkout's, with a Fastify request handed to `resolveOrder`. */
export type PaydoPluginOptions = CheckoutOptions<FastifyRequest>;

/** What the plugin adds to the Fastify instance besides `paydo`. */
export interface PaydoCheckoutDecorator {
  /**
   * Runs one reconciliation sweep now (for your own scheduler, or after an outage): asks Paydo
   * about the invoices that are due (`all: true`: every invoice still watched, due or not) and
   * applies what no IPN brought. Resolves to what it did.
   */
  reconcile(options?: { all?: boolean }): Promise<ReconcileSummary>;
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
    fastify.decorate('paydoCheckout', {
      reconcile: (options) => engine.reconcile(options),
    } satisfies PaydoCheckoutDecorator);
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

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const answer = errorAnswer(fastifyError(error), request.log);
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(routeNotFound().body));

  checkoutRoutes(app, engine, new RateLimits(options));
}

/** Fastify's own refusals of a body → the catalogue's answers (the other adapters throw these directly). */
function fastifyError(error: Error & { statusCode?: number; code?: string }): unknown {
  if (error instanceof CheckoutHttpError) return error;
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return unsupportedMediaType();
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return bodyTooLarge();
  if (error.statusCode === 400 || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return invalidJson();
  return error;
}

/** The Fastify plugin: `app.register(paydo, { prefix: '/paydo', publicKey, secretKey, jwt, resolveOrder, onPaymentUpdate, checkoutPageUrl })`. */
export const paydo = fp(paydoPlugin, { fastify: '5.x', name: '@paydo-checkout/fastify' });
export default paydo;
