/** The form: methods, the payer's fields, the card form, the notice and the Pay button. */
import type { CheckoutMethod } from '@paydo-checkout/server-kit/protocol';
import { html, nothing, type TemplateResult } from 'lit';
import { FORM_TYPE_CARDS, methodTitle } from '../checkout/method-types.ts';
import { CARD_FIELDS, type Errors, limit, payerFields } from '../checkout/validation.ts';
import { headerView, spinner, type ViewContext } from './parts.ts';

export interface FormState {
  methods: readonly CheckoutMethod[];
  selected: CheckoutMethod | null;
  cardHere: boolean;
  busy: boolean;
  values: Record<string, string>;
  errors: Errors;
  brand: string;
}

export interface FormHandlers {
  submit: (e: Event) => void;
  input: (e: Event) => void;
  blur: (e: Event) => void;
  choose: (m: CheckoutMethod) => void;
  fallback: () => void;
}

const AUTOCOMPLETE: Record<string, string> = { email: 'email', name: 'name', phone: 'tel' };
const TYPES: Record<string, string> = { email: 'email', phone: 'tel' };

/** The text of each brand's mark; the look (colours, the circles of Mastercard and Maestro) is CSS. */
const BRAND_MARKS: Record<string, string> = {
  visa: 'VISA',
  mir: 'МИР',
  amex: 'AMEX',
  mastercard: 'Mastercard',
  maestro: 'Maestro',
};

export function formView(c: ViewContext, s: FormState, on: FormHandlers): TemplateResult {
  const t = c.t;
  const method = s.selected;
  const hostedCard = method?.formType === FORM_TYPE_CARDS && !s.cardHere;
  const notice = s.errors.notice ?? s.errors.info;
  return html`${headerView(c)}
    <form novalidate @submit=${on.submit} aria-busy=${s.busy ? 'true' : 'false'}>
      ${
        notice
          ? // A failure that is nobody's field (or a neutral word, e.g. cancelled on Paydo's page) is said first.
            html`<p part="notice" class=${s.errors.info ? 'info' : ''} id="f-notice" tabindex="-1" aria-invalid=${s.errors.notice ? 'true' : nothing}>${notice}</p>`
          : nothing
      }
      <fieldset part="methods" ?disabled=${s.busy}>
        <legend>${t.methods}</legend>
        ${s.methods.map(
          (m) => html`<label part="method">
            <input type="radio" name="method" .checked=${m.id === method?.id} @change=${() => on.choose(m)} />
            ${m.logo ? html`<img part="method-logo" src=${m.logo} alt="" />` : nothing}
            <span>${methodTitle(m, t)}</span>
          </label>`,
        )}
      </fieldset>
      ${method ? fieldsView(c, s, on, method) : nothing}
      <button part="submit-button" type="submit" ?disabled=${s.busy}>
        ${s.busy ? html`${spinner}${t.paying}` : hostedCard ? t.payOnCardPage(c.amount) : t.pay(c.amount)}
      </button>
      ${
        // Cards in hosted mode go to Paydo's page already: no second way there.
        hostedCard
          ? nothing
          : html`<button part="fallback-button" class="link" type="button" ?disabled=${s.busy} @click=${on.fallback}>${t.payOnPaydo}</button>`
      }
    </form>`;
}

interface InputOptions {
  type?: string;
  autocomplete?: string;
  inputmode?: string;
  placeholder?: string;
  maxlength?: number;
  required?: boolean;
  brand?: string;
}

function fieldsView(c: ViewContext, s: FormState, on: FormHandlers, method: CheckoutMethod): TemplateResult {
  const t = c.t;
  const labels: Record<string, string> = { email: t.email, name: t.name, phone: t.phone };
  const brand = s.brand;
  const input = (key: string, label: string, o: InputOptions = {}) => inputView(s, on, key, label, o);
  return html`${payerFields(method, s.cardHere).map((f) =>
    input(f.name, labels[f.name] ?? f.title ?? f.name, {
      type: TYPES[f.name] ?? 'text',
      autocomplete: AUTOCOMPLETE[f.name] ?? 'off',
      required: f.required,
    }),
  )}
  ${
    s.cardHere
      ? html`<div part="card-form">
        ${input(CARD_FIELDS[0], t.cardNumber, { autocomplete: 'cc-number', inputmode: 'numeric', placeholder: '1234 1234 1234 1234', brand: brand === 'unknown' ? '' : brand })}
        <div class="row">
          ${input(CARD_FIELDS[1], t.expiry, { autocomplete: 'cc-exp', inputmode: 'numeric', placeholder: t.mmyy })}
          ${input(CARD_FIELDS[2], t.cvv, { autocomplete: 'cc-csc', inputmode: 'numeric', placeholder: 'CVC', maxlength: brand === 'amex' ? 4 : 3 })}
        </div>
        ${input(CARD_FIELDS[3], t.holder, { autocomplete: 'cc-name' })}
      </div>`
      : nothing
  }`;
}

function inputView(s: FormState, on: FormHandlers, key: string, label: string, o: InputOptions): TemplateResult {
  const id = `f-${key.replace('.', '-')}`;
  const error = s.errors[key];
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
      ?readonly=${s.busy}
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${error ? `${id}-error` : nothing}
      .value=${s.values[key] ?? ''}
      @input=${on.input}
      @blur=${on.blur}
    />
    ${o.brand ? html`<span part="card-brand" class=${o.brand}>${BRAND_MARKS[o.brand] ?? o.brand}</span>` : nothing}</div>
    <div part="error" id=${error ? `${id}-error` : nothing}>${error ?? ''}</div>
  </div>`;
}
