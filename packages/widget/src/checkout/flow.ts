/**
 * The checkout flow, owned by `<paydo-checkout>` (a Lit reactive controller): the views and the
 * events that move between them (one table, `FLOW`), the calls to the merchant's server, polling
 * (each loop cancelled with its own AbortController), resuming after 3-D Secure or a redirect,
 * and leaving the page. It renders nothing: the element draws `view`, `values` and `errors`.
 */

import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import type {
  CheckoutMethod,
  CheckoutResponse,
  DeclineCode,
  NextStep,
  PayRequest,
} from '@paydo-checkout/server-kit/protocol';
import { html, render } from 'lit-html';
import { ApiError, api } from '../api.ts';
import { detectBrand, digitsOnly, formatCardNumber, formatExpiry } from '../card/card-data.ts';
import type { PaydoEventDetail, PaydoEventName } from '../events.ts';
import {
  chain,
  type Dictionary,
  messageFor,
  PAYDO_LANGUAGES,
  ready,
  resolve,
  type Strings,
} from '../translations/localize.ts';
import { FORM_TYPE_CARDS } from './method-types.ts';
import { keep, readKept } from './storage.ts';
import { CARD_FIELDS, type Errors, emailProblem, named, validate } from './validation.ts';

type Step = Extract<NextStep, { type: 'post' | 'redirect' }>;

export type View =
  | { name: 'loading' }
  | { name: 'form' }
  | { name: 'paying' }
  | { name: 'redirecting' }
  | { name: 'waiting'; txid: string }
  | { name: 'action'; step: Step; txid: string }
  | { name: 'hosted'; url: string }
  | { name: 'success'; paid?: boolean }
  | { name: 'gave-up' }
  | { name: 'error'; message: string; retry: (() => void) | null };

type ViewName = View['name'];

/**
 * The flow as data: for each view, the events it answers and the view each one leads to. An event a
 * view does not list is ignored (a late answer cannot move a finished checkout); a view that is not
 * listed (redirecting, hosted, success, gave-up) ends the flow. `load` (a new order, Back to a
 * restored page) leads to `loading` from every view.
 */
const FLOW = {
  loading: { loaded: 'form', wait: 'waiting', paid: 'success', failed: 'error' },
  form: { pay: 'paying', invalid: 'form' },
  paying: {
    invalid: 'form',
    declined: 'form',
    leave: 'redirecting',
    wait: 'waiting',
    hosted: 'hosted',
    paid: 'success',
    failed: 'error',
  },
  waiting: {
    wait: 'waiting',
    open: 'action',
    declined: 'form',
    leave: 'redirecting',
    hosted: 'hosted',
    paid: 'success',
    gaveUp: 'gave-up',
    failed: 'error',
  },
  action: { leave: 'redirecting', another: 'form' },
  error: { retry: 'form', wait: 'waiting' },
} as const satisfies Partial<Record<ViewName, Record<string, ViewName>>>;

type FlowEvent = { [V in keyof typeof FLOW]: keyof (typeof FLOW)[V] }[keyof typeof FLOW] | 'load';

/** Declines that are nobody's card: said at the top of the form, no field marked, nothing cleared. */
const NOT_THE_CARD: readonly DeclineCode[] = ['payment_cancelled', 'payment_timed_out', 'invoice_expired'];

/** What the flow reads of its element: the attributes. */
export interface FlowHost extends ReactiveControllerHost, HTMLElement {
  api: string;
  order: string;
  methods: string;
  maxWaitMs: number;
  locale: string;
  strings: Dictionary | undefined;
}

export class CheckoutFlow implements ReactiveController {
  view: View = { name: 'loading' };
  checkout: CheckoutResponse | null = null;
  selected: CheckoutMethod | null = null;
  values: Record<string, string> = {};
  /** By input name; `notice`: a failure said above the form; `info`: a neutral sentence there. */
  errors: Errors = {};
  announcement = '';
  /** Where focus goes after the next render. */
  focus: 'error' | 'status' | null = null;

  readonly #host: FlowHost;
  #attemptKey: string | null = null;
  /** A transaction the payer left unfinished and chose to replace (sent as `replacePending`). */
  #abandoned: string | undefined;
  /** The polling loop running now; aborting it ends it, whatever it was waiting for. */
  #loop: AbortController | undefined;
  #waitStarted = 0;
  #polls = 0;

  constructor(host: FlowHost) {
    this.#host = host;
    host.addController(this);
  }

  /** The `lang` attribute, else the page's nearest `lang`, else the order's language. */
  get language(): string {
    const host = this.#host;
    return host.locale || host.closest<HTMLElement>('[lang]')?.lang || this.checkout?.language || 'en';
  }

  #last: { t: Strings; code: string } | undefined;
  /** The strings and their language; while another language loads, the last ones stay (no flash of English). */
  get words(): { t: Strings; code: string } {
    const r = resolve(this.language, this.#host.strings);
    if (!r.pending || !this.#last) this.#last = r;
    return this.#last;
  }

  get #t(): Strings {
    return this.words.t;
  }

  /** The nearest language Paydo's own page speaks: `pt-BR` → `pt`; one it does not → `en`. */
  get #paydoLanguage(): string {
    return chain(this.language).find((c) => PAYDO_LANGUAGES.includes(c)) as string;
  }

  /** Every event bubbles and is composed (it leaves shadow roots). */
  #emit<K extends PaydoEventName>(name: K, detail: PaydoEventDetail[K], cancelable = false): boolean {
    return this.#host.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));
  }

  get #keepKey(): string {
    return `paydo:${this.#host.order}`;
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibility);
    // Moved in the DOM while waiting: polling stopped on disconnect, so it starts again.
    if (this.view.name === 'waiting') this.#wait(this.view.txid, false);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#loop?.abort(); // an answer still in flight starts nothing
  }

  /** Whether the card is typed here; in hosted card mode Paydo's page takes it. */
  cardHere(method: CheckoutMethod | null = this.selected): boolean {
    return method?.formType === FORM_TYPE_CARDS && this.checkout?.cardMode !== 'hosted';
  }

  /** Moves along `FLOW`; false (and nothing changes) when the current view does not answer `event`. */
  #send(event: FlowEvent, data: object = {}, announce?: string): boolean {
    const name =
      event === 'load' ? 'loading' : (FLOW as Record<string, Record<string, ViewName>>)[this.view.name]?.[event];
    if (!name) return false;
    this.view = { name, ...data } as View;
    if (announce !== undefined) this.announcement = announce;
    if (['success', 'gave-up', 'error', 'hosted', 'action'].includes(name)) this.focus = 'status';
    this.#host.requestUpdate();
    return true;
  }

  //// loading and resuming ////

  async load(): Promise<void> {
    const host = this.#host;
    this.#loop?.abort();
    // Another order: nothing of the previous one may stay on screen.
    this.checkout = this.selected = null;
    this.errors = {};
    this.#attemptKey = null;
    this.#send('load');
    try {
      const checkout = await api.checkout(host.api, host.order);
      const allowed = host.methods.split(',').map(Number).filter(Boolean);
      if (allowed.length) checkout.methods = checkout.methods.filter((m) => allowed.includes(m.id));
      this.checkout = checkout;
      // The form shows in the payer's language at once (the order's, when the page names none).
      await ready(this.language);
      const { payer } = checkout;
      // What the payer typed before leaving for 3-D Secure or a redirect (never card data) wins over the prefill.
      const { left, ...typed } = readKept(this.#keepKey);
      if (left) keep(this.#keepKey, typed);
      this.values = { ...payer, 'card.holderName': payer.name ?? '', ...typed };
      this.selected = checkout.methods[0] ?? null;
      this.#emit('paydo-ready', { order: checkout.order, methods: checkout.methods });
      const resume = takeTxidFromUrl();
      // Back from 3-D Secure or a redirect: follow that transaction, even if the IPN already marked the order paid.
      if (resume) this.#wait(resume, true);
      else if (checkout.status === 'paid') this.#paid(checkout.txid);
      else if (checkout.txid) this.#wait(checkout.txid, true);
      // Back from Paydo's page (or a wallet's) without paying: said plainly, not as a failure.
      else {
        if (left) this.errors = { info: this.#t.payment_cancelled };
        this.#send('loaded', {}, left ? this.#t.payment_cancelled : undefined);
      }
    } catch (error) {
      await ready(this.language);
      const retryable = !(error instanceof ApiError) || error.retryable;
      this.#fail(error, retryable ? () => void this.load() : null);
    }
  }

  /** Already paid (a reload after Pay, Back from the order page): the page is told, so it can move on. */
  #paid(txid: string | null | undefined): void {
    if (this.#send('paid', { paid: true }, this.#t.paid))
      this.#emit('paydo-success', { txid: txid ?? null, invoiceId: null, alreadyPaid: true });
  }

  //// the payer's input ////

  choose(method: CheckoutMethod): void {
    this.selected = method;
    this.#attemptKey = null;
    this.errors = {};
    this.#host.requestUpdate();
    this.#emit('paydo-method-change', { method });
  }

  /** One input's new text, formatted as the payer types; the value to put back in the input. */
  input(key: string, raw: string, deleting: boolean): string {
    let value = raw;
    if (key === 'card.pan') value = formatCardNumber(digitsOnly(value));
    else if (key === 'card.expirationDate' && !deleting) value = formatExpiry(value);
    else if (key === 'card.cvv') value = digitsOnly(value).slice(0, 4);
    const { [key]: _gone, notice: _seen, info: _read, ...rest } = this.errors;
    this.values = { ...this.values, [key]: value };
    this.errors = rest;
    this.#host.requestUpdate();
    // Edited data is a new attempt: it gets a new Idempotency-Key.
    this.#attemptKey = null;
    return value;
  }

  /** Checks a field when the payer leaves it (an empty one waits for Pay); its line is reserved, nothing moves. */
  leave(key: string, value: string): void {
    const error = this.selected && value && this.#validate(this.selected)[key];
    if (error && this.view.name === 'form') {
      this.errors = { ...this.errors, [key]: error };
      this.#host.requestUpdate();
    }
  }

  brand(): string {
    return detectBrand(digitsOnly(this.values['card.pan'] ?? '')).brand;
  }

  #validate(method: CheckoutMethod): Errors {
    return validate(method, this.values, this.cardHere(method), this.#t);
  }

  #invalid(errors: Errors): void {
    this.errors = errors;
    this.focus = 'error';
    this.#send('invalid', {}, this.#t.fixErrors);
  }

  //// paying ////

  async pay(): Promise<void> {
    const method = this.selected;
    if (!method || this.view.name !== 'form') return;
    const errors = this.#validate(method);
    if (Object.keys(errors).length) return this.#invalid(errors);
    if (!this.#emit('paydo-submit', { method }, true)) return;
    // One key per attempt, kept when the same attempt is sent again after a network failure.
    this.#attemptKey ??= crypto.randomUUID();
    const key = this.#attemptKey;
    this.#send('pay', {}, this.#t.paying);
    try {
      const answer = await this.#payWithRetry(method, key);
      this.#attemptKey = null;
      // Paydo's own page (e.g. "Paydo account", or cards in hosted mode): the payer already pressed Pay.
      if (answer.next.type === 'hosted') this.#redirect({ type: 'redirect', url: answer.next.url });
      else this.#follow(answer.next, answer.txid, answer.invoiceId);
    } catch (error) {
      if (!(error instanceof ApiError && error.retryable)) this.#attemptKey = null;
      this.#fail(error, null);
    }
  }

  async #payWithRetry(method: CheckoutMethod, key: string) {
    const host = this.#host;
    const v = this.values;
    const card = this.cardHere(method);
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
    // `card.pan` → `pan`…: the card's fields as the protocol names them, the number's digits only.
    if (card)
      body.card = Object.fromEntries(
        CARD_FIELDS.map((k) => [k.slice(5), k === 'card.pan' ? digitsOnly(v[k] ?? '') : (v[k] ?? '')]),
      ) as NonNullable<PayRequest['card']>;
    for (let attempt = 0; ; attempt++) {
      try {
        return await api.pay(host.api, host.order, key, body);
      } catch (error) {
        // A lost connection is retried with the same key: the server answers it at most once.
        if (!(error instanceof ApiError && error.code === 'offline' && attempt < 2)) throw error;
        await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
      }
    }
  }

  /** The manual fallback: Paydo's own page, where the payer picks any method there. */
  async payOnPaydo(): Promise<void> {
    const email = (this.values.email ?? '').trim();
    const problem = emailProblem(email, this.#t);
    if (problem) return this.#invalid({ email: problem });
    if (!this.#send('pay', {}, this.#t.paying)) return;
    try {
      const { api: base, order } = this.#host;
      const answer = await api.hosted(base, order, { payer: { email }, language: this.#paydoLanguage });
      if (answer.next.type === 'hosted') this.#redirect({ type: 'redirect', url: answer.next.url });
    } catch (error) {
      this.#fail(error, null);
    }
  }

  #follow(step: NextStep, txid: string | null, invoiceId: string | null): void {
    const t = this.#t;
    if (step.type === 'post' || step.type === 'redirect') this.#redirect(step);
    else if (step.type === 'wait') txid && this.#wait(txid, false, step.afterMs);
    else if (step.type === 'hosted') this.#send('hosted', { url: step.url }, t.hosted);
    else {
      this.#loop?.abort();
      keep(this.#keepKey, null);
      if (step.status === 'success') {
        if (this.#send('paid', {}, t.success)) this.#emit('paydo-success', { txid, invoiceId });
      } else {
        const message = this.#declined(step.code);
        this.#emit('paydo-fail', { txid, code: step.code, message });
      }
    }
  }

  /**
   * A decline keeps the form: a card's reason sits by the card number, the CVC is cleared and
   * focus goes there; a reason that is nobody's card (cancelled, timed out) is said above the form.
   */
  #declined(code: DeclineCode): string {
    // The code's sentence in the payer's language; Paydo's own words are for the merchant only.
    const message = messageFor(this.#t, code, 'fail');
    const card = this.cardHere() && !NOT_THE_CARD.includes(code);
    if (card) this.values = { ...this.values, 'card.cvv': '' };
    this.errors = { [card ? 'card.pan' : code === 'payment_cancelled' ? 'info' : 'notice']: message };
    this.focus = 'error';
    this.#send('declined', {}, message);
    return message;
  }

  #redirect(step: Step): void {
    const method = step.type === 'post' ? 'POST' : 'GET';
    const fields = step.type === 'post' ? step.fields : {};
    if (!this.#send('leave', {}, this.#t.redirecting)) return;
    const { email, name, phone, 'card.holderName': holder } = this.values;
    // `left`: coming Back to this page without paying, the form says the payment was cancelled.
    keep(this.#keepKey, { email, name, phone, 'card.holderName': holder, left: '1' });
    if (!this.#emit('paydo-redirect', { url: step.url, method, fields }, true)) return;
    if (method === 'GET') {
      location.assign(step.url);
      return;
    }
    // 3-D Secure: the bank's page gets a top-level form POST, as the contract requires.
    const page = new DocumentFragment();
    render(
      html`<form method="POST" action=${step.url} hidden>${Object.entries(fields).map(
        ([name, value]) => html`<input type="hidden" name=${name} .value=${value} />`,
      )}</form>`,
      page,
    );
    const form = page.querySelector('form') as HTMLFormElement;
    document.body.append(form);
    form.submit();
  }

  /** "Continue" on a step still open after coming back. */
  proceed(step: Step): void {
    this.#follow(step, null, null);
  }

  /** "Use another card or method": the open transaction is voided by the next payment. */
  another(txid: string): void {
    this.#abandoned = txid;
    this.#send('another');
  }

  //// waiting ////

  #wait(txid: string, resuming: boolean, afterMs = 0): void {
    if (this.view.name !== 'waiting') {
      this.#waitStarted = Date.now();
      this.#polls = 0;
    }
    if (!this.#send('wait', { txid }, this.#t.waiting)) return;
    // One loop at a time, whatever starts another (a move in the DOM, the tab shown again).
    this.#loop?.abort();
    this.#loop = new AbortController();
    void this.#poll(txid, resuming, afterMs, this.#loop.signal);
  }

  #onVisibility = (): void => {
    // Polling pauses while the tab is hidden and resumes at once when it shows again.
    if (document.visibilityState === 'visible' && this.view.name === 'waiting') this.#wait(this.view.txid, false);
  };

  async #poll(txid: string, resuming: boolean, delay: number, signal: AbortSignal): Promise<void> {
    const host = this.#host;
    for (;;) {
      await new Promise((r) => setTimeout(r, delay));
      if (signal.aborted || document.visibilityState === 'hidden') return;
      if (Date.now() - this.#waitStarted > host.maxWaitMs) {
        if (this.#send('gaveUp', {}, this.#t.gaveUp))
          this.#emit('paydo-error', { code: 'confirmation_timeout', message: this.#t.gaveUp });
        return;
      }
      let next: NextStep;
      try {
        ({ next } = await api.next(host.api, txid, host.order, signal));
      } catch (error) {
        if (signal.aborted) return;
        if (!(error instanceof ApiError && error.retryable)) return this.#fail(error, () => this.#wait(txid, resuming));
        delay = Math.min(2_000 * 2 ** this.#polls++, 30_000);
        continue;
      }
      // A newer loop started while this answer was in flight.
      if (signal.aborted) return;
      if (next.type !== 'wait') {
        // Back on the page with a step still open: let the payer choose to continue.
        if (resuming && (next.type === 'post' || next.type === 'redirect'))
          this.#send('open', { step: next, txid }, this.#t.actionNeeded);
        else this.#follow(next, txid, null);
        return;
      }
      // Backoff: the interval grows by half each time, up to 30 s.
      delay = Math.min(next.afterMs * 1.5 ** this.#polls++, 30_000);
    }
  }

  //// errors ////

  #fail(error: unknown, retry: (() => void) | null): void {
    const t = this.#t;
    const e = error instanceof ApiError ? error : new ApiError('internal', 0);
    // The server's words are for developers: each field it names gets the widget's own sentence.
    const method = this.selected;
    const shown = method ? named(method, this.cardHere(method)) : [];
    const fields = Object.keys(e.body?.fields ?? {}).filter((k) => shown.includes(k));
    if (e.code === 'validation' && method && fields.length) {
      const mine = this.#validate(method);
      this.#invalid(Object.fromEntries(fields.map((k) => [k, mine[k] ?? t.invalidFormat])));
    } else if (e.code === 'already_paid') this.#paid(e.body?.txid);
    else if (e.code === 'payment_in_progress' && e.body?.txid) this.#wait(e.body.txid, true);
    else this.#failed(e, retry);
  }

  /** The error view: the code's sentence, and "Try again" when trying again can help. */
  #failed(e: ApiError, retry: (() => void) | null): void {
    const message = messageFor(this.#t, e.code, 'generic', e.retryAfter || 60);
    const again = retry ?? (this.checkout && e.code !== 'order_not_found' ? () => this.#send('retry') : null);
    if (this.#send('failed', { message, retry: again }, message)) this.#emit('paydo-error', { code: e.code, message });
  }
}

/** `?paydo_txid=` is where the payer comes back after 3-D Secure or a redirect; it is removed once read. */
function takeTxidFromUrl(): string | null {
  const url = new URL(location.href);
  const txid = url.searchParams.get('paydo_txid');
  if (!txid) return null;
  url.searchParams.delete('paydo_txid');
  history.replaceState(history.state, '', url);
  return txid;
}
