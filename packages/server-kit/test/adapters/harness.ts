import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createSandbox, type Sandbox, type SandboxOptions } from '@paydo-checkout/sandbox';
import express from 'express';
import type { CheckoutLogger } from '../../src/checkout/logger.ts';
import type { PaydoPluginOptions } from '../../src/checkout/options.ts';
import { paydoRouter } from '../../src/express/index.ts';
import type { IpnRecord, PaydoOrder, PaymentUpdate, RefundUpdate } from '../../src/fastify/index.ts';
import { createPaydoHandler, type PaydoCheckoutHandle } from '../../src/fetch/index.ts';
import { PaydoClient } from '../../src/index.ts';
import { startHarness } from '../fastify/harness.ts';

/** The three ways a merchant serves the checkout; the shared suites run against each. */
export const ADAPTERS = ['fastify', 'express', 'fetch'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/** One adapter serving the checkout over real HTTP on loopback, beside its own emulator. */
export interface AdapterHarness {
  adapter: AdapterName;
  sandbox: Sandbox;
  /** The server's origin; the checkout is under `${url}/paydo`. */
  url: string;
  orders: Map<string, PaydoOrder>;
  updates: PaymentUpdate[];
  refunds: RefundUpdate[];
  ipns: IpnRecord[];
  client: PaydoClient;
  logs: string[];
  close(): Promise<void>;
}

export interface AdapterHarnessOptions {
  sandbox?: SandboxOptions;
  /** The checkout's options, whichever adapter (`resolveOrder` gets that adapter's request). */
  // biome-ignore lint/suspicious/noExplicitAny: one set of options for three request types
  plugin?: Partial<PaydoPluginOptions<any>>;
  sandboxInstance?: Sandbox;
}

// Records what the checkout logs, one JSON line per call (as pino would).
function recordingLogger(lines: string[]): CheckoutLogger {
  const write = (level: string) => (object: object | string, message?: string) =>
    lines.push(JSON.stringify({ level, msg: message, ...(typeof object === 'string' ? { detail: object } : object) }));
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export async function startAdapter(adapter: AdapterName, options: AdapterHarnessOptions = {}): Promise<AdapterHarness> {
  if (adapter === 'fastify') {
    const h = await startHarness({ ...options, plugin: { cardPayments: 'direct', ...options.plugin } });
    return { adapter, ...h };
  }
  const sandbox = options.sandboxInstance ?? (await createSandbox({ pendingMs: 300, ...options.sandbox }));
  const orders = new Map<string, PaydoOrder>();
  const updates: PaymentUpdate[] = [];
  const refunds: RefundUpdate[] = [];
  const ipns: IpnRecord[] = [];
  const logs: string[] = [];
  const client = new PaydoClient({
    ...sandbox.project,
    baseUrl: sandbox.apiUrl,
    retry: { minDelayMs: 1, maxDelayMs: 5 },
  });
  const checkout = {
    prefix: '/paydo',
    publicKey: sandbox.project.publicKey,
    secretKey: sandbox.project.secretKey,
    jwt: sandbox.project.jwt,
    client,
    resolveOrder: async (ref: string) => orders.get(ref) ?? null,
    onPaymentUpdate: async (update: PaymentUpdate) => {
      updates.push(update);
    },
    onRefundUpdate: async (update: RefundUpdate) => {
      refunds.push(update);
    },
    checkoutPageUrl: (ref: string) => `http://shop.test/checkout/${ref}`,
    onIpn: (record: IpnRecord) => {
      ipns.push(record);
    },
    pollIntervalMs: 100,
    statusCacheMs: 0,
    logger: recordingLogger(logs),
    // Cards in the widget's fields (the sandbox allows it), without the startup card mode check
    // and its invoice: the flows count what they make (card-mode-probe.test.ts tests the check).
    cardPayments: 'direct' as const,
    ...options.plugin,
  };
  const served = await serveAdapter(adapter, checkout);
  const { url } = served;
  if (!options.sandboxInstance && options.sandbox?.ipnUrl === undefined)
    sandbox.control.configure({ ipnUrl: `${url}/paydo/ipn` });
  return {
    adapter,
    sandbox,
    url,
    orders,
    updates,
    refunds,
    ipns,
    client,
    logs,
    close: async () => {
      await served.close();
      await client.close();
      if (!options.sandboxInstance) await sandbox.close();
    },
  };
}

/** A kit served by the Express router or the fetch handler on its own node:http server, on loopback. */
export interface ServedAdapter {
  url: string;
  reconcile: PaydoCheckoutHandle['reconcile'];
  /** Drops the connections at once (as a stopped instance), then closes the kit. */
  close(): Promise<void>;
}

export async function serveAdapter(
  adapter: 'express' | 'fetch',
  // biome-ignore lint/suspicious/noExplicitAny: one set of options for both request types
  checkout: PaydoPluginOptions<any> & { logger?: CheckoutLogger },
): Promise<ServedAdapter> {
  let server: Server;
  let kit: PaydoCheckoutHandle;
  if (adapter === 'express') {
    const router = paydoRouter(checkout);
    const app = express();
    app.disable('x-powered-by'); // the merchant's app's own header, not the router's
    app.use('/paydo', router);
    server = createServer(app);
    kit = router;
  } else {
    // The peer's address through the option (the per-call form is tested in adapter-options.test.ts).
    const peers = new WeakMap<Request, string | undefined>();
    const handler = createPaydoHandler({ ...checkout, remoteAddress: (request) => peers.get(request) });
    server = createServer((req, res) => {
      const request = toRequest(req);
      peers.set(request, req.socket.remoteAddress);
      handler(request).then(
        (response) => writeResponse(response, res),
        (error) => res.destroy(error),
      );
    });
    kit = handler;
  }
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reconcile: (options) => kit.reconcile(options),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await kit.close();
    },
  };
}

/** node:http → Web `Request` (the README's bridge for a plain Node server). */
export function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, {
    method: req.method ?? 'GET',
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : null,
    duplex: 'half', // a streamed body
  });
}

/** Web `Response` → node:http. */
export async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (response.body) for await (const chunk of response.body) res.write(chunk);
  res.end();
}

/** One HTTP request to the adapter; the answer with its headers (Date left out: the transport's clock). */
export async function call(
  h: AdapterHarness,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string } = {},
) {
  const res = await fetch(`${h.url}${path}`, {
    method,
    headers: init.headers ?? {},
    ...(init.body !== undefined && { body: init.body }),
  });
  const text = await res.text();
  const headers = Object.fromEntries(res.headers);
  delete headers.date;
  delete headers.connection;
  delete headers['keep-alive'];
  // biome-ignore lint/suspicious/noExplicitAny: answers are asserted literally
  const body: any = text ? JSON.parse(text) : undefined;
  return { status: res.status, body, headers, text };
}

let keySeq = 0;
export const newKey = () => `key-${Date.now()}-${++keySeq}`;

export function pay(
  h: AdapterHarness,
  ref: string,
  body: unknown,
  key = newKey(),
  headers: Record<string, string> = {},
) {
  return call(h, 'POST', `/paydo/checkout/${encodeURIComponent(ref)}/pay`, {
    headers: { 'content-type': 'application/json', 'idempotency-key': key, ...headers },
    body: JSON.stringify(body),
  });
}

export function next(h: AdapterHarness, txid: string, orderRef: string | null) {
  const query = orderRef === null ? '' : `?order=${encodeURIComponent(orderRef)}`;
  return call(h, 'GET', `/paydo/transactions/${txid}/next${query}`);
}
