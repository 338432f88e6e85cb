import { z } from 'zod';
import { FormType } from '../../vocabulary.ts';
import { AnswerCode, emptyArrayAsObject } from './common.ts';

/** One payer field a method needs: `email`, `phone`, `name` or an extra field such as `nationalid`. */
export const PaymentMethodField = z.looseObject({
  name: z.string(),
  type: z.string().default('text'),
  required: z
    .union([z.boolean(), z.literal(0), z.literal(1)])
    .default(false)
    .transform(Boolean),
  title: z.string().nullish(),
  regexp: z.string().nullish(),
});
export type PaymentMethodField = z.infer<typeof PaymentMethodField>;

/**
 * Whether a method takes card data. `formType: "cards"` says so; a row without
 * `formType` (Paydo's own example for this endpoint, several Payop pages) is a
 * card method only when its `type` says card (`cards_international`,
 * `cards_local`); anything else is paid without card fields.
 */
export function formTypeOf(formType: string | null | undefined, type: string | null | undefined): string {
  if (formType) return formType;
  return type?.startsWith('cards') ? FormType.cards : FormType.standard;
}

const MethodRow = z
  .looseObject({
    identifier: AnswerCode,
    type: z.string().nullish(),
    formType: z.string().nullish(),
    title: z.string(),
    logo: z.string().nullish(),
    /** Present on wrapped rows; a disabled method is left out of the list. */
    isEnabled: z.union([z.boolean(), z.literal(0), z.literal(1)]).optional(),
    parentIdentifier: AnswerCode.nullish(),
    pmIdentifier: z.string().nullish(),
    isCheckoutBetweenWalletSupported: z.boolean().optional(),
    currencies: z.array(z.string()).nullish(),
    countries: z.array(z.string()).nullish(),
    config: emptyArrayAsObject(z.looseObject({ fields: z.array(PaymentMethodField).nullish() }).nullish()),
  })
  .transform((m) => ({
    ...m,
    type: m.type ?? '',
    formType: formTypeOf(m.formType, m.type),
    isEnabled: m.isEnabled === undefined ? true : Boolean(m.isEnabled),
    currencies: m.currencies ?? [],
    countries: m.countries ?? [],
    config: { ...m.config, fields: m.config?.fields ?? [] },
  }));

/**
 * A method row, flat (the API pages) or wrapped as `{paymentMethod: {…}}`
 * (what Paydo's WooCommerce plugin and Payop's demo app read).
 */
export const PaymentMethod = z.preprocess(
  (row) =>
    row && typeof row === 'object' && !('identifier' in row) && 'paymentMethod' in row
      ? (row as { paymentMethod: unknown }).paymentMethod
      : row,
  MethodRow,
);
export type PaymentMethod = z.output<typeof PaymentMethod>;

/** The available methods; rows marked `isEnabled: false` are dropped. */
export const PaymentMethodList = z.array(PaymentMethod).transform((rows) => rows.filter((m) => m.isEnabled));
