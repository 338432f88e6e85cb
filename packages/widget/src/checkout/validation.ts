/**
 * The form's rules as pure functions: which fields a method shows and what is wrong with each
 * value, in the payer's words. No DOM: unit-tested in Node, used by the element before sending.
 */
import type { CheckoutField, CheckoutMethod } from '@paydo-checkout/server-kit/protocol';
import { checkCardNumber, checkCvv, checkExpiry, detectBrand, digitsOnly } from '../card/card-data.ts';
import type { Strings } from '../translations/localize.ts';

export const CARD_FIELDS = ['card.pan', 'card.expirationDate', 'card.cvv', 'card.holderName'] as const;
/** The server's limits (protocol.ts), checked before sending and set as `maxlength`. */
const LIMITS: Record<string, number> = { phone: 32, 'card.pan': 23, 'card.expirationDate': 7 };
export const limit = (key: string): number => LIMITS[key] ?? 255;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type Field = Pick<CheckoutField, 'name' | 'required' | 'pattern' | 'title'>;
export type Errors = Record<string, string>;

/** The payer fields shown for a method: e-mail always; no second name beside the name on the card. */
export function payerFields(method: CheckoutMethod, cardHere: boolean): Field[] {
  const fields = method.fields.filter((f) => !(cardHere && f.name === 'name'));
  return fields.some((f) => f.name === 'email') ? fields : [{ name: 'email', required: true } as Field, ...fields];
}

/** Every input name the form shows for a method. */
export function named(method: CheckoutMethod, cardHere: boolean): string[] {
  return [...payerFields(method, cardHere).map((f) => f.name), ...(cardHere ? CARD_FIELDS : [])];
}

/**
 * What a method's pattern asks for, in words, when it says it plainly: `^\d{10}$` → "Enter 10 digits.",
 * `^\d{8,12}$` → "Enter 8–12 digits."; any other pattern → "The format is not valid.".
 */
export function patternMessage(pattern: string, t: Strings): string {
  const m = /^\^(?:\\d|\[0-9\])\{(\d+)(?:,(\d+))?\}\$$/.exec(pattern);
  return m ? t.digits(m[2] ? `${m[1]}–${m[2]}` : Number(m[1])) : t.invalidFormat;
}

export function emailProblem(value: string, t: Strings): string | null {
  return value ? (EMAIL.test(value) ? null : t.invalidEmail) : t.required;
}

/** Every problem of the form for a method, by input name; empty when it may be sent. */
export function validate(
  method: CheckoutMethod,
  values: Record<string, string>,
  cardHere: boolean,
  t: Strings,
): Errors {
  const errors: Errors = {};
  for (const f of payerFields(method, cardHere)) {
    const value = (values[f.name] ?? '').trim();
    const max = limit(f.name);
    const problem = !value
      ? f.required && t.required
      : value.length > max
        ? t.tooLong(max)
        : f.name === 'email'
          ? emailProblem(value, t)
          : f.pattern && !safeTest(f.pattern, value) && patternMessage(f.pattern, t);
    if (problem) errors[f.name] = problem;
  }
  if (!cardHere) return errors;
  const digits = digitsOnly(values['card.pan'] ?? '');
  const brand = detectBrand(digits);
  const pan = checkCardNumber(digits);
  if (pan)
    errors['card.pan'] = pan === 'required' ? t.required : pan === 'incomplete' ? t.cardIncomplete : t.cardInvalid;
  const exp = checkExpiry(values['card.expirationDate'] ?? '');
  if (exp)
    errors['card.expirationDate'] =
      t[({ required: 'required', past: 'expiryPast', month: 'expiryMonth', format: 'expiryFormat' } as const)[exp]];
  const cvv = checkCvv(values['card.cvv'] ?? '', brand);
  if (cvv) errors['card.cvv'] = cvv === 'required' ? t.required : t.cvvLength(brand.cvvLength);
  const holder = (values['card.holderName'] ?? '').trim();
  if (!holder || holder.length > 255) errors['card.holderName'] = holder ? t.tooLong(255) : t.required;
  return errors;
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return true; // a pattern the browser cannot read is checked by the server
  }
}
