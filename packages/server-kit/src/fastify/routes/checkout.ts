import type { FastifyInstance } from 'fastify';
import type { PaymentMethod } from '../../client/schemas/payment-methods.ts';
import type { CheckoutMethod, CheckoutResponse } from '../../protocol.ts';
import type { PluginContext } from '../context.ts';
import { fromPaydoError, notFound } from '../http-error.ts';
import { hostedPageUrl } from '../next-step.ts';

const TOP_LEVEL = new Set(['email', 'name', 'phone']);

/** A method as the widget needs it: fields with their patterns, nothing Paydo-internal. */
export function checkoutMethod(m: PaymentMethod): CheckoutMethod {
  return {
    id: m.identifier,
    title: m.title,
    logo: m.logo ?? null,
    type: m.type,
    formType: m.formType,
    fields: m.config.fields.map((f) => ({
      name: f.name,
      type: f.type,
      required: f.required,
      title: f.title ?? null,
      pattern: f.regexp ?? null,
      placement: TOP_LEVEL.has(f.name) ? 'payer' : 'extra',
    })),
  };
}

export function methodsForCurrency(methods: PaymentMethod[], currency: string): PaymentMethod[] {
  return methods.filter((m) => m.currencies.length === 0 || m.currencies.includes(currency));
}

export function checkoutRoute(app: FastifyInstance, ctx: PluginContext): void {
  app.get<{ Params: { orderRef: string } }>('/checkout/:orderRef', async (request, reply) => {
    const { orderRef } = request.params;
    const { resolveOrder, store } = ctx.options;
    const order = await resolveOrder(orderRef, request);
    if (!order) throw notFound();
    let methods: PaymentMethod[];
    try {
      methods = await ctx.methods();
    } catch (error) {
      throw fromPaydoError(error);
    }
    const paidTxid = await store.paidTransaction(orderRef);
    const latest = await store.latestTransaction(orderRef);
    const status: CheckoutResponse['status'] =
      order.paid || paidTxid ? 'paid' : latest && latest.state === null ? 'pending' : 'open';
    const language = order.language ?? 'en';
    const body: CheckoutResponse = {
      order: {
        ref: orderRef,
        amount: order.amount,
        currency: order.currency,
        description: order.description ?? '',
        items: order.items ?? [],
      },
      methods: methodsForCurrency(methods, order.currency).map(checkoutMethod),
      payer: { ...order.payer },
      language,
      status,
      txid: paidTxid ?? (status === 'pending' ? (latest?.txid ?? null) : null),
      hostedUrl: latest ? hostedPageUrl(ctx.options.hostedPageOrigin, latest.invoiceId, language) : null,
    };
    reply.header('cache-control', 'no-store');
    return body;
  });
}
