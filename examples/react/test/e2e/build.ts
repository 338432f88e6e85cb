// Builds the example for a test: the browser bundle and the server render, with React 19 (the
// example's) or React 18 (packages/react/test/react18), in development mode, where StrictMode
// mounts every effect twice and React reports hydration mismatches.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { renderPage } from '../../src/render.tsx';

const root = fileURLToPath(new URL('../../', import.meta.url));
const react18 = fileURLToPath(new URL('../../../../packages/react/test/react18/node_modules/', import.meta.url));

export interface ExampleBuild {
  clientDir: string;
  renderPage: typeof renderPage;
  /** Deletes the build. */
  remove(): void;
}

export async function buildExampleFor(react: '18' | '19'): Promise<ExampleBuild> {
  const out = mkdtempSync(join(tmpdir(), `paydo-react${react}-`));
  const alias = react === '18' ? { react: join(react18, 'react'), 'react-dom': join(react18, 'react-dom') } : {};
  const common = {
    root,
    configFile: join(root, 'vite.config.ts'),
    mode: 'development',
    logLevel: 'warn' as const,
    // Workspace packages from their TypeScript sources: no package build needed first. React's
    // development build comes from NODE_ENV; the `development` condition (Lit's dev mode) is left out.
    resolve: { alias, conditions: ['source', 'module', 'browser'] },
    define: { 'process.env.NODE_ENV': '"development"' },
  };
  await build({ ...common, build: { outDir: join(out, 'client'), minify: false } });
  await build({
    ...common,
    // Everything bundled, so that React 18's alias holds on the server too.
    ssr: { noExternal: true, resolve: { conditions: ['source', 'node'] } },
    build: { ssr: true, outDir: join(out, 'server'), minify: false },
  });
  const render = (await import(join(out, 'server', 'render.js'))) as { renderPage: typeof renderPage };
  return {
    clientDir: join(out, 'client'),
    renderPage: render.renderPage,
    remove: () => rmSync(out, { recursive: true, force: true }),
  };
}
