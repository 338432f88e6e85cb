import type {
  CheckoutField,
  CheckoutMethod,
  CheckoutResponse,
  DeclineCode,
  NextStep,
  PayRequest,
} from '@paydo-checkout/server-kit/protocol';
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ApiError, api } from '../api.ts';
import {
  checkCardNumber,
  checkCvv,
  checkExpiry,
  detectBrand,
  digitsOnly,
  formatCardNumber,
  formatExpiry,
} from '../card/card-data.ts';
import type { PaydoEventDetail, PaydoEventName } from '../events.ts';
import {
  chain,
  type Dictionary,
  listeners,
  messageFor,
  PAYDO_LANGUAGES,
  ready,
  resolve,
  type Strings,
} from '../translations/localize.ts';
import { styles } from './paydo-checkout.styles.ts';

type View =
  | { name: 'loading' }
  | { name: 'form' }
  | { name: 'paying' }
  | { name: 'redirecting' }
  | { name: 'waiting'; txid: string }
  | { name: 'action'; step: NextStep; txid: string }
  | { name: 'hosted'; url: string }
  | { name: 'success'; paid?: boolean }
  | { name: 'gave-up' }
  | { name: 'error'; message: string; retry: (() => void) | null };

const CARD_FIELDS = ['card.pan', 'card.expirationDate', 'card.cvv', 'card.holderName'] as const;
const AUTOCOMPLETE: Record<string, string> = { email: 'email', name: 'name', phone: 'tel' };
const TYPES: Record<string, string> = { email: 'email', phone: 'tel' };
/** The server's limits (protocol.ts), checked before sending and set as `maxlength`. */
const LIMITS: Record<string, number> = { phone: 32, 'card.pan': 23, 'card.expirationDate': 7 };
const limit = (key: string) => LIMITS[key] ?? 255;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
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
 * @csspart status - The loading, waiting and result views.
 * @csspart retry-button - "Try again" on a failure, "Continue" and "Use another card or method" after a return.
 * @csspart notice - A form-level message (a declined non-card payment).
 * @csspart card-brand - The card brand mark inside the number field.
 * @csspart link-button - "Continue on Paydo".
 * @csspart fallback-button - "Or pay on the Paydo page instead" (the manual fallback).
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
export class PaydoCheckout extends LitElement {
  static override styles = styles;
  static override properties = {
    api: { type: String },
    order: { type: String },
    // The native `lang` attribute drives the strings; `el.lang = 'ru'` sets it too.
    locale: { type: String, attribute: 'lang' },
    strings: { attribute: false },
    methods: { type: String },
    maxWaitMs: { type: Number, attribute: 'max-wait-ms' },
    theme: { reflect: true },
    view: { state: true },
    checkout: { state: true },
    selected: { state: true },
    values: { state: true },
    errors: { state: true },
    announcement: { state: true },
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

  declare protected view: View;
  declare protected checkout: CheckoutResponse | null;
  declare protected selected: CheckoutMethod | null;
  declare protected values: Record<string, string>;
  declare protected errors: Record<string, string>;
  declare protected announcement: string;

  #attemptKey: string | null = null;
  /** A transaction the payer left unfinished and chose to replace (sent as `replacePending`). */
  #abandoned: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #waitStarted = 0;
  #polls = 0;
  /** The current polling loop: one at a time, whatever starts another (see `#wait`). */
  #loop = 0;
  #focusAfterRender: 'error' | 'status' | null = null;

  readonly #internals: ElementInternals | undefined;

  constructor() {
    super();
    this.api = '/paydo';
    this.order = '';
    this.locale = '';
    this.methods = '';
    this.maxWaitMs = 600_000;
    this.view = { name: 'loading' };
    this.checkout = null;
    this.selected = null;
    this.values = {};
    this.errors = {};
    this.announcement = '';
    // ElementInternals: the element is a labelled region for assistive technology.
    this.#internals = this.attachInternals?.();
    if (this.#internals) this.#internals.role = 'region';
  }

  /** The `lang` attribute, else the page's nearest `lang`, else the order's language. */
  get #language(): string {
    return this.locale || this.closest<HTMLElement>('[lang]')?.lang || this.checkout?.language || 'en';
  }

  /** The nearest language Paydo's own page speaks: `pt-BR` → `pt`; one it does not → `en`. */
  get #paydoLanguage(): string {
    return chain(this.#language).find((c) => PAYDO_LANGUAGES.includes(c)) as string;
  }

  #last: { t: Strings; code: string } | undefined;
  /** The strings and their language; while another language loads, the last ones stay (no flash of English). */
  get #l(): { t: Strings; code: string } {
    const r = resolve(this.#language, this.strings);
    if (!r.pending || !this.#last) this.#last = r;
    return this.#last;
  }

  get #t(): Strings {
    return this.#l.t;
  }

  #rerender = () => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#onVisibility);
    listeners.add(this.#rerender);
    // Moved in the DOM while waiting: polling stopped on disconnect, so it starts again.
    if (this.view.name === 'waiting') this.#wait(this.view.txid, false);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    listeners.delete(this.#rerender);
    clearTimeout(this.#timer);
    this.#loop++; // an answer still in flight starts nothing
  }

  protected override willUpdate(changed: PropertyValues): void {
    if ((changed.has('order') || changed.has('api')) && this.order) void this.#load();
    if (this.#internals) this.#internals.ariaLabel = this.#t.region;
  }

  protected override updated(): void {
    const target = this.#focusAfterRender;
    this.#focusAfterRender = null;
    if (target === 'error') {
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    } else if (target === 'status') {
      this.renderRoot.querySelector<HTMLElement>('[part~="status"] h2')?.focus();
    }
  }

  #emit<K extends PaydoEventName>(name: K, detail: PaydoEventDetail[K], cancelable = false): boolean {
    return this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));
  }

  #show(view: View, announce?: string): void {
    this.view = view;
    if (announce !== undefined) this.announcement = announce;
    if (['success', 'gave-up', 'error', 'hosted', 'action'].includes(view.name)) this.#focusAfterRender = 'status';
  }

  //// loading and resuming ////

  async #load(): Promise<void> {
    clearTimeout(this.#timer);
    // Another order: nothing of the previous one may stay on screen.
    this.checkout = this.selected = null;
    this.errors = {};
    this.#attemptKey = null;
    this.#show({ name: 'loading' });
    const language = ready(this.#language);
    try {
      const checkout = await api.checkout(this.api, this.order);
      const allowed = this.methods
        .split(',')
        .map((s) => Number(s.trim()))
        .filter(Boolean);
      if (allowed.length) checkout.methods = checkout.methods.filter((m) => allowed.includes(m.id));
      this.checkout = checkout;
      // The form shows in the payer's language at once (the order's, when the page names none).
      await ready(this.#language);
      const { email = '', name = '', phone = '' } = checkout.payer;
      // What the payer typed before 3-D Secure or a redirect (never card data) wins over the prefill.
      const kept = JSON.parse(sessionStorage.getItem(this.#keepKey) ?? '{}');
      this.values = { email, name, phone, 'card.holderName': name, ...kept };
      this.selected = checkout.methods[0] ?? null;
      this.#emit('paydo-ready', { order: checkout.order, methods: checkout.methods });
      const resume = this.#takeTxidFromUrl();
      // Back from 3-D Secure or a redirect: follow that transaction, even if the IPN already marked the order paid.
      if (resume) this.#wait(resume, true);
      else if (checkout.status === 'paid') this.#paid(checkout.txid);
      else if (checkout.txid) this.#wait(checkout.txid, true);
      else this.#show({ name: 'form' });
    } catch (error) {
      await language;
      const retryable = !(error instanceof ApiError) || error.retryable;
      this.#fail(error, retryable ? () => void this.#load() : null);
    }
  }

  /** `?paydo_txid=` is where the payer comes back after 3-D Secure or a redirect; it is removed once read. */
  #takeTxidFromUrl(): string | null {
    const url = new URL(location.href);
    const txid = url.searchParams.get('paydo_txid');
    if (!txid) return null;
    url.searchParams.delete('paydo_txid');
    history.replaceState(history.state, '', url);
    return txid;
  }

  get #keepKey(): string {
    return `paydo:${this.order}`;
  }

  /** Already paid (a reload after Pay, Back from the order page): the page is told, so it can move on. */
  #paid(txid: string | null | undefined): void {
    this.#show({ name: 'success', paid: true }, this.#t.paid);
    this.#emit('paydo-success', { txid: txid ?? null, invoiceId: null, alreadyPaid: true });
  }

  //// paying ////

  #onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const method = this.selected;
    if (!method || this.view.name === 'paying') return;
    const errors = this.#validate(method);
    this.errors = errors;
    if (Object.keys(errors).length) {
      this.announcement = this.#t.fixErrors;
      this.#focusAfterRender = 'error';
      return;
    }
    if (!this.#emit('paydo-submit', { method }, true)) return;
    // One key per attempt, kept when the same attempt is sent again after a network failure.
    this.#attemptKey ??= crypto.randomUUID();
    this.#show({ name: 'paying' }, this.#t.paying);
    try {
      const answer = await this.#payWithRetry(method, this.#attemptKey);
      this.#attemptKey = null;
      // Paydo's own page (e.g. "Paydo account"): the payer already pressed Pay, no second click.
      if (answer.next.type === 'hosted') this.#redirect({ type: 'redirect', url: answer.next.url });
      else this.#follow(answer.next, answer.txid, answer.invoiceId);
    } catch (error) {
      if (!(error instanceof ApiError && error.retryable)) this.#attemptKey = null;
      this.#fail(error, null);
    }
  };

  async #payWithRetry(method: CheckoutMethod, key: string) {
    const v = this.values;
    const card = this.#cardHere(method);
    // One name: on a card method the name on the card is the payer's name too.
    const name = card ? v['card.holderName'] : v.name;
    const extraFields: Record<string, string> = {};
    for (const f of method.fields) if (f.placement === 'extra' && v[f.name]) extraFields[f.name] = v[f.name] as string;
    const body: PayRequest = {
      method: method.id,
      payer: { email: v.email ?? '', ...(name && { name }), ...(v.phone && { phone: v.phone }), extraFields },
      language: this.#paydoLanguage,
      // Left unfinished (Back from 3-D Secure, then another card): the server voids it first.
      replacePending: this.#abandoned,
    };
    if (card) {
      body.card = {
        pan: digitsOnly(v['card.pan'] ?? ''),
        expirationDate: v['card.expirationDate'] ?? '',
        cvv: v['card.cvv'] ?? '',
        holderName: v['card.holderName'] ?? '',
      };
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await api.pay(this.api, this.order, key, body);
      } catch (error) {
        // A lost connection is retried with the same key: the server answers it at most once.
        if (!(error instanceof ApiError && error.code === 'offline' && attempt < 2)) throw error;
        await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
      }
    }
  }

  #follow(step: NextStep, txid: string | null, invoiceId: string | null): void {
    const t = this.#t;
    switch (step.type) {
      case 'post':
      case 'redirect':
        this.#redirect(step);
        return;
      case 'wait':
        if (txid) this.#wait(txid, false, step.afterMs);
        return;
      case 'hosted':
        this.#show({ name: 'hosted', url: step.url }, t.hosted);
        return;
      case 'done':
        clearTimeout(this.#timer);
        sessionStorage.removeItem(this.#keepKey);
        if (step.status === 'success') {
          this.#show({ name: 'success' }, t.success);
          this.#emit('paydo-success', { txid, invoiceId });
        } else {
          this.#emit('paydo-fail', { txid, code: step.code, message: this.#declined(step.code) });
        }
    }
  }

  /**
   * A decline keeps the form: the reason sits by the card number (or above Pay for other
   * methods), the CVC is cleared, and focus goes where the payer fixes it.
   */
  #declined(code: DeclineCode): string {
    // The code's sentence in the payer's language; Paydo's own words are for the merchant only.
    const message = messageFor(this.#t, code, 'fail');
    // An expired invoice is not the card's fault: said above Pay, not by the card number.
    const card = code !== 'invoice_expired' && this.selected && this.#cardHere(this.selected);
    this.values = { ...this.values, 'card.cvv': '' };
    this.errors = { [card ? 'card.pan' : 'notice']: message };
    this.#show({ name: 'form' }, message);
    this.#focusAfterRender = 'error';
    return message;
  }

  #redirect(step: Extract<NextStep, { type: 'post' | 'redirect' }>): void {
    const method = step.type === 'post' ? 'POST' : 'GET';
    const fields = step.type === 'post' ? step.fields : {};
    this.#show({ name: 'redirecting' }, this.#t.redirecting);
    const { email, name, phone, 'card.holderName': holder } = this.values;
    sessionStorage.setItem(this.#keepKey, JSON.stringify({ email, name, phone, 'card.holderName': holder }));
    if (!this.#emit('paydo-redirect', { url: step.url, method, fields }, true)) return;
    if (method === 'GET') {
      location.assign(step.url);
      return;
    }
    // 3-D Secure: the bank's page gets a top-level form POST, as the contract requires.
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = step.url;
    form.hidden = true;
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.append(input);
    }
    document.body.append(form);
    form.submit();
  }

  //// waiting ////

  #wait(txid: string, resuming: boolean, afterMs = 0): void {
    if (this.view.name !== 'waiting') {
      this.#waitStarted = Date.now();
      this.#polls = 0;
    }
    this.#show({ name: 'waiting', txid }, this.#t.waiting);
    clearTimeout(this.#timer);
    const loop = ++this.#loop;
    this.#timer = setTimeout(() => void this.#poll(txid, resuming, loop), afterMs);
  }

  #onVisibility = (): void => {
    // Polling pauses while the tab is hidden and resumes at once when it shows again.
    if (document.visibilityState === 'visible' && this.view.name === 'waiting') this.#wait(this.view.txid, false);
  };

  async #poll(txid: string, resuming: boolean, loop: number): Promise<void> {
    if (document.visibilityState === 'hidden') return;
    if (Date.now() - this.#waitStarted > this.maxWaitMs) {
      this.#show({ name: 'gave-up' }, this.#t.gaveUp);
      this.#emit('paydo-error', { code: 'confirmation_timeout', message: this.#t.gaveUp });
      return;
    }
    try {
      const { next } = await api.next(this.api, txid, this.order);
      // A newer loop started while this answer was in flight (moved in the DOM, tab shown again).
      if (this.view.name !== 'waiting' || loop !== this.#loop) return;
      if (next.type === 'wait') {
        // Backoff: the interval grows by half each time, up to 30 s.
        const delay = Math.min(next.afterMs * 1.5 ** this.#polls++, 30_000);
        this.#timer = setTimeout(() => void this.#poll(txid, resuming, loop), delay);
      } else if (resuming && (next.type === 'post' || next.type === 'redirect')) {
        // Back on the page with a step still open: let the payer choose to continue.
        this.#show({ name: 'action', step: next, txid }, this.#t.actionNeeded);
      } else {
        this.#follow(next, txid, null);
      }
    } catch (error) {
      if (loop !== this.#loop) return;
      if (error instanceof ApiError && error.retryable && this.view.name === 'waiting') {
        this.#timer = setTimeout(
          () => void this.#poll(txid, resuming, loop),
          Math.min(2_000 * 2 ** this.#polls++, 30_000),
        );
        return;
      }
      this.#fail(error, () => this.#wait(txid, resuming));
    }
  }

  //// errors ////

  #fail(error: unknown, retry: (() => void) | null): void {
    const t = this.#t;
    const e = error instanceof ApiError ? error : new ApiError('internal', 0);
    // The server's words are for developers: each field it names gets the widget's own sentence.
    const named = this.selected ? this.#named(this.selected) : [];
    const fields = Object.keys(e.body?.fields ?? {}).filter((k) => named.includes(k));
    if (e.code === 'validation' && fields.length) {
      const mine = this.#validate(this.selected as CheckoutMethod);
      this.errors = Object.fromEntries(fields.map((k) => [k, mine[k] ?? t.invalidFormat]));
      this.#show({ name: 'form' }, t.fixErrors);
      this.#focusAfterRender = 'error';
      return;
    }
    if (e.code === 'already_paid') {
      this.#paid(e.body?.txid);
      return;
    }
    if (e.code === 'payment_in_progress' && e.body?.txid) {
      this.#wait(e.body.txid, true);
      return;
    }
    const message = messageFor(t, e.code, 'generic', e.retryAfter || 60);
    const again = retry ?? (this.checkout && e.code !== 'order_not_found' ? () => this.#show({ name: 'form' }) : null);
    this.#show({ name: 'error', message, retry: again }, message);
    this.#emit('paydo-error', { code: e.code, message });
  }

  //// validation ////

  #validate(method: CheckoutMethod): Record<string, string> {
    const t = this.#t;
    const v = this.values;
    const errors: Record<string, string> = {};
    for (const f of this.#payerFields(method)) {
      const value = (v[f.name] ?? '').trim();
      if (!value) {
        if (f.required) errors[f.name] = t.required;
      } else if (value.length > limit(f.name)) errors[f.name] = t.tooLong(limit(f.name));
      else if (f.name === 'email' && !EMAIL.test(value)) errors[f.name] = t.invalidEmail;
      else if (f.pattern && !safeTest(f.pattern, value)) errors[f.name] = t.invalidFormat;
    }
    if (this.#cardHere(method)) {
      const digits = digitsOnly(v['card.pan'] ?? '');
      const brand = detectBrand(digits);
      const pan = checkCardNumber(digits);
      if (pan)
        errors['card.pan'] = pan === 'required' ? t.required : pan === 'incomplete' ? t.cardIncomplete : t.cardInvalid;
      const exp = checkExpiry(v['card.expirationDate'] ?? '');
      if (exp)
        errors['card.expirationDate'] =
          exp === 'required'
            ? t.required
            : exp === 'past'
              ? t.expiryPast
              : exp === 'month'
                ? t.expiryMonth
                : t.expiryFormat;
      const cvv = checkCvv(v['card.cvv'] ?? '', brand);
      if (cvv) errors['card.cvv'] = cvv === 'required' ? t.required : t.cvvLength(brand.cvvLength);
      const holder = (v['card.holderName'] ?? '').trim();
      if (!holder || holder.length > 255) errors['card.holderName'] = holder ? t.tooLong(255) : t.required;
    }
    return errors;
  }

  /** Checks a field when the payer leaves it (an empty one waits for Pay). */
  #onBlur = (event: Event): void => {
    const { name, value } = event.target as HTMLInputElement;
    const error = this.selected && value && this.#validate(this.selected)[name];
    if (!error) return;
    const show = () => {
      if (this.view.name === 'form') this.errors = { ...this.errors, [name]: error };
    };
    // Left by a press (on Pay, say): the message would move the form under the pointer and the click
    // would miss, so it waits until the press is over (the click has been dispatched by then).
    if (this.#pressed) this.#afterPress(() => setTimeout(show));
    else show();
  };

  #pressed = false;
  #onPointerDown = (): void => {
    this.#pressed = true;
    this.#afterPress(() => {
      this.#pressed = false;
    });
  };

  #afterPress(then: () => void): void {
    for (const type of ['pointerup', 'pointercancel']) addEventListener(type, then, { once: true });
  }

  /** The payer fields shown for a method: e-mail always; no second name beside the name on the card. */
  #payerFields(method: CheckoutMethod): Pick<CheckoutField, 'name' | 'required' | 'pattern' | 'title'>[] {
    const card = this.#cardHere(method);
    const fields = method.fields.filter((f) => !(card && f.name === 'name'));
    return fields.some((f) => f.name === 'email')
      ? fields
      : [{ name: 'email', required: true, pattern: null, title: null }, ...fields];
  }

  /** Every input name the form shows for a method. */
  #named(method: CheckoutMethod): string[] {
    return [...this.#payerFields(method).map((f) => f.name), ...(this.#cardHere(method) ? CARD_FIELDS : [])];
  }

  #onInput = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const key = input.name;
    let value = input.value;
    if (key === 'card.pan') value = formatCardNumber(digitsOnly(value));
    else if (key === 'card.expirationDate' && !(event as InputEvent).inputType?.startsWith('delete'))
      value = formatExpiry(value);
    else if (key === 'card.cvv') value = digitsOnly(value).slice(0, 4);
    if (value !== input.value) input.value = value;
    this.values = { ...this.values, [key]: value };
    if (this.errors[key] || this.errors.notice) {
      const { [key]: _gone, notice: _seen, ...rest } = this.errors;
      this.errors = rest;
    }
    // Edited data is a new attempt: it gets a new Idempotency-Key.
    this.#attemptKey = null;
  };

  /** The manual fallback: Paydo's own page, where the payer picks any method there. */
  #payOnPaydo = async (): Promise<void> => {
    const email = (this.values.email ?? '').trim();
    if (!EMAIL.test(email)) {
      this.errors = { email: email ? this.#t.invalidEmail : this.#t.required };
      this.#focusAfterRender = 'error';
      return;
    }
    this.#show({ name: 'paying' }, this.#t.paying);
    try {
      const answer = await api.hosted(this.api, this.order, { payer: { email }, language: this.#paydoLanguage });
      if (answer.next.type === 'hosted') this.#redirect({ type: 'redirect', url: answer.next.url });
    } catch (error) {
      this.#fail(error, null);
    }
  };

  #choose(method: CheckoutMethod): void {
    this.selected = method;
    this.errors = {};
    this.#attemptKey = null;
    this.#emit('paydo-method-change', { method });
  }

  //// rendering ////

  protected override render(): TemplateResult {
    const { code } = this.#l;
    // The widget's text is in `code`; a right-to-left one turns the layout, unless the element has its own `dir`.
    return html`<div part="base" lang=${code} dir=${!this.dir && RTL.test(code) ? 'rtl' : nothing}>${this.#body()}</div>
      <div role="status" aria-live="polite" class="sr-only">${this.announcement}</div>`;
  }

  #body(): TemplateResult {
    const t = this.#t;
    const view = this.view;
    switch (view.name) {
      case 'loading':
        return this.#status('', t.loading, html`<span class="spinner" aria-hidden="true"></span>`);
      case 'waiting':
      case 'redirecting':
        return html`${this.#header()}${this.#status(
          '',
          view.name === 'waiting' ? t.waiting : t.redirecting,
          html`<span class="spinner" aria-hidden="true"></span>`,
        )}`;
      case 'success':
        return html`${this.#header()}${this.#status('success', view.paid ? t.paid : t.success)}`;
      case 'gave-up':
        return this.#status('', t.gaveUp);
      case 'error':
        return html`${this.checkout ? this.#header() : nothing}${this.#status(
          'fail',
          view.message,
          view.retry ? this.#retry(view.retry) : nothing,
        )}`;
      case 'hosted':
        return html`${this.#header()}${this.#status(
          '',
          t.hosted,
          html`<a part="link-button" href=${view.url} rel="noopener">${t.continueOnPaydo}</a>`,
        )}`;
      case 'action':
        return html`${this.#header()}${this.#status(
          '',
          t.actionNeeded,
          // Back from 3-D Secure or a wallet: finish there, or choose again here.
          html`<div class="actions"><button part="retry-button" type="button" @click=${() => this.#follow(view.step, null, null)}>${t.continue}</button>
          <button part="retry-button" class="link" type="button" @click=${() => {
            this.#abandoned = view.txid;
            this.#show({ name: 'form' });
          }}>${t.another}</button></div>`,
        )}`;
      default:
        return this.#form();
    }
  }

  #status(kind: string, title: string, extra: unknown = nothing): TemplateResult {
    return html`<div part="status" class=${kind}><h2 tabindex="-1">${title}</h2>${extra}</div>`;
  }

  #retry(action: () => void = () => this.#show({ name: 'form' })): TemplateResult {
    return html`<button part="retry-button" type="button" @click=${action}>${this.#t.tryAgain}</button>`;
  }

  #amount(): string {
    const order = this.checkout?.order;
    if (!order) return '';
    try {
      return new Intl.NumberFormat(this.#language, {
        style: 'currency',
        currency: order.currency,
      }).format(Number(order.amount));
    } catch {
      return `${order.amount} ${order.currency}`;
    }
  }

  #header(): TemplateResult {
    return html`<div part="header">
      <span class="muted">${this.checkout?.order.description || this.#t.total}</span>
      <span part="amount">${this.#amount()}</span>
    </div>`;
  }

  #form(): TemplateResult {
    const t = this.#t;
    const checkout = this.checkout;
    if (!checkout?.methods.length) return html`${this.#header()}${this.#status('fail', t.noMethods)}`;
    const method = this.selected;
    const busy = this.view.name === 'paying';
    return html`${this.#header()}
      <form novalidate @submit=${this.#onSubmit} @pointerdown=${this.#onPointerDown} aria-busy=${busy ? 'true' : 'false'}>
        <fieldset part="methods" ?disabled=${busy}>
          <legend>${t.methods}</legend>
          ${checkout.methods.map(
            (m) => html`<label part="method">
              <input type="radio" name="method" .checked=${m.id === method?.id} @change=${() => this.#choose(m)} />
              ${m.logo ? html`<img part="method-logo" src=${m.logo} alt="" />` : nothing}
              <span>${m.title}</span>
            </label>`,
          )}
        </fieldset>
        ${method ? this.#fields(method, busy) : nothing}
        ${this.errors.notice ? html`<p part="notice" id="f-notice" tabindex="-1" aria-invalid="true">${this.errors.notice}</p>` : nothing}
        <button part="submit-button" type="submit" ?disabled=${busy}>
          ${
            busy
              ? html`<span class="spinner" aria-hidden="true"></span>${t.paying}`
              : method?.formType === 'cards' && !this.#cardHere(method)
                ? t.payOnCardPage(this.#amount())
                : t.pay(this.#amount())
          }
        </button>
        <button part="fallback-button" class="link" type="button" ?disabled=${busy} @click=${this.#payOnPaydo}>${t.payOnPaydo}</button>
      </form>`;
  }

  /** Whether the card is typed here; in hosted card mode Paydo's page takes it. */
  #cardHere(method: CheckoutMethod): boolean {
    return method.formType === 'cards' && this.checkout?.cardMode !== 'hosted';
  }

  #fields(method: CheckoutMethod, busy: boolean): TemplateResult {
    const t = this.#t;
    const labels: Record<string, string> = { email: t.email, name: t.name, phone: t.phone };
    const brand = detectBrand(digitsOnly(this.values['card.pan'] ?? '')).brand;
    const input = (key: string, label: string, o: InputOptions = {}) => this.#input(key, label, busy, o);
    return html`${this.#payerFields(method).map((f) =>
      input(f.name, labels[f.name] ?? f.title ?? f.name, {
        type: TYPES[f.name] ?? 'text',
        autocomplete: AUTOCOMPLETE[f.name] ?? 'off',
        required: f.required,
      }),
    )}
    ${
      this.#cardHere(method)
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

  #input(key: string, label: string, busy: boolean, o: InputOptions): TemplateResult {
    const id = `f-${key.replace('.', '-')}`;
    const error = this.errors[key];
    // Card digits read left to right in every language (a right-to-left box would swap their groups).
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
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? `${id}-error` : nothing}
        .value=${this.values[key] ?? ''}
        @input=${this.#onInput}
        @blur=${this.#onBlur}
      />
      ${o.brand ? html`<span part="card-brand" class=${o.brand}>${BRAND_MARKS[o.brand] ?? o.brand}</span>` : nothing}</div>
      ${error ? html`<div part="error" id=${`${id}-error`}>${error}</div>` : nothing}
    </div>`;
  }
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

/** The text of each brand's mark; the look (colours, the circles of Mastercard and Maestro) is CSS. */
const BRAND_MARKS: Record<string, string> = {
  visa: 'VISA',
  mir: 'МИР',
  amex: 'AMEX',
  mastercard: 'Mastercard',
  maestro: 'Maestro',
};

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return true; // a pattern the browser cannot read is checked by the server
  }
}
