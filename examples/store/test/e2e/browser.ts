// One page API for the end-to-end tests in every engine. Chromium and Firefox are
// driven by puppeteer-core (CDP, WebDriver BiDi), WebKit by WebKitWebDriver; the
// tests see only Page and Locator below (a small Playwright-shaped subset), so one
// test file runs in all three. Elements are found by one script run in the page
// (CSS that pierces open shadow roots, roles, labels, text), the same in every
// engine; clicks and typing are the engine's own trusted input.
import { writeFileSync } from 'node:fs';
import puppeteer, { type ElementHandle, type Browser as PBrowser, type Page as PPage } from 'puppeteer-core';
import {
  type Engine,
  type FoundEngine,
  locateEngine,
  puppeteerLaunchOptions,
  startWebKitDriver,
} from '../../../../scripts/engines.mjs';
import { WebDriverSession, type WebElement } from '../../../../scripts/webdriver-client.mjs';

type Step =
  | { css: string }
  | { role: string; name?: string; pattern?: { source: string; flags: string }; exact?: boolean }
  | { label: string }
  | { hasText: string }
  | { nth: number };

/**
 * Runs in the page: the elements matching `steps`, in tree order. A CSS step's
 * descendant combinators cross open shadow roots (as Playwright's CSS does).
 * Also installs the collector of page errors and CSP violations.
 */
const QUERY = `function query(steps) {
  if (!window.__paydoProblems) {
    window.__paydoProblems = [];
    addEventListener('error', (e) => window.__paydoProblems.push('page error: ' + e.message));
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__paydoProblems.push('CSP: ' + e.violatedDirective + ' ' + e.blockedURI));
  }
  const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const deep = (scope) => {
    const out = [];
    const walk = (node) => {
      for (const child of node.children) {
        out.push(child);
        if (child.shadowRoot) walk(child.shadowRoot);
        walk(child);
      }
    };
    if (scope.shadowRoot) walk(scope.shadowRoot);
    walk(scope);
    return out;
  };
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const split = (sel) => {
    const parts = [];
    let cur = '', depth = 0, quote = null;
    for (let i = 0; i < sel.length; i++) {
      const c = sel[i];
      if (quote) { cur += c; if (c === quote) quote = null; continue; }
      if (c === '"' || c === "'") { quote = c; cur += c; continue; }
      if (c === '[' || c === '(') depth++;
      if (c === ']' || c === ')') depth--;
      if (depth === 0 && /\\s/.test(c)) {
        let j = i;
        while (j < sel.length && /\\s/.test(sel[j])) j++;
        const next = sel[j] || '';
        const prev = cur.trimEnd().slice(-1);
        if (!cur.trim() || (next && '>+~'.includes(next)) || (prev && '>+~'.includes(prev))) cur += ' ';
        else { parts.push(cur.trim()); cur = ''; }
        i = j - 1;
        continue;
      }
      cur += c;
    }
    if (cur.trim()) parts.push(cur.trim());
    return parts;
  };
  const ROLES = {
    button: 'button, input[type=submit], input[type=button], input[type=reset], [role=button]',
    heading: 'h1, h2, h3, h4, h5, h6, [role=heading]',
    textbox: 'input:not([type]), input[type=text], input[type=email], input[type=tel], input[type=url], input[type=search], input[type=number], textarea, [role=textbox]',
    link: 'a[href], [role=link]',
    checkbox: 'input[type=checkbox], [role=checkbox]',
    radio: 'input[type=radio], [role=radio]',
    status: '[role=status], output',
    alert: '[role=alert]',
  };
  const labelsOf = (el) => {
    const aria = el.getAttribute('aria-label');
    if (aria) return aria;
    const by = el.getAttribute('aria-labelledby');
    if (by) return by.split(/\\s+/).map((id) => el.getRootNode().getElementById?.(id)?.textContent || '').join(' ');
    if (el.labels && el.labels.length) return [...el.labels].map((l) => l.textContent).join(' ');
    return null;
  };
  const accName = (el) => {
    const label = labelsOf(el);
    if (label != null) return norm(label);
    if (el instanceof HTMLInputElement) return norm(el.value);
    return norm(el.textContent);
  };
  const matchText = (text, wanted, exact) =>
    exact ? text === norm(wanted) : text.toLowerCase().includes(norm(wanted).toLowerCase());
  let found = [document.documentElement];
  let scopes = [document];
  for (const step of steps) {
    let next = [];
    if ('css' in step) {
      let current = scopes;
      for (const part of split(step.css)) {
        const hits = [];
        for (const scope of current) for (const el of deep(scope)) if (el.matches(part)) hits.push(el);
        current = hits;
      }
      next = current;
    } else if ('role' in step) {
      for (const scope of scopes)
        for (const el of deep(scope)) {
          const role = el.getAttribute('role');
          if (role ? role !== step.role : !el.matches(ROLES[step.role] || '[role=' + step.role + ']')) continue;
          if (!visible(el) || el.closest('[aria-hidden=true]')) continue;
          if (step.pattern) {
            if (new RegExp(step.pattern.source, step.pattern.flags).test(accName(el))) next.push(el);
          } else if (step.name === undefined || matchText(accName(el), step.name, step.exact)) next.push(el);
        }
    } else if ('label' in step) {
      for (const scope of scopes)
        for (const el of deep(scope)) {
          if (!el.matches('input, select, textarea, [role=textbox], [role=checkbox], [role=radio]')) continue;
          const label = labelsOf(el);
          if (label != null && matchText(norm(label), step.label, false)) next.push(el);
        }
    } else if ('hasText' in step) {
      next = found.filter((el) => matchText(norm(el.textContent), step.hasText, false));
    } else if ('nth' in step) {
      const el = step.nth < 0 ? found[found.length + step.nth] : found[step.nth];
      next = el ? [el] : [];
    }
    found = [...new Set(next)];
    scopes = found;
  }
  return found;
}`;

/** What each engine's driver does; Page and Locator are built on it alone. */
interface Driver {
  goto(url: string): Promise<void>;
  url(): Promise<string>;
  reload(): Promise<void>;
  goBack(): Promise<void>;
  /** Runs `expression` (JavaScript, `args` bound as `args`) in the page and returns its JSON value. */
  evaluate<T>(body: string, args: unknown[]): Promise<T>;
  /**
   * The page's layout viewport: `width` CSS pixels wide (the window is sized to give it).
   * Answers the width it got: WebKit's window has a minimum width above a phone's.
   */
  setViewport(width: number, height: number): Promise<number>;
  /** The first element matching `steps` that is visible (or any, when `visible` is false). */
  find(steps: Step[], visible: boolean): Promise<unknown | null>;
  click(el: unknown): Promise<void>;
  dblclick(el: unknown): Promise<void>;
  /** Clears the field, then types `text` with the keyboard. */
  fill(el: unknown, text: string): Promise<void>;
  press(key: string): Promise<void>;
  /** Types `text` into the focused element, key by key. */
  type(text: string): Promise<void>;
  screenshot(path: string): Promise<void>;
  problems(): Promise<string[]>;
  close(): Promise<void>;
}

const FIND = `const all = (${QUERY})(args[0]);
  return (args[1] ? all.filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden') : all)[0] || null;`;
const CLEAR = `const el = args[0];
  el.focus();
  el.value = '';
  el.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'deleteContentBackward' }));`;

class PuppeteerDriver implements Driver {
  readonly #page: PPage;
  readonly #problems: string[] = [];
  constructor(page: PPage) {
    this.#page = page;
    page.on('pageerror', (error) => this.#problems.push(`page error: ${(error as Error).message}`));
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) this.#problems.push(`CSP: ${message.text()}`);
    });
  }
  async goto(url: string) {
    await this.#page.goto(url);
  }
  async url() {
    return this.#page.url();
  }
  async reload() {
    await this.#page.reload();
  }
  async goBack() {
    await this.#page.goBack();
  }
  async setViewport(width: number, height: number) {
    await this.#page.setViewport({ width, height });
    return width;
  }
  evaluate<T>(body: string, args: unknown[]): Promise<T> {
    return this.#page.evaluate(
      new Function('...args', body) as (...a: unknown[]) => T,
      ...(args as never[]),
    ) as Promise<T>;
  }
  async find(steps: Step[], visible: boolean) {
    const handle = await this.#page.evaluateHandle(
      new Function('...args', FIND) as () => unknown,
      ...([steps, visible] as never[]),
    );
    const element = handle.asElement();
    if (!element) await handle.dispose();
    return element;
  }
  async click(el: unknown) {
    await (el as ElementHandle).click();
  }
  async dblclick(el: unknown) {
    await (el as ElementHandle).click({ count: 2 });
  }
  async fill(el: unknown, text: string) {
    await (el as ElementHandle).evaluate(new Function('...args', CLEAR) as (e: unknown) => void);
    await this.#page.keyboard.type(text);
  }
  async press(key: string) {
    await this.#page.keyboard.press(key as never);
  }
  async type(text: string) {
    await this.#page.keyboard.type(text);
  }
  async screenshot(path: string) {
    await this.#page.screenshot({ path: path as `${string}.png`, fullPage: true });
  }
  async problems() {
    const inPage = await this.evaluate<string[]>('return window.__paydoProblems || [];', []).catch(() => []);
    return [...this.#problems, ...inPage.filter((p) => !this.#problems.includes(p))];
  }
  async close() {
    await this.#page.browserContext().close();
  }
}

class WebDriverDriver implements Driver {
  readonly #session: WebDriverSession;
  constructor(session: WebDriverSession) {
    this.#session = session;
  }
  goto(url: string) {
    return this.#session.navigate(url);
  }
  url() {
    return this.#session.url();
  }
  reload() {
    return this.#session.refresh();
  }
  goBack() {
    return this.#session.back();
  }
  evaluate<T>(body: string, args: unknown[]): Promise<T> {
    return this.#session.execute<T>(`const args = arguments; ${body}`, args);
  }
  async setViewport(width: number, height: number) {
    // WebDriver sizes the window, frame included: size it, measure the frame, size it again.
    for (let i = 0; i < 3; i++) {
      const inner = await this.evaluate<number>('return window.innerWidth;', []);
      if (inner === width) return inner;
      const rect = await this.#session.command('GET', '/window/rect');
      await this.#session.command('POST', '/window/rect', {
        width: (rect as { width: number }).width + (width - inner),
        height,
      });
    }
    return this.evaluate<number>('return window.innerWidth;', []);
  }
  find(steps: Step[], visible: boolean) {
    return this.evaluate<WebElement | null>(FIND, [steps, visible]);
  }
  click(el: unknown) {
    return this.#session.click(el as WebElement);
  }
  dblclick(el: unknown) {
    return this.#session.doubleClick(el as WebElement);
  }
  async fill(el: unknown, text: string) {
    await this.evaluate(CLEAR, [el]);
    if (text) await this.#session.sendKeysTo(el as WebElement, text);
  }
  press(key: string) {
    return this.#session.pressKeys([key]);
  }
  type(text: string) {
    return this.#session.pressKeys([...text]);
  }
  async screenshot(path: string) {
    writeFileSync(path, await this.#session.screenshot());
  }
  problems() {
    return this.evaluate<string[]>('return window.__paydoProblems || [];', []).catch(() => []);
  }
  async close() {}
}

/** Polls `fn` until it returns something other than undefined/null/false, or throws after `timeout`. */
async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeout: number): Promise<T> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== null && value !== undefined && value !== false) return value;
    } catch (error) {
      // A query while the page navigates fails; the next one sees the new page.
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeout} ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const DEFAULT_TIMEOUT = 15_000;

export class Locator {
  readonly #driver: Driver;
  readonly #steps: Step[];
  constructor(driver: Driver, steps: Step[]) {
    this.#driver = driver;
    this.#steps = steps;
  }
  toString() {
    return JSON.stringify(this.#steps);
  }
  #with(...steps: Step[]) {
    return new Locator(this.#driver, [...this.#steps, ...steps]);
  }
  locator(css: string, options: { hasText?: string } = {}) {
    return options.hasText === undefined ? this.#with({ css }) : this.#with({ css }, { hasText: options.hasText });
  }
  getByRole(role: string, options: { name?: string | RegExp; exact?: boolean } = {}) {
    const { name, exact } = options;
    if (name instanceof RegExp) return this.#with({ role, pattern: { source: name.source, flags: name.flags } });
    return this.#with({
      role,
      ...(name === undefined ? {} : { name }),
      ...(exact === undefined ? {} : { exact }),
    });
  }
  getByLabel(label: string) {
    return this.#with({ label });
  }
  first() {
    return this.#with({ nth: 0 });
  }
  nth(index: number) {
    return this.#with({ nth: index });
  }
  #element(visible: boolean, timeout = DEFAULT_TIMEOUT) {
    return until(`${this}${visible ? ' to be visible' : ''}`, () => this.#driver.find(this.#steps, visible), timeout);
  }
  async waitFor(options: { timeout?: number } = {}) {
    await this.#element(true, options.timeout);
  }
  async count() {
    return this.#driver.evaluate<number>(`return (${QUERY})(args[0]).length;`, [this.#steps]);
  }
  async click() {
    await this.#driver.click(await this.#element(true));
  }
  async dblclick() {
    await this.#driver.dblclick(await this.#element(true));
  }
  async fill(text: string) {
    await this.#driver.fill(await this.#element(true), text);
  }
  async check() {
    const el = await this.#element(true);
    if (!(await this.#driver.evaluate<boolean>('return args[0].checked;', [el]))) await this.#driver.click(el);
  }
  async textContent() {
    return this.#driver.evaluate<string | null>('return args[0].textContent;', [await this.#element(false)]);
  }
  async inputValue() {
    return this.#driver.evaluate<string>('return args[0].value;', [await this.#element(false)]);
  }
  /** Whether the element has focus (also inside a shadow root). */
  async isFocused() {
    return this.#driver.evaluate<boolean>("return args[0].matches(':focus');", [await this.#element(false)]);
  }
  async getAttribute(name: string) {
    return this.#driver.evaluate<string | null>('return args[0].getAttribute(args[1]);', [
      await this.#element(false),
      name,
    ]);
  }
}

/** `**` any characters, `*` any but "/", as in Playwright's URL globs. */
function globToRegExp(glob: string) {
  const source = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}

export class Page {
  readonly #driver: Driver;
  readonly #baseURL: string;
  readonly engine: Engine;
  readonly keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
  constructor(engine: Engine, driver: Driver, baseURL: string) {
    this.engine = engine;
    this.#driver = driver;
    this.#baseURL = baseURL;
    this.keyboard = { press: (key) => driver.press(key), type: (text) => driver.type(text) };
  }
  locator(css: string, options: { hasText?: string } = {}) {
    return new Locator(this.#driver, []).locator(css, options);
  }
  getByRole(role: string, options: { name?: string | RegExp; exact?: boolean } = {}) {
    return new Locator(this.#driver, []).getByRole(role, options);
  }
  getByLabel(label: string) {
    return new Locator(this.#driver, []).getByLabel(label);
  }
  fill(css: string, text: string) {
    return this.locator(css).fill(text);
  }
  async goto(path: string) {
    await this.#driver.goto(new URL(path, this.#baseURL).href);
  }
  /**
   * Runs `fn` in the page with `arg` (JSON) and returns its JSON result, as Playwright's
   * `page.evaluate`: with `locator`, what `@paydo-checkout/widget/testing` needs of a page.
   */
  evaluate<R, A>(fn: (arg: A) => R, arg: A): Promise<R> {
    return this.#driver.evaluate<R>(`return (${fn.toString()})(args[0]);`, [arg]);
  }
  /** The current URL (async: WebDriver asks the browser). */
  url() {
    return this.#driver.url();
  }
  reload() {
    return this.#driver.reload();
  }
  goBack() {
    return this.#driver.goBack();
  }
  async waitForURL(glob: string, options: { timeout?: number } = {}) {
    const pattern = globToRegExp(glob);
    await until(
      `the URL to match ${glob}`,
      async () => pattern.test(await this.#driver.url()),
      options.timeout ?? DEFAULT_TIMEOUT,
    );
  }
  waitForTimeout(ms: number) {
    return new Promise<void>((r) => setTimeout(r, ms));
  }
  /** The element focused now, through shadow roots, as "tag[name]" or "tag[part]" (keyboard tests). */
  focused() {
    return this.#driver.evaluate<string>(
      `let el = document.activeElement;
      while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
      if (!el) return '';
      const name = el.getAttribute('name') || el.getAttribute('part') || el.textContent.trim().slice(0, 40);
      return el.localName + '[' + name + ']';`,
      [],
    );
  }
  /** A PNG of the page (the whole page where the engine's driver can, else the viewport). */
  screenshot(options: { path: string; fullPage?: boolean }) {
    return this.#driver.screenshot(options.path);
  }
  /** The layout viewport's size in CSS pixels (the window is resized where the engine needs it). */
  setViewport(width: number, height: number) {
    return this.#driver.setViewport(width, height);
  }
  /** Page errors and CSP violations seen so far. */
  problems() {
    return this.#driver.problems();
  }
  close() {
    return this.#driver.close();
  }
}

export interface EngineBrowser {
  engine: Engine;
  newPage(baseURL: string): Promise<Page>;
  close(): Promise<void>;
}

/** The engine the end-to-end tests run in: PAYDO_ENGINE (chromium, firefox or webkit), Chromium by default. */
export function currentEngine(): Engine {
  const engine = (process.env.PAYDO_ENGINE ?? 'chromium').toLowerCase();
  if (engine !== 'chromium' && engine !== 'firefox' && engine !== 'webkit') {
    throw new Error(`PAYDO_ENGINE: unknown engine "${engine}" (chromium, firefox or webkit).`);
  }
  return engine;
}

export async function launch(engine: Engine): Promise<EngineBrowser> {
  const found: FoundEngine = locateEngine(engine);
  if (found.missing) throw new Error(found.missing);
  if (found.engine === 'webkit') {
    const server = await startWebKitDriver(found);
    let session: WebDriverSession;
    try {
      session = await WebDriverSession.create(server.url, server.capabilities);
    } catch (error) {
      await server.stop();
      throw error;
    }
    const driver = new WebDriverDriver(session);
    return {
      engine,
      // WebDriver has one window: a new page starts from a clean cookie jar and storage.
      async newPage(baseURL) {
        await driver.goto(baseURL);
        await session.deleteCookies();
        await driver.evaluate('localStorage.clear(); sessionStorage.clear();', []);
        return new Page(engine, driver, baseURL);
      },
      async close() {
        await session.delete().catch(() => {});
        await server.stop();
      },
    };
  }
  const browser: PBrowser = await puppeteer.launch(puppeteerLaunchOptions(found));
  return {
    engine,
    // Each page in its own browser context: its own cookies and storage.
    async newPage(baseURL) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport({ width: 1280, height: 900 });
      return new Page(engine, new PuppeteerDriver(page), baseURL);
    },
    close: () => browser.close(),
  };
}
