import type { CheckoutEngine } from './engine.ts';
import type { CheckoutRequest } from './logger.ts';
import type { RateLimitGroup } from './rate-limits.ts';

/** What a route takes off the wire, as each framework parsed it. */
export interface RouteInput {
  /** The path's named parameters (`:orderRef`, `:txid`), decoded. */
  params: Record<string, string>;
  query: unknown;
  /** The `Idempotency-Key` header as it came (undefined when absent). */
  idempotencyKey: unknown;
  body: unknown;
}

/** A route's answer: status, body (a JSON value, or JSON text) and its own headers. */
export interface RouteAnswer {
  status: number;
  body: unknown;
}

/**
 * One route of the protocol, described once for every adapter: its method and path (`:name`
 * parameters, the syntax Fastify and Express share), what guards it (rate-limit group, the
 * foreign-origin check), which body limit it takes, whether the answer may be cached, and the
 * engine call. An adapter registers each entry as its framework's own route, so a route added
 * here appears in the Fastify plugin, the Express router and the fetch handler alike.
 */
export interface CheckoutRoute {
  method: 'GET' | 'POST';
  path: string;
  /** The rate-limit windows it counts against; null: none. */
  limits: RateLimitGroup | null;
  /** Which body limit applies (`ipn`: Paydo's IPN, which echoes the invoice's metadata); null: no body. */
  body: 'browser' | 'ipn' | null;
  /** Refuse a browser POST from a foreign origin. */
  checkOrigin: boolean;
  /** `cache-control: no-store`: answers that a shared cache must never keep. */
  noStore: boolean;
  handle(engine: CheckoutEngine, input: RouteInput, req: CheckoutRequest): Promise<RouteAnswer>;
}

const ok = (body: unknown): RouteAnswer => ({ status: 200, body });

export const CHECKOUT_ROUTES: readonly CheckoutRoute[] = [
  {
    method: 'GET',
    path: '/checkout/:orderRef',
    limits: 'read',
    body: null,
    checkOrigin: false,
    noStore: true,
    handle: async (engine, input, req) => ok(await engine.checkout(input.params, req)),
  },
  {
    method: 'POST',
    path: '/checkout/:orderRef/pay',
    limits: 'pay',
    body: 'browser',
    checkOrigin: true,
    noStore: false,
    handle: async (engine, input, req) => {
      const answer = await engine.pay(input.params, input.idempotencyKey, input.body, req);
      return { status: answer.statusCode, body: answer.body };
    },
  },
  {
    method: 'POST',
    path: '/checkout/:orderRef/hosted',
    limits: 'pay',
    body: 'browser',
    checkOrigin: true,
    noStore: false,
    handle: async (engine, input, req) => ok(await engine.hosted(input.params, input.body, req)),
  },
  {
    method: 'GET',
    path: '/transactions/:txid/next',
    limits: 'read',
    body: null,
    checkOrigin: false,
    noStore: true,
    handle: async (engine, input, req) => ok(await engine.next(input.params, input.query, req)),
  },
  {
    // For load balancers and probes: no rate limit (a probe every second must never be refused), no
    // Paydo call per request (the engine answers from its last reading), never cached by a proxy.
    method: 'GET',
    path: '/health',
    limits: null,
    body: null,
    checkOrigin: false,
    noStore: true,
    handle: async (engine) => {
      const answer = await engine.health();
      return { status: answer.statusCode, body: answer.body };
    },
  },
  {
    // Paydo's server posts here: no Origin, and the IPN's own source check in the engine.
    method: 'POST',
    path: '/ipn',
    limits: null,
    body: 'ipn',
    checkOrigin: true,
    noStore: false,
    handle: async (engine, input, req) => {
      const answer = await engine.ipn(input.body, req);
      return { status: answer.statusCode, body: answer.body };
    },
  },
];

/** A compiled path: matches a path under the prefix and names its parameters (for adapters without a router). */
export interface RouteMatcher {
  route: CheckoutRoute;
  match(path: string): Record<string, string> | null;
}

export function compileRoutes(routes: readonly CheckoutRoute[] = CHECKOUT_ROUTES): RouteMatcher[] {
  return routes.map((route) => {
    const parts = route.path.split('/');
    return {
      route,
      match(path: string) {
        const segments = path.split('/');
        if (segments.length !== parts.length) return null;
        const params: Record<string, string> = {};
        for (let i = 0; i < parts.length; i++) {
          const part = parts[i] as string;
          const segment = segments[i] as string;
          if (part.startsWith(':')) {
            if (segment === '') return null;
            try {
              params[part.slice(1)] = decodeURIComponent(segment);
            } catch {
              return null;
            }
          } else if (part !== segment) return null;
        }
        return params;
      },
    };
  });
}

/** The value for `RateLimits.check`: the order a route names, if any. */
export function orderRefParam(params: Record<string, string>): string | undefined {
  return params.orderRef;
}
