import { z } from 'zod';
import { CheckoutCode, outcomeOfState } from '../../vocabulary.ts';
import { AnswerAmount, AnswerCode, AnswerId, CurrencyCode, emptyArrayAsObject, UnixSeconds } from './common.ts';
import { MethodId } from './invoices.ts';

export {
  CheckoutCode,
  outcomeOfState,
  type TransactionOutcome,
  TransactionState,
} from '../../vocabulary.ts';

/** The payer for `checkout/create`; like the invoice's payer, `name`/`phone` may be `""`. */
export const Customer = z.looseObject({
  email: z.email('must be an e-mail address'),
  name: z.string().max(255).optional(),
  phone: z.string().max(64).optional(),
  /** The payer's IP. Without it Paydo takes the merchant server's. */
  ip: z.string().max(64).optional(),
  extraFields: z.union([z.record(z.string(), z.unknown()), z.literal(''), z.array(z.unknown()).length(0)]).optional(),
});
export type Customer = z.infer<typeof Customer>;

export const CreateCheckoutTransactionParams = z.object({
  invoiceIdentifier: z.string().min(1),
  customer: Customer,
  /** Where the payer returns after an off-site step; may hold `{{txid}}`. */
  checkStatusUrl: z.string().min(1),
  payCurrency: CurrencyCode.optional(),
  paymentMethod: MethodId.optional(),
  cardToken: z.string().min(1).nullable().optional(),
});
export type CreateCheckoutTransactionParams = z.input<typeof CreateCheckoutTransactionParams>;

export function requiresHostedPage(code: number | null | undefined): boolean {
  return code != null && (CheckoutCode.authenticationRequired as readonly number[]).includes(code);
}

export const CheckoutTransactionResult = z.looseObject({
  isSuccess: z.boolean().optional(),
  message: z.string().nullish(),
  txid: AnswerId.nullish(),
  code: AnswerCode.nullish(),
});
export type CheckoutTransactionResult = z.infer<typeof CheckoutTransactionResult>;

/**
 * `form` comes as absent, `[]`, `{url}` (GET) or `{method, url, fields}`; normalized
 * here to `null` or `{method, url, fields}` so callers have one shape.
 */
const StatusForm = z
  .union([
    z.array(z.unknown()).length(0),
    z.looseObject({
      method: z.string().nullish(),
      url: z.string().nullish(),
      fields: z.union([z.array(z.unknown()).length(0), z.record(z.string(), z.unknown())]).optional(),
    }),
  ])
  .nullish()
  .transform((form) => {
    // An empty `url` (seen with `status: pending`) is no step to take.
    if (!form || Array.isArray(form) || !form.url) return null;
    const method = (form.method ?? 'GET').toUpperCase() === 'POST' ? 'POST' : 'GET';
    const fields: Record<string, string> = {};
    if (form.fields && !Array.isArray(form.fields)) {
      for (const [k, v] of Object.entries(form.fields)) fields[k] = String(v ?? '');
    }
    return { method, url: form.url, fields } as const;
  });

export const TransactionStatus = z
  .looseObject({
    isSuccess: z.boolean().optional(),
    status: z.string(),
    message: z.string().nullish(),
    form: StatusForm,
    url: z
      .string()
      .nullish()
      .transform((u) => (u ? u : null)),
    txid: AnswerId.nullish(),
    transactionIdentifier: AnswerId.nullish(),
  })
  // Paydo's final answers carry a GET `form` to the merchant's result page (the same `url`):
  // the payment is over, so it is the outcome, not a step for the payer.
  .transform((s) =>
    (s.status === 'success' || s.status === 'fail') && s.form?.method === 'GET' && s.form.url === s.url
      ? { ...s, form: null }
      : s,
  );
export type TransactionStatus = z.output<typeof TransactionStatus>;

/** A transaction's fields as the pages show them (also the refunds' `sourceTransaction`). */
export const TransactionFields = {
  identifier: AnswerId,
  type: AnswerCode.nullish(),
  amount: AnswerAmount.nullish(),
  currency: z.string().nullish(),
  payAmount: AnswerAmount.nullish(),
  payCurrency: z.string().nullish(),
  productAmount: AnswerAmount.nullish(),
  productCurrency: z.string().nullish(),
  state: AnswerCode,
  error: z.union([z.string(), z.looseObject({ message: z.string().nullish() }), z.array(z.unknown())]).nullish(),
  orderId: AnswerId.nullish(),
  orderIdentifier: AnswerId.nullish(),
  // Text in the pages ("204", and "payment_method_id" in getRefund.md).
  paymentMethodIdentifier: AnswerId.nullish(),
  /** The filter rows' method (a number there). */
  paymentMethod: AnswerCode.nullish(),
  walletIdentifier: AnswerId.nullish(),
  userIdentifier: AnswerId.nullish(),
  pid: AnswerId.nullish(),
  cardMetadata: emptyArrayAsObject(
    z.looseObject({
      bin: z.string().nullish(),
      lastDigits: z.string().nullish(),
      paymentSystem: z.string().nullish(),
      country: z.string().nullish(),
      holderName: z.string().nullish(),
    }),
  ).nullish(),
  payerInformation: z.array(z.looseObject({ type: AnswerCode, value: z.unknown() })).nullish(),
  resultUrl: z.string().nullish(),
  failUrl: z.string().nullish(),
  createdAt: UnixSeconds.nullish(),
  updatedAt: UnixSeconds.nullish(),
  application: emptyArrayAsObject(
    z.looseObject({ identifier: AnswerId.optional(), name: z.string().nullish() }),
  ).nullish(),
};

export const Transaction = z.looseObject(TransactionFields).transform((t, ctx) => {
  // Clients fall back across productAmount/amount and orderId/orderIdentifier.
  const orderAmount = t.productAmount ?? t.amount;
  const orderCurrency = t.productCurrency ?? t.currency;
  const orderId = t.orderId ?? t.orderIdentifier;
  if (orderAmount == null) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'missing' });
  if (orderCurrency == null) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'missing' });
  if (orderId == null) ctx.addIssue({ code: 'custom', path: ['orderId'], message: 'missing' });
  const errorMessage =
    typeof t.error === 'string' ? t.error : Array.isArray(t.error) ? null : (t.error?.message ?? null);
  return {
    ...t,
    orderAmount: orderAmount ?? '',
    orderCurrency: orderCurrency ?? '',
    orderId: orderId ?? '',
    errorMessage: errorMessage || null,
    outcome: outcomeOfState(t.state),
  };
});
export type Transaction = z.output<typeof Transaction>;
