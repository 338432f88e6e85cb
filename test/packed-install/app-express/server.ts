// A merchant's Express app, written from the server kit's README: copied into a fresh folder outside
// the workspace, the packages installed from their packed tarballs (express from the registry), run
// on Node 24. Its orders live in a Map; a real shop keeps them in its database.
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSandbox } from '@paydo-checkout/sandbox';
import { type PaydoOrder, paydoRouter } from '@paydo-checkout/server-kit/express';
import express from 'express';

const port = Number(process.env.PORT ?? 3000);
const publicUrl = process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}`;

// No keys in development: the Paydo emulator stands in for Paydo.
const sandbox = await createSandbox({ ipnUrl: `${publicUrl}/paydo/ipn`, pendingMs: 1_000 });

const orders = new Map<string, PaydoOrder & { txid?: string }>();
const ref = randomUUID(); // what the browser names the order by: unguessable
orders.set(ref, { id: 'A-1001', amount: '12.50', currency: 'EUR', description: 'A mug' });

const paydo = paydoRouter({
  ...sandbox.project, // publicKey, secretKey, jwt, projectId: your PAYDO_* keys in production
  baseUrl: sandbox.apiUrl,
  resolveOrder: async (orderRef) => orders.get(orderRef) ?? null,
  onPaymentUpdate: async (update) => {
    const order = orders.get(update.orderRef);
    if (order && update.status === 'paid') Object.assign(order, { paid: true, txid: update.txid });
  },
  checkoutPageUrl: (orderRef) => `${publicUrl}/checkout/${orderRef}`,
});

const app = express();
app.use('/paydo', paydo);
// <paydo-checkout> and its language files, side by side from your own origin.
const widgetDir = dirname(fileURLToPath(import.meta.resolve('@paydo-checkout/widget/paydo-checkout.js')));
app.get('/widget/:file', (req, res, next) => {
  if (!/^paydo-checkout(-[a-z-]+)?\.js$/.test(req.params.file)) return next();
  res.type('text/javascript; charset=utf-8').sendFile(req.params.file, { root: widgetDir });
});
app.get('/checkout/:ref', (req, res) => {
  res
    .type('html')
    .set('cache-control', 'no-store')
    .send(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Checkout</title>
<script type="module" src="/widget/paydo-checkout.js"></script></head>
<body>
<h1>Checkout</h1>
<paydo-checkout api="/paydo" order="${encodeURIComponent(req.params.ref)}"></paydo-checkout>
<script type="module">
  document.querySelector('paydo-checkout').addEventListener('paydo-success', (e) => {
    document.body.dataset.paid = e.detail.txid;
  });
</script>
</body>
</html>`);
});
app.get('/orders/:ref', (req, res) => {
  const order = orders.get(req.params.ref);
  res.json({ paid: order?.paid === true, txid: order?.txid ?? null });
});

await paydo.ready();
app.listen(port, '127.0.0.1', () => {
  // The test reads this line.
  console.log(JSON.stringify({ url: publicUrl, checkout: `${publicUrl}/checkout/${ref}`, ref }));
});
