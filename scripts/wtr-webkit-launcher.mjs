// A web-test-runner launcher for WebKit: WebKitGTK's MiniBrowser driven by
// WebKitWebDriver (puppeteer cannot drive WebKit, and the WebdriverIO-based
// launcher brings a large tree for the three commands used here). Its type is
// "webdriver", so @web/test-runner-commands' sendKeys and sendMouse click reach the methods below.
import { startWebKitDriver } from './engines.mjs';
import { WebDriverSession } from './webdriver-client.mjs';

export class WebKitLauncher {
  name = 'WebKit';
  type = 'webdriver';
  concurrency = 1;

  constructor(found) {
    this.found = found;
    this.active = undefined;
  }

  async initialize() {}

  async session() {
    if (!this.ready) {
      this.ready = (async () => {
        this.driver = await startWebKitDriver(this.found);
        return WebDriverSession.create(this.driver.url, this.driver.capabilities);
      })();
    }
    return this.ready;
  }

  async startSession(sessionId, url) {
    const session = await this.session();
    this.active = { sessionId, url };
    await session.navigate(url);
  }

  isActive(sessionId) {
    return this.active?.sessionId === sessionId;
  }

  getBrowserUrl() {
    return this.active?.url ?? '';
  }

  async startDebugSession() {
    throw new Error('Debugging is not supported in WebKit here: run the tests in Chromium with --manual.');
  }

  async stopSession(sessionId) {
    if (this.active?.sessionId === sessionId) this.active = undefined;
    // Leave the test page so its timers stop before the next file loads.
    await (await this.session()).navigate('about:blank');
    return {};
  }

  /** Called by @web/test-runner-commands' sendKeys for "webdriver" browsers. */
  async sendKeys(_sessionId, keys) {
    await (await this.session()).pressKeys(keys);
  }

  /** Called by @web/test-runner-commands' sendMouse({ type: 'click' }) for "webdriver" browsers. */
  async sendMouseClick(_sessionId, x, y, button) {
    await (await this.session()).clickAt(x, y, button === 'right' ? 2 : button === 'middle' ? 1 : 0);
  }

  /** Called by resetMouse(): actions are released after each click, so nothing is held. */
  async resetMouse() {}

  async stop() {
    if (!this.ready) return;
    const session = await this.ready.catch(() => undefined);
    await session?.delete().catch(() => {});
    await this.driver?.stop();
  }
}
