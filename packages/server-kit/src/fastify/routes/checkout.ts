import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { PaymentMethod } from '../../client/schemas/payment-methods.ts';
import type { CheckoutMethod, CheckoutResponse } from '../../protocol.ts';
import { cardMode } from '../card-mode.ts';
import type { PluginContext } from '../context.ts';
import { fromPaydoError, orderNotFound } from '../http-error.ts';
import { hostedPageUrl } from '../next-step.ts';
import type { PaydoOrder } from '../options.ts';
import { orderRefOf } from '../params.ts';

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

export function checkoutRoute(app: FastifyInstance, ctx: PluginContext, limits: onRequestHookHandler[]): void {
  app.get('/checkout/:orderRef', { onRequest: limits }, async (request, reply) => {
    const orderRef = orderRefOf(request);
    const { resolveOrder, store } = ctx.options;
    const order = await resolveOrder(orderRef, request);
    if (!order) throw orderNotFound();
    let methods: PaymentMethod[];
    try {
      methods = await ctx.methods();
    } catch (error) {
      throw fromPaydoError(error);
    }
    // Independent reads, asked together: one round trip's wait with a database store.
    const [{ paidTxid, latest }, mode] = await Promise.all([store.readOrder(orderRef), cardMode(ctx)]);
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
      // Only what prefills the payer fields, never whatever else the merchant's record holds.
      payer: pick(order.payer),
      language,
      status,
      txid: paidTxid ?? (status === 'pending' ? (latest?.txid ?? null) : null),
      hostedUrl: latest ? hostedPageUrl(ctx.options.hostedPageOrigin, latest.invoiceId, language) : null,
      cardMode: mode,
    };
    reply.header('cache-control', 'no-store');
    return body;
  });
}

function pick(payer: PaydoOrder['payer']): CheckoutResponse['payer'] {
  const out: CheckoutResponse['payer'] = {};
  if (typeof payer?.email === 'string') out.email = payer.email;
  if (typeof payer?.name === 'string') out.name = payer.name;
  if (typeof payer?.phone === 'string') out.phone = payer.phone;
  return out;
}
