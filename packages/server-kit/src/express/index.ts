import type { Request, Response, Router } from 'express';
import express from 'express';
import { AdapterCore, consoleLogger, type PaydoCheckoutHandle, serializeBody } from '../checkout/adapter.ts';
import { clientIpOf } from '../checkout/client-address.ts';
import type { HttpAnswer } from '../checkout/http-answers.ts';
import type { CheckoutLogger, CheckoutRequest } from '../checkout/logger.ts';
import type { PaydoPluginOptions as CheckoutOptions } from '../checkout/options.ts';
import { CHECKOUT_ROUTES } from '../checkout/routes.ts';
import type { PaydoClient } from '../client/client.ts';

export * from '../adapter-exports.ts';
export type { PaydoCheckoutHandle } from '../checkout/adapter.ts';

/**
 * The router's options: the Fastify plugin's, with an Express request handed to `resolveOrder`.
 * `prefix` is not used: the router answers under wherever it is mounted (`app.use('/paydo', …)`).
 */
export interface PaydoRouterOptions extends CheckoutOptions<Request> {
  /**
   * Where the checkout logs (pino's `(object, message)` shape; a pino logger fits). Default:
   * warnings and errors to the console. Card data, secrets and contact details are never in it.
   */
  logger?: CheckoutLogger | undefined;
}

/** An Express router with the checkout's own operations on it. */
export type PaydoRouter = Router &
  PaydoCheckoutHandle & {
    /** The Paydo client the router uses (refunds, lookups from your own routes). */
    paydo: PaydoClient;
  };

/**
 * The checkout as an Express 5 router: `app.use('/paydo', paydoRouter(options))`. It answers the
 * Fastify plugin's routes with the same status codes, bodies and headers, reads its own JSON
 * bodies within `bodyLimit`/`ipnBodyLimit` and needs no other middleware. Call `close()` on shutdown.
 */
export function paydoRouter(options: PaydoRouterOptions): PaydoRouter {
  const { logger = consoleLogger, ...checkoutOptions } = options;
  const core = new AdapterCore(checkoutOptions, logger);
  const trust = core.options.trustProxy;
  // Case-sensitive and strict as Fastify: `/Checkout/x` and `/checkout/x/` are no routes.
  const router = express.Router({ caseSensitive: true, strict: true, mergeParams: false });

  const checkoutRequest = (req: Request): CheckoutRequest => ({
    raw: req,
    log: logger,
    // Not Express's `req.ip`: the app's own `trust proxy` may trust every peer for its pages;
    // the IPN allowlist and the rate limits follow only the kit's `trustProxy`.
    get clientIp() {
      return clientIpOf(req, req.socket.remoteAddress, trust);
    },
  });

  const paths = new Set<string>();
  for (const route of CHECKOUT_ROUTES) {
    paths.add(route.path);
    const register = route.method === 'GET' ? router.get.bind(router) : router.post.bind(router);
    register(route.path, async (req: Request, res: Response) => {
      const answer = await core.answer(route, {
        method: req.method,
        params: req.params as Record<string, string>,
        query: req.query,
        header: (name) => headerOf(req, name),
        host: req.headers.host,
        // A merchant's `express.json()` before the router already read the stream: take what it parsed.
        body: req.readableEnded && req.body !== undefined ? { parsed: req.body } : { stream: req },
        checkout: checkoutRequest(req),
      });
      send(res, answer);
    });
  }
  for (const path of paths) {
    router.options(path, (req: Request, res: Response) => send(res, core.preflight(req.headers.origin, logger)));
  }
  // Anything else under the mount point is no route of the protocol.
  router.use((req: Request, res: Response) => send(res, core.notFound(req.headers.origin, logger)));

  return Object.assign(router, core.handle, { paydo: core.options.client });
}

function headerOf(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

// Written as it is (no ETag, no content negotiation): the same bytes as the Fastify plugin's.
function send(res: Response, answer: HttpAnswer): void {
  const text = serializeBody(answer.body);
  res.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  if (text === undefined) {
    res.end();
    return;
  }
  const bytes = Buffer.from(text);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', String(bytes.byteLength));
  res.end(bytes);
}
