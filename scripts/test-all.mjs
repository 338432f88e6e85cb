// Runs every test runner of the repository and prints one closing line,
// "N passed, N failed", summed over all of them. Exits non-zero on any failure,
// and also when a runner crashed before it could report.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_TITLES, selectedEngines } from './engines.mjs';
import { ensureEngines } from './ensure-engines.mjs';

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
async function vitest(runner, args, env = {}, kind = runner) {
  const out = join(work, `${runner}.json`);
  const code = await run(
    bin('vitest'),
    ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    { env: { ...process.env, ...env } },
  );
  const report = readJson(out);
  results.push({
    runner,
    kind,
    exitCode: code,
    passed: report?.numPassedTests ?? 0,
    failed: report?.numFailedTests ?? 0,
    skipped: (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0),
  });
}

// 1. vitest: server kit, emulator, store, widget bundle (Node).
await vitest('vitest', []);

// 1b. The packages packed and installed into a new app outside the workspace, an order paid in
// Chromium. On its own: packing rebuilds each package's dist, which the tests above read.
await vitest('packed install', ['--config', 'test/packed-install/vitest.config.ts']);

// 2 and 3, in every engine (PAYDO_ENGINES picks some): the widget's web-test-runner tests and
// the end-to-end flows (catalog → widget → sandbox → IPN → admin page). An engine that is not
// on this machine and cannot be installed is reported on one line, its tests counted as skipped.
const engines = ensureEngines(selectedEngines());
const timings = [];
const missingEngines = [];
for (const found of engines) {
  const title = ENGINE_TITLES[found.engine];
  if (found.missing) {
    missingEngines.push(found);
    continue;
  }
  const started = Date.now();
  const out = join(work, `wtr-${found.engine}.json`);
  const code = await run(bin('web-test-runner', 'packages/widget'), [], {
    cwd: join(root, 'packages/widget'),
    env: { ...process.env, PAYDO_ENGINES: found.engine, WTR_COUNT_FILE: out },
  });
  const report = readJson(out);
  results.push({
    runner: `web-test-runner (${title})`,
    kind: 'web-test-runner',
    exitCode: code,
    ...(report ?? { passed: 0, failed: 0, skipped: 0 }),
  });
  const widgetDone = Date.now();
  await vitest(
    `e2e (${title})`,
    ['--config', 'examples/store/vitest.e2e.config.ts'],
    { PAYDO_ENGINE: found.engine },
    'e2e',
  );
  timings.push({ title, widget: widgetDone - started, e2e: Date.now() - widgetDone });
}
// The React example end to end (server render, hydration, paying), in Chromium with React 19 and 18.
const chromium = engines.find((found) => found.engine === 'chromium');
if (chromium && !chromium.missing) {
  const started = Date.now();
  await vitest('e2e React (Chromium)', ['--config', 'examples/react/vitest.e2e.config.ts'], {}, 'e2e-react');
  timings.push({ title: 'React example (Chromium)', e2e: Date.now() - started });
  // The Express router and the fetch handler (on Hono), each paying by card and by 3-D Secure.
  for (const [name, title] of [
    ['express', 'Express'],
    ['hono', 'Hono'],
  ]) {
    const t = Date.now();
    await vitest(`e2e ${title} (Chromium)`, ['--config', `examples/${name}/vitest.e2e.config.ts`], {}, `e2e-${name}`);
    timings.push({ title: `${title} example (Chromium)`, e2e: Date.now() - t });
  }
} else if (chromium) {
  results.push({
    line: 'React, Express and Hono examples: Chromium not available here, their end-to-end tests not run.',
    exitCode: 0,
    passed: 0,
    failed: 0,
    skipped: 0,
  });
}
// The same tests that ran in the other engines are the ones a missing engine skips.
const ranTests = (kind) => {
  const ran = results.find((r) => r.kind === kind);
  return ran ? ran.passed + ran.failed + ran.skipped : 0;
};
for (const found of missingEngines) {
  const skipped = ranTests('web-test-runner') + ranTests('e2e');
  results.push({
    line: `${ENGINE_TITLES[found.engine]}: not available here, ${skipped} widget and end-to-end tests skipped. ${found.missing}`,
    exitCode: 0,
    passed: 0,
    failed: 0,
    skipped,
  });
}

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
    r.line ??
      `${r.runner}: ${r.passed} passed, ${r.failed + crashed} failed, ${r.skipped} skipped (exit ${r.exitCode})`,
  );
  passed += r.passed;
  failed += r.failed + crashed;
  skipped += r.skipped;
}
for (const t of timings) {
  const widget = t.widget === undefined ? '' : `widget tests ${(t.widget / 1000).toFixed(1)} s, `;
  console.log(`${t.title}: ${widget}end-to-end ${(t.e2e / 1000).toFixed(1)} s`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || results.some((r) => r.exitCode !== 0) ? 1 : 0);
