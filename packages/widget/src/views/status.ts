/** The views that are not the form: waiting, leaving, the result, a failure, a step still open. */
import { html, nothing, type TemplateResult } from 'lit-html';
import type { CheckoutFlow } from '../checkout/flow.ts';
import { headerView, spinner, type ViewContext } from './parts.ts';

export function statusView(c: ViewContext, flow: CheckoutFlow): TemplateResult {
  const { t } = c;
  const v = flow.view;
  const [kind, title, extra]: [string, string, unknown?] =
    v.name === 'waiting' || v.name === 'redirecting'
      ? ['', t[v.name], spinner]
      : v.name === 'success'
        ? ['success', v.paid ? t.paid : t.success]
        : v.name === 'error'
          ? [
              'fail',
              v.message,
              v.retry && html`<button part="retry-button" type="button" @click=${v.retry}>${t.tryAgain}</button>`,
            ]
          : v.name === 'hosted'
            ? ['', t.hosted, html`<a part="link-button" href=${v.url}>${t.continueOnPaydo}</a>`]
            : v.name === 'action'
              ? // Back from 3-D Secure or a wallet: finish there, or choose again here.
                [
                  '',
                  t.actionNeeded,
                  html`<div class="actions"><button part="retry-button" type="button" @click=${() => flow.proceed(v.step)}>${t.continue}</button>
                  <button part="retry-button" class="link" type="button" @click=${() => flow.another(v.txid)}>${t.another}</button></div>`,
                ]
              : v.name === 'gave-up'
                ? ['', t.gaveUp]
                : ['fail', t.noMethods];
  // The heading takes focus when the view comes (the flow asks for it), so screen readers land on it.
  return html`${flow.checkout && v.name !== 'gave-up' ? headerView(c) : nothing}<div part="status" class=${kind}><h2 tabindex="-1">${title}</h2>${extra}</div>`;
}
