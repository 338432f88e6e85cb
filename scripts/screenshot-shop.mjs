// The example store on the emulator, and headless Chromium, for the screenshot scripts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '@paydo-checkout/sandbox';
import { chromium } from 'playwright-core';
import { buildStore } from '../examples/store/src/server.ts';
import { CHROME_ARGS, findChrome } from './chrome-path.mjs';

export async function startShop({ adminPassword }) {
  const sandbox = await createSandbox({ seed: 7 });
  const dataDir = mkdtempSync(join(tmpdir(), 'paydo-shots-'));
  const { app, url } = await buildStore({
    dataDir,
    listen: { port: 0, host: '127.0.0.1' },
    paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
    sandboxOrigin: sandbox.url,
    pollIntervalMs: 300,
    adminPassword,
  });
  sandbox.control.configure({ ipnUrl: `${url}/paydo/ipn` });
  const browser = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS });
  return {
    url,
    sandbox,
    browser,
    async close() {
      await browser.close();
      await app.close();
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
