import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { cardMode } from '../../checkout/card-mode.ts';
import type { PluginContext } from '../../checkout/context.ts';
import { fromPaydoError, orderNotFound } from '../../checkout/http-error.ts';
import { hostedPageUrl } from '../../checkout/next-step.ts';
import type { PaydoOrder } from '../../checkout/options.ts';
import { orderRefOf } from '../../checkout/params.ts';
import type { PaymentMethod } from '../../client/schemas/payment-methods.ts';
import type { CheckoutMethod, CheckoutResponse } from '../../protocol.ts';

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
    const offered = offeredMethods(methods, order.currency);
    const status: CheckoutResponse['status'] =
      order.paid || paidTxid ? 'paid' : latest && latest.state === null ? 'pending' : 'open';
    const language = order.language ?? 'en';
    const body: Omit<CheckoutResponse, 'methods'> = {
      order: {
        ref: orderRef,
        amount: order.amount,
        currency: order.currency,
        description: order.description ?? '',
        items: order.items ?? [],
      },
      // Only what prefills the payer fields, never whatever else the merchant's record holds.
      payer: pick(order.payer),
      language,
      status,
      txid: paidTxid ?? (status === 'pending' ? (latest?.txid ?? null) : null),
      hostedUrl: latest ? hostedPageUrl(ctx.options.hostedPageOrigin, latest.invoiceId, language) : null,
      cardMode: mode,
    };
    reply.header('cache-control', 'no-store').type('application/json; charset=utf-8');
    // The method list is the same for every order in a currency: serialized once per list and currency.
    return `{"methods":${offered},${JSON.stringify(body).slice(1)}`;
  });
}

const offeredByList = new WeakMap<PaymentMethod[], Map<string, string>>();
/** The methods a currency can use, as the widget gets them, in JSON (cached per method list). */
function offeredMethods(methods: PaymentMethod[], currency: string): string {
  let byCurrency = offeredByList.get(methods);
  if (!byCurrency) {
    byCurrency = new Map();
    offeredByList.set(methods, byCurrency);
  }
  let json = byCurrency.get(currency);
  if (json === undefined) {
    const offered: CheckoutResponse['methods'] = methodsForCurrency(methods, currency).map(checkoutMethod);
    json = JSON.stringify(offered);
    byCurrency.set(currency, json);
  }
  return json;
}

function pick(payer: PaydoOrder['payer']): CheckoutResponse['payer'] {
  const out: CheckoutResponse['payer'] = {};
  if (typeof payer?.email === 'string') out.email = payer.email;
  if (typeof payer?.name === 'string') out.name = payer.name;
  if (typeof payer?.phone === 'string') out.phone = payer.phone;
  return out;
}
