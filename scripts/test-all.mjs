// Runs every test runner of the repository and prints one closing line,
// "N passed, N failed", summed over all of them. Exits non-zero on any failure,
// and also when a runner crashed before it could report.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChrome } from './ensure-chrome.mjs';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'paydo-tests-'));

function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: root, ...options });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(1));
  });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const bin = (name, pkg = '.') => join(root, pkg, 'node_modules', '.bin', name);
const results = [];

// The store and the end-to-end tests serve the built widget bundle.
{
  const code = await run(bin('vite', 'packages/widget'), ['build', '--logLevel', 'warn'], {
    cwd: join(root, 'packages/widget'),
  });
  if (code !== 0) results.push({ runner: 'build', exitCode: code, passed: 0, failed: 1, skipped: 0 });
}

/** Runs vitest with a JSON report and records its counts. */
async function vitest(runner, args) {
  const out = join(work, `${runner}.json`);
  const code = await run(bin('vitest'), [
    'run',
    ...args,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ]);
  const report = readJson(out);
  results.push({
    runner,
    exitCode: code,
    passed: report?.numPassedTests ?? 0,
    failed: report?.numFailedTests ?? 0,
    skipped: (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0),
  });
}

// 1. vitest: server kit, emulator, store, widget bundle (Node).
await vitest('vitest', []);

// 2. web-test-runner: the widget in Chromium.
{
  const out = join(work, 'wtr.json');
  let chrome;
  try {
    chrome = ensureChrome();
  } catch (error) {
    console.error(error.message);
  }
  if (chrome) {
    const code = await run(bin('web-test-runner', 'packages/widget'), [], {
      cwd: join(root, 'packages/widget'),
      env: { ...process.env, CHROME_PATH: chrome, WTR_COUNT_FILE: out },
    });
    const report = readJson(out);
    results.push({ runner: 'web-test-runner', exitCode: code, ...(report ?? { passed: 0, failed: 0, skipped: 0 }) });
  } else {
    results.push({ runner: 'web-test-runner', exitCode: 1, passed: 0, failed: 1, skipped: 0 });
  }
}

// 3. End to end: catalog → widget → sandbox → IPN → admin page, in Chromium (playwright-core).
await vitest('e2e', ['--config', 'examples/store/vitest.e2e.config.ts']);

// 4. `pnpm bench --quick`: every benchmark runs and reports (a smoke test: the figures are not judged here).
{
  const code = await run(process.execPath, ['--conditions=source', 'packages/server-kit/bench/run.ts', '--quick']);
  results.push({
    runner: 'bench --quick',
    exitCode: code,
    passed: code === 0 ? 1 : 0,
    failed: code === 0 ? 0 : 1,
    skipped: 0,
  });
}

rmSync(work, { recursive: true, force: true });

let passed = 0;
let failed = 0;
let skipped = 0;
console.log('');
for (const r of results) {
  // A runner that exited non-zero but reported no failed test still failed (crash, load error).
  const crashed = r.exitCode !== 0 && r.failed === 0 ? 1 : 0;
  console.log(
    `${r.runner}: ${r.passed} passed, ${r.failed + crashed} failed, ${r.skipped} skipped (exit ${r.exitCode})`,
  );
  passed += r.passed;
  failed += r.failed + crashed;
  skipped += r.skipped;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || results.some((r) => r.exitCode !== 0) ? 1 : 0);
