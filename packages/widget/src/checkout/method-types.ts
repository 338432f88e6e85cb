import type { CheckoutMethod } from '@paydo-checkout/server-kit/protocol';
import type { FormType } from '@paydo-checkout/server-kit/vocabulary';
import { en } from '../translations/en.ts';
import type { Strings } from '../translations/localize.ts';

/**
 * Paydo's `formType` of a method that takes card data, named once in the server kit's vocabulary:
 * imported as a type (the bundle carries no server code), so a change there fails this file's check.
 */
export const FORM_TYPE_CARDS: (typeof FormType)['cards'] = 'cards';

/** Paydo's generic method types (paydo-api.md §1) and the widget's string for each one's generic name. */
export const METHOD_TYPES = {
  cards_international: 'bankCard',
  cards_local: 'bankCard',
  banks: 'bankTransfer',
  ewallet: 'eWallet',
} as const satisfies Record<string, keyof Strings>;

/**
 * A method's name in the payer's language: a generic title (the English name of its type, as Paydo
 * sends "Bank card") is translated by type; a brand's own name ("Sandbox Wallet") stays as sent.
 */
export function methodTitle(method: CheckoutMethod, t: Strings): string {
  const key = METHOD_TYPES[method.type as keyof typeof METHOD_TYPES];
  return key && method.title === en[key] ? t[key] : method.title;
}
