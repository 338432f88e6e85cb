/** The fields: one input with its label and its reserved message line; the payer's fields; the card form. */
import type { CheckoutMethod } from '@paydo-checkout/server-kit/protocol';
import { html, nothing, type TemplateResult } from 'lit-html';
import type { CheckoutFlow } from '../checkout/flow.ts';
import { CARD_FIELDS, limit, payerFields } from '../checkout/validation.ts';
import type { Host, ViewContext } from './parts.ts';

function onInput(this: Host, event: Event): void {
  const input = event.target as HTMLInputElement;
  const value = this.flow.input(input.name, input.value, !!(event as InputEvent).inputType?.startsWith('delete'));
  if (value !== input.value) input.value = value;
}

function onBlur(this: Host, event: Event): void {
  const { name, value } = event.target as HTMLInputElement;
  this.flow.leave(name, value);
}

/** The payer fields the browser can fill: input type and autocomplete token. */
const PAYER: Record<string, [string, string]> = {
  email: ['email', 'email'],
  name: ['text', 'name'],
  phone: ['tel', 'tel'],
};

/** The text of each brand's mark (else its name, read aloud); the look (colours, the circles of Mastercard and Maestro) is CSS. */
const BRAND_MARKS: Record<string, string> = { visa: 'VISA', mir: 'МИР', amex: 'AMEX' };

interface InputOptions {
  type?: string | undefined;
  autocomplete?: string | undefined;
  inputmode?: string;
  placeholder?: string;
  maxlength?: number;
  required?: boolean;
  brand?: string;
}

function inputView(
  flow: CheckoutFlow,
  busy: boolean,
  key: string,
  label: string,
  o: InputOptions = {},
): TemplateResult {
  const id = `f-${key.replace('.', '-')}`;
  const error = flow.errors[key];
  // Card digits read left to right in every language (a right-to-left box would swap their groups).
  // The error's line is always there (empty when fine): a message never moves what is below it.
  return html`<div part="field">
    <label part="label" for=${id}>${label}</label>
    <div class="box" dir=${o.inputmode ? 'ltr' : nothing}><input
      part="input"
      id=${id}
      name=${key}
      type=${o.type ?? 'text'}
      autocomplete=${o.autocomplete ?? 'off'}
      inputmode=${o.inputmode ?? nothing}
      placeholder=${o.placeholder ?? nothing}
      maxlength=${o.maxlength ?? limit(key)}
      ?required=${o.required ?? key.startsWith('card.')}
      ?readonly=${busy}
      aria-invalid=${!!error}
      aria-describedby=${error ? `${id}-error` : nothing}
      .value=${flow.values[key] ?? ''}
      @input=${onInput}
      @blur=${onBlur}
    />
    ${o.brand ? html`<span part="card-brand" class=${o.brand}>${BRAND_MARKS[o.brand] ?? o.brand}</span>` : nothing}</div>
    <div part="error" id=${error ? `${id}-error` : nothing}>${error}</div>
  </div>`;
}

/** The fields the method asks of the payer (the e-mail always; no second name beside the name on the card). */
export function payerFieldsView(
  c: ViewContext,
  flow: CheckoutFlow,
  method: CheckoutMethod,
  cardHere: boolean,
  busy: boolean,
): TemplateResult[] {
  return payerFields(method, cardHere).map((f) =>
    // The widget's own label for e-mail, name and phone (they have one in every language), else Paydo's.
    inputView(flow, busy, f.name, PAYER[f.name] ? c.t[f.name as 'email'] : (f.title ?? f.name), {
      type: PAYER[f.name]?.[0],
      autocomplete: PAYER[f.name]?.[1],
      required: f.required,
    }),
  );
}

/** The card's number (with its brand's mark), expiry, CVC and the name on it. */
export function cardFormView(c: ViewContext, flow: CheckoutFlow, busy: boolean): TemplateResult {
  const t = c.t;
  const brand = flow.brand();
  const input = (key: string, label: string, o: InputOptions) => inputView(flow, busy, key, label, o);
  return html`<div part="card-form">
    ${input(CARD_FIELDS[0], t.cardNumber, { autocomplete: 'cc-number', inputmode: 'numeric', placeholder: '1234 1234 1234 1234', brand: brand === 'unknown' ? '' : brand })}
    <div class="row">
      ${input(CARD_FIELDS[1], t.expiry, { autocomplete: 'cc-exp', inputmode: 'numeric', placeholder: t.mmyy })}
      ${input(CARD_FIELDS[2], t.cvv, { autocomplete: 'cc-csc', inputmode: 'numeric', placeholder: 'CVC', maxlength: brand === 'amex' ? 4 : 3 })}
    </div>
    ${input(CARD_FIELDS[3], t.holder, { autocomplete: 'cc-name' })}
  </div>`;
}
