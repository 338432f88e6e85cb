// A merchant's app on plain `node:http` with the server kit's Web-standard handler, written from
// the server kit's README (its node:http bridge): copied into a fresh folder outside the
// workspace, the packages installed from their packed tarballs, run on Node 24.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createSandbox } from '@paydo-checkout/sandbox';
import { createPaydoHandler, type PaydoOrder } from '@paydo-checkout/server-kit/fetch';

const port = Number(process.env.PORT ?? 3000);
const publicUrl = process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}`;

// No keys in development: the Paydo emulator stands in for Paydo.
const sandbox = await createSandbox({ ipnUrl: `${publicUrl}/paydo/ipn`, pendingMs: 1_000 });

const orders = new Map<string, PaydoOrder & { txid?: string }>();
const ref = randomUUID(); // what the browser names the order by: unguessable
orders.set(ref, { id: 'A-1001', amount: '12.50', currency: 'EUR', description: 'A mug' });

const paydo = createPaydoHandler({
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

const widgetDir = dirname(fileURLToPath(import.meta.resolve('@paydo-checkout/widget/paydo-checkout.js')));
const page = (orderRef: string) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Checkout</title>
<script type="module" src="/widget/paydo-checkout.js"></script></head>
<body>
<h1>Checkout</h1>
<paydo-checkout api="/paydo" order="${encodeURIComponent(orderRef)}"></paydo-checkout>
<script type="module">
  document.querySelector('paydo-checkout').addEventListener('paydo-success', (e) => {
    document.body.dataset.paid = e.detail.txid;
  });
</script>
</body>
</html>`;

await paydo.ready();
createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', publicUrl);
  if (url.pathname.startsWith('/paydo/')) {
    // The README's bridge: node:http → Request, the socket's address, Response → node:http.
    const body = req.method === 'GET' || req.method === 'HEAD' ? null : Readable.toWeb(req);
    // `duplex` (a streamed body) is not in every RequestInit type yet.
    const init: RequestInit & { duplex: 'half' } = {
      method: req.method ?? 'GET',
      headers: req.headers as Record<string, string>,
      body: body as ReadableStream | null,
      duplex: 'half',
    };
    const request = new Request(`http://${req.headers.host}${req.url}`, init);
    const response = await paydo(request, { remoteAddress: req.socket.remoteAddress });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
    return;
  }
  const widget = /^\/widget\/(paydo-checkout(-[a-z-]+)?\.js)$/.exec(url.pathname);
  if (widget) {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
    res.end(await readFile(join(widgetDir, widget[1] as string)));
    return;
  }
  const checkout = /^\/checkout\/([^/]+)$/.exec(url.pathname);
  if (checkout) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page(decodeURIComponent(checkout[1] as string)));
    return;
  }
  const order = /^\/orders\/([^/]+)$/.exec(url.pathname);
  if (order) {
    const found = orders.get(decodeURIComponent(order[1] as string));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ paid: found?.paid === true, txid: found?.txid ?? null }));
    return;
  }
  res.writeHead(404).end();
}).listen(port, '127.0.0.1', () => {
  // The test reads this line.
  console.log(JSON.stringify({ url: publicUrl, checkout: `${publicUrl}/checkout/${ref}`, ref }));
});
