/** The form: the notice, the methods, the payer's fields, the card form and the Pay button. */
import type { CheckoutMethod } from '@paydo-checkout/server-kit/protocol';
import { html, nothing, type TemplateResult } from 'lit-html';
import type { CheckoutFlow } from '../checkout/flow.ts';
import { FORM_TYPE_CARDS } from '../checkout/method-types.ts';
import { cardFormView, payerFieldsView } from './fields.ts';
import { methodsView } from './methods.ts';
import { type Host, headerView, spinner, type ViewContext } from './parts.ts';

/** The usual form, drawn while the order loads: a card method and another, the e-mail, the card fields. */
const OUTLINE = [FORM_TYPE_CARDS, ''].map((formType) => ({ formType, fields: [] }) as unknown as CheckoutMethod);

function onSubmit(this: Host, event: Event): void {
  event.preventDefault();
  void this.flow.pay();
}

function onFallback(this: Host): void {
  void this.flow.payOnPaydo();
}

/**
 * The form as the flow has it; while the order loads (no checkout yet), the same form drawn for
 * `OUTLINE` with its text hidden, so that the space it takes is already there.
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
    <form novalidate @submit=${onSubmit}>
      ${
        notice || info
          ? // A failure that is nobody's field (or a neutral word, e.g. cancelled on Paydo's page) is said first.
            html`<p part="notice" class=${notice ? 'fail' : ''} tabindex="-1">${notice || info}</p>`
          : nothing
      }
      ${methodsView(c, flow, methods, method, busy)}
      ${method ? payerFieldsView(c, flow, method, cardHere, busy) : nothing}
      ${cardHere ? cardFormView(c, flow, busy) : nothing}
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
