// A merchant's app, written from the READMEs: it is copied into a fresh folder outside the
// workspace, with the packages installed from their packed tarballs, and run on Node 24
// (type stripping). Its orders live in a Map; a real shop keeps them in its database.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSandbox } from '@paydo-checkout/sandbox';
import { type PaydoOrder, paydo, paydoRedactPaths } from '@paydo-checkout/server-kit/fastify';
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 3000);
const publicUrl = process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}`;

// No keys in development: the Paydo emulator stands in for Paydo.
const sandbox = await createSandbox({ ipnUrl: `${publicUrl}/paydo/ipn`, pendingMs: 1_000 });

const orders = new Map<string, PaydoOrder & { txid?: string }>();
const ref = randomUUID(); // what the browser names the order by: unguessable
orders.set(ref, { id: 'A-1001', amount: '12.50', currency: 'EUR', description: 'A mug' });

const app = Fastify({ logger: { level: 'warn', redact: paydoRedactPaths } });

// <paydo-checkout> is paydo-checkout.js and one file per other language, which it fetches from
// beside itself when a page shows that language: serve them side by side from your own origin.
const widgetDir = dirname(fileURLToPath(import.meta.resolve('@paydo-checkout/widget/paydo-checkout.js')));
app.get<{ Params: { file: string } }>('/widget/:file', async (request, reply) => {
  if (!/^paydo-checkout(-[a-z-]+)?\.js$/.test(request.params.file)) return reply.callNotFound();
  const code = await readFile(join(widgetDir, request.params.file));
  return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(code);
});

await app.register(paydo, {
  prefix: '/paydo',
  ...sandbox.project, // publicKey, secretKey, jwt, projectId: your PAYDO_* keys in production
  baseUrl: sandbox.apiUrl,
  resolveOrder: async (orderRef) => orders.get(orderRef) ?? null,
  onPaymentUpdate: async (update) => {
    const order = orders.get(update.orderRef);
    if (order && update.status === 'paid') Object.assign(order, { paid: true, txid: update.txid });
  },
  checkoutPageUrl: (orderRef) => `${publicUrl}/checkout/${orderRef}`,
});

app.get<{ Params: { ref: string } }>('/checkout/:ref', (request, reply) =>
  reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Checkout</title>
<script type="module" src="/widget/paydo-checkout.js"></script></head>
<body>
<h1>Checkout</h1>
<paydo-checkout api="/paydo" order="${encodeURIComponent(request.params.ref)}" theme="light"></paydo-checkout>
<script type="module">
  document.querySelector('paydo-checkout').addEventListener('paydo-success', (e) => {
    document.body.dataset.paid = e.detail.txid;
  });
</script>
</body>
</html>`),
);
app.get<{ Params: { ref: string } }>('/orders/:ref', (request) => {
  const order = orders.get(request.params.ref);
  return { paid: order?.paid === true, txid: order?.txid ?? null };
});

await app.listen({ port, host: '127.0.0.1' });
// The test reads this line.
console.log(JSON.stringify({ url: publicUrl, checkout: `${publicUrl}/checkout/${ref}`, ref }));
