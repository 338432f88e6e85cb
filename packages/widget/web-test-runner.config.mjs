import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROME_ARGS, findChrome } from '../../scripts/chrome-path.mjs';
import { countingReporter } from '../../scripts/wtr-counting-reporter.mjs';

export default {
  files: 'test/**/*.test.ts',
  nodeResolve: { exportConditions: ['production'] },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' })],
  browsers: [chromeLauncher({ launchOptions: { executablePath: findChrome(), args: CHROME_ARGS } })],
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  reporters: [defaultReporter(), countingReporter()],
};
