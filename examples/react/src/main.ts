// `pnpm start` here: builds the page, then serves it on the embedded Paydo sandbox (no keys needed).
import { createSandbox, TEST_CARDS } from '@paydo-checkout/sandbox';
import { buildExample } from './server.ts';

// The server render, as built by `vite build --ssr` (Node runs no JSX).
const { renderPage } = (await import(
  new URL('../dist/server/render.js', import.meta.url).href
)) as typeof import('./render.tsx');

const port = Number(process.env.PORT ?? 3001);
const sandbox = await createSandbox({ pendingMs: 4_000, cardTokenization: true });
let publicUrl = `http://127.0.0.1:${port}`;
const { app } = await buildExample({
  paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
  publicUrl: () => publicUrl,
  renderPage,
  clientDir: new URL('../dist/client/', import.meta.url).pathname,
  sandboxOrigin: sandbox.url,
  logger: true,
  pollIntervalMs: 1_000,
});
publicUrl = await app.listen({ port, host: '127.0.0.1' });
sandbox.control.configure({ ipnUrl: `${publicUrl}/paydo/ipn` });
console.log(
  `\n  React example:  ${publicUrl}\n  Paydo sandbox:  ${sandbox.dashboardUrl}\n  Test cards (any future expiry, any CVC):`,
);
for (const card of TEST_CARDS) console.log(`    ${card.pan.replace(/(\d{4})(?=\d)/g, '$1 ')}  ${card.description}`);

const stop = async () => {
  await app.close();
  await sandbox.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
