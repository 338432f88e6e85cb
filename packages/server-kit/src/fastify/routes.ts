import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { TrustFn } from '../checkout/client-address.ts';
import type { CheckoutEngine } from '../checkout/engine.ts';
import { assertOriginAllowed } from '../checkout/http-answers.ts';
import type { CheckoutRequest } from '../checkout/logger.ts';
import type { RateLimits } from '../checkout/rate-limits.ts';
import { CHECKOUT_ROUTES, type CheckoutRoute } from '../checkout/routes.ts';
import { clientIp } from './client-address.ts';

/** The request as the checkout sees it; the client's address is worked out only when read. */
function checkoutRequest(request: FastifyRequest, trust: TrustFn): CheckoutRequest {
  return {
    raw: request,
    log: request.log,
    get clientIp() {
      return clientIp(request, trust);
    },
  };
}

/**
 * The protocol's routes (the shared table in checkout/routes.ts), each a Fastify route whose own
 * onRequest hooks refuse a foreign origin and count its rate-limit windows before the body is read.
 */
export function checkoutRoutes(app: FastifyInstance, engine: CheckoutEngine, limits: RateLimits): void {
  const { trustProxy: trust, allowedOrigins, bodyLimit, ipnBodyLimit } = engine.options;
  for (const route of CHECKOUT_ROUTES) {
    const hooks: onRequestHookHandler[] = [];
    if (route.checkOrigin) {
      // Callback style: it runs on every request, and a promise per request is measurable (bench).
      hooks.push((request, _reply, done) => {
        try {
          assertOriginAllowed(request.method, request.headers.origin, request.host, allowedOrigins);
          done();
        } catch (error) {
          done(error as Error);
        }
      });
    }
    const group = route.limits;
    if (limits.applies(group)) {
      hooks.push(async (request, reply) => {
        const params = request.params as Record<string, string>;
        const headers = await limits.check(group, { ip: clientIp(request, trust), orderRef: params.orderRef });
        reply.headers(headers);
      });
    }
    app.route({
      method: route.method,
      url: route.path,
      onRequest: hooks,
      ...(route.body === 'ipn' && { bodyLimit: ipnBodyLimit }),
      ...(route.body === 'browser' && { bodyLimit }),
      handler: async (request, reply) => {
        const answer = await route.handle(engine, inputOf(request), checkoutRequest(request, trust));
        if (route.noStore) reply.header('cache-control', 'no-store');
        reply.code(answer.status);
        // JSON text (the checkout answer) goes out as it is; anything else is serialized by Fastify.
        if (typeof answer.body === 'string') reply.type('application/json; charset=utf-8');
        return reply.send(answer.body);
      },
    });
  }
}

function inputOf(request: FastifyRequest): Parameters<CheckoutRoute['handle']>[1] {
  return {
    params: request.params as Record<string, string>,
    query: request.query,
    idempotencyKey: request.headers['idempotency-key'],
    body: request.body,
  };
}
