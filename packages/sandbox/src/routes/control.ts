import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { type SandboxControl, SandboxControlError } from '../control.ts';
import { type FaultRule, FaultSpecError, parseFaults } from '../faults.ts';
import { dashboardPage } from '../pages/dashboard.ts';
import { asObject } from './common.ts';

/**
 * The control API tests call, and the dashboard. JSON in, JSON out; the
 * dashboard's own forms post urlencoded and are sent back to the dashboard.
 */
export function controlRoutes(app: FastifyInstance, ctx: SandboxContext, control: SandboxControl): void {
  const done = (request: FastifyRequest, reply: FastifyReply, body: unknown) =>
    isForm(request) ? reply.redirect('/_sandbox', 303) : reply.send(body);

  app.get('/_sandbox', async (_request, reply) => reply.type('text/html').send(dashboardPage(ctx, control)));
  app.get('/_sandbox/state', async () => control.snapshot());
  app.get<{ Querystring: { txid?: string } }>('/_sandbox/ipn', async (request) =>
    control.ipnAttempts(request.query.txid),
  );

  app.post('/_sandbox/reset', async (request, reply) => {
    control.reset();
    return done(request, reply, { ok: true });
  });

  app.get('/_sandbox/clock', async () => control.clock());
  // Body: {ms: 3600000}; the dashboard's buttons post it as a form field.
  app.post('/_sandbox/clock/advance', async (request, reply) => {
    const raw = asObject(request.body)?.ms;
    const ms = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
    return done(request, reply, control.advanceClock(ms as number));
  });

  app.get('/_sandbox/faults', async () => control.faults());
  // Body: {faults: FaultRule[]} or {spec: "checkout.create:error=503:rate=0.5"}.
  app.put('/_sandbox/faults', async (request) => {
    control.setFaults(faultsFrom(request.body));
    return { faults: control.faults() };
  });
  app.post('/_sandbox/faults', async (request) => {
    for (const rule of faultsFrom(request.body)) control.addFault(rule);
    return { faults: control.faults() };
  });
  app.delete('/_sandbox/faults', async () => {
    control.clearFaults();
    return { faults: [] };
  });

  app.get('/_sandbox/config', async () => control.settings());
  app.put('/_sandbox/config', async (request) => {
    control.configure(asObject(request.body) ?? {});
    return control.settings();
  });

  app.post<{ Params: { txid: string } }>('/_sandbox/transactions/:txid/advance', async (request, reply) => {
    const body = asObject(request.body) ?? {};
    const state = body.state === undefined ? undefined : Number(body.state);
    const error = asObject(body.error) as { message: string; code: string } | undefined;
    control.advance(request.params.txid, state, error);
    return done(request, reply, { ok: true });
  });

  app.post<{ Params: { txid: string } }>('/_sandbox/transactions/:txid/resend-ipn', async (request, reply) => {
    const notificationId = control.resendIpn(request.params.txid);
    return done(request, reply, { notificationId });
  });

  app.post<{ Params: { refundId: string } }>('/_sandbox/refunds/:refundId/accept', async (request, reply) => {
    const accepted = control.acceptRefund(request.params.refundId);
    return done(request, reply, { ok: true, accepted });
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof SandboxControlError) {
      return reply.code(error.code === 'not_found' ? 404 : 422).send({ error: error.code, message: error.message });
    }
    if (error instanceof FaultSpecError) return reply.code(422).send({ error: 'invalid', message: error.message });
    request.log.error(error);
    return reply.code(500).send({ error: 'internal', message: 'The sandbox failed to handle this control call.' });
  });
}

function faultsFrom(body: unknown): FaultRule[] {
  const o = asObject(body) ?? {};
  if (typeof o.spec === 'string') return parseFaults(o.spec);
  if (Array.isArray(o.faults)) return o.faults as FaultRule[];
  if (typeof o.endpoint === 'string') return [o as unknown as FaultRule];
  throw new FaultSpecError('Send {faults: [...]}, {spec: "endpoint:kind..."} or one rule.');
}

function isForm(request: FastifyRequest): boolean {
  return String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}
