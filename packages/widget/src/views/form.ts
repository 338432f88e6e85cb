/** The form: methods, the payer's fields, the card form, the notice and the Pay button. */
import type { CheckoutMethod } from '@paydo-checkout/server-kit/protocol';
import { html, nothing, type TemplateResult } from 'lit-html';
import type { CheckoutFlow } from '../checkout/flow.ts';
import { FORM_TYPE_CARDS, methodTitle } from '../checkout/method-types.ts';
import { CARD_FIELDS, limit, payerFields } from '../checkout/validation.ts';
import { headerView, spinner, type ViewContext } from './parts.ts';

/** The element the views are drawn for: Lit calls their listeners with it as `this`. */
interface Host {
  /** @internal */
  readonly flow: CheckoutFlow;
}

/** The usual form, drawn while the order loads: a card method and another, the e-mail, the card fields. */
const OUTLINE = [FORM_TYPE_CARDS, ''].map(
  (formType, id) => ({ id, title: '', formType, fields: [] }) as unknown as CheckoutMethod,
);

function onSubmit(this: Host, event: Event): void {
  event.preventDefault();
  void this.flow.pay();
}

function onInput(this: Host, event: Event): void {
  const input = event.target as HTMLInputElement;
  const value = this.flow.input(input.name, input.value, !!(event as InputEvent).inputType?.startsWith('delete'));
  if (value !== input.value) input.value = value;
}

function onBlur(this: Host, event: Event): void {
  const { name, value } = event.target as HTMLInputElement;
  this.flow.leave(name, value);
}

function onFallback(this: Host): void {
  void this.flow.payOnPaydo();
}

/** The payer fields the browser can fill: input type and autocomplete token. */
const PAYER: Record<string, [string, string]> = {
  email: ['email', 'email'],
  name: ['text', 'name'],
  phone: ['tel', 'tel'],
};

/** The text of each brand's mark (else its name, read aloud); the look (colours, the circles of Mastercard and Maestro) is CSS. */
const BRAND_MARKS: Record<string, string> = { visa: 'VISA', mir: 'МИР', amex: 'AMEX' };

/**
 * The form as the flow has it; while the order loads (no checkout yet), the same form drawn for
 * `OUTLINE` with no text, so that the space it takes is already there.
 */
export function formView(c: ViewContext, flow: CheckoutFlow): TemplateResult {
  const t = c.t;
  const methods = flow.checkout?.methods ?? OUTLINE;
  const method = flow.selected ?? methods[0];
  const cardHere = flow.cardHere(method);
  const busy = flow.view.name !== 'form';
  const hostedCard = method?.formType === FORM_TYPE_CARDS && !cardHere;
  const { notice, info } = flow.errors;
  return html`${headerView(c)}
    <form novalidate @submit=${onSubmit} aria-busy=${busy}>
      ${
        notice || info
          ? // A failure that is nobody's field (or a neutral word, e.g. cancelled on Paydo's page) is said first.
            html`<p part="notice" class=${notice ? '' : 'info'} tabindex="-1">${notice || info}</p>`
          : nothing
      }
      <fieldset part="methods" ?disabled=${busy}>
        <legend>${t.methods}</legend>
        ${methods.map(
          (m) => html`<label part="method">
            <input type="radio" name="method" .checked=${m === method} @change=${() => flow.choose(m)} />
            ${m.logo ? html`<img part="method-logo" src=${m.logo} alt="" />` : nothing}
            <span>${methodTitle(m, t)}</span>
          </label>`,
        )}
      </fieldset>
      ${method ? fieldsView(c, flow, method, cardHere, busy) : nothing}
      <button part="submit-button" type="submit" ?disabled=${busy}>
        ${flow.view.name === 'paying' ? html`${spinner}${t.paying}` : hostedCard ? t.payOnCardPage(c.amount) : t.pay(c.amount)}
      </button>
      ${
        // Cards in hosted mode go to Paydo's page already: no second way there.
        hostedCard
          ? nothing
          : html`<button part="fallback-button" class="link" type="button" ?disabled=${busy} @click=${onFallback}>${t.payOnPaydo}</button>`
      }
    </form>`;
}

interface InputOptions {
  type?: string | undefined;
  autocomplete?: string | undefined;
  inputmode?: string;
  placeholder?: string;
  maxlength?: number;
  required?: boolean;
  brand?: string;
}

function fieldsView(
  c: ViewContext,
  flow: CheckoutFlow,
  method: CheckoutMethod,
  cardHere: boolean,
  busy: boolean,
): TemplateResult {
  const t = c.t;
  const labels: Record<string, string> = { email: t.email, name: t.name, phone: t.phone };
  const brand = flow.brand();
  const input = (key: string, label: string, o: InputOptions = {}) => {
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
  };
  return html`${payerFields(method, cardHere).map((f) =>
    input(f.name, labels[f.name] ?? f.title ?? f.name, {
      type: PAYER[f.name]?.[0],
      autocomplete: PAYER[f.name]?.[1],
      required: f.required,
    }),
  )}
  ${
    cardHere
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
