export const ELEMENT_KEY: 'element-6066-11e4-a52e-4f735466cecf';
export const KEYS: Record<string, string>;

/** A reference to an element in the page, as WebDriver returns it. */
export type WebElement = { [ELEMENT_KEY]: string };

export class WebDriverError extends Error {
  readonly code: string;
}

export class WebDriverSession {
  readonly id: string;
  static create(serverUrl: string, capabilities: Record<string, unknown>): Promise<WebDriverSession>;
  navigate(url: string): Promise<void>;
  url(): Promise<string>;
  refresh(): Promise<void>;
  back(): Promise<void>;
  /** Runs `body` (a function body using `arguments`) in the page. */
  execute<T = unknown>(body: string, args?: unknown[]): Promise<T>;
  click(element: WebElement): Promise<void>;
  sendKeysTo(element: WebElement, text: string): Promise<void>;
  /** Presses and releases each key in turn (names from KEYS, or single characters). */
  pressKeys(keys: string[]): Promise<void>;
  doubleClick(element: WebElement): Promise<void>;
  deleteCookies(): Promise<void>;
  /** Any WebDriver command of this session (`path` after /session/<id>). */
  command<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** A PNG of the viewport. */
  screenshot(): Promise<Buffer>;
  delete(): Promise<void>;
}
