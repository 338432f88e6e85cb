import type { PaydoClient } from '../client/client.ts';
import type { InvoiceLanguage } from '../client/schemas/invoices.ts';
import type { PaydoStore } from '../store/store.ts';
import { InvoiceStatus } from '../vocabulary.ts';
import type { PaydoOrder } from './options.ts';
import { alreadyPaid } from './order-lock.ts';
import type { GateReading } from './payment-gate.ts';

/** The key an order's invoice is reused under: one per order, method (or hosted), amount and currency. */
export function invoiceKeyOf(orderRef: string, method: number | 'hosted', order: PaydoOrder): string {
  return `${orderRef}|${method}|${order.amount}|${order.currency}`;
}

/**
 * The order's newest invoice under `invoiceKey`, if Paydo can still take a payment on it. A
 * paid invoice means the order is paid; a failed or overdue one is not reused (the next try
 * gets a fresh invoice, and the old one stays the order's). The gate has just read every
 * invoice of the order from Paydo: that reading is used as it is.
 */
export async function reusableInvoice(
  client: PaydoClient,
  invoiceKey: string,
  gate: GateReading,
): Promise<{ invoiceId: string; transactionIdentifier: string | null } | null> {
  const invoiceId = gate.records.invoices.findLast((i) => i.invoiceKey === invoiceKey)?.invoiceId;
  if (!invoiceId) return null;
  const invoice = gate.invoices.get(invoiceId) ?? (await client.invoices.retrieve(invoiceId));
  if (invoice.status === InvoiceStatus.paid) throw alreadyPaid(invoice.transactionIdentifier);
  if (invoice.status !== InvoiceStatus.new) return null;
  return { invoiceId, transactionIdentifier: invoice.transactionIdentifier ?? null };
}

/** Creates the order's signed invoice (amount from `resolveOrder`, never the browser) and records it. */
export async function createInvoice(
  { client, store }: { client: PaydoClient; store: PaydoStore },
  input: {
    orderRef: string;
    invoiceKey: string;
    order: PaydoOrder;
    payer: { email: string; name?: string | undefined; phone?: string | undefined };
    language: InvoiceLanguage;
    paymentMethod?: number;
    /** The checkout page with `paydo_txid`: the payer comes back there, where the widget resumes. */
    pageUrl: string;
  },
): Promise<string> {
  const { order, orderRef, payer, pageUrl } = input;
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
