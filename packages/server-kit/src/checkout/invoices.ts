import type { InvoiceLanguage } from '../client/schemas/invoices.ts';
import type { PluginContext } from './context.ts';
import type { PaydoOrder } from './options.ts';
import { alreadyPaid, type GateReading } from './payment-gate.ts';
import { withTxidParam } from './return-url.ts';

/**
 * The order's invoice stored under `invoiceKey`, if Paydo can still take a
 * payment on it. A paid invoice means the order is paid; a failed or overdue
 * one is not reused (the next try gets a fresh invoice). The gate has just
 * read every invoice of the order from Paydo: that reading is used as it is.
 */
export async function reusableInvoice(
  ctx: PluginContext,
  invoiceKey: string,
  gate: GateReading,
): Promise<{ invoiceId: string; transactionIdentifier: string | null } | null> {
  const invoiceId = gate.records.invoices.find((i) => i.invoiceKey === invoiceKey)?.invoiceId;
  if (!invoiceId) return null;
  const invoice = gate.invoices.get(invoiceId) ?? (await ctx.options.client.invoices.retrieve(invoiceId));
  if (invoice.status === 1) throw alreadyPaid(invoice.transactionIdentifier);
  if (invoice.status !== 0) return null;
  return { invoiceId, transactionIdentifier: invoice.transactionIdentifier ?? null };
}

/** Creates the order's signed invoice (amount from `resolveOrder`, never the browser) and remembers it. */
export async function createInvoice(
  ctx: PluginContext,
  input: {
    orderRef: string;
    invoiceKey: string;
    order: PaydoOrder;
    payer: { email: string; name?: string | undefined; phone?: string | undefined };
    language: InvoiceLanguage;
    paymentMethod?: number;
    /** The checkout page with `paydo_txid` (when the caller has it already). */
    pageUrl?: string;
  },
): Promise<string> {
  const { client, store, checkoutPageUrl } = ctx.options;
  const { order, orderRef, payer } = input;
  // The payer comes back to the checkout page, where the widget resumes with the txid.
  const pageUrl = input.pageUrl ?? withTxidParam(checkoutPageUrl(orderRef));
  const { invoiceId } = await client.invoices.create({
    order: {
      id: order.id,
      amount: order.amount,
      currency: order.currency,
      description: order.description ?? '',
      items: order.items ?? [],
    },
    payer: { email: payer.email, ...(payer.name && { name: payer.name }), ...(payer.phone && { phone: payer.phone }) },
    language: input.language,
    resultUrl: pageUrl,
    failPath: pageUrl,
    ...(input.paymentMethod !== undefined && { paymentMethod: input.paymentMethod }),
    metadata: { ...order.metadata, orderRef },
  });
  await store.saveInvoice(input.invoiceKey, orderRef, invoiceId);
  return invoiceId;
}
