// `pnpm start` here: the shop on Hono (Node), on the embedded Paydo sandbox (no keys needed).
import { serve } from '@hono/node-server';
import { createSandbox, TEST_CARDS } from '@paydo-checkout/sandbox';
import { buildShop } from './server.ts';

const port = Number(process.env.PORT ?? 3003);
const publicUrl = `http://127.0.0.1:${port}`;
const sandbox = await createSandbox({ pendingMs: 4_000, cardTokenization: true });
const { app, paydo } = buildShop({
  paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
  publicUrl: () => publicUrl,
  pollIntervalMs: 1_000,
});
// Where cards are typed is known before the first payer arrives (cardPayments 'auto').
await paydo.ready();
const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => {
  sandbox.control.configure({ ipnUrl: `${publicUrl}/paydo/ipn` });
  console.log(`\n  Hono example:   ${publicUrl}\n  Paydo sandbox:  ${sandbox.dashboardUrl}\n  Test cards:`);
  for (const card of TEST_CARDS) console.log(`    ${card.pan.replace(/(\d{4})(?=\d)/g, '$1 ')}  ${card.description}`);
});

const stop = () =>
  server.close(async () => {
    await paydo.close();
    await sandbox.close();
    process.exit(0);
  });
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
