import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { PluginContext } from '../../checkout/context.ts';
import {
  bodyFields,
  emailProblem,
  FieldProblems,
  fromPaydoError,
  orderNotFound,
  validationError,
} from '../../checkout/http-error.ts';
import { createInvoice, reusableInvoice } from '../../checkout/invoices.ts';
import { hostedPageUrl } from '../../checkout/next-step.ts';
import { orderRefOf } from '../../checkout/params.ts';
import { assertNoPaymentUnderway, withOrderLock } from '../../checkout/payment-gate.ts';
import { HostedRequest, type PayResponse } from '../../protocol.ts';

/**
 * The manual fallback: an invoice without a payment method, paid on Paydo's
 * own page, where the payer picks any method. One such invoice per order and
 * amount is reused; its result arrives by IPN like any other.
 */
export function hostedRoute(app: FastifyInstance, ctx: PluginContext, limits: onRequestHookHandler[]): void {
  app.post('/checkout/:orderRef/hosted', { onRequest: limits }, async (request) => {
    const parsed = HostedRequest.safeParse(request.body ?? {});
    if (!parsed.success) throw validationError(bodyFields(parsed.error.issues), 'The request is not valid.');
    const orderRef = orderRefOf(request);
    const { resolveOrder, hostedPageOrigin } = ctx.options;
    const order = await resolveOrder(orderRef, request);
    if (!order) throw orderNotFound();
    const email = parsed.data.payer.email || order.payer?.email || '';
    const emailError = emailProblem(email);
    if (emailError) throw validationError(new FieldProblems().add('email', ...emailError));
    const language = parsed.data.language ?? order.language ?? 'en';
    const invoiceKey = `${orderRef}|hosted|${order.amount}|${order.currency}`;
    try {
      // The same lock and the same "paid or pending at Paydo?" check as pay: one order, one charge.
      return await withOrderLock(ctx, orderRef, async (lock) => {
        const gate = await assertNoPaymentUnderway(ctx, orderRef, order);
        let invoiceId = (await reusableInvoice(ctx, invoiceKey, gate))?.invoiceId;
        if (!invoiceId) {
          await lock.confirm();
          invoiceId = await createInvoice(ctx, {
            orderRef,
            invoiceKey,
            order,
            payer: { email, name: order.payer?.name },
            language,
          });
        }
        const body: PayResponse = {
          invoiceId,
          txid: null,
          next: { type: 'hosted', url: hostedPageUrl(hostedPageOrigin, invoiceId, language) },
        };
        return body;
      });
    } catch (error) {
      throw fromPaydoError(error);
    }
  });
}
