import type { InvoiceLanguage } from '../client/schemas/invoices.ts';
import type { PaymentMethod } from '../client/schemas/payment-methods.ts';
import type { FieldErrorCode } from '../error-catalogue.ts';
import type { PayRequest } from '../protocol.ts';
import { FormType } from '../vocabulary.ts';
import { emailProblem, FieldProblems, validationError } from './http-error.ts';
import type { PaydoOrder } from './options.ts';

type PayBody = ReturnType<typeof PayRequest.parse>;

export interface CheckedPayment {
  customer: { email: string; name?: string; phone?: string; extraFields?: Record<string, string> };
  card: { pan: string; expirationDate: string; cvv: string; holderName: string } | undefined;
  language: InvoiceLanguage;
}

/** The method's payer fields (required, pattern) and the card, checked before anything is sent to Paydo. */
export function checkPaymentFields(
  method: PaymentMethod,
  body: PayBody,
  order: PaydoOrder,
  cardHere = true,
): CheckedPayment {
  const problems = new FieldProblems();
  const add = (name: string, code: FieldErrorCode, message: string) => problems.add(name, code, message);
  const payer = body.payer;
  const extra: Record<string, string> = {};
  const top: Record<string, string | undefined> = {
    email: payer.email || order.payer?.email,
    name: payer.name || order.payer?.name,
    phone: payer.phone || order.payer?.phone,
  };
  for (const f of method.config.fields) {
    const isTop = f.name in top;
    const value = (isTop ? top[f.name] : payer.extraFields?.[f.name])?.trim() ?? '';
    if (value === '') {
      if (f.required) add(f.name, 'field_required', 'This field is required.');
      continue;
    }
    const pattern = f.regexp ? compiled(f.regexp) : null;
    if (pattern && !pattern.test(value))
      add(f.name, 'invalid_format', f.title ? `${f.title}: the format is not valid.` : 'The format is not valid.');
    if (!isTop) extra[f.name] = value;
  }
  const emailError = emailProblem(top.email);
  if (emailError) add('email', ...emailError);

  let card: CheckedPayment['card'];
  // In hosted mode a card the browser sent anyway is never read: Paydo's page takes it.
  if (method.formType === FormType.cards && cardHere) {
    if (!body.card) add('card.pan', 'field_required', 'Enter the card number.');
    else {
      const pan = body.card.pan.replace(/[\s-]/g, '');
      if (!/^\d{12,19}$/.test(pan) || !luhn(pan))
        add('card.pan', 'invalid_card_number', 'The card number is not valid.');
      const exp = /^(0[1-9]|1[0-2])\/(\d{2})$/.exec(body.card.expirationDate.trim());
      if (!exp) add('card.expirationDate', 'invalid_expiry_date', 'Enter the expiry date as MM/YY.');
      else {
        const now = new Date();
        const year = 2000 + Number(exp[2]);
        if (year < now.getFullYear() || (year === now.getFullYear() && Number(exp[1]) < now.getMonth() + 1)) {
          add('card.expirationDate', 'card_expired', 'This card has expired.');
        }
      }
      if (!/^\d{3,4}$/.test(body.card.cvv)) add('card.cvv', 'invalid_cvv', 'Enter the 3 or 4 digit security code.');
      if (!body.card.holderName) add('card.holderName', 'field_required', 'Enter the name on the card.');
      card = {
        pan,
        expirationDate: body.card.expirationDate.trim(),
        cvv: body.card.cvv,
        holderName: body.card.holderName,
      };
    }
  }
  if (problems.any) throw validationError(problems);
  const customer: CheckedPayment['customer'] = { email: top.email as string };
  if (top.name) customer.name = top.name;
  if (top.phone) customer.phone = top.phone;
  if (Object.keys(extra).length) customer.extraFields = extra;
  return { customer, card, language: body.language ?? order.language ?? 'en' };
}

const patterns = new Map<string, RegExp | null>();
/** A method field's pattern, compiled once; null when JavaScript cannot read it (left to Paydo). */
function compiled(source: string): RegExp | null {
  let pattern = patterns.get(source);
  if (pattern === undefined) {
    try {
      pattern = new RegExp(source);
    } catch {
      pattern = null;
    }
    if (patterns.size < 1_000) patterns.set(source, pattern);
  }
  return pattern;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
