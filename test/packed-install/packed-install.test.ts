// The packages as a merchant gets them: packed (as `pnpm pack` would publish them), installed
// with npm into a new app in a temporary folder outside the workspace, type-checked, and an
// order paid in Chromium through the app's own server (Fastify, Express, and node:http with the fetch
// handler), against the sandbox package's emulator.
// The React component is installed beside react in an app of its own and rendered on the server.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_ARGS, findChrome } from '../../scripts/chrome-path.mjs';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
// The server kit first: the widget's declarations are built against its protocol types.
const PACKAGES = ['server-kit', 'sandbox', 'widget', 'react'] as const;
const PNPM = ['-y', 'pnpm@12.4.2'];

const work = mkdtempSync(join(tmpdir(), 'paydo-packed-'));
const tarballs = join(work, 'tarballs');
const app = join(work, 'shop');
const servers: ChildProcess[] = [];
let browser: Browser | undefined;

/** The environment without pnpm's npm_config_* settings, which npm would read as its own. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));

/** Runs a command and fails with its output when it fails. */
async function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv) {
  try {
    return await run(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`);
  }
}

interface Manifest {
  name: string;
  engines?: { node?: string };
  exports?: unknown;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** Every file path named by a manifest's `exports` and `bin`, with the condition that names it. */
function namedFiles(manifest: Manifest): { condition: string; path: string }[] {
  const out: { condition: string; path: string }[] = [];
  const walk = (value: unknown, condition: string) => {
    if (typeof value === 'string') out.push({ condition, path: value });
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(manifest.exports, 'default');
  for (const path of Object.values(manifest.bin ?? {})) out.push({ condition: 'bin', path });
  return out;
}

/** A packed package's tarball. */
const tarball = (name: string) => join(tarballs, `paydo-checkout-${name}-0.1.0.tgz`);

/** npm in an app's folder: quiet, and from the local cache first. */
const npmIn = (dir: string) => (args: string[]) =>
  sh('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], dir);

/** The files a README links to or shows (relative links, images), without anchors. */
function readmeLinks(readme: string): string[] {
  return [...readme.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => (m[1] as string).split('#')[0] as string)
    .filter((link) => link && !/^[a-z]+:/i.test(link));
}

/** A port nobody listens on now (the app needs it before it starts, for its public URL). */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
    probe.on('error', fail);
  });
}

/** Starts an app's server.ts on this test's Node (24: the kit needs Node >= 22.19, not the system's). */
async function startApp(dir: string): Promise<{ url: string; checkout: string; ref: string }> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['server.ts'], {
    cwd: dir,
    env: { ...cleanEnv, PORT: String(port), PUBLIC_URL: publicUrl, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  let output = '';
  const started = await new Promise<{ url: string; checkout: string; ref: string }>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the app did not start:\n${output}`)), 30_000);
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const line = output.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) {
        clearTimeout(timer);
        done(JSON.parse(line));
      }
    });
    child.on('exit', (code) => fail(new Error(`the app exited (${code}):\n${output}`)));
  });
  expect(started.url).toBe(publicUrl);
  return started;
}

/** Pays the app's order by card in Chromium: the widget fires paydo-success, the app's order is paid. */
async function payOnce(started: { url: string; checkout: string; ref: string }): Promise<void> {
  const publicUrl = started.url;
  browser ??= await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS });
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(started.checkout);
  await page.locator('paydo-checkout input[name="email"]').fill('ada@example.com');
  await page.locator('paydo-checkout input[name="card.pan"]').fill('4242 4242 4242 4242');
  await page.locator('paydo-checkout input[name="card.expirationDate"]').fill('12/39');
  await page.locator('paydo-checkout input[name="card.cvv"]').fill('123');
  await page.locator('paydo-checkout input[name="card.holderName"]').fill('Ada Lovelace');
  await page.locator('paydo-checkout [part~="submit-button"]').click();
  // The widget fired paydo-success, and the app's order is paid (confirmed with the emulator).
  await page.locator('body[data-paid]').waitFor({ timeout: 30_000 });
  const txid = await page.locator('body').getAttribute('data-paid');
  await expect
    .poll(async () => (await fetch(`${publicUrl}/orders/${started.ref}`)).json(), { timeout: 15_000 })
    .toEqual({ paid: true, txid });
  expect(problems).toEqual([]);
  await page.close();
}

beforeAll(async () => {
  expect(relative(ROOT, work).startsWith('..')).toBe(true); // outside the workspace
  mkdirSync(tarballs);
  // `pnpm pack` runs each package's `prepack` (its build) and rewrites workspace: ranges.
  for (const name of PACKAGES) {
    await sh('npx', [...PNPM, 'pack', '--pack-destination', tarballs], join(ROOT, 'packages', name));
  }
  for (const file of readdirSync(tarballs)) {
    const into = join(work, 'unpacked', file.replace(/\.tgz$/, ''));
    mkdirSync(into, { recursive: true });
    await sh('tar', ['-xzf', join(tarballs, file), '-C', into], work);
  }
});

afterAll(async () => {
  await browser?.close();
  for (const child of servers) child.kill();
  rmSync(work, { recursive: true, force: true });
});

describe('the packed packages', () => {
  it('are whole: no workspace ranges, no source condition, their license, every exported file, bin and README link inside', () => {
    const unpacked = join(work, 'unpacked');
    const dirs = readdirSync(unpacked);
    expect(dirs).toHaveLength(PACKAGES.length);
    for (const dir of dirs) {
      const root = join(unpacked, dir, 'package');
      const text = readFileSync(join(root, 'package.json'), 'utf8');
      const manifest = JSON.parse(text) as Manifest;
      expect(text, manifest.name).not.toContain('workspace:');
      expect(manifest.engines?.node, manifest.name).toMatch(/^>=\d+/);
      // The license the manifest names ships with the code.
      expect(readFileSync(join(root, 'LICENSE'), 'utf8'), manifest.name).toMatch(/^MIT License/);
      for (const range of Object.values({ ...manifest.dependencies, ...manifest.peerDependencies })) {
        expect(range, `${manifest.name} depends on an exact version`).toMatch(/^\^/);
      }
      const named = namedFiles(manifest);
      expect(named.length, manifest.name).toBeGreaterThan(0);
      for (const { condition, path } of named) {
        expect(condition, `${manifest.name}: ${path}`).not.toBe('source');
        expect(existsSync(join(root, path)), `${manifest.name}: ${condition} ${path} is not in the tarball`).toBe(true);
      }
      // Every exported entry point that is code has its types.
      const types = named.filter((f) => f.condition === 'types');
      expect(types.length, `${manifest.name} exports no types`).toBeGreaterThan(0);
      const readme = readFileSync(join(root, 'README.md'), 'utf8');
      for (const link of readmeLinks(readme)) {
        expect(existsSync(join(root, link)), `${manifest.name}'s README links ${link}, not in the tarball`).toBe(true);
      }
    }
  });

  it('the React component: installed beside react, type-checked in TSX, rendered on the server', async () => {
    const shop = join(work, 'react-shop');
    mkdirSync(shop);
    writeFileSync(
      join(shop, 'package.json'),
      `${JSON.stringify({ name: 'a-react-shop', private: true, type: 'module' })}\n`,
    );
    const npm = npmIn(shop);
    await npm(['install', tarball('react'), tarball('widget'), 'react@^19', 'react-dom@^19']);
    await npm(['install', '--save-dev', 'typescript@^6', '@types/react@^19', '@types/react-dom@^19']);
    // The README's example, as a merchant would paste it: typed props and event details.
    const readme = readFileSync(join(ROOT, 'packages/react/README.md'), 'utf8');
    const example = /```tsx\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'the README has a TSX example').toBeDefined();
    writeFileSync(join(shop, 'checkout.tsx'), example as string);
    writeFileSync(
      join(shop, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          jsx: 'react-jsx',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        include: ['checkout.tsx'],
      }),
    );
    await sh(process.execPath, [join(shop, 'node_modules/typescript/bin/tsc'), '-p', shop], shop);
    const rendered = await sh(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        [
          "import { createElement } from 'react';",
          "import { renderToString } from 'react-dom/server';",
          "import { PaydoCheckout } from '@paydo-checkout/react';",
          "console.log(renderToString(createElement(PaydoCheckout, { order: 'A-1001', lang: 'ru', theme: 'dark' })));",
        ].join(' '),
      ],
      shop,
    );
    expect(rendered.stdout).toMatch(/^<paydo-checkout [^>]*order="A-1001"/);
    expect(rendered.stdout).toContain('lang="ru"');
    expect(rendered.stdout).toContain('theme="dark"');
  });

  it('install with npm into a new app, type-check, serve the widget and pay an order in Chromium', async () => {
    cpSync(join(import.meta.dirname, 'app'), app, { recursive: true });
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({ name: 'a-shop', private: true, type: 'module' }, null, 2)}\n`,
    );
    const npm = npmIn(app);
    await npm(['install', 'fastify@^5', tarball('server-kit'), tarball('widget')]);
    await npm(['install', '--save-dev', tarball('sandbox'), 'typescript@^6', '@types/node@^24']);
    const installed = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(installed.dependencies).sort()).toEqual([
      '@paydo-checkout/server-kit',
      '@paydo-checkout/widget',
      'fastify',
    ]);

    // The app's imports resolve to typed entry points (a missing .d.ts fails here).
    await sh(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', app], app);
    // On a server (SSR) the widget's `node` build imports without a DOM.
    const ssr = await sh(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const w = await import('@paydo-checkout/widget'); console.log(typeof w.PaydoCheckout)",
      ],
      app,
    );
    expect(ssr.stdout.trim()).toBe('function');
    // The commands are installed and run from the built files.
    const schema = await sh(process.execPath, [join(app, 'node_modules/.bin/paydo-postgres-schema')], app);
    expect(schema.stdout).toContain('CREATE TABLE');

    const started = await startApp(app);
    const { url: publicUrl } = started;

    // The element and its language files, served as the README's snippet does.
    const dist = join(app, 'node_modules/@paydo-checkout/widget/dist');
    for (const file of readdirSync(dist).filter((f) => /^paydo-checkout.*\.js$/.test(f))) {
      const served = await fetch(`${publicUrl}/widget/${file}`);
      expect(served.headers.get('content-type'), file).toContain('text/javascript');
      expect(await served.text(), file).toBe(readFileSync(join(dist, file), 'utf8'));
    }
    expect((await fetch(`${publicUrl}/widget/server.ts`)).status).toBe(404);

    await payOnce(started);
  });

  it.each([
    { adapter: 'express', entry: '@paydo-checkout/server-kit/express', registry: ['express@^5'] },
    { adapter: 'fetch', entry: '@paydo-checkout/server-kit/fetch', registry: [] },
  ])(
    'the $adapter adapter ($entry): installed into a new app, type-checked, one order paid in Chromium',
    async ({ adapter, registry }) => {
      const dir = join(work, `shop-${adapter}`);
      cpSync(join(import.meta.dirname, `app-${adapter}`), dir, { recursive: true });
      writeFileSync(
        join(dir, 'package.json'),
        `${JSON.stringify({ name: `a-shop-${adapter}`, private: true, type: 'module' }, null, 2)}\n`,
      );
      const npm = npmIn(dir);
      await npm(['install', ...registry, tarball('server-kit'), tarball('widget')]);
      await npm(['install', '--save-dev', tarball('sandbox'), 'typescript@^6', '@types/node@^24']);
      if (adapter === 'express') await npm(['install', '--save-dev', '@types/express@^5']);
      // Express stays an optional peer: nothing but what the app asked for is installed as its dependency.
      const installed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      };
      expect(Object.keys(installed.dependencies).sort()).toEqual(
        [
          '@paydo-checkout/server-kit',
          '@paydo-checkout/widget',
          ...registry.map((r) => r.replace(/@\^.*$/, '')),
        ].sort(),
      );
      await sh(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', dir], dir);
      await payOnce(await startApp(dir));
    },
  );
});
