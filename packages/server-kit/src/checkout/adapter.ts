import { CheckoutEngine } from './engine.ts';
import {
  assertOriginAllowed,
  corsHeaders,
  errorAnswer,
  expectJsonBody,
  type HttpAnswer,
  parseJsonText,
  preflightAnswer,
  readLimited,
  routeNotFound,
} from './http-answers.ts';
import type { CheckoutLogger, CheckoutRequest } from './logger.ts';
import type { PaydoPluginOptions, ResolvedPluginOptions } from './options.ts';
import { resolvePluginOptions } from './options.ts';
import { RateLimits } from './rate-limits.ts';
import type { ReconcileSummary } from './reconciliation.ts';
import type { CheckoutRoute } from './routes.ts';

/** One request as an adapter without Fastify's hooks hands it over (Express, fetch). */
export interface WireRequest {
  method: string;
  /** The matched route's parameters, decoded. */
  params: Record<string, string>;
  query: unknown;
  header(name: string): string | undefined;
  /** The Host the request was sent to (the same-origin check). */
  host: string | undefined;
  /** The body's bytes, or an already parsed body (a merchant's own JSON middleware ran first). */
  body: { stream: AsyncIterable<Uint8Array> | NodeJS.ReadableStream } | { parsed: unknown } | null;
  checkout: CheckoutRequest;
}

/** What the Express router and the fetch handler add to the checkout's operations. */
export interface PaydoCheckoutHandle {
  /**
   * Resolves once the kit has started: with `cardPayments: 'auto'`, once Paydo said where cards
   * are typed (or after a few seconds). Until then cards go to Paydo's page; await it before you
   * listen, and the first payer already gets the right form.
   */
  ready(): Promise<void>;
  /** One reconciliation sweep now (your own scheduler, or after an outage); `all: true`: every invoice still watched, due or not. */
  reconcile(options?: { all?: boolean }): Promise<ReconcileSummary>;
  /** Stops the sweep and closes the client (when the kit made it) and the store: call it on shutdown. */
  close(): Promise<void>;
}

/**
 * The parts an adapter without a plugin system shares: the engine (started at once: there is
 * no "ready" hook), the rate limits, and `answer`, which runs one matched route as the Fastify
 * plugin does — CORS headers, the foreign-origin refusal, the route's rate-limit windows, the
 * JSON body within its limit, the engine, then `cache-control` — and maps any error to the
 * catalogue's answer.
 */
export class AdapterCore {
  readonly engine: CheckoutEngine;
  readonly options: ResolvedPluginOptions;
  readonly #limits: RateLimits;

  constructor(options: PaydoPluginOptions, log: CheckoutLogger) {
    this.options = resolvePluginOptions(options);
    this.engine = new CheckoutEngine(this.options, log);
    this.#limits = new RateLimits(this.options);
    // No ready hook in Express or a fetch handler: the sweep and the card mode check start now.
    this.#started = this.engine.start().catch((error) => log.error({ err: error }, 'paydo: starting failed'));
  }

  readonly #started: Promise<void>;

  get handle(): PaydoCheckoutHandle {
    return {
      ready: () => this.#started,
      reconcile: (options) => this.engine.reconcile(options),
      close: () => this.engine.close(),
    };
  }

  async answer(route: CheckoutRoute, wire: WireRequest): Promise<HttpAnswer> {
    const o = this.options;
    const origin = wire.header('origin');
    const headers: Record<string, string> = corsHeaders(o.allowedOrigins, origin);
    try {
      if (route.checkOrigin) assertOriginAllowed(wire.method, origin, wire.host, o.allowedOrigins);
      const group = route.limits;
      if (this.#limits.applies(group)) {
        Object.assign(
          headers,
          await this.#limits.check(group, { ip: wire.checkout.clientIp, orderRef: wire.params.orderRef }),
        );
      }
      const body = route.body ? await readBody(wire, route.body === 'ipn' ? o.ipnBodyLimit : o.bodyLimit) : undefined;
      const answer = await route.handle(
        this.engine,
        { params: wire.params, query: wire.query, idempotencyKey: wire.header('idempotency-key'), body },
        wire.checkout,
      );
      if (route.noStore) headers['cache-control'] = 'no-store';
      return { status: answer.status, body: answer.body, headers };
    } catch (error) {
      const answer = errorAnswer(error, wire.checkout.log);
      return { ...answer, headers: { ...headers, ...answer.headers } };
    }
  }

  /** `OPTIONS` on a route's path: a CORS preflight when origins are allowed, else no such route. */
  preflight(origin: string | undefined, log: CheckoutLogger): HttpAnswer {
    if (this.options.allowedOrigins.length) return preflightAnswer(this.options.allowedOrigins, origin);
    return this.notFound(origin, log);
  }

  notFound(origin: string | undefined, log: CheckoutLogger): HttpAnswer {
    const answer = errorAnswer(routeNotFound(), log);
    return { ...answer, headers: { ...corsHeaders(this.options.allowedOrigins, origin), ...answer.headers } };
  }
}

async function readBody(wire: WireRequest, limit: number): Promise<unknown> {
  // The headers are checked even for a body another middleware parsed: a form body is still a 415.
  const present = expectJsonBody(
    {
      contentType: wire.header('content-type'),
      contentLength: wire.header('content-length'),
      chunked: wire.header('transfer-encoding') !== undefined,
    },
    limit,
  );
  if (!present || !wire.body) return undefined;
  if ('parsed' in wire.body) return wire.body.parsed;
  return parseJsonText(await readLimited(wire.body.stream, limit));
}

/** JSON text as the answer's bytes: a body that is already JSON text goes out as it is. */
export function serializeBody(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** A logger for adapters whose framework has none: warnings and errors to the console as one JSON line. */
export const consoleLogger: CheckoutLogger = {
  debug() {},
  info() {},
  warn: (object, message) => console.warn(JSON.stringify({ level: 'warn', msg: message, ...asObject(object) })),
  error: (object, message) => console.error(JSON.stringify({ level: 'error', msg: message, ...asObject(object) })),
};

function asObject(object: object | string): object {
  if (typeof object === 'string') return { detail: object };
  const { err, ...rest } = object as { err?: unknown };
  return err instanceof Error ? { ...rest, err: { name: err.name, message: err.message } } : rest;
}
