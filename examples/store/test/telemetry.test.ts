import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { StoreDb } from '../src/db.ts';
import { otelExporterFrom, startTelemetry } from '../src/otel.ts';
import { buildStore } from '../src/server.ts';

// OTEL_EXPORTER=console, as main.ts starts it: the kit's spans are printed, and the admin page
// shows the trace a payment was applied in.
const printed: unknown[] = [];
let stopTelemetry: () => Promise<void>;
let sandbox: Sandbox;
let app: FastifyInstance;
let db: StoreDb;
let dataDir: string;
const ADMIN_PASSWORD = 'correct horse battery';

beforeAll(async () => {
  // The console exporters print with console.dir / console.log: collected here instead.
  vi.spyOn(console, 'dir').mockImplementation((value) => void printed.push(value));
  stopTelemetry = startTelemetry(otelExporterFrom('console') ?? 'console');
  sandbox = await createSandbox({ pendingMs: 100 });
  dataDir = mkdtempSync(join(tmpdir(), 'paydo-store-otel-'));
  let url: string;
  ({ app, db, url } = await buildStore({
    adminPassword: ADMIN_PASSWORD,
    cookieSecret: 'a-test-cookie-secret-of-32-characters!!',
    dataDir,
    listen: { port: 0, host: '127.0.0.1' },
    paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
    sandboxOrigin: sandbox.url,
  }));
  sandbox.control.configure({ ipnUrl: `${url}/paydo/ipn` });
});
afterAll(async () => {
  await sandbox.close();
  await app.close();
  await stopTelemetry();
  vi.restoreAllMocks();
  rmSync(dataDir, { recursive: true, force: true });
});

it('OTEL_EXPORTER takes console, otlp or none; anything else is refused', () => {
  expect(otelExporterFrom(undefined)).toBeNull();
  expect(otelExporterFrom('none')).toBeNull();
  expect(otelExporterFrom('otlp')).toBe('otlp');
  expect(() => otelExporterFrom('jaeger')).toThrow('OTEL_EXPORTER must be console, otlp or none, not "jaeger".');
});

it("exports the kit's spans, and the admin order page shows the order's trace id", async () => {
  const order = await db.createOrder(
    [{ productId: 'tee', name: 'Organic T-shirt', price: '25.00', quantity: 1 }],
    '25.00',
    'EUR',
  );
  const res = await app.inject({
    method: 'POST',
    url: `/paydo/checkout/${order.ref}/pay`,
    headers: { 'content-type': 'application/json', 'idempotency-key': `k-${order.ref}` },
    payload: JSON.stringify({
      method: 200001,
      payer: { email: 'ada@example.com', name: 'Ada' },
      card: { pan: '4242424242424242', expirationDate: '12/39', cvv: '123', holderName: 'Ada' },
    }),
  });
  expect(res.json().next).toEqual({ type: 'done', status: 'success' });
  await sandbox.control.ipnIdle();
  const traceId = (await db.paymentEvents(order.ref)).find((e) => e.status === 'paid')?.traceId;
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);

  // The back office, logged in as a person would.
  let cookie = '';
  const keep = (r: { headers: Record<string, unknown> }) => {
    const set = r.headers['set-cookie'];
    const pairs = (Array.isArray(set) ? set : set ? [set] : []).map((l) => String(l).split(';')[0]);
    cookie = [...cookie.split('; ').filter(Boolean), ...pairs].join('; ');
  };
  const loginPage = await app.inject({ method: 'GET', url: '/admin/login' });
  keep(loginPage);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(loginPage.body)?.[1] ?? '';
  const login = await app.inject({
    method: 'POST',
    url: '/admin/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    payload: new URLSearchParams({ password: ADMIN_PASSWORD, _csrf: csrf }).toString(),
  });
  expect(login.headers.location).toBe('/admin/orders');
  keep(login);
  const page = await app.inject({ method: 'GET', url: '/admin/orders', headers: { cookie } });
  expect(page.body).toContain(`data-trace-id="${traceId}"`);

  // The console exporter printed the payment's spans, in that trace.
  await stopTelemetry();
  const spans = printed.filter(
    (p): p is { name: string; traceId: string } => typeof p === 'object' && p !== null && 'traceId' in p,
  );
  expect(spans.some((s) => s.traceId === traceId && s.name.startsWith('paydo.'))).toBe(true);
  expect(spans.some((s) => s.name === 'POST /v1/checkout/create')).toBe(true);
});
