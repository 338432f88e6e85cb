/**
 * `@paydo-checkout/widget/testing`: drive `<paydo-checkout>` from your own end-to-end tests.
 *
 * It runs in the test (Node), not in the page, and needs only a small page interface
 * ({@link CheckoutPage}: `evaluate` and `locator`), so Playwright's `Page` works as it is and other
 * runners fit with a few lines (see `fromPuppeteer`). Fields are filled and buttons pressed through
 * the runner's own trusted input, as a payer would; what the element shows is read through its
 * shadow root in one `evaluate`. Not part of the widget's browser bundle.
 */
import type { PaydoEventDetail, PaydoEventName } from '../events.ts';

export { type TestCardName, testCards } from './test-cards.ts';

/**
 * A function the runner serializes and runs in the page. Its argument is `any` because each
 * runner types it its own way (Playwright unboxes handles, puppeteer flattens them); the driver
 * passes JSON and reads JSON.
 */
// biome-ignore lint/suspicious/noExplicitAny: the one type every runner's evaluate accepts
export type PageFn = (arg: any) => unknown;

/** What the driver does with an element: Playwright's and most runners' locators have both. */
export interface CheckoutLocator {
  click(): Promise<unknown>;
  fill(value: string): Promise<unknown>;
}

/**
 * The page, as the driver needs it. Playwright's `Page` is one as it is.
 *
 * `locator(selector)` takes CSS whose descendant combinator (a space) also enters open shadow
 * roots, as Playwright's CSS does; the driver's selectors are a host selector, a space, and one
 * selector inside the host's shadow root (see {@link DriverOptions.shadowSelector} for runners
 * that spell it otherwise). `addInitScript`, when the runner has it, lets
 * {@link PaydoCheckoutDriver.waitForResult} also see events fired right after a page load
 * (back from 3-D Secure or a wallet).
 */
export interface CheckoutPage<L extends CheckoutLocator = CheckoutLocator> {
  /** Runs `fn` in the page with `arg` and resolves to its (JSON) result. */
  evaluate(fn: PageFn, arg: unknown): Promise<unknown>;
  locator(selector: string): L;
  /** Runs `fn` with `arg` in every document the page loads from now on, before the page's scripts. */
  addInitScript?(fn: PageFn, arg: unknown): Promise<unknown>;
}

export interface DriverOptions {
  /** The element, as a CSS selector in the page's document. Default `paydo-checkout`. */
  selector?: string;
  /** How long each step may wait (the form to render, a page to open, a result). Default 15 000 ms. */
  timeout?: number;
  /**
   * Joins the host selector and a selector inside its shadow root. Default `host + ' ' + inner`
   * (Playwright); puppeteer spells it `host + ' >>> ' + inner`.
   */
  shadowSelector?: (host: string, inner: string) => string;
}

/** A card to type: a test card number alone, or every field. */
export type CardInput = string | { number: string; expiry?: string; cvc?: string; holder?: string };

/** The payer fields a method asks for; `extra` fields (e.g. `nationalid`) by their name. */
export type PayerInput = { email?: string; name?: string; phone?: string } & Record<string, string | undefined>;

/** A `paydo-*` event the page saw, with its detail. */
export type RecordedEvent = { [K in PaydoEventName]: { type: K; detail: PaydoEventDetail[K] } }[PaydoEventName];

/** How a payment ended: `paydo-success`, `paydo-fail` (declined) or `paydo-error` (could not pay). */
export type PaymentResult = Extract<RecordedEvent, { type: 'paydo-success' | 'paydo-fail' | 'paydo-error' }>;

/** What the element shows now, read through its shadow root. */
export interface CheckoutSnapshot {
  /** The payment form is on screen (not a loading, waiting or result view). */
  form: boolean;
  /** The payment method titles, in order, and the one chosen. */
  methods: string[];
  method: string | null;
  /** Every input by its `name` (`email`, `card.pan`, …) with its current value. */
  fields: Record<string, string>;
  /** The error shown by a field, by the field's name; `notice` for the one above Pay. */
  errors: Record<string, string>;
  /** The status view (`Waiting…`, `Payment complete`, an error), if one is shown. */
  status: { kind: 'success' | 'fail' | ''; text: string } | null;
  /** The Pay button's label and whether it is disabled (null when no form is shown). */
  submit: { label: string; disabled: boolean } | null;
  /** The `name` of the focused input inside the element, if any. */
  focused: string | null;
}

/** The payer the driver types when a test does not say: the emulator accepts any. */
export const DEFAULT_PAYER = { email: 'ada@example.com', name: 'Ada Lovelace', phone: '+49301234567' } as const;

const EVENTS_KEY = 'paydo-testing:events';
const RESULT_EVENTS = new Set<string>(['paydo-success', 'paydo-fail', 'paydo-error']);

/** A driver for the `<paydo-checkout>` on `page`. */
export function paydoCheckout<L extends CheckoutLocator>(
  page: CheckoutPage<L>,
  options: DriverOptions = {},
): PaydoCheckoutDriver<L> {
  return new PaydoCheckoutDriver(page, options);
}

export class PaydoCheckoutDriver<L extends CheckoutLocator = CheckoutLocator> {
  readonly page: CheckoutPage<L>;
  readonly selector: string;
  readonly timeout: number;
  readonly #shadow: (host: string, inner: string) => string;
  #initScript: Promise<unknown> | null = null;

  constructor(page: CheckoutPage<L>, options: DriverOptions = {}) {
    this.page = page;
    this.selector = options.selector ?? 'paydo-checkout';
    this.timeout = options.timeout ?? 15_000;
    this.#shadow = options.shadowSelector ?? ((host, inner) => `${host} ${inner}`);
  }

  /** `page.evaluate`, typed by the function it runs. */
  #eval<R, A>(fn: (arg: A) => R, arg: A): Promise<R> {
    return this.page.evaluate(fn, arg) as Promise<R>;
  }

  /** The runner's locator for `inner`, a selector inside the element's shadow root. */
  locator(inner: string): L {
    return this.page.locator(this.#shadow(this.selector, inner));
  }

  /** What the element shows now; throws when the page has no such element. */
  async snapshot(): Promise<CheckoutSnapshot> {
    const snapshot = await this.#eval(readSnapshot, this.selector);
    if (!snapshot) throw new Error(`No ${this.selector} element on the page.`);
    return snapshot;
  }

  /**
   * Waits until the payment form is on screen and returns what it shows. Throws, with the
   * element's own words, when it shows an error instead (unknown order, server down).
   */
  async ready(): Promise<CheckoutSnapshot> {
    await this.#record();
    return this.#until('the payment form', async () => {
      const s = await this.#eval(readSnapshot, this.selector).catch(() => null);
      if (s?.status?.kind === 'fail' && !s.form) {
        throw new DriverError(`${this.selector} shows "${s.status.text}" instead of the payment form.`);
      }
      return s?.form && s.submit ? s : null;
    });
  }

  /**
   * Waits until what the element shows passes `check` (e.g. `(s) => s.status?.text.includes('Waiting')`)
   * and returns it; `what` names the wait in the timeout's message.
   */
  waitFor(
    check: (shown: CheckoutSnapshot) => boolean,
    what = 'the element to show what the test expects',
  ): Promise<CheckoutSnapshot> {
    return this.#until(what, async () => {
      const shown = await this.snapshot();
      return check(shown) ? shown : null;
    });
  }

  /** Chooses the payment method with this title (exact, else the one title that contains it). */
  async chooseMethod(title: string): Promise<void> {
    const { methods, method } = await this.ready();
    const wanted = title.trim().toLowerCase();
    let index = methods.findIndex((m) => m.toLowerCase() === wanted);
    if (index < 0) {
      const partial = methods.flatMap((m, i) => (m.toLowerCase().includes(wanted) ? [i] : []));
      if (partial.length === 1) index = partial[0] as number;
    }
    if (index < 0) throw new DriverError(`No payment method "${title}"; the checkout offers: ${methods.join(', ')}.`);
    const chosen = methods[index] as string;
    if (method === chosen) return;
    await this.locator(`[part~="method"]:nth-of-type(${index + 1})`).click();
    await this.#until(`the method "${chosen}" to be chosen`, async () => (await this.snapshot()).method === chosen);
  }

  /** Types `value` into the field named `name` (`email`, `nationalid`, `card.cvv`, …). */
  async fill(name: string, value: string): Promise<void> {
    const { fields } = await this.ready();
    if (!(name in fields)) {
      throw new DriverError(
        `The form has no field "${name}" for this method; it has: ${Object.keys(fields).join(', ')}.`,
      );
    }
    await this.locator(`input[name="${name}"]`).fill(value);
  }

  /**
   * Fills the payer fields the chosen method asks for: the values given (each must be on the
   * form), and {@link DEFAULT_PAYER} for the others the form shows.
   */
  async fillPayer(payer: PayerInput = {}): Promise<void> {
    const { fields } = await this.ready();
    for (const [name, value] of Object.entries(payer)) if (value !== undefined) await this.fill(name, value);
    for (const [name, value] of Object.entries(DEFAULT_PAYER)) {
      if (name in fields && payer[name] === undefined) await this.fill(name, value);
    }
  }

  /**
   * Fills the card form: a test card's number (`testCards.threeDSecure`), or every field. Expiry
   * defaults to December three years on, CVC to `123`, the name on the card to the payer's name.
   */
  async fillCard(card: CardInput): Promise<void> {
    const { fields } = await this.ready();
    if (!('card.pan' in fields)) {
      throw new DriverError(
        "The form has no card fields: in hosted card mode the card is typed on Paydo's card page (payOnCardPage after pay).",
      );
    }
    const c = fullCard(card);
    await this.fill('card.pan', c.number);
    await this.fill('card.expirationDate', c.expiry);
    await this.fill('card.cvv', c.cvc);
    if ('card.holderName' in fields) await this.fill('card.holderName', c.holder);
  }

  /** {@link fillPayer} then {@link fillCard}: the whole form for a card payment. */
  async fillCardPayment(card: CardInput, payer: PayerInput = {}): Promise<void> {
    await this.fillPayer(payer);
    await this.fillCard(card);
  }

  /** Presses Pay. {@link waitForResult} then waits for this payment's outcome. */
  async pay(): Promise<void> {
    await this.ready();
    await this.#eval(clearEvents, EVENTS_KEY);
    await this.locator('[part~="submit-button"]').click();
  }

  /** Presses "Pay on the Paydo page instead" (the element sends the payer to Paydo's own page). */
  async payOnPaydoInstead(): Promise<void> {
    await this.ready();
    await this.#eval(clearEvents, EVENTS_KEY);
    await this.locator('[part~="fallback-button"]').click();
  }

  /**
   * Presses the button or link in the element whose text contains `text` (as the payer reads it:
   * "Try again", "Use another card or method"…). Throws, listing them, when none or several match.
   */
  async press(text: string): Promise<void> {
    await this.#until(`a button "${text}"`, async () => {
      const r = await this.#eval(markButton, { host: this.selector, text });
      if (r.count > 1) throw new DriverError(`${r.count} buttons match "${text}": ${r.labels.join(', ')}.`);
      return r.count === 1;
    });
    await this.locator('[data-paydo-testing="press"]').click();
  }

  /** The `paydo-*` events seen since the last {@link pay} (see {@link CheckoutPage.addInitScript}). */
  async events(): Promise<RecordedEvent[]> {
    await this.#record();
    return this.#eval(readEvents, EVENTS_KEY);
  }

  /** Waits for the first `name` event since the last {@link pay} and returns its detail. */
  async waitForEvent<K extends PaydoEventName>(name: K, timeout = this.timeout): Promise<PaydoEventDetail[K]> {
    const event = await this.#until(
      `the ${name} event`,
      async () => (await this.#recorded()).find((e) => e.type === name),
      timeout,
    );
    return event.detail as PaydoEventDetail[K];
  }

  /**
   * Waits for the payment's outcome: `paydo-success`, `paydo-fail` or `paydo-error`, the first
   * since the last {@link pay}. The page may have moved on meanwhile (to your order page): the
   * events are kept in the tab's session storage of your site's origin. After 3-D Secure or a
   * wallet the event comes from the checkout page loaded anew, seen where the runner has
   * `addInitScript`; a page your server redirects away from once the order is paid fires none:
   * wait for your own page then.
   */
  async waitForResult(timeout = this.timeout): Promise<PaymentResult> {
    return this.#until(
      'the payment result (paydo-success, paydo-fail or paydo-error)',
      async () => (await this.#recorded()).find((e): e is PaymentResult => RESULT_EVENTS.has(e.type)),
      timeout,
    );
  }

  // The emulator's own pages (`@paydo-checkout/sandbox`): the bank's 3-D Secure page, the wallet's
  // approval page, Paydo's hosted page and card page. Each waits until the page is open.

  /** On the emulator's 3-D Secure (bank) page: Approve. */
  approve3DSecure(): Promise<void> {
    return this.#decide('acs', 'approve');
  }

  /** On the emulator's 3-D Secure (bank) page: Decline. */
  decline3DSecure(): Promise<void> {
    return this.#decide('acs', 'decline');
  }

  /** On the emulator's wallet page (Sandbox Wallet): Approve. */
  approveWallet(): Promise<void> {
    return this.#decide('wallet', 'approve');
  }

  /** On the emulator's wallet page: Decline. */
  declineWallet(): Promise<void> {
    return this.#decide('wallet', 'decline');
  }

  /** On Paydo's hosted page (e.g. "Paydo account", or "pay on the Paydo page instead"): Pay. */
  payOnPaydoPage(): Promise<void> {
    return this.#decide('hosted', 'approve');
  }

  /** On Paydo's hosted page: Cancel payment. */
  cancelOnPaydoPage(): Promise<void> {
    return this.#decide('hosted', 'decline');
  }

  /**
   * On Paydo's card page (hosted card mode): types the card and pays. A 3-D Secure card then
   * goes on to the bank's page: {@link approve3DSecure} or {@link decline3DSecure}.
   */
  async payOnCardPage(card: CardInput): Promise<void> {
    const form = 'form[action^="/_sandbox/hosted/"][action$="/card"]';
    await this.#untilPage([form], "Paydo's card page");
    const c = fullCard(card);
    await this.page.locator(`${form} input[name="pan"]`).fill(c.number);
    await this.page.locator(`${form} input[name="expirationDate"]`).fill(c.expiry);
    await this.page.locator(`${form} input[name="cvv"]`).fill(c.cvc);
    if (typeof card !== 'string' && card.holder)
      await this.page.locator(`${form} input[name="holderName"]`).fill(card.holder);
    await this.page.locator(`${form} button[type="submit"]`).click();
  }

  async #decide(kind: 'acs' | 'wallet' | 'hosted', decision: 'approve' | 'decline'): Promise<void> {
    const form = `form[action^="/_sandbox/${kind}/"][action$="/complete"]`;
    const what = { acs: 'the 3-D Secure page', wallet: 'the wallet page', hosted: "Paydo's page" }[kind];
    // After Paydo's card page a 3-D Secure card passes a "Continue to your bank" step first.
    const step = kind === 'acs' ? 'form[action^="/_sandbox/acs/"]:not([action$="/complete"])' : null;
    const found = await this.#untilPage(step ? [form, step] : [form], what);
    if (step && found === step) {
      await this.page.locator(`${step} button`).click();
      await this.#untilPage([form], what);
    }
    await this.page.locator(`${form} button[value="${decision}"]`).click();
  }

  /** Waits until the page shows an element matching one of `selectors`; returns which. */
  #untilPage(selectors: string[], what: string): Promise<string> {
    return this.#until(what, async () => {
      await this.#record();
      return this.#eval(firstMatch, selectors);
    });
  }

  /** Records `paydo-*` events in this document, and in every later one where the runner can. */
  async #record(): Promise<void> {
    if (this.page.addInitScript && !this.#initScript) {
      this.#initScript = this.page.addInitScript(recordEvents, EVENTS_KEY);
    }
    await this.#initScript;
    await this.#eval(recordEvents, EVENTS_KEY).catch(() => {});
  }

  async #recorded(): Promise<RecordedEvent[]> {
    await this.#record();
    return this.#eval(readEvents, EVENTS_KEY);
  }

  /** Polls `check` until it returns a value (not null/undefined/false); errors while a page loads are retried. */
  async #until<T>(
    what: string,
    check: () => Promise<T | null | undefined | false>,
    timeout = this.timeout,
  ): Promise<T> {
    const deadline = Date.now() + timeout;
    let lastError: unknown;
    for (;;) {
      try {
        const value = await check();
        if (value !== null && value !== undefined && value !== false) return value;
      } catch (error) {
        if (error instanceof DriverError) throw error;
        lastError = error; // e.g. the page navigated during evaluate: the next try sees the new page
      }
      if (Date.now() > deadline) {
        const shown = await this.#eval(readSnapshot, this.selector).catch(() => null);
        const url = await this.#eval(readUrl, null).catch(() => '?');
        throw new DriverError(
          `Timed out after ${timeout} ms waiting for ${what}. ${
            shown ? `${this.selector} shows: ${describe(shown)}` : `No ${this.selector} on ${url}.`
          }${lastError ? ` Last error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : ''}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A step the driver could not take, in words that say what the page showed. */
export class DriverError extends Error {
  override name = 'PaydoDriverError';
}

/**
 * Puppeteer's `Page` for the driver: it is a {@link CheckoutPage} already; this adds its
 * `evaluateOnNewDocument` as `addInitScript`. Use with {@link PUPPETEER_OPTIONS}.
 */
export function fromPuppeteer<L extends CheckoutLocator>(page: {
  evaluate(fn: PageFn, arg: unknown): Promise<unknown>;
  locator(selector: string): L;
  evaluateOnNewDocument(fn: PageFn, arg: unknown): Promise<unknown>;
}): CheckoutPage<L> {
  return {
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    locator: (selector) => page.locator(selector),
    addInitScript: (fn, arg) => page.evaluateOnNewDocument(fn, arg),
  };
}

/** Driver options for puppeteer: its CSS enters shadow roots with `>>>`. */
export const PUPPETEER_OPTIONS: DriverOptions = { shadowSelector: (host, inner) => `${host} >>> ${inner}` };

function fullCard(card: CardInput): { number: string; expiry: string; cvc: string; holder: string } {
  const c = typeof card === 'string' ? { number: card } : card;
  const year = (new Date().getFullYear() + 3) % 100;
  return {
    number: c.number,
    expiry: c.expiry ?? `12/${String(year).padStart(2, '0')}`,
    cvc: c.cvc ?? '123',
    holder: c.holder ?? DEFAULT_PAYER.name,
  };
}

function describe(s: CheckoutSnapshot): string {
  const errors = Object.entries(s.errors).map(([k, v]) => `${k}: ${v}`);
  if (s.status) return `"${s.status.text}"`;
  return errors.length ? `the form, with errors (${errors.join('; ')})` : 'the form';
}

// ---- Run in the page: self-contained (serialized by the runner), typed without the DOM library ----

interface PageNode {
  readonly textContent: string | null;
  readonly id: string;
  readonly className: string;
  readonly shadowRoot: PageRoot | null;
  readonly name?: string;
  readonly value?: string;
  readonly checked?: boolean;
  readonly disabled?: boolean;
  readonly localName: string;
  querySelector(selector: string): PageNode | null;
  querySelectorAll(selector: string): Iterable<PageNode>;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
}
interface PageRoot {
  readonly activeElement: PageNode | null;
  querySelector(selector: string): PageNode | null;
  querySelectorAll(selector: string): Iterable<PageNode>;
  getElementById(id: string): PageNode | null;
}
interface PageGlobals {
  document: PageRoot;
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  addEventListener(type: string, listener: (event: { type: string; detail: unknown }) => void, capture: boolean): void;
  [key: string]: unknown;
}

const readSnapshot = (host: string): CheckoutSnapshot | null => {
  const doc = (globalThis as unknown as PageGlobals).document;
  const el = doc.querySelector(host);
  if (!el) return null;
  const root = el.shadowRoot;
  const text = (node: PageNode | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const snapshot: CheckoutSnapshot = {
    form: false,
    methods: [],
    method: null,
    fields: {},
    errors: {},
    status: null,
    submit: null,
    focused: null,
  };
  if (!root) return snapshot;
  // The skeleton drawn while the order loads is the form's outline, not the form.
  snapshot.form = root.querySelector('form') !== null && root.querySelector('[part~="skeleton"]') === null;
  for (const label of root.querySelectorAll('[part~="method"]')) {
    snapshot.methods.push(text(label));
    if (label.querySelector('input')?.checked) snapshot.method = text(label);
  }
  for (const input of root.querySelectorAll('input[name]:not([type="radio"])')) {
    snapshot.fields[input.name as string] = input.value ?? '';
  }
  for (const error of root.querySelectorAll('[part~="error"], [part~="notice"]')) {
    // A field's error line is there, empty, when the field is fine.
    if (!text(error)) continue;
    const input = error.id.endsWith('-error') ? root.getElementById(error.id.slice(0, -'-error'.length)) : null;
    snapshot.errors[input?.name ?? 'notice'] = text(error);
  }
  const status = root.querySelector('[part~="status"]');
  if (status) {
    const kind = status.className.includes('success') ? 'success' : status.className.includes('fail') ? 'fail' : '';
    snapshot.status = { kind, text: text(status.querySelector('h2')) };
  }
  const submit = root.querySelector('[part~="submit-button"]');
  if (submit) snapshot.submit = { label: text(submit), disabled: submit.disabled === true };
  const focused = root.activeElement;
  snapshot.focused = focused?.localName === 'input' ? (focused.name ?? null) : null;
  return snapshot;
};

/** Marks the one button or link whose text contains `text`, so the runner's locator can click it. */
const markButton = ({ host, text }: { host: string; text: string }): { count: number; labels: string[] } => {
  const root = (globalThis as unknown as PageGlobals).document.querySelector(host)?.shadowRoot;
  const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
  const all = root ? [...root.querySelectorAll('button, a[href]')] : [];
  for (const el of all) el.removeAttribute('data-paydo-testing');
  const hits = all.filter((el) => norm(el.textContent).toLowerCase().includes(norm(text).toLowerCase()));
  if (hits.length === 1) hits[0]?.setAttribute('data-paydo-testing', 'press');
  return { count: hits.length, labels: all.map((el) => norm(el.textContent)) };
};

const recordEvents = (key: string): void => {
  const w = globalThis as unknown as PageGlobals;
  if (w[key]) return;
  const log: unknown[] = [];
  w[key] = log;
  const types = [
    'paydo-ready',
    'paydo-method-change',
    'paydo-submit',
    'paydo-redirect',
    'paydo-success',
    'paydo-fail',
    'paydo-error',
  ];
  for (const type of types) {
    w.addEventListener(
      type,
      (event) => {
        try {
          // Session storage outlives the navigation your page makes on paydo-success.
          const kept = JSON.parse(w.sessionStorage.getItem(key) ?? '[]') as unknown[];
          kept.push({ type: event.type, detail: event.detail });
          w.sessionStorage.setItem(key, JSON.stringify(kept));
        } catch {
          log.push({ type: event.type, detail: event.detail });
        }
      },
      true,
    );
  }
};

const readEvents = (key: string): RecordedEvent[] => {
  const w = globalThis as unknown as PageGlobals;
  try {
    return JSON.parse(w.sessionStorage.getItem(key) ?? '[]') as RecordedEvent[];
  } catch {
    return (w[key] as RecordedEvent[] | undefined) ?? [];
  }
};

const clearEvents = (key: string): void => {
  const w = globalThis as unknown as PageGlobals;
  try {
    w.sessionStorage.setItem(key, '[]');
  } catch {}
  const log = w[key] as unknown[] | undefined;
  if (log) log.length = 0;
};

const readUrl = (): string => (globalThis as unknown as { location: { href: string } }).location.href;

const firstMatch = (selectors: string[]): string | null => {
  const doc = (globalThis as unknown as PageGlobals).document;
  return selectors.find((s) => doc.querySelector(s) !== null) ?? null;
};
