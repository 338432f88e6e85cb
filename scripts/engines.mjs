// The three browser engines the browser tests run in, found on this machine.
// Chromium and Firefox are driven by puppeteer-core (CDP and WebDriver BiDi);
// WebKit is WebKitGTK's MiniBrowser behind WebKitWebDriver, on a virtual display.
// npm packages cannot download browsers here: every engine comes from the system
// (Debian: chromium, firefox-esr, webkit2gtk-driver + libwebkit2gtk-4.1-0, xvfb).
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { CHROME_ARGS, findChrome } from './chrome-path.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];
export const ENGINE_TITLES = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' };

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(...names) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) if (executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

const MINIBROWSER_DIRS = [
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1',
  '/usr/lib/x86_64-linux-gnu/webkitgtk-6.0',
  '/usr/lib/aarch64-linux-gnu/webkitgtk-6.0',
  '/usr/libexec/webkit2gtk-4.1',
];

/**
 * Where each engine's binaries are, or why it is missing. Environment overrides:
 * CHROME_PATH, FIREFOX_PATH, WEBKIT_WEBDRIVER_PATH and MINIBROWSER_PATH.
 */
export function locateEngine(engine) {
  if (engine === 'chromium') {
    try {
      return { engine, executablePath: findChrome() };
    } catch (error) {
      return { engine, missing: error.message };
    }
  }
  if (engine === 'firefox') {
    const executablePath = process.env.FIREFOX_PATH || onPath('firefox-esr', 'firefox');
    return executablePath
      ? { engine, executablePath }
      : { engine, missing: 'No Firefox found (Debian: apt-get install firefox-esr), or set FIREFOX_PATH.' };
  }
  if (engine === 'webkit') {
    const driver = process.env.WEBKIT_WEBDRIVER_PATH || onPath('WebKitWebDriver');
    const binary =
      process.env.MINIBROWSER_PATH ||
      MINIBROWSER_DIRS.map((dir) => join(dir, 'MiniBrowser')).find((path) => executable(path));
    // MiniBrowser has no headless mode: without a display it needs Xvfb.
    const xvfb = process.env.DISPLAY ? undefined : onPath('Xvfb');
    if (!driver || !binary || (!process.env.DISPLAY && !xvfb)) {
      return {
        engine,
        missing:
          'No WebKit found (Debian: apt-get install webkit2gtk-driver xvfb), or set WEBKIT_WEBDRIVER_PATH and MINIBROWSER_PATH.',
      };
    }
    return { engine, driver, binary, xvfb };
  }
  throw new Error(`Unknown engine "${engine}": choose one of ${ENGINES.join(', ')}.`);
}

/** The engines chosen by PAYDO_ENGINES (comma-separated), all three by default. */
export function selectedEngines() {
  const list = (process.env.PAYDO_ENGINES ?? ENGINES.join(','))
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  for (const name of list) if (!ENGINES.includes(name)) throw new Error(`PAYDO_ENGINES: unknown engine "${name}".`);
  return list;
}

/** puppeteer-core launch options for Chromium or Firefox. */
export function puppeteerLaunchOptions(found) {
  if (found.engine === 'chromium')
    return { browser: 'chrome', executablePath: found.executablePath, args: CHROME_ARGS };
  return {
    browser: 'firefox',
    executablePath: found.executablePath,
    headless: true,
    // Firefox's own first-run and update machinery only costs time in a test.
    extraPrefsFirefox: { 'app.update.enabled': false, 'browser.shell.checkDefaultBrowser': false },
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/**
 * Starts Xvfb (when there is no display) and WebKitWebDriver on free ports.
 * Returns the driver's URL, the capabilities for a new session, and stop().
 */
export async function startWebKitDriver(found) {
  const children = [];
  const env = { ...process.env };
  if (found.xvfb) {
    // -displayfd makes Xvfb pick a free display number and tell it to us.
    const xvfb = spawn(found.xvfb, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
    children.push(xvfb);
    const display = await new Promise((resolve, reject) => {
      let text = '';
      xvfb.stdio[3].on('data', (chunk) => {
        text += chunk;
        if (text.includes('\n')) resolve(`:${text.trim()}`);
      });
      xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with code ${code}`)));
    });
    env.DISPLAY = display;
  }
  const port = await freePort();
  const driver = spawn(found.driver, [`--port=${port}`, '--host=127.0.0.1'], { env, stdio: 'ignore' });
  children.push(driver);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    for (const child of children.reverse()) {
      if (child.exitCode === null) {
        child.kill();
        await new Promise((r) => child.once('exit', r));
      }
    }
  };
  try {
    await waitForHttp(`${url}/status`, driver, 10_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    capabilities: {
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: found.binary, args: ['--automation'] },
    },
    stop,
  };
}
