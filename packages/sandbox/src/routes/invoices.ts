import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { isDecimalText } from '../money.ts';
import { INVOICE_STATUS, type InvoiceRecord } from '../state.ts';
import { findMethod } from '../test-data.ts';
import { amountLimitError, asObject, FieldErrors, MESSAGES, sendData, sendError } from './common.ts';

const CURRENCY = /^[A-Z]{3}$/;
/** The hosted page's languages (Payop's invoice page lists twelve). */
const HOSTED_PAGE_LANGUAGES = new Set(['en', 'ru', 'es', 'it', 'pt', 'de', 'fr', 'sv', 'fi', 'tr', 'pl', 'nl']);

/**
 * An unknown invoice, answered as the endpoint's own Paydo page says by default: the invoice
 * lookup 422 (getInvoice.md), card tokenization 404 (createCardToken.md); the `invoiceNotFound`
 * variant gives one status everywhere, `invoiceNotFoundMessage=with-id` Payop's sentence.
 */
export function sendInvoiceNotFound(
  reply: FastifyReply,
  ctx: SandboxContext,
  invoiceId: string,
  endpoint: 'invoice lookup' | 'card tokenization',
): FastifyReply {
  const { invoiceNotFound, invoiceNotFoundMessage } = ctx.options.variants;
  const status = invoiceNotFound === 'per-page' ? (endpoint === 'invoice lookup' ? 422 : 404) : Number(invoiceNotFound);
  const message = invoiceNotFoundMessage === 'with-id' ? `Invoice (${invoiceId}) not found` : MESSAGES.invoiceNotFound;
  return sendError(reply, status, message);
}

export function invoiceRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.post('/invoices/create', { config: { endpoint: 'invoices.create' } }, async (request, reply) => {
    const body = asObject(request.body) ?? {};
    const project = ctx.options.project;
    if (body.publicKey !== undefined && body.publicKey !== project.publicKey) {
      return sendError(reply, 404, MESSAGES.applicationNotFound);
    }
    const errors = new FieldErrors();
    errors.requireString('publicKey', body.publicKey);
    const order = asObject(body.order);
    if (!order) errors.add('order', MESSAGES.blank);
    // Payop's demo app sends a numeric order id; it is signed and kept as its text.
    const orderId = errors.requireString(
      'order.id',
      typeof order?.id === 'number' && Number.isInteger(order.id) ? String(order.id) : order?.id,
    );
    // The amount may come as a string or a JSON number; it is signed as written.
    const rawAmount = order?.amount;
    const amountText = typeof rawAmount === 'number' && Number.isFinite(rawAmount) ? String(rawAmount) : rawAmount;
    if (order && !isDecimalText(amountText)) {
      errors.add('order.amount', amountText === undefined ? MESSAGES.blank : MESSAGES.invalid);
    }
    const currency = errors.requireString('order.currency', order?.currency);
    if (currency !== undefined && !CURRENCY.test(currency)) errors.add('order.currency', MESSAGES.invalid);
    // Optional on Payop's current invoice page.
    const description = errors.optionalString('order.description', order?.description);
    const items = order?.items;
    if (order && (items === undefined || items === null || typeof items !== 'object')) {
      errors.add('order.items', MESSAGES.blank);
    }
    const payer = asObject(body.payer);
    if (!payer) errors.add('payer', MESSAGES.blank);
    const email = errors.email('payer.email', payer?.email);
    const payerName = errors.optionalString('payer.name', payer?.name);
    const payerPhone = errors.optionalString('payer.phone', payer?.phone);
    const extraFields = asObject(payer?.extraFields);
    // Optional on Payop's current page; the hosted page speaks twelve languages.
    const language = errors.optionalString('language', body.language)?.toLowerCase();
    if (language !== undefined && !HOSTED_PAGE_LANGUAGES.has(language)) errors.add('language', MESSAGES.invalid);
    const resultUrl = errors.optionalString('resultUrl', body.resultUrl);
    const failPath = errors.optionalString('failPath', body.failPath);
    const productUrl = errors.optionalString('productUrl', body.productUrl);
    const signature = errors.requireString('signature', body.signature);
    const method = body.paymentMethod == null ? undefined : findMethod(body.paymentMethod);
    if (body.paymentMethod != null && !method) errors.add('paymentMethod', MESSAGES.invalid);
    const metadata = body.metadata ?? {};
    if (JSON.stringify(metadata).length > 800_000) errors.add('metadata', 'This value is too long.');
    if (errors.any) return sendError(reply, 422, errors.map);

    const expected = createHash('sha256')
      .update(`${amountText}:${currency}:${orderId}:${project.secretKey}`)
      .digest('hex');
    if (!safeEqual(expected, signature as string)) return sendError(reply, 422, MESSAGES.wrongSignature);

    if (method) {
      if (!method.enabled) return sendError(reply, 422, MESSAGES.methodDisabled);
      if (!method.currencies.includes(currency as string)) {
        return sendError(reply, 422, { 'order.currency': ['Currency is not supported by the payment method.'] });
      }
      const limit = amountLimitError(amountText as string, method);
      if (limit) return sendError(reply, 422, limit);
    }

    const invoice = ctx.state.addInvoice({
      amount: amountText as string,
      currency: currency as string,
      orderId: orderId as string,
      description: description ?? '',
      items,
      payer: {
        email: email as string,
        name: payerName,
        phone: payerPhone,
        extraFields: extraFields as Record<string, string> | undefined,
      },
      language: language ?? 'en',
      // Without them, the payer comes back to the emulator's dashboard.
      resultUrl: resultUrl || `${ctx.origin()}/_sandbox`,
      failPath: failPath || `${ctx.origin()}/_sandbox`,
      productUrl: productUrl ?? null,
      paymentMethod: method?.identifier ?? null,
      metadata,
    });
    const where = ctx.options.variants.invoiceId;
    return sendData(
      reply,
      where === 'header' ? '' : invoice.identifier,
      where === 'body' ? {} : { identifier: invoice.identifier },
    );
  });

  app.get<{ Params: { id: string } }>(
    '/invoices/:id',
    { config: { endpoint: 'invoices.get' } },
    async (request, reply) => {
      const invoice = ctx.state.invoices.get(request.params.id);
      if (!invoice) return sendInvoiceNotFound(reply, ctx, request.params.id, 'invoice lookup');
      return sendData(reply, invoiceView(invoice, ctx));
    },
  );
}

export function invoiceView(invoice: InvoiceRecord, ctx: SandboxContext) {
  const method = invoice.paymentMethod == null ? undefined : findMethod(invoice.paymentMethod);
  return {
    identifier: invoice.identifier,
    status: invoice.status,
    type: 1,
    applicationIdentifier: ctx.options.project.projectId,
    amount: Number(invoice.amount),
    currency: invoice.currency,
    orderIdentifier: invoice.orderId,
    items: invoice.items,
    description: invoice.description,
    resultUrl: invoice.resultUrl,
    failUrl: invoice.failPath,
    productUrl: invoice.productUrl,
    language: invoice.language,
    // As Paydo's getInvoice example: text fields `""` when not given, no extra fields `[]` (PHP's empty array).
    payer: {
      email: invoice.payer.email,
      name: invoice.payer.name ?? '',
      phone: invoice.payer.phone ?? '',
      address: '',
      companyName: '',
      site: '',
      extraFields:
        invoice.payer.extraFields && Object.keys(invoice.payer.extraFields).length ? invoice.payer.extraFields : [],
    },
    paymentMethod: method ? { identifier: method.identifier, fields: method.fields, formType: method.formType } : null,
    isOverdue: invoice.status === INVOICE_STATUS.overdue,
    isSeen: false,
    customization: [],
    createdAt: invoice.createdAt,
    updatedAt: invoice.updatedAt,
    transactionIdentifier: invoice.transactionIdentifier,
    isTopUp: false,
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
