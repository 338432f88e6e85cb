import { html, type TemplateResult } from 'lit-html';
import type { CheckoutFlow } from '../checkout/flow.ts';

/** The element the views are drawn for: Lit calls their listeners with it as `this`. */
export interface Host {
  /** @internal */
  readonly flow: CheckoutFlow;
}

/** What every view draws with: the strings and the order's words. */
export interface ViewContext {
  t: import('../translations/localize.ts').Strings;
  /** The order's amount, formatted for the payer's language ('' while loading). */
  amount: string;
  description: string;
}

export const spinner = html`<span class="spinner" aria-hidden="true"></span>`;

export function headerView(c: ViewContext): TemplateResult {
  return html`<div part="header">
      <span class="muted">${c.description || c.t.total}</span>
      <span part="amount">${c.amount || '\u00a0'}</span>
    </div>`;
}
