import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import type { TransactionRecord } from '../state.ts';
import { isAuthorized, MESSAGES, sendData, sendError } from './common.ts';

export function transactionRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.get<{ Params: { txid: string } }>(
    '/transactions/:txid',
    { config: { endpoint: 'transactions.get' } },
    async (request, reply) => {
      if (!isAuthorized(request, ctx.options.project)) return sendError(reply, 401, MESSAGES.unauthorized);
      const tx = ctx.state.transactions.get(request.params.txid);
      if (!tx) return sendError(reply, 404, MESSAGES.transactionNotFound);
      return sendData(reply, transactionView(tx, ctx));
    },
  );
}

/** Payer information types: 1 email, 2 phone, 3 name, 4 national id, 8 IP. */
export function transactionView(tx: TransactionRecord, ctx: SandboxContext) {
  const invoice = ctx.state.invoices.get(tx.invoiceIdentifier);
  const payerInformation: { type: number; value: string }[] = [{ type: 1, value: tx.customer.email }];
  if (tx.customer.phone) payerInformation.push({ type: 2, value: tx.customer.phone });
  if (tx.customer.name) payerInformation.push({ type: 3, value: tx.customer.name });
  if (tx.customer.extraFields?.nationalid)
    payerInformation.push({ type: 4, value: tx.customer.extraFields.nationalid });
  if (tx.customer.ip) payerInformation.push({ type: 8, value: tx.customer.ip });
  return {
    identifier: tx.identifier,
    type: 7,
    amount: Number(tx.amount),
    currency: tx.currency,
    payAmount: Number(tx.amount),
    payCurrency: tx.currency,
    productAmount: Number(tx.amount),
    productCurrency: tx.currency,
    state: tx.state,
    // Here `error` is a string or null (only the IPN has {message, code}).
    error: tx.error?.message ?? null,
    orderId: invoice?.orderId ?? null,
    paymentMethodIdentifier: tx.paymentMethod,
    cardMetadata: tx.card
      ? {
          bin: tx.card.bin,
          lastDigits: tx.card.lastDigits,
          paymentSystem: tx.card.brand,
          country: 'DE',
          holderName: tx.card.holderName,
        }
      : null,
    payerInformation,
    geoInformation: tx.customer.ip ? { ip: tx.customer.ip, country: 'DE' } : null,
    resultUrl: invoice?.resultUrl ?? null,
    failUrl: invoice?.failPath ?? null,
    createdAt: tx.createdAt,
    updatedAt: tx.updatedAt,
    application: { identifier: ctx.options.project.projectId, name: 'Sandbox project' },
  };
}
