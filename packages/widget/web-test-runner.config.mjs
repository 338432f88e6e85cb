import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { locateEngine, puppeteerLaunchOptions, selectedEngines } from '../../scripts/engines.mjs';
import { countingReporter } from '../../scripts/wtr-counting-reporter.mjs';
import { WebKitLauncher } from '../../scripts/wtr-webkit-launcher.mjs';

// One engine switch: PAYDO_ENGINES=chromium,firefox,webkit (all three by default).
// `pnpm test` at the root runs one engine at a time and reports each.
function launcher(engine) {
  const found = locateEngine(engine);
  if (found.missing) throw new Error(found.missing);
  if (engine === 'webkit') return new WebKitLauncher(found);
  return chromeLauncher({ puppeteer: puppeteerCore, launchOptions: puppeteerLaunchOptions(found) });
}

export default {
  files: 'test/**/*.test.ts',
  nodeResolve: { exportConditions: ['production'] },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' })],
  browsers: selectedEngines().map(launcher),
  concurrency: 1,
  // Firefox and WebKit start slowly on a busy CI machine.
  browserStartTimeout: 120_000,
  testsStartTimeout: 120_000,
  // Generous: Firefox and WebKit run axe-core's first pass slowly on a busy machine.
  testFramework: { config: { timeout: 30_000 } },
  reporters: [defaultReporter(), countingReporter()],
};
