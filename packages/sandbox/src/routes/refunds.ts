import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { fromUnits, isDecimalText, toUnits } from '../money.ts';
import { type RefundRecord, TX_STATE } from '../state.ts';
import { asObject, FieldErrors, isAuthorized, MESSAGES, sendData, sendError } from './common.ts';

/** Refund status: 1 processing, 2 accepted. */
export const REFUND_STATUS = { processing: 1, accepted: 2 } as const;

export function refundRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.post('/refunds/create', { config: { endpoint: 'refunds.create' } }, async (request, reply) => {
    if (!isAuthorized(request, ctx.options.project)) return sendError(reply, 401, MESSAGES.unauthorized);
    const body = asObject(request.body) ?? {};
    const errors = new FieldErrors();
    const txid = errors.requireString('transactionIdentifier', body.transactionIdentifier);
    const type = body.refundType;
    if (type !== 1 && type !== 2) errors.add('refundType', 'The value you selected is not a valid choice.');
    // Documented as a number; Paydo's own example sends a string: both are accepted.
    const rawAmount = typeof body.amount === 'number' ? String(body.amount) : body.amount;
    if (type === 2 && !isDecimalText(rawAmount))
      errors.add('amount', rawAmount == null ? MESSAGES.blank : MESSAGES.invalid);
    if (type === 1 && rawAmount != null && !isDecimalText(rawAmount)) errors.add('amount', MESSAGES.invalid);
    if (errors.any) return sendError(reply, 422, errors.map);

    const tx = ctx.state.transactions.get(txid as string);
    if (!tx) return sendError(reply, 404, MESSAGES.transactionNotFound);
    if (tx.state !== TX_STATE.accepted) {
      return sendError(reply, 422, 'Only accepted transactions can be refunded');
    }
    const total = toUnits(tx.amount);
    const remaining = total - tx.refundedUnits;
    const units = type === 1 ? remaining : toUnits(rawAmount as string);
    if (units <= 0n) return sendError(reply, 422, MESSAGES.refundNotEnough);
    if (units > total) return sendError(reply, 422, MESSAGES.refundTooBig);
    if (units > remaining) return sendError(reply, 422, MESSAGES.refundNotEnough);

    tx.refundedUnits += units;
    const at = Math.floor(Date.now() / 1000);
    const refund: RefundRecord = {
      identifier: ctx.state.newId(),
      transactionIdentifier: tx.identifier,
      type: type as 1 | 2,
      status: REFUND_STATUS.processing,
      amount: fromUnits(units),
      currency: tx.currency,
      metadata: body.metadata ?? {},
      createdAt: at,
      updatedAt: at,
    };
    ctx.state.addRefund(refund);
    // The acquirer confirms a refund a little later.
    ctx.state.later(Math.min(ctx.options.pendingMs, 500), () => {
      refund.status = REFUND_STATUS.accepted;
      refund.updatedAt = Math.floor(Date.now() / 1000);
    });
    return sendData(reply, '', { status: 201, identifier: refund.identifier });
  });

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/refunds/user-refunds',
    { config: { endpoint: 'refunds.get' } },
    async (request, reply) => {
      if (!isAuthorized(request, ctx.options.project)) return sendError(reply, 401, MESSAGES.unauthorized);
      const id = request.query['query[identifier]'];
      const all = [...ctx.state.refunds.values()];
      const list = id === undefined ? all : all.filter((r) => r.identifier === id);
      return sendData(reply, list.map(refundView));
    },
  );
}

export function refundView(r: RefundRecord) {
  return {
    identifier: r.identifier,
    status: r.status,
    type: r.type,
    amount: r.amount,
    currency: r.currency,
    transactionIdentifier: r.transactionIdentifier,
    metadata: r.metadata,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
