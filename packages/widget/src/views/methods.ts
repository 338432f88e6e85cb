/** The method choice: one radio group, each method's logo and its name in the payer's language. */
import type { CheckoutMethod } from '@paydo-checkout/server-kit/protocol';
import { html, nothing, type TemplateResult } from 'lit-html';
import type { CheckoutFlow } from '../checkout/flow.ts';
import { methodTitle } from '../checkout/method-types.ts';
import type { ViewContext } from './parts.ts';

export function methodsView(
  c: ViewContext,
  flow: CheckoutFlow,
  methods: readonly CheckoutMethod[],
  chosen: CheckoutMethod | undefined,
  busy: boolean,
): TemplateResult {
  return html`<fieldset part="methods" ?disabled=${busy}>
    <legend>${c.t.methods}</legend>
    ${methods.map(
      (m) => html`<label part="method">
        <input type="radio" name="method" .checked=${m === chosen} @change=${() => flow.choose(m)} />
        ${m.logo ? html`<img part="method-logo" src=${m.logo} alt="" />` : nothing}
        <span>${methodTitle(m, c.t)}</span>
      </label>`,
    )}
  </fieldset>`;
}
