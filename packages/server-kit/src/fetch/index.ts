import { AdapterCore, consoleLogger, type PaydoCheckoutHandle, serializeBody } from '../checkout/adapter.ts';
import { clientIpFromPeer } from '../checkout/client-address.ts';
import type { HttpAnswer } from '../checkout/http-answers.ts';
import type { CheckoutLogger, CheckoutRequest } from '../checkout/logger.ts';
import type { PaydoPluginOptions as CheckoutOptions } from '../checkout/options.ts';
import { compileRoutes } from '../checkout/routes.ts';
import type { PaydoClient } from '../client/client.ts';

export * from '../adapter-exports.ts';
export type { PaydoCheckoutHandle } from '../checkout/adapter.ts';

/** The handler's options: the Fastify plugin's, with the Web `Request` handed to `resolveOrder`. */
export interface PaydoHandlerOptions extends CheckoutOptions<Request> {
  /**
   * The address of the peer that sent `request` (a `Request` does not carry it; README: how
   * Next.js, Hono and `node:http` give it), or pass it per call as `handler(request, {remoteAddress})`.
   * Required when IPNs are received (Paydo's source addresses are checked) and while rate limits
   * are on (they count per address): a request without one is answered 500 and logged.
   * Behind a proxy, give the proxy's address and list it in `trustProxy`.
   */
  remoteAddress?: ((request: Request) => string | undefined) | undefined;
  /**
   * Where the checkout logs (pino's `(object, message)` shape). Default: warnings and errors
   * to the console. Card data, secrets and contact details are never in it.
   */
  logger?: CheckoutLogger | undefined;
}

/** What a server knows of one request beyond the `Request` (e.g. Hono's `getConnInfo`, a `node:http` socket). */
export interface PaydoHandlerContext {
  /** The peer's address; wins over the `remoteAddress` option. */
  remoteAddress?: string | undefined;
}

/** `(request, context?) => Promise<Response>`, with the checkout's own operations on it. */
export type PaydoHandler = ((request: Request, context?: PaydoHandlerContext) => Promise<Response>) &
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
  const { prefix, trustProxy } = core.options;
  const routes = compileRoutes();
  const peerOf = (request: Request, context: PaydoHandlerContext | undefined) => {
    const peer = context?.remoteAddress ?? remoteAddress?.(request);
    // Without it the per-address rate limits and the IPN's source check cannot work: refuse (500,
    // logged with the reason) rather than count every payer as one or trust anyone.
    if (!peer) throw new Error('createPaydoHandler: no remote address for this request (pass `remoteAddress`)');
    return peer;
  };

  const handler = async (request: Request, context?: PaydoHandlerContext): Promise<Response> => {
    const url = new URL(request.url);
    const origin = request.headers.get('origin') ?? undefined;
    const path = url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) : null;
    const matches = path === null ? [] : routes.flatMap((r) => (r.match(path) ? [r] : []));
    if (request.method === 'OPTIONS' && matches.length) return toResponse(core.preflight(origin, logger));
    // HEAD is GET without the body (as Fastify and Express answer it).
    const head = request.method === 'HEAD';
    for (const matcher of matches) {
      if (matcher.route.method !== (head ? 'GET' : request.method)) continue;
      const params = matcher.match(path as string) as Record<string, string>;
      const checkout: CheckoutRequest = {
        raw: request,
        log: logger,
        get clientIp() {
          return clientIpFromPeer(peerOf(request, context), request.headers.get('x-forwarded-for'), trustProxy);
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
      return toResponse(answer, head);
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

function toResponse(answer: HttpAnswer, head = false): Response {
  const text = serializeBody(answer.body);
  const headers = new Headers(answer.headers);
  if (text !== undefined) {
    headers.set('content-type', 'application/json; charset=utf-8');
    headers.set('content-length', String(Buffer.byteLength(text)));
  }
  return new Response(head ? null : (text ?? null), { status: answer.status, headers });
}
