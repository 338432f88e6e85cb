import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { INVOICE_STATUS, type InvoiceRecord } from '../state.ts';
import { findMethod, type MethodField, PAYER_TOP_LEVEL_FIELDS, type SandboxMethod } from '../test-data.ts';
import { html, page } from './html.ts';
import { formatAmount } from './offsite.ts';

/**
 * Paydo's checkout form for missing payer fields. Paydo's docs (hosted page, methods): when an
 * invoice made for a method lacks a field the method requires, the payer is not refused but sent
 * to Paydo's form to fill it in; then the page goes on with that method.
 */

/** The method's required fields the invoice's payer lacks, or holds in a form the method refuses. */
export function missingPayerFields(invoice: InvoiceRecord, method: SandboxMethod): MethodField[] {
  return method.fields.filter((f) => {
    const value = payerValue(invoice, f.name).trim();
    if (value === '') return f.required;
    return f.regexp !== undefined && !new RegExp(f.regexp).test(value);
  });
}

function payerValue(invoice: InvoiceRecord, name: string): string {
  const payer = invoice.payer;
  const raw = PAYER_TOP_LEVEL_FIELDS.has(name) ? payer[name as 'email' | 'name' | 'phone'] : payer.extraFields?.[name];
  return raw == null ? '' : String(raw);
}

export function payerFieldsPage(invoice: InvoiceRecord, fields: MethodField[], problem: string | null): string {
  return page(
    'Paydo — your details',
    html`<main><div class="card" role="main">
      <span class="badge">Sandbox</span>
      <h1>A few details first</h1>
      <p>Order ${invoice.orderId}${invoice.description ? ` — ${invoice.description}` : ''}</p>
      <p class="amount">${formatAmount(invoice.amount, invoice.currency)}</p>
      <p>This payment method needs these details, which the shop did not send.</p>
      ${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
      <form method="post" action="/_sandbox/hosted/${invoice.identifier}/payer" class="fields">
        ${fields.map(
          (f) =>
            html`<label>${f.title ?? f.name} <input name="${f.name}" value="${payerValue(invoice, f.name)}" ${
              f.required ? html`required` : ''
            }></label>`,
        )}
        <div class="actions"><button class="primary" type="submit">Continue</button></div>
      </form></div></main>`,
  );
}

/** The form's answer: kept on the invoice's payer, then back to the hosted page, which opens on the method. */
export function payerFieldRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.post<{ Params: { invoiceId: string }; Body: Record<string, string | undefined> }>(
    '/_sandbox/hosted/:invoiceId/payer',
    async (request, reply) => {
      const invoice = ctx.state.invoices.get(request.params.invoiceId);
      const method = invoice?.paymentMethod != null ? findMethod(invoice.paymentMethod) : undefined;
      if (!invoice || !method || invoice.status === INVOICE_STATUS.paid) {
        return reply.code(404).type('text/html').send(page('Not found', html`<main><h1>Not found</h1></main>`));
      }
      const body = request.body ?? {};
      const missing = missingPayerFields(invoice, method);
      const wrong: string[] = [];
      const payer = { ...invoice.payer, extraFields: { ...(invoice.payer.extraFields ?? {}) } };
      for (const f of missing) {
        const value = String(body[f.name] ?? '').trim();
        if ((value === '' && f.required) || (value !== '' && f.regexp && !new RegExp(f.regexp).test(value))) {
          wrong.push(f.title ?? f.name);
          continue;
        }
        if (PAYER_TOP_LEVEL_FIELDS.has(f.name)) payer[f.name as 'email' | 'name' | 'phone'] = value;
        else payer.extraFields[f.name] = value;
      }
      if (wrong.length) {
        return reply
          .code(422)
          .type('text/html')
          .send(payerFieldsPage(invoice, missing, `Please check: ${wrong.join(', ')}.`));
      }
      invoice.payer = payer;
      return reply.redirect(`/${invoice.language}/payment/invoice-preprocessing/${invoice.identifier}`, 303);
    },
  );
}
