/**
 * Every command the READMEs show (lines of sh blocks, and inline `pnpm …`, `npx …`, `npm …`
 * spans) is classified here: run by this test (in the folder where it works), run by another
 * test (named, and checked to exist), or not run here with the reason. A README command that is
 * not in the table fails the test, so a new one is run or explained before it is published.
 * Servers are started as written, with `--port 0` instead of a fixed port (other test runs may
 * hold it), and stopped once they say they are running.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const PNPM = ['-y', 'pnpm@12.4.2'];

type Run = {
  /** Folder, from the repository root. */
  cwd: string;
  /** The argv actually run (npx with --no-install: never the registry). */
  argv: string[];
  /** A server: stop it when its output matches. */
  serverReady?: RegExp;
  /** With the emulator's keys and URL in the environment. */
  doctorEnv?: boolean;
  exit?: number;
  output: RegExp;
};
type Entry = { run: Run } | { coveredBy: string } | { notRunHere: string };

const packed = { coveredBy: 'test/packed-install/packed-install.test.ts' };
const ci = { coveredBy: '.ci/run' };
const testAll = { coveredBy: 'scripts/test-all.mjs' };
const SANDBOX_DATA = join(tmpdir(), `paydo-readme-sandbox-${process.pid}`);
afterAll(() => rmSync(SANDBOX_DATA, { recursive: true, force: true }));
const SANDBOX_UP = /Paydo sandbox running at http:\/\/127\.0\.0\.1:\d+/;
const SANDBOX_HELP = /paydo-sandbox — a local Paydo emulator/;

const COMMANDS: Record<string, Entry> = {
  'pnpm sandbox --help': { run: { cwd: '.', argv: ['npx', ...PNPM, 'sandbox', '--help'], output: SANDBOX_HELP } },
  'pnpm sandbox -- --help': {
    run: { cwd: '.', argv: ['npx', ...PNPM, 'sandbox', '--', '--help'], output: SANDBOX_HELP },
  },
  'pnpm sandbox': {
    run: { cwd: '.', argv: ['npx', ...PNPM, 'sandbox', '--port', '0'], serverReady: SANDBOX_UP, output: SANDBOX_UP },
  },
  'pnpm paydo-sandbox': {
    run: {
      cwd: '.',
      argv: ['npx', ...PNPM, 'paydo-sandbox', '--port', '0'],
      serverReady: SANDBOX_UP,
      output: SANDBOX_UP,
    },
  },
  'npx paydo-sandbox --port 8099 --ipn-url http://127.0.0.1:3000/paydo/ipn': {
    run: {
      cwd: '.',
      argv: ['npx', '--no-install', 'paydo-sandbox', '--port', '0', '--ipn-url', 'http://127.0.0.1:3000/paydo/ipn'],
      serverReady: SANDBOX_UP,
      output: SANDBOX_UP,
    },
  },
  // Its state goes to a folder of its own under the system's temp folder, not into the repository.
  'npx paydo-sandbox --data-dir .sandbox-data': {
    run: {
      cwd: '.',
      argv: ['npx', '--no-install', 'paydo-sandbox', '--port', '0', '--data-dir', SANDBOX_DATA],
      serverReady: SANDBOX_UP,
      output: /State: +kept in /,
    },
  },
  'pnpm paydo-doctor': {
    run: { cwd: '.', argv: ['npx', ...PNPM, 'paydo-doctor'], doctorEnv: true, output: /Ready for Paydo\./ },
  },
  // Only where the server kit is installed: the example store has it.
  'npx paydo-doctor': {
    run: {
      cwd: 'examples/store',
      argv: ['npx', '--no-install', 'paydo-doctor'],
      doctorEnv: true,
      output: /Ready for Paydo\./,
    },
  },
  'npx paydo-postgres-schema [--schema NAME]': packed, // needs the built package: the packed app runs it
  'git clone <this repository> paydo-checkout && cd paydo-checkout': { notRunHere: 'clones this repository' },
  'npx -y pnpm@12.4.2 install': ci,
  'npx -y pnpm@12.4.2 install && npx -y pnpm@12.4.2 test': ci,
  'npx -y pnpm@12.4.2 install && npx -y pnpm@12.4.2 start': {
    notRunHere: 'builds and serves the example store until stopped; examples/store/test/e2e drives that server',
  },
  'npx -y pnpm@12.4.2 install && npx -y pnpm@12.4.2 build && cd examples/react && npx -y pnpm@12.4.2 start': {
    notRunHere: 'serves the React example until stopped; examples/react/test/e2e builds and drives it',
  },
  'for p in server-kit sandbox widget react; do (cd packages/$p && npx -y pnpm@12.4.2 pack --pack-destination ../../tarballs); done':
    packed,
  'cd ../my-shop': packed,
  'npm install fastify ../paydo-checkout/tarballs/paydo-checkout-server-kit-0.1.0.tgz ../paydo-checkout/tarballs/paydo-checkout-widget-0.1.0.tgz':
    packed,
  'npm install fastify ../paydo-checkout/tarballs/paydo-checkout-server-kit-0.1.0.tgz': packed,
  'npm install --save-dev ../paydo-checkout/tarballs/paydo-checkout-sandbox-0.1.0.tgz': packed,
  'npm install ../paydo-checkout/tarballs/paydo-checkout-react-0.1.0.tgz ../paydo-checkout/tarballs/paydo-checkout-widget-0.1.0.tgz':
    packed,
  'npm install ../paydo-checkout/tarballs/paydo-checkout-widget-0.1.0.tgz': packed,
  'npm install pg': { notRunHere: 'installs a registry package into your app (the packed-install test installs pg)' },
  'npm install @paydo-checkout/react': { notRunHere: 'the package is not published yet (the README says so)' },
  'pnpm test': ci,
  'pnpm typecheck': ci,
  'pnpm lint': ci,
  'pnpm build': ci,
  'pnpm bench': { coveredBy: 'packages/server-kit/bench/run.ts' }, // `pnpm test` runs it with --quick
  'pnpm errors:doc': { coveredBy: 'packages/server-kit/test/error-catalogue.test.ts' }, // fails when the page is stale
  'pnpm screenshots': { notRunHere: 'takes screenshots in a browser (minutes)' },
  'pnpm screenshots:languages': { notRunHere: 'takes screenshots in a browser (minutes)' },
  'npx -y pnpm@12.4.2 build && npx -y pnpm@12.4.2 screenshots': { notRunHere: 'takes screenshots in a browser' },
  'npx -y pnpm@12.4.2 screenshots --review': { notRunHere: 'takes screenshots in a browser' },
  'pnpm --filter @paydo-checkout/widget test': testAll,
  'pnpm exec vitest run --config examples/react/vitest.e2e.config.ts': testAll,
  'pnpm start': { notRunHere: 'serves an example until stopped' },
  'pnpm install': ci,
  'pnpm --filter @paydo-checkout/widget build': ci, // a part of `pnpm build`
  'pnpm --filter paydo-example-express start': {
    notRunHere: 'serves the Express example until stopped; examples/express/test/e2e drives the same shop',
  },
  'pnpm --filter paydo-example-hono start': {
    notRunHere: 'serves the Hono example until stopped; examples/hono/test/e2e drives the same shop',
  },
  'pnpm exec vitest run --config examples/express/vitest.e2e.config.ts': testAll,
  'pnpm exec vitest run --config examples/hono/vitest.e2e.config.ts': testAll,
  'npx -y pnpm@12.4.2 --filter @paydo-checkout/widget build': ci,
  'npx -y pnpm@12.4.2 --filter paydo-example-express start': {
    notRunHere: 'serves the Express example until stopped; examples/express/test/e2e drives the same shop',
  },
  'npx -y pnpm@12.4.2 --filter paydo-example-hono start': {
    notRunHere: 'serves the Hono example until stopped; examples/hono/test/e2e drives the same shop',
  },
  'npx -y pnpm@12.4.2 exec vitest run --config examples/express/vitest.e2e.config.ts': testAll,
  'npx -y pnpm@12.4.2 exec vitest run --config examples/hono/vitest.e2e.config.ts': testAll,
  'npm install express': {
    notRunHere: 'installs a registry package into your app (the packed-install test installs express)',
  },
};

/** The commands of every README, as written (continuation lines joined, comments dropped). */
function readmeCommands(): { file: string; command: string }[] {
  const files = [
    'README.md',
    ...['packages', 'examples'].flatMap((d) =>
      readdirSync(join(ROOT, d))
        .map((p) => `${d}/${p}/README.md`)
        .filter((f) => existsSync(join(ROOT, f))),
    ),
  ];
  const out: { file: string; command: string }[] = [];
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    let inBlock = false;
    let pending = '';
    for (const raw of text.split('\n')) {
      if (/^```(sh|bash|shell)\s*$/.test(raw)) inBlock = true;
      else if (inBlock && raw.startsWith('```')) inBlock = false;
      else if (inBlock) {
        const line = raw.trim();
        if (!line || line.startsWith('#')) continue;
        pending += `${line.replace(/\\$/, '')} `;
        if (line.endsWith('\\')) continue;
        out.push({
          file,
          command: pending
            .replace(/\s+#.*$/, '')
            .replace(/\s+/g, ' ')
            .trim(),
        });
        pending = '';
      }
    }
    for (const m of text.matchAll(/`((?:pnpm|npx|npm) [^`]+)`/g)) out.push({ file, command: m[1] as string });
  }
  return out;
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox?.close());

/** Environment without pnpm's npm_config_* (npx would read them as its own). */
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));

async function runCommand(run: Run): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...cleanEnv() };
  if (run.doctorEnv)
    Object.assign(env, {
      PAYDO_PUBLIC_KEY: sandbox.project.publicKey,
      PAYDO_SECRET_KEY: sandbox.project.secretKey,
      PAYDO_JWT: sandbox.project.jwt,
      PAYDO_BASE_URL: sandbox.apiUrl,
      PUBLIC_URL: 'https://shop.example',
    });
  const [cmd, ...args] = run.argv as [string, ...string[]];
  if (!run.serverReady) {
    try {
      const r = await promisify(execFile)(cmd, args, { cwd: join(ROOT, run.cwd), env, timeout: 60_000 });
      return { code: 0, output: r.stdout + r.stderr };
    } catch (error) {
      const e = error as { code: number; stdout?: string; stderr?: string };
      return { code: e.code, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  }
  // A server: its own process group, so pnpm and the node it starts stop together.
  const child: ChildProcess = spawn(cmd, args, { cwd: join(ROOT, run.cwd), env, detached: true });
  let output = '';
  try {
    return await new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${run.serverReady}" within 60 s:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (run.serverReady?.test(output)) {
          clearTimeout(timer);
          resolvePromise({ code: 0, output });
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolvePromise({ code, output });
      });
    });
  } finally {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
  }
}

describe('README commands', () => {
  const found = readmeCommands();

  it('every command a README shows is run here, run by a named test, or explained', () => {
    const unknown = [...new Set(found.filter((c) => !(c.command in COMMANDS)).map((c) => `${c.file}: ${c.command}`))];
    expect(unknown).toEqual([]);
    for (const entry of Object.values(COMMANDS))
      if ('coveredBy' in entry) expect(existsSync(join(ROOT, entry.coveredBy)), entry.coveredBy).toBe(true);
  });

  const runnable = Object.entries(COMMANDS).filter(
    (e): e is [string, { run: Run }] => 'run' in e[1] && found.some((c) => c.command === e[0]),
  );
  it.each(runnable)('%s', { timeout: 90_000 }, async (_command, { run }) => {
    const { code, output } = await runCommand(run);
    expect(output).toMatch(run.output);
    expect(code, output).toBe(run.exit ?? 0);
  });
});
