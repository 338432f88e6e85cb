import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { TrustFn } from '../checkout/client-address.ts';
import type { CheckoutEngine } from '../checkout/engine.ts';
import type { CheckoutRequest } from '../checkout/logger.ts';
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

/** The protocol's routes: each parses nothing itself, asks the engine, and replies. */
export function checkoutRoutes(
  app: FastifyInstance,
  engine: CheckoutEngine,
  limits: { pay: onRequestHookHandler[]; read: onRequestHookHandler[] },
): void {
  const trust = engine.options.trustProxy;

  app.get('/checkout/:orderRef', { onRequest: limits.read }, async (request, reply) => {
    const json = await engine.checkout(request.params, checkoutRequest(request, trust));
    return reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(json);
  });

  app.post('/checkout/:orderRef/pay', { onRequest: limits.pay }, async (request, reply) => {
    const answer = await engine.pay(
      request.params,
      request.headers['idempotency-key'],
      request.body,
      checkoutRequest(request, trust),
    );
    reply.code(answer.statusCode);
    return answer.body;
  });

  app.post('/checkout/:orderRef/hosted', { onRequest: limits.pay }, async (request) =>
    engine.hosted(request.params, request.body, checkoutRequest(request, trust)),
  );

  app.get('/transactions/:txid/next', { onRequest: limits.read }, async (request, reply) => {
    const answer = await engine.next(request.params, request.query, checkoutRequest(request, trust));
    reply.header('cache-control', 'no-store');
    return answer;
  });

  // Paydo echoes the invoice's metadata (< 800 kB) in every IPN: this route alone takes large bodies.
  app.post('/ipn', { bodyLimit: engine.options.ipnBodyLimit }, async (request, reply) => {
    const answer = await engine.ipn(request.body, checkoutRequest(request, trust));
    reply.code(answer.statusCode);
    return answer.body;
  });
}
