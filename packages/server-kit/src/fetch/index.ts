import { AdapterCore, consoleLogger, type PaydoCheckoutHandle, serializeBody } from '../checkout/adapter.ts';
import { clientIpFromPeer } from '../checkout/client-address.ts';
import type { HttpAnswer } from '../checkout/http-answers.ts';
import type { CheckoutLogger, CheckoutRequest } from '../checkout/logger.ts';
import type { PaydoPluginOptions as CheckoutOptions } from '../checkout/options.ts';
import { compileRoutes } from '../checkout/routes.ts';
import type { PaydoClient } from '../client/client.ts';

export type { PaydoCheckoutHandle } from '../checkout/adapter.ts';
export type { CheckoutLogger, CheckoutRequest } from '../checkout/logger.ts';
export type {
  IpnOutcome,
  IpnRecord,
  PaydoOrder,
  PaymentUpdate,
  RateLimitRedis,
  RateLimitWindow,
  RefundUpdate,
} from '../checkout/options.ts';
export type { ReconcileSummary } from '../checkout/reconciliation.ts';
export * from '../store/index.ts';

/** The handler's options: the Fastify plugin's, with the Web `Request` handed to `resolveOrder`. */
export interface PaydoHandlerOptions extends CheckoutOptions<Request> {
  /**
   * The address of the peer that sent `request` (a `Request` does not carry it): Next.js and
   * Hono on Node give it from the socket (README). Required when IPNs are received (Paydo's
   * source addresses are checked) and while rate limits are on (they count per address).
   * Behind a proxy, return the proxy's address and list it in `trustProxy`.
   */
  remoteAddress?: ((request: Request) => string | undefined) | undefined;
  /**
   * Where the checkout logs (pino's `(object, message)` shape). Default: warnings and errors
   * to the console. Card data, secrets and contact details are never in it.
   */
  logger?: CheckoutLogger | undefined;
}

/** `(request) => Promise<Response>`, with the checkout's own operations on it. */
export type PaydoHandler = ((request: Request) => Promise<Response>) &
  PaydoCheckoutHandle & {
    /** The Paydo client the handler uses (refunds, lookups from your own routes). */
    paydo: PaydoClient;
  };

/**
 * The checkout as a Web-standard handler (Next.js route handlers, Hono, SvelteKit, Remix, Deno,
 * Bun, or `node:http` through a bridge): answers the Fastify plugin's routes under
 * `options.prefix` (default `/paydo`) with the same status codes, bodies and headers.
 */
export function createPaydoHandler(options: PaydoHandlerOptions): PaydoHandler {
  const { logger = consoleLogger, remoteAddress, ...checkoutOptions } = options;
  const core = new AdapterCore(checkoutOptions, logger);
  if (!remoteAddress && core.rateLimited) {
    throw new TypeError(
      'createPaydoHandler: pass `remoteAddress(request)` (the peer address your framework gives), ' +
        'or `rateLimit: false` if something in front of it limits requests: the rate limits count per address.',
    );
  }
  const { prefix, trustProxy } = core.options;
  const routes = compileRoutes();
  const peerOf = (request: Request) => {
    const peer = remoteAddress?.(request);
    // No address: the IPN route refuses (not one of Paydo's), and says why in the log.
    if (!peer) logger.warn({ code: 'no_remote_address' }, 'paydo: remoteAddress(request) gave no address');
    return peer ?? '';
  };

  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const origin = request.headers.get('origin') ?? undefined;
    const path = url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) : null;
    const matches = path === null ? [] : routes.flatMap((r) => (r.match(path) ? [r] : []));
    if (request.method === 'OPTIONS' && matches.length) return toResponse(core.preflight(origin, logger));
    for (const matcher of matches) {
      if (matcher.route.method !== request.method) continue;
      const params = matcher.match(path as string) as Record<string, string>;
      const checkout: CheckoutRequest = {
        raw: request,
        log: logger,
        get clientIp() {
          return clientIpFromPeer(peerOf(request), request.headers.get('x-forwarded-for'), trustProxy);
        },
      };
      const answer = await core.answer(matcher.route, {
        method: request.method,
        params,
        query: queryOf(url.searchParams),
        header: (name) => request.headers.get(name) ?? undefined,
        host: request.headers.get('host') ?? url.host,
        body: request.body ? { stream: request.body as unknown as AsyncIterable<Uint8Array> } : null,
        checkout,
      });
      return toResponse(answer);
    }
    return toResponse(core.notFound(origin, logger));
  };
  return Object.assign(handler, core.handle, { paydo: core.options.client });
}

// As Node's querystring (Fastify, Express): a repeated name becomes a list.
function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of params) {
    const seen = query[name];
    query[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

function toResponse(answer: HttpAnswer): Response {
  const text = serializeBody(answer.body);
  const headers = new Headers(answer.headers);
  if (text !== undefined) {
    headers.set('content-type', 'application/json; charset=utf-8');
    headers.set('content-length', String(Buffer.byteLength(text)));
  }
  return new Response(text ?? null, { status: answer.status, headers });
}
