import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENV_FILE, loadEnvFile } from '../src/config.ts';

// `pnpm start` as a merchant runs it: settings from .env (the real environment winning), the
// banner naming the file, the card mode and tokenization, and Ctrl-C ending with exit code 0.
const STORE = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'paydo-store-start-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** pnpm's own entry point (the CI runs the tests through it; else the pinned version through npx). */
function pnpmEntry(): string {
  if (process.env.npm_execpath && /pnpm/.test(process.env.npm_execpath)) return process.env.npm_execpath;
  return execFileSync('npx', ['-y', 'pnpm@12.4.2', 'exec', 'node', '-e', 'console.log(process.env.npm_execpath)'], {
    cwd: STORE,
    encoding: 'utf8',
  }).trim();
}

/** How to start pnpm: its entry point is a script for Node, or (some installs) a native executable. */
function pnpmCommand(): [string, string[]] {
  const entry = pnpmEntry();
  return /\.[cm]?js$/.test(entry) ? [process.execPath, [entry]] : [entry, []];
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('.env', () => {
  it('is read from beside .env.example; what the environment sets wins', () => {
    expect(dirname(DEFAULT_ENV_FILE)).toBe(STORE.replace(/\/$/, ''));
    expect(existsSync(join(dirname(DEFAULT_ENV_FILE), '.env.example'))).toBe(true);
    const file = join(work, 'unit.env');
    writeFileSync(file, 'PORT=4001\nADMIN_PASSWORD="from the file, long enough"\n# a comment\nDATA_DIR=/from/file\n');
    const env: Record<string, string | undefined> = { STORE_ENV_FILE: file, DATA_DIR: '/from/env' };
    expect(loadEnvFile(env)).toBe(`${file} (variables set in the environment win)`);
    expect(env).toMatchObject({ PORT: '4001', ADMIN_PASSWORD: 'from the file, long enough', DATA_DIR: '/from/env' });
    expect(() => loadEnvFile({ STORE_ENV_FILE: join(work, 'missing.env') })).toThrow(
      /STORE_ENV_FILE names .*missing\.env, which does not exist/,
    );
  });
});

describe('pnpm start', () => {
  it('reads .env, says so in the banner with the card mode and tokenization, and stops on Ctrl-C with exit code 0', async () => {
    const [port, sandboxPort] = [await freePort(), await freePort()];
    const dataDir = join(work, 'data');
    const file = join(work, 'store.env');
    writeFileSync(
      file,
      [
        `PORT=${port}`,
        `SANDBOX_PORT=${sandboxPort}`,
        'ADMIN_PASSWORD=a password from the .env file',
        'PAYDO_CARD_PAYMENTS=hosted',
        'PAYDO_CARD_TOKENIZATION=false',
        'DATA_DIR=/nonexistent/should-lose',
      ].join('\n'),
    );
    // detached: its own process group, which Ctrl-C in a terminal signals as a whole.
    const [pnpm, pnpmArgs] = pnpmCommand();
    const child = spawn(pnpm, [...pnpmArgs, 'start'], {
      cwd: STORE,
      detached: true,
      // The workspace packages from their sources, as the tests use them (no build needed first).
      env: {
        ...process.env,
        NODE_OPTIONS: '--conditions=source',
        STORE_ENV_FILE: file,
        DATA_DIR: dataDir,
        PORT: undefined,
        npm_execpath: undefined,
      },
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const exited = new Promise<number | string>((resolve) =>
      child.on('close', (code, signal) => resolve(code ?? String(signal))),
    );
    const deadline = Date.now() + 60_000;
    while (!output.includes('Ctrl-C stops everything') && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('Ctrl-C stops everything');
    expect(output).toContain(`Settings:         ${file} (variables set in the environment win)`);
    expect(output).toContain(`Store:            http://127.0.0.1:${port}`);
    expect(output).toContain('Admin password:   from ADMIN_PASSWORD');
    expect(output).toContain(`SQLite in ${dataDir}`);
    expect(output).toContain(
      "Card payments:    hosted: Paydo's card page, no card data on this server (PAYDO_CARD_PAYMENTS)",
    );
    expect(output).toContain(
      'Tokenization:     the sandbox does not let the project tokenize cards (PAYDO_CARD_TOKENIZATION=false)',
    );
    expect(output).toContain(`Sandbox state:    ${join(dataDir, 'sandbox')}`);
    const login = await fetch(`http://127.0.0.1:${port}/admin/login`);
    expect(login.status).toBe(200);

    process.kill(-(child.pid as number), 'SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopped.');
    expect(output).not.toMatch(/ELIFECYCLE|Command failed/);
    // The emulator saved its state on the way out.
    expect(existsSync(join(dataDir, 'sandbox', 'sandbox-state.json'))).toBe(true);
  }, 90_000);
});

describe('the banner with real keys', () => {
  it('names the card mode and says where tokenization is decided', async () => {
    const { cardModeLine, loadConfig } = await import('../src/config.ts');
    const config = loadConfig({
      PAYDO_PUBLIC_KEY: 'application-6f1b1b5a-5b8e-4c1e-9a57-5a6e0d2f0001',
      PAYDO_SECRET_KEY: 's3cret',
      PAYDO_JWT: 'a.b.c',
      PUBLIC_URL: 'https://shop.example',
      ADMIN_PASSWORD: 'correct horse battery',
      PAYDO_CARD_PAYMENTS: 'direct',
    });
    expect(cardModeLine(config)).toEqual([
      "  Card payments:    direct: the store's card fields (needs PCI DSS at Paydo) (PAYDO_CARD_PAYMENTS)",
      "  Tokenization:     as Paydo allows this project: learned at the first card payment ('npx paydo-doctor' tells now)",
    ]);
  });
});

describe('the README install steps leave nothing for git', () => {
  it('tarballs/ (made by `pnpm pack --pack-destination ../../tarballs`) is ignored', () => {
    // git check-ignore exits 0 for an ignored path, 1 for one git would add.
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    expect(() =>
      execFileSync('git', ['check-ignore', '-q', 'tarballs/paydo-checkout-widget-0.1.0.tgz'], { cwd: root }),
    ).not.toThrow();
  });
});
