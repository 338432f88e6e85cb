import { type PropertyValues, ReactiveElement } from '@lit/reactive-element';
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { CheckoutFlow } from '../checkout/flow.ts';
import { type Dictionary, listeners } from '../translations/localize.ts';
import { formView } from '../views/form.ts';
import type { ViewContext } from '../views/parts.ts';
import { statusView } from '../views/status.ts';
import { styles } from './paydo-checkout.styles.ts';

/** Languages written right to left (a merchant's own, e.g. Arabic or Hebrew). */
const RTL = /^(ar|ckb|dv|fa|he|ps|sd|ug|ur|yi)\b/;

/**
 * A drop-in Paydo checkout: method choice, payer fields, card form, 3-D Secure
 * and redirects, waiting and result views. Card data lives only in this element
 * and in the one POST to the merchant's own server.
 *
 * @summary Paydo checkout for one order.
 * @tag paydo-checkout
 *
 * @fires paydo-ready - The order and its methods are loaded. `detail: {order, methods}`.
 * @fires paydo-method-change - The payer chose a method. `detail: {method}`.
 * @fires paydo-submit - The payer pressed Pay (cancelable: `preventDefault()` stops the payment). `detail: {method}`.
 * @fires paydo-redirect - About to leave for 3-D Secure or a redirect (cancelable). `detail: {url, method, fields}`.
 * @fires paydo-success - The payment is confirmed, or the order was already paid (`alreadyPaid: true`). `detail: {txid, invoiceId, alreadyPaid}`.
 * @fires paydo-fail - The payment was declined; the form shows the reason and stays for another try. `detail: {txid, code, message}`: `code` from the error catalogue (docs/errors.md), `message` as shown.
 * @fires paydo-error - Something prevented paying (offline, not found…). `detail: {code, message}`: `code` from the error catalogue.
 *
 * @csspart base - The outer box.
 * @csspart header - Amount and description.
 * @csspart amount - The formatted amount.
 * @csspart methods - The method radio group.
 * @csspart method - One method choice.
 * @csspart method-logo - A method's logo.
 * @csspart card-form - The card fields.
 * @csspart field - A label, its input and its error.
 * @csspart label - A field's label.
 * @csspart input - A text input.
 * @csspart error - A field's error message.
 * @csspart submit-button - The Pay button.
 * @csspart status - The waiting and result views.
 * @csspart skeleton - The form's outline while the order loads (the final height, so nothing moves when it arrives).
 * @csspart retry-button - "Try again" on a failure, "Continue" and "Use another card or method" after a return.
 * @csspart notice - A sentence above the form: a failure that is nobody's field (timed out), or the neutral "cancelled" after Paydo's page.
 * @csspart card-brand - The card brand mark inside the number field.
 * @csspart link-button - "Continue on Paydo".
 * @csspart fallback-button - "Or pay on the Paydo page instead" (the manual fallback; not shown for cards in hosted mode, whose Pay goes there).
 *
 * @cssproperty --paydo-color-primary - Buttons, selected method, accents.
 *
 * Colours follow the `theme` attribute: `light`, `dark`, or `auto` (the default: the OS setting).
 * @cssproperty --paydo-color-on-primary - Text on primary.
 * @cssproperty --paydo-color-text - Text.
 * @cssproperty --paydo-color-muted - Secondary text.
 * @cssproperty --paydo-color-background - Background of the box and inputs.
 * @cssproperty --paydo-color-surface - Background of the selected method.
 * @cssproperty --paydo-color-border - Borders.
 * @cssproperty --paydo-color-error - Errors.
 * @cssproperty --paydo-color-success - Success.
 * @cssproperty --paydo-color-focus - Focus ring.
 * @cssproperty --paydo-radius - Corner radius.
 * @cssproperty --paydo-font-family - Font.
 * @cssproperty --paydo-font-size - Base font size.
 * @cssproperty --paydo-spacing - Outer padding and gaps.
 */
// Lit's two halves: ReactiveElement (properties, updates, styles) and lit-html's render(). LitElement,
// which joins them, adds what this element does not use (async directives, hydration) and 170 bytes.
export class PaydoCheckout extends ReactiveElement {
  static override styles = styles;
  static override properties = {
    // String is the default type.
    api: {},
    order: {},
    // The native `lang` attribute drives the strings; `el.lang = 'ru'` sets it too.
    locale: { attribute: 'lang' },
    strings: { attribute: false },
    methods: {},
    maxWaitMs: { type: Number, attribute: 'max-wait-ms' },
    theme: { reflect: true },
  };

  // Reactive properties are declared (not class fields, which would shadow Lit's accessors).
  /** Base URL of the server kit's routes, e.g. `/paydo`. Attribute `api`. */
  declare api: string;
  /** The order reference the merchant's server knows. Attribute `order`. */
  declare order: string;
  /**
   * From the `lang` attribute: the language of the strings (`pt-BR` → `pt` → `en`) and of the amount's
   * format. Any of Paydo's twelve is bundled; `registerLanguage()` adds others.
   */
  declare locale: string;
  /** Your own wording for any of the strings, on top of the language's (e.g. `{pay: (a) => \`Buy for ${a}\`}`). */
  declare strings: Dictionary | undefined;
  /** Optional comma-separated method ids to offer (a subset of what the server allows). Attribute `methods`. */
  declare methods: string;
  /** How long to wait for a final state before telling the payer to check later. Attribute `max-wait-ms`. */
  declare maxWaitMs: number;
  /** `light`, `dark`, or `auto` (default: follows the OS setting). Attribute `theme`. */
  declare theme: 'light' | 'dark' | 'auto' | undefined;

  /** @internal The states, the calls to the server and the polling: the element only draws them. */
  readonly flow = new CheckoutFlow(this);
  readonly #internals: ElementInternals | undefined;

  constructor() {
    super();
    this.api = '/paydo';
    this.order = '';
    this.locale = '';
    this.methods = '';
    this.maxWaitMs = 600_000;
    // ElementInternals: the element is a labelled region for assistive technology.
    this.#internals = this.attachInternals?.();
    if (this.#internals) this.#internals.role = 'region';
  }

  #rerender = () => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    listeners.add(this.#rerender);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    listeners.delete(this.#rerender);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if ((changed.has('order') || changed.has('api')) && this.order) void this.flow.load();
    if (this.#internals) this.#internals.ariaLabel = this.flow.words.t.region;
  }

  protected override updated(): void {
    const target = this.flow.focus;
    this.flow.focus = null;
    const find = (s: string) => this.renderRoot.querySelector<HTMLElement>(s);
    if (target === 'error') (find('[aria-invalid="true"]') ?? find('[part~="notice"]'))?.focus();
    else if (target === 'status') find('[part~="status"] h2')?.focus();
  }

  //// rendering ////

  #amount(): string {
    const order = this.flow.checkout?.order;
    if (!order) return '';
    try {
      return new Intl.NumberFormat(this.flow.language, { style: 'currency', currency: order.currency }).format(
        Number(order.amount),
      );
    } catch {
      return `${order.amount} ${order.currency}`;
    }
  }

  protected override update(changed: PropertyValues): void {
    const view = this.render();
    super.update(changed);
    // `host`: the views' listeners run with the element as `this`.
    render(view, this.renderRoot, { host: this });
  }

  protected render(): TemplateResult {
    const { code, t } = this.flow.words;
    const flow = this.flow;
    const c: ViewContext = { t, amount: this.#amount(), description: flow.checkout?.order.description ?? '' };
    // The widget's text is in `code`; a right-to-left one turns the layout, unless the element has its own `dir`.
    return html`<div part="base" lang=${code} dir=${!this.dir && RTL.test(code) ? 'rtl' : nothing}>${this.#body(c)}</div>
      <div role="status" class="sr-only">${flow.view.name === 'loading' ? t.loading : flow.announcement}</div>`;
  }

  #body(c: ViewContext): TemplateResult {
    const flow = this.flow;
    const name = flow.view.name;
    return name === 'loading'
      ? // The form's outline at its final height: the page does not move when the order arrives.
        html`<div part="skeleton" inert>${formView(c, flow)}</div>`
      : (name === 'form' || name === 'paying') && flow.checkout?.methods.length
        ? formView(c, flow)
        : statusView(c, flow);
  }
}
