import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { HostedRequest, type PayResponse } from '../../protocol.ts';
import type { PluginContext } from '../context.ts';
import { CheckoutHttpError, fromPaydoError, notFound, validationError } from '../http-error.ts';
import { hostedPageUrl } from '../next-step.ts';
import { withTxidParam } from './pay.ts';

/**
 * The manual fallback: an invoice without a payment method, paid on Paydo's
 * own page, where the payer picks any method. One such invoice per order and
 * amount is reused; its result arrives by IPN like any other.
 */
export function hostedRoute(app: FastifyInstance, ctx: PluginContext, limits: onRequestHookHandler[]): void {
  app.post<{ Params: { orderRef: string } }>('/checkout/:orderRef/hosted', { onRequest: limits }, async (request) => {
    const parsed = HostedRequest.safeParse(request.body ?? {});
    if (!parsed.success) throw validationError({ body: ['The request is not valid.'] });
    const { orderRef } = request.params;
    const { store, client, resolveOrder, checkoutPageUrl, hostedPageOrigin } = ctx.options;
    const order = await resolveOrder(orderRef, request);
    if (!order) throw notFound();
    const paid = order.paid ? 'order' : await store.paidTransaction(orderRef);
    if (paid)
      throw new CheckoutHttpError(
        409,
        'already_paid',
        'This order is already paid.',
        paid === 'order' ? {} : { txid: paid },
      );
    const email = parsed.data.payer.email || order.payer?.email || '';
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      throw validationError({
        email: [email ? 'Enter an e-mail address like name@example.com.' : 'This field is required.'],
      });
    }
    const language = parsed.data.language ?? order.language ?? 'en';
    const invoiceKey = `${orderRef}|hosted|${order.amount}|${order.currency}`;
    try {
      let invoiceId = await store.findInvoice(invoiceKey);
      if (invoiceId) {
        const invoice = await client.invoices.retrieve(invoiceId);
        if (invoice.status === 1) throw new CheckoutHttpError(409, 'already_paid', 'This order is already paid.');
        if (invoice.status !== 0) invoiceId = null; // failed or overdue: a fresh one
      }
      if (!invoiceId) {
        const pageUrl = withTxidParam(checkoutPageUrl(orderRef));
        ({ invoiceId } = await client.invoices.create({
          order: {
            id: order.id,
            amount: order.amount,
            currency: order.currency,
            description: order.description ?? '',
            items: order.items ?? [],
          },
          payer: { email, ...(order.payer?.name && { name: order.payer.name }) },
          language,
          resultUrl: pageUrl,
          failPath: pageUrl,
          metadata: { ...order.metadata, orderRef },
        }));
        await store.saveInvoice(invoiceKey, orderRef, invoiceId);
      }
      const body: PayResponse = {
        invoiceId,
        txid: null,
        next: { type: 'hosted', url: hostedPageUrl(hostedPageOrigin, invoiceId, language) },
      };
      return body;
    } catch (error) {
      throw fromPaydoError(error);
    }
  });
}
