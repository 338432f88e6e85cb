// The few W3C WebDriver commands the browser tests need, over fetch. Used for
// WebKit (WebKitWebDriver), which puppeteer cannot drive.

export const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

/** W3C WebDriver key codes for the keys tests press. */
export const KEYS = {
  Tab: '\uE004',
  Enter: '\uE007',
  Escape: '\uE00C',
  Space: ' ',
  Backspace: '\uE003',
  Shift: '\uE008',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
  Home: '\uE011',
  End: '\uE010',
};

export class WebDriverError extends Error {
  constructor(command, status, value) {
    super(`WebDriver ${command}: ${value?.error ?? status}: ${value?.message ?? ''}`.trim());
    this.name = 'WebDriverError';
    this.code = value?.error ?? `http ${status}`;
  }
}

export class WebDriverSession {
  constructor(serverUrl, id) {
    this.serverUrl = serverUrl;
    this.id = id;
  }

  static async create(serverUrl, capabilities) {
    const value = await request(serverUrl, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } });
    return new WebDriverSession(serverUrl, value.sessionId);
  }

  command(method, path, body) {
    return request(this.serverUrl, method, `/session/${this.id}${path}`, body);
  }

  navigate(url) {
    return this.command('POST', '/url', { url });
  }
  url() {
    return this.command('GET', '/url');
  }
  refresh() {
    return this.command('POST', '/refresh', {});
  }
  back() {
    return this.command('POST', '/back', {});
  }
  /** Runs `body` (a function body using `arguments`) in the page. */
  execute(body, args = []) {
    return this.command('POST', '/execute/sync', { script: body, args });
  }
  executeAsync(body, args = []) {
    return this.command('POST', '/execute/async', { script: body, args });
  }
  click(element) {
    return this.command('POST', `/element/${element[ELEMENT_KEY]}/click`, {});
  }
  sendKeysTo(element, text) {
    return this.command('POST', `/element/${element[ELEMENT_KEY]}/value`, { text });
  }
  /** Presses and releases each key in turn (names from KEYS, or single characters). */
  async pressKeys(keys) {
    const actions = [];
    for (const key of keys) {
      const value = KEYS[key] ?? key;
      actions.push({ type: 'keyDown', value }, { type: 'keyUp', value });
    }
    await this.command('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.command('DELETE', '/actions');
  }
  async doubleClick(element) {
    const click = [
      { type: 'pointerDown', button: 0 },
      { type: 'pointerUp', button: 0 },
    ];
    await this.command('POST', '/actions', {
      actions: [
        {
          type: 'pointer',
          id: 'mouse',
          parameters: { pointerType: 'mouse' },
          actions: [{ type: 'pointerMove', origin: element, x: 0, y: 0 }, ...click, ...click],
        },
      ],
    });
    await this.command('DELETE', '/actions');
  }
  /** A mouse click at a point of the viewport (CSS pixels). */
  async clickAt(x, y, button = 0) {
    await this.command('POST', '/actions', {
      actions: [
        {
          type: 'pointer',
          id: 'mouse',
          parameters: { pointerType: 'mouse' },
          actions: [
            { type: 'pointerMove', origin: 'viewport', x, y },
            { type: 'pointerDown', button },
            { type: 'pointerUp', button },
          ],
        },
      ],
    });
    await this.command('DELETE', '/actions');
  }
  deleteCookies() {
    return this.command('DELETE', '/cookie');
  }
  /** A PNG of the viewport. */
  async screenshot() {
    return Buffer.from(await this.command('GET', '/screenshot'), 'base64');
  }
  delete() {
    return request(this.serverUrl, 'DELETE', `/session/${this.id}`);
  }
}

async function request(serverUrl, method, path, body) {
  const res = await fetch(`${serverUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new WebDriverError(`${method} ${path.replace(/^\/session\/[^/]+/, '')}`, res.status, payload.value);
  return payload.value;
}
