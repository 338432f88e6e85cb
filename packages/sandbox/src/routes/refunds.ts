import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { fromUnits, isDecimalText, toUnits } from '../money.ts';
import { type RefundRecord, TX_STATE } from '../state.ts';
import { asObject, createdStatus, FieldErrors, MESSAGES, refuseUnauthorized, sendData, sendError } from './common.ts';
import { transactionView } from './transactions.ts';

/** Refund status: 1 new (waiting for acceptance), 2 accepted — as the refund examples show them. */
export const REFUND_STATUS = { processing: 1, accepted: 2 } as const;

/** The merchant's user id in the refund answers (any number: the sandbox has one merchant). */
const USER_IDENTIFIER = 10043;

export function refundRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.post('/refunds/create', { config: { endpoint: 'refunds.create' } }, async (request, reply) => {
    if (refuseUnauthorized(request, reply, ctx.options.project)) return reply;
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
    // Both refund pages: 422 "Transaction not found".
    if (!tx) return sendError(reply, 422, MESSAGES.transactionNotFound);
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
    const at = ctx.state.now();
    const refund: RefundRecord = {
      identifier: ctx.state.newId(),
      transactionIdentifier: tx.identifier,
      type: type as 1 | 2,
      status: REFUND_STATUS.processing,
      amount: fromUnits(units),
      currency: tx.currency,
      metadata: body.metadata ?? {},
      createdAt: at,
      updatedAt: null,
    };
    ctx.state.addRefund(refund);
    // A new refund waits for the acquirer; the sandbox accepts it after a delay or through the control API.
    const delay = ctx.options.refundAcceptMs;
    if (delay !== null) ctx.state.later(delay, () => acceptRefund(ctx, refund));
    const status = createdStatus(ctx);
    // The id: in the `identifier` header (both pages name it) and beside `data` (Paydo's example), by variant.
    const where = ctx.options.variants.refundId;
    if (where !== 'body') reply.header('identifier', refund.identifier);
    return reply
      .code(status)
      .send(where === 'header' ? { data: '', status: 1 } : { data: '', status: 1, identifier: refund.identifier });
  });

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/refunds/user-refunds',
    { config: { endpoint: 'refunds.get' } },
    async (request, reply) => {
      if (refuseUnauthorized(request, reply, ctx.options.project)) return reply;
      const id = request.query['query[identifier]'];
      // Newest first, as the merchant's refund list reads.
      const all = [...ctx.state.refunds.values()].reverse();
      const list = id === undefined ? all : all.filter((r) => r.identifier === id);
      // Paydo's getRefund page: 422 "Transaction not found" for an id that is no refund.
      if (id !== undefined && list.length === 0) return sendError(reply, 422, MESSAGES.transactionNotFound);
      return sendData(
        reply,
        list.map((r) => refundView(r, ctx)),
      );
    },
  );
}

/** Accepts a waiting refund and sends its refund IPN; a second call changes nothing. */
export function acceptRefund(ctx: SandboxContext, refund: RefundRecord): boolean {
  if (refund.status !== REFUND_STATUS.processing) return false;
  refund.status = REFUND_STATUS.accepted;
  refund.updatedAt = ctx.state.now();
  const source = ctx.state.transactions.get(refund.transactionIdentifier);
  if (source) ctx.ipn.notifyRefund(refund, source);
  return true;
}

/** A refund with the fields Paydo's refund pages show (the refunded transaction in full). */
export function refundView(r: RefundRecord, ctx: SandboxContext) {
  const source = ctx.state.transactions.get(r.transactionIdentifier);
  return {
    identifier: r.identifier,
    status: r.status,
    type: r.type,
    userIdentifier: USER_IDENTIFIER,
    amount: Number(r.amount),
    currency: r.currency,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    // The refund pages show the source transaction's casted amount as a number (the transaction page: text).
    sourceTransaction: source
      ? { ...transactionView(source, ctx), castedAmount: Number(source.amount) }
      : { identifier: r.transactionIdentifier },
    error: null,
    metadata: r.metadata,
  };
}
