import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import type { TransactionRecord } from '../state.ts';
import { MESSAGES, refuseUnauthorized, sendData, sendError } from './common.ts';

export function transactionRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  // Payop's current checkout page §4: several transactions by id, comma-separated; unknown ids are left out.
  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/transactions/filter',
    { config: { endpoint: 'transactions.filter' } },
    async (request, reply) => {
      if (refuseUnauthorized(request, reply, ctx.options.project)) return reply;
      const ids = (request.query['query[identifiers]'] ?? '').split(',').map((id) => id.trim());
      const found = ids.flatMap((id) => {
        const tx = id ? ctx.state.transactions.get(id) : undefined;
        return tx ? [filterRowView(tx, ctx)] : [];
      });
      return sendData(reply, found);
    },
  );

  getTransactionRoute(app, ctx);
}

/** `GET /v2/transactions/{id}`: the only "get transaction" on Payop's current page; same object. */
export function transactionV2Routes(app: FastifyInstance, ctx: SandboxContext): void {
  getTransactionRoute(app, ctx);
}

/** `GET /transactions/{id}` (v1 and v2 answer the same object). */
function getTransactionRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.get<{ Params: { txid: string } }>(
    '/transactions/:txid',
    { config: { endpoint: 'transactions.get' } },
    async (request, reply) => {
      if (refuseUnauthorized(request, reply, ctx.options.project)) return reply;
      const tx = ctx.state.transactions.get(request.params.txid);
      if (!tx) return sendError(reply, 404, MESSAGES.transactionNotFound);
      return sendData(reply, transactionView(tx, ctx));
    },
  );
}

/** The sandbox's wallet id for the merchant (Paydo shows a number as text). */
const WALLET_IDENTIFIER = '1806';
/** The project's merchant-account (MID) id, a number as in Paydo's refund list. */
const MID_IDENTIFIER = 9;

function payerInformationOf(tx: TransactionRecord) {
  const info: { type: number; value: string }[] = [{ type: 1, value: tx.customer.email }];
  if (tx.customer.phone) info.push({ type: 2, value: tx.customer.phone });
  if (tx.customer.name) info.push({ type: 3, value: tx.customer.name });
  if (tx.customer.extraFields?.nationalid) info.push({ type: 4, value: tx.customer.extraFields.nationalid });
  if (tx.customer.ip) info.push({ type: 8, value: tx.customer.ip });
  return info;
}

/**
 * The transaction as Paydo's getTransaction page shows it. Payer information
 * types: 1 email, 2 phone, 3 name, 4 national id, 8 IP. Amounts are numbers,
 * `paymentMethodIdentifier` is text, `error` is a sentence (`""` when none),
 * empty lists and objects are `[]` as PHP writes them.
 */
export function transactionView(tx: TransactionRecord, ctx: SandboxContext) {
  const invoice = ctx.state.invoices.get(tx.invoiceIdentifier);
  const amount = Number(tx.amount);
  return {
    identifier: tx.identifier,
    walletIdentifier: WALLET_IDENTIFIER,
    type: 7,
    amount,
    currency: tx.currency,
    payAmount: amount,
    payCurrency: tx.currency,
    state: tx.state,
    error: tx.error?.message ?? '',
    errorCode: tx.error?.code ?? '',
    cardMetadata: tx.card
      ? {
          bin: tx.card.bin,
          lastDigits: tx.card.lastDigits,
          paymentSystem: tx.card.brand,
          country: 'DE',
          holderName: tx.card.holderName,
        }
      : [],
    commission: [],
    exchange: [],
    createdAt: tx.createdAt,
    updatedAt: tx.updatedAt,
    orderId: invoice?.orderId ?? null,
    description: invoice?.description ?? '',
    productAmount: amount,
    productCurrency: tx.currency,
    pageDetails: [],
    language: invoice?.language ?? 'en',
    paymentMethodIdentifier: String(tx.paymentMethod),
    payerInformation: payerInformationOf(tx),
    geoInformation: tx.customer.ip
      ? {
          ip: tx.customer.ip,
          city: { name: 'Berlin' },
          region: { iso: 'DE-BE', name: 'Berlin' },
          country: { iso: 'DE', name: 'Germany' },
          continent: { code: 'EU' },
        }
      : [],
    resultUrl: invoice?.resultUrl ?? null,
    failUrl: invoice?.failPath ?? null,
    pid: tx.identifier,
    strategy: 2,
    chosenAmount: amount,
    chosenCurrency: tx.currency,
    // getTransaction.md shows castedAmount as text; the refund pages as a number (refundView).
    castedAmount: tx.amount,
    castedCurrency: tx.currency,
    application: {
      identifier: ctx.options.project.projectId,
      name: 'Sandbox project',
      info: 'Sandbox',
      midIdentifier: MID_IDENTIFIER,
    },
  };
}

/** A row of `transactions/filter` (Payop's example): `orderIdentifier`, amounts as text, `paymentMethod`. */
export function filterRowView(tx: TransactionRecord, ctx: SandboxContext) {
  const invoice = ctx.state.invoices.get(tx.invoiceIdentifier);
  return {
    identifier: tx.identifier,
    userIdentifier: 10043,
    pid: tx.identifier,
    type: 7,
    state: tx.state,
    error: tx.error?.message ?? '',
    orderIdentifier: invoice?.orderId ?? null,
    amount: tx.amount,
    currency: tx.currency,
    paymentMethod: tx.paymentMethod,
    totalCommission: '0',
    totalCommissionCurrency: tx.currency,
    createdAt: tx.createdAt,
    updatedAt: tx.updatedAt,
    schedules: tx.history.slice(1).map((h, i) => ({ from: tx.history[i]?.state ?? 1, to: h.state, time: h.at })),
    canResendIpn: true,
    hasChargeback: false,
    mcc: null,
    payAmount: tx.amount,
    payCurrency: tx.currency,
    attributes: [],
    refundsExternal: [],
    credit: null,
  };
}
