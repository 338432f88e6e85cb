// React 18: `react` is React 18 for the component too (the mock), and react-dom 18's server
// renderer is loaded from test/react18, where its own `react` is that same React 18.
import { createRequire } from 'node:module';
import { vi } from 'vitest';
import { serverRenderCases } from './server-render-cases.ts';

const require18 = createRequire(new URL('./react18/package.json', import.meta.url));
vi.mock('react', async () => {
  const { createRequire } = await import('node:module');
  return createRequire(new URL('./react18/package.json', import.meta.url))('react');
});

serverRenderCases(require18('react'), require18('react-dom/server'), '18');
