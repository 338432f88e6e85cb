import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { INVOICE_STATUS, type InvoiceRecord } from '../state.ts';
import { findMethod, type MethodField, PAYER_TOP_LEVEL_FIELDS, type SandboxMethod } from '../test-data.ts';
import { field, html, paymentPage } from './html.ts';
import { invoiceSummary, notFound } from './offsite.ts';

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
  return paymentPage({
    title: 'Paydo — your details',
    heading: 'A few details first',
    summary: invoiceSummary(invoice),
    body: html`<p>This payment method needs these details, which the shop did not send.</p>
      ${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
      <form method="post" action="/_sandbox/hosted/${invoice.identifier}/payer">
        ${fields.map((f) =>
          field({
            name: f.name,
            label: f.title ?? f.name,
            value: payerValue(invoice, f.name),
            required: f.required,
            ...(INPUT_KIND[f.name] ?? {}),
          }),
        )}
        <div class="actions"><button class="primary" type="submit">Continue</button></div>
      </form>`,
  });
}

/** What the browser should offer for the payer fields it knows (autofill, the right keyboard). */
const INPUT_KIND: Record<string, { type: string; autocomplete: string }> = {
  email: { type: 'email', autocomplete: 'email' },
  name: { type: 'text', autocomplete: 'name' },
  phone: { type: 'tel', autocomplete: 'tel' },
};

/** The form's answer: kept on the invoice's payer, then back to the hosted page, which opens on the method. */
export function payerFieldRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.post<{ Params: { invoiceId: string }; Body: Record<string, string | undefined> }>(
    '/_sandbox/hosted/:invoiceId/payer',
    async (request, reply) => {
      const invoice = ctx.state.invoices.get(request.params.invoiceId);
      const method = invoice?.paymentMethod != null ? findMethod(invoice.paymentMethod) : undefined;
      if (!invoice || !method || invoice.status === INVOICE_STATUS.paid || ctx.state.isOverdue(invoice)) {
        return notFound(reply, 'This invoice cannot be paid.');
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
