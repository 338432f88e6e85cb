import { z } from 'zod';
import { HOSTED_PAGE_LANGUAGES } from '../../vocabulary.ts';
import {
  AnswerAmount,
  AnswerCode,
  AnswerId,
  CurrencyCode,
  DecimalAmount,
  emptyArrayAsObject,
  Metadata,
  UnixSeconds,
} from './common.ts';

export { HOSTED_PAGE_LANGUAGES, InvoiceStatus } from '../../vocabulary.ts';

/**
 * The payer as Paydo's examples send it. Only the e-mail is checked as an
 * e-mail; `name` and `phone` may be `""` (Paydo's own example sends
 * `phone: ""`), and `extraFields` may be `""` or `[]` (also in the examples).
 */
export const Payer = z.looseObject({
  email: z.email('must be an e-mail address'),
  name: z.string().max(255).optional(),
  phone: z.string().max(64).optional(),
  extraFields: z.union([z.record(z.string(), z.unknown()), z.literal(''), z.array(z.unknown()).length(0)]).optional(),
});
export type Payer = z.infer<typeof Payer>;

/**
 * The invoice language. The docs write the codes in either case (`En`), so the
 * client sends them lowercase; an unknown code is refused because the hosted
 * page could not show it.
 */
export const InvoiceLanguage = z
  .string()
  .transform((l) => l.toLowerCase())
  .pipe(z.enum(HOSTED_PAGE_LANGUAGES, `must be one of ${HOSTED_PAGE_LANGUAGES.join(', ')}`));
export type InvoiceLanguage = z.output<typeof InvoiceLanguage>;

/** A method id as Paydo takes it: a number or a string of digits (`null` means none). */
export const MethodId = z.union([z.number().int(), z.string().regex(/^\d+$/)]).nullable();

/** What the merchant passes to `invoices.create`: everything but the key and the signature. */
export const CreateInvoiceParams = z.object({
  order: z.object({
    // Payop's demo app sends a number; Paydo documents a string, so it is sent as one.
    id: z.union([z.string().min(1).max(255), z.number().int().nonnegative().transform(String)]),
    // A number is signed and sent as its text (`100` signs as "100").
    amount: z.union([DecimalAmount, z.number().positive().transform(String)]),
    currency: CurrencyCode,
    description: z.string().default(''),
    // An array of arbitrary objects in the API pages; an object in Payop's demo app.
    items: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).default([]),
  }),
  payer: Payer,
  language: InvoiceLanguage.default('en'),
  resultUrl: z.url(),
  failPath: z.url(),
  productUrl: z.url().optional(),
  paymentMethod: MethodId.optional(),
  metadata: Metadata.optional(),
});
export type CreateInvoiceParams = z.input<typeof CreateInvoiceParams>;

export const Invoice = z.looseObject({
  identifier: AnswerId,
  status: AnswerCode,
  type: AnswerCode.nullish(),
  applicationIdentifier: AnswerId.nullish(),
  amount: AnswerAmount,
  currency: z.string(),
  orderIdentifier: AnswerId,
  items: z.unknown().optional(),
  description: z.string().nullish(),
  resultUrl: z.string().nullish(),
  failUrl: z.string().nullish(),
  productUrl: z.string().nullish(),
  language: z.string().nullish(),
  payer: emptyArrayAsObject(
    z.looseObject({
      email: z.string().nullish(),
      name: z.string().nullish(),
      phone: z.string().nullish(),
      extraFields: z.unknown().optional(),
    }),
  ).nullish(),
  // `null` or `[]` when the invoice has no method.
  paymentMethod: z.preprocess(
    (v) => (Array.isArray(v) && v.length === 0 ? null : v),
    z
      .looseObject({
        identifier: AnswerCode,
        fields: z
          .array(z.unknown())
          .nullish()
          .transform((f) => f ?? []),
        formType: z.string().nullish(),
      })
      .nullish(),
  ),
  isSeen: z.boolean().nullish(),
  /** The hosted page's look, as set in the account; the kit does not read it. */
  customization: z.unknown().optional(),
  createdAt: UnixSeconds.nullish(),
  updatedAt: UnixSeconds.nullish(),
  transactionIdentifier: AnswerId.nullish(),
  isTopUp: z.boolean().nullish(),
});
export type Invoice = z.infer<typeof Invoice>;
