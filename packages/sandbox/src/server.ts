import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ASSETS } from './assets.ts';
import type { SandboxContext } from './context.ts';
import { SandboxControl } from './control.ts';
import { type EndpointName, FaultInjector, type FaultRule } from './faults.ts';
import { IpnDelivery } from './ipn/delivery.ts';
import type { ResolvedOptions } from './options.ts';
import { offsitePages } from './pages/offsite.ts';
import { createRandom } from './random.ts';
import { cardTokenRoutes } from './routes/card-tokens.ts';
import { checkoutRoutes } from './routes/checkout.ts';
import { MESSAGES, sendError } from './routes/common.ts';
import { controlRoutes } from './routes/control.ts';
import { invoiceRoutes } from './routes/invoices.ts';
import { paymentMethodRoutes } from './routes/payment-methods.ts';
import { refundRoutes } from './routes/refunds.ts';
import { transactionRoutes, transactionV2Routes } from './routes/transactions.ts';
import { SandboxState } from './state.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The API endpoint a route is, for fault injection. */
    endpoint?: EndpointName;
  }
}

export interface BuiltSandbox {
  app: FastifyInstance;
  ctx: SandboxContext;
  control: SandboxControl;
}

export function buildSandbox(options: ResolvedOptions): BuiltSandbox {
  const app = Fastify({
    logger: options.logger,
    forceCloseConnections: true,
    bodyLimit: 1_048_576,
  });
  const random = createRandom(options.seed);
  const state = new SandboxState(random, options.retain, { invoiceLifetimeMs: options.invoiceLifetimeMs });
  const ipn = new IpnDelivery(state, {
    url: options.ipnUrl,
    schedule: options.ipnSchedule,
    duplicates: options.ipnDuplicates,
    onPending: options.ipnOnPending,
    maxAttempts: options.retain.maxIpnAttempts,
  });
  const faults = new FaultInjector(options.faults, random.next);
  const ctx: SandboxContext = {
    options,
    state,
    ipn,
    faults,
    random,
    clock: state.clock,
    origin: () => {
      if (options.publicOrigin) return options.publicOrigin;
      const address = app.server.address();
      if (address && typeof address === 'object') {
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
      }
      return `http://${options.host}:${options.port}`;
    },
  };
  const control = new SandboxControl(ctx);

  // Forms of the emulator's own pages (ACS, wallet, hosted page, dashboard).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  // Time passes between requests too: every request sees the invoices that became overdue meanwhile.
  app.addHook('onRequest', async () => state.expireOverdue());

  const hung = new Set<() => void>();
  app.addHook('onClose', async () => {
    ipn.close();
    state.clear();
    for (const release of hung) release();
  });

  const apiScope = (routes: (api: FastifyInstance) => void) => async (api: FastifyInstance) => {
    // Paydo answers 415 to any body that is not JSON.
    api.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'POST' && request.method !== 'PUT') return;
      const type = String(request.headers['content-type'] ?? '');
      if (!/^application\/json\b/i.test(type)) return sendError(reply, 415, MESSAGES.unsupportedMediaType);
    });
    api.addHook('onRequest', async (request, reply) => {
      const endpoint = request.routeOptions.config.endpoint;
      if (!endpoint) return;
      for (const fault of faults.pick(endpoint, 'before')) {
        const handled = await applyFault(fault, endpoint, request, reply, hung);
        if (handled) return reply;
      }
    });
    api.addHook('onSend', async (request, reply, payload) => {
      const endpoint = request.routeOptions.config.endpoint;
      if (!endpoint || reply.statusCode >= 400) return payload;
      for (const fault of faults.pick(endpoint, 'after')) {
        // The call took effect; now its answer is lost.
        if (fault.kind === 'latency') await sleep(fault.value ?? 1000);
        else if (fault.kind === 'error') {
          reply.code(fault.value ?? 500);
          return JSON.stringify({ message: errorSentence(endpoint, fault.value ?? 500) });
        } else if (fault.kind === 'reset') {
          request.raw.socket.destroy();
          return payload;
        } else if (fault.kind === 'timeout') {
          await new Promise<void>((resolve) => hung.add(resolve));
          return payload;
        }
      }
      return payload;
    });
    // A known path with another method: 405 "Method Not Allowed" (Paydo's fail-response page).
    const paths: RegExp[] = [];
    api.addHook('onRoute', (route) => {
      if (route.method === 'HEAD') return;
      paths.push(new RegExp(`^${route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}$`));
    });
    api.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      const known = paths.some((p) => p.test(path));
      return known ? sendError(reply, 405, MESSAGES.methodNotAllowed) : sendError(reply, 404, MESSAGES.routeNotFound);
    });
    api.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, 415, MESSAGES.unsupportedMediaType);
      if (error.statusCode === 413) return sendError(reply, 413, 'Request body is too large.');
      if (error.statusCode === 400) return sendError(reply, 400, 'The request body is not valid JSON.');
      request.log.error(error);
      return sendError(reply, 500, MESSAGES.serverError);
    });
    routes(api);
  };
  app.register(
    apiScope((api) => {
      paymentMethodRoutes(api, ctx);
      invoiceRoutes(api, ctx);
      cardTokenRoutes(api, ctx);
      checkoutRoutes(api, ctx);
      transactionRoutes(api, ctx);
      refundRoutes(api, ctx);
    }),
    { prefix: '/v1' },
  );
  app.register(
    apiScope((api) => transactionV2Routes(api, ctx)),
    { prefix: '/v2' },
  );

  app.register(async (pages) => {
    offsitePages(pages, ctx);
    pages.get<{ Params: { name: string } }>('/_sandbox/assets/:name', async (request, reply) => {
      const asset = ASSETS[request.params.name];
      if (!asset) return reply.code(404).send({ message: 'Not found' });
      return reply.type('image/svg+xml').header('cache-control', 'public, max-age=3600').send(asset);
    });
  });
  app.register(async (controlApi) => controlRoutes(controlApi, ctx, control));
  app.get('/', async (_request, reply) => reply.redirect('/_sandbox'));
  // Unknown routes anywhere answer in Paydo's error envelope, not Fastify's.
  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, MESSAGES.routeNotFound));

  return { app, ctx, control };
}

async function applyFault(
  fault: FaultRule,
  endpoint: EndpointName,
  request: FastifyRequest,
  reply: FastifyReply,
  hung: Set<() => void>,
): Promise<boolean> {
  switch (fault.kind) {
    case 'latency':
      await sleep(fault.value ?? 1000);
      return false;
    case 'error': {
      const status = fault.value ?? 500;
      await reply.code(status).send({ message: errorSentence(endpoint, status) });
      return true;
    }
    case 'reset':
      reply.hijack();
      request.raw.socket.destroy();
      return true;
    case 'timeout':
      // No answer at all; the socket is freed when the emulator closes.
      reply.hijack();
      hung.add(() => request.raw.socket.destroy());
      return true;
  }
}

function errorSentence(endpoint: EndpointName, status: number): string {
  return endpoint === 'card-token.create' && status === 503 ? MESSAGES.tokenizationUnavailable : MESSAGES.serverError;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
