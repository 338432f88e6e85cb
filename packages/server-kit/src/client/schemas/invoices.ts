import { z } from 'zod';
import { AnswerAmount, CurrencyCode, DecimalAmount, UnixSeconds } from './common.ts';

export const Payer = z.object({
  email: z.email('must be an e-mail address'),
  name: z.string().min(1).max(255).optional(),
  phone: z.string().min(3).max(32).optional(),
  extraFields: z.record(z.string(), z.string()).optional(),
});
export type Payer = z.infer<typeof Payer>;

export const InvoiceLanguage = z.enum(['en', 'ru']);
export type InvoiceLanguage = z.infer<typeof InvoiceLanguage>;

/** What the merchant passes to `invoices.create`: everything but the key and the signature. */
export const CreateInvoiceParams = z.object({
  order: z.object({
    id: z.string().min(1).max(255),
    amount: DecimalAmount,
    currency: CurrencyCode,
    description: z.string().max(1000).default(''),
    items: z.array(z.record(z.string(), z.unknown())).default([]),
  }),
  payer: Payer,
  language: InvoiceLanguage.default('en'),
  resultUrl: z.url(),
  failPath: z.url(),
  productUrl: z.url().optional(),
  paymentMethod: z.union([z.number().int(), z.string().regex(/^\d+$/)]).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type CreateInvoiceParams = z.input<typeof CreateInvoiceParams>;

/** Invoice status: 0 new, 1 paid, 2 overdue, 4 pending, 5 failed. */
export const InvoiceStatus = {
  new: 0,
  paid: 1,
  overdue: 2,
  pending: 4,
  failed: 5,
} as const;

export const Invoice = z.looseObject({
  identifier: z.string(),
  status: z.number(),
  type: z.union([z.number(), z.string()]).nullish(),
  applicationIdentifier: z.string().nullish(),
  amount: AnswerAmount,
  currency: z.string(),
  orderIdentifier: z.string(),
  items: z.unknown().optional(),
  description: z.string().nullish(),
  resultUrl: z.string().nullish(),
  failUrl: z.string().nullish(),
  productUrl: z.string().nullish(),
  language: z.string().nullish(),
  payer: z
    .looseObject({
      email: z.string().nullish(),
      name: z.string().nullish(),
      phone: z.string().nullish(),
      extraFields: z.unknown().optional(),
    })
    .nullish(),
  paymentMethod: z
    .looseObject({
      identifier: z.union([z.number(), z.string()]),
      fields: z.array(z.unknown()).default([]),
      formType: z.string().nullish(),
    })
    .nullish(),
  isSeen: z.boolean().nullish(),
  createdAt: UnixSeconds.nullish(),
  updatedAt: UnixSeconds.nullish(),
  transactionIdentifier: z.string().nullish(),
  isTopUp: z.boolean().nullish(),
});
export type Invoice = z.infer<typeof Invoice>;
