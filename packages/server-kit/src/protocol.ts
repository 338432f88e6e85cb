/**
 * The browser ↔ server-kit protocol: what `<paydo-checkout>` sends and gets.
 * The widget imports these with `import type` only, so no validator ships to
 * the browser; the plugin validates with the same schemas.
 */
import { z } from 'zod';
import { InvoiceLanguage } from './client/schemas/invoices.ts';
import type { CheckoutErrorCode, DeclineCode, FieldErrorCode } from './error-catalogue.ts';

export type {
  CheckoutErrorCode,
  DeclineCode,
  ErrorCode,
  FieldErrorCode,
  WidgetErrorCode,
} from './error-catalogue.ts';

//// requests ////

export const PayerInput = z.object({
  email: z.string().trim().max(255).default(''),
  name: z.string().trim().max(255).optional(),
  phone: z.string().trim().max(32).optional(),
  /** Method-specific fields, e.g. `nationalid`. */
  extraFields: z.record(z.string().max(64), z.string().trim().max(255)).optional(),
});

export const CardInput = z.object({
  pan: z.string().max(32),
  expirationDate: z.string().max(8),
  cvv: z.string().max(8),
  holderName: z.string().trim().max(255),
});

export const PayRequest = z.object({
  method: z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]),
  payer: PayerInput,
  card: CardInput.optional(),
  /** The hosted page's language for this payment (one of Paydo's twelve, any case). */
  language: InvoiceLanguage.optional(),
  /**
   * The payer left this transaction unfinished (Back from 3-D Secure or a wallet, then "Use another
   * card or method"): the server voids it at Paydo before starting the new payment, if it is still
   * pending. One of the order's own transactions only; a paid one makes the answer `already_paid`.
   */
  replacePending: z
    .string()
    .regex(/^[\w-]{1,128}$/)
    .optional(),
});
export type PayRequest = z.input<typeof PayRequest>;

/** `POST /checkout/:orderRef/hosted`: pay on Paydo's own page instead (the manual fallback). */
export const HostedRequest = z.object({
  payer: z.object({ email: z.string().trim().max(255).default('') }).default({ email: '' }),
  language: InvoiceLanguage.optional(),
});
export type HostedRequest = z.input<typeof HostedRequest>;

/** Idempotency-Key: one per payment attempt, chosen by the widget. */
export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, 'must be 8–128 letters, digits, - or _');

//// answers ////

export interface CheckoutField {
  name: string;
  type: string;
  required: boolean;
  title: string | null;
  /** A JavaScript-compatible regular expression the value must match. */
  pattern: string | null;
  /** `payer` for email/name/phone, `extra` for method-specific fields. */
  placement: 'payer' | 'extra';
}

export interface CheckoutMethod {
  id: number;
  title: string;
  logo: string | null;
  type: string;
  /** `cards` means the card form is shown. */
  formType: string;
  fields: CheckoutField[];
}

export interface CheckoutOrder {
  ref: string;
  /** Decimal text, exactly as the server signs it. */
  amount: string;
  currency: string;
  description: string;
  items: unknown[];
}

export interface CheckoutResponse {
  order: CheckoutOrder;
  methods: CheckoutMethod[];
  payer: { email?: string; name?: string; phone?: string };
  /** The order's language (`resolveOrder`), one of the hosted page's twelve. */
  language: InvoiceLanguage;
  /** `paid` when the order is already paid; `pending` when a payment is under way (`txid` to resume). */
  status: 'open' | 'pending' | 'paid';
  txid: string | null;
  /** Paydo's own payment page for this order, when an invoice exists (the "pay on Paydo" fallback). */
  hostedUrl: string | null;
  /**
   * Where the card is entered for `cards` methods: `direct` in the widget's own card fields
   * (the server tokenizes it), `hosted` on Paydo's page (the widget renders no card field).
   */
  cardMode: CardMode;
}

export type CardMode = 'direct' | 'hosted';

export type NextStep =
  | { type: 'redirect'; url: string }
  | { type: 'post'; url: string; fields: Record<string, string> }
  | { type: 'wait'; afterMs: number }
  /**
   * `fail`: `code` says why (the error catalogue, docs/errors.md) and `message` is the catalogue's
   * English sentence for it. Paydo's own words go to the merchant only (`onPaymentUpdate`, logs).
   */
  | { type: 'done'; status: 'success' }
  | { type: 'done'; status: 'fail'; code: DeclineCode; message: string }
  | { type: 'hosted'; url: string };

export interface PayResponse {
  invoiceId: string;
  /** Null when Paydo sends the payer to its own page (`next.type === 'hosted'`). */
  txid: string | null;
  next: NextStep;
}

export interface NextResponse {
  txid: string;
  next: NextStep;
}

/** Every error answer of the plugin. */
export interface CheckoutError {
  /** A code of the error catalogue (docs/errors.md). */
  error: CheckoutErrorCode;
  /** An English sentence; the widget shows its own translation of `error` instead. */
  message: string;
  /** `validation`: field name → messages (`email`, `nationalid`, `card.pan`, …). */
  fields?: Record<string, string[]>;
  /** `validation`: field name → the code of its first problem (`invalid_card_number`, `field_required`, …). */
  issues?: Record<string, FieldErrorCode>;
  /** Whether the same request may succeed later. */
  retryable?: boolean;
  /** `payment_in_progress` / `already_paid`: the transaction to follow. */
  txid?: string;
}
