import { z } from 'zod';

/** One payer field a method needs: `email`, `phone`, `name` or an extra field such as `nationalid`. */
export const PaymentMethodField = z.looseObject({
  name: z.string(),
  type: z.string().default('text'),
  required: z.boolean().default(false),
  title: z.string().nullish(),
  regexp: z.string().nullish(),
});
export type PaymentMethodField = z.infer<typeof PaymentMethodField>;

export const PaymentMethod = z.looseObject({
  identifier: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]),
  type: z.string(),
  formType: z.string(),
  title: z.string(),
  logo: z.string().nullish(),
  parentIdentifier: z.union([z.number(), z.string()]).nullish(),
  pmIdentifier: z.string().nullish(),
  isCheckoutBetweenWalletSupported: z.boolean().optional(),
  currencies: z.array(z.string()).default([]),
  countries: z.array(z.string()).default([]),
  config: z
    .looseObject({ fields: z.array(PaymentMethodField).default([]) })
    .nullish()
    .transform((c) => ({ ...c, fields: c?.fields ?? [] })),
});
export type PaymentMethod = z.infer<typeof PaymentMethod>;

export const PaymentMethodList = z.array(PaymentMethod);
