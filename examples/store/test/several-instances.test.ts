/**
 * The store as two instances behind one load balancer: the orders and the
 * payment kit's state in PostgreSQL (DATABASE_URL) and its rate limits in Redis
 * (REDIS_URL), on the real servers the test run starts. Each instance has its
 * own data directory, so nothing is shared through a local file. The payer
 * pays through one instance and Paydo's IPN lands on the other.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import { PostgresStore } from '@paydo-checkout/server-kit/postgres';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StoreDb } from '../src/db.ts';
import { PostgresStoreDb } from '../src/db-postgres.ts';
import { buildStore } from '../src/server.ts';

const postgresUrl = inject('postgresUrl');
const redisUrl = inject('redisUrl');

describe.skipIf(!postgresUrl || !redisUrl)('two store instances on PostgreSQL and Redis', () => {
  let sandbox: Sandbox;
  const dataDirs: string[] = [];
  const schema = `shop_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const instances: { app: FastifyInstance; db: StoreDb; url: string; redis: Redis }[] = [];

  beforeAll(async () => {
    sandbox = await createSandbox({ pendingMs: 100 });
    for (let i = 0; i < 2; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'paydo-shop-'));
      dataDirs.push(dataDir);
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
      const { app, db, url } = await buildStore({
        adminPassword: 'correct horse battery',
        cookieSecret: 'a-test-cookie-secret-of-32-characters!!',
        dataDir,
        db: await PostgresStoreDb.open({ connectionString: postgresUrl, schema }),
        listen: { port: 0, host: '127.0.0.1' },
        paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
        sandboxOrigin: sandbox.url,
        paydoStore: await PostgresStore.open({ connectionString: postgresUrl, schema }),
        rateLimit: { redis, redisPrefix: `${schema}:` },
      });
      instances.push({ app, db, url, redis });
    }
  });
  afterAll(async () => {
    for (const i of instances) {
      await i.app.close();
      i.redis.disconnect();
    }
    await sandbox.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('pays through one instance, takes the IPN on the other, keeps the kit state in PostgreSQL', async () => {
    const [a, b] = instances as [(typeof instances)[number], (typeof instances)[number]];
    sandbox.control.configure({ ipnUrl: `${b.url}/paydo/ipn` });
    const { order, txid } = await payOrder(a);
    await sandbox.control.ipnIdle();
    expect(await b.db.findOrder(order.ref)).toMatchObject({ status: 'paid', txid });
    // Applied once, by whichever came first: the pay's status check on A or the IPN on B.
    expect((await b.db.paymentEvents(order.ref)).filter((e) => e.status === 'paid')).toHaveLength(1);
    // The IPN may first find the result being applied by A's status check (503, delivered again).
    expect((await b.db.ipnLog(order.ref)).at(-1)?.outcome).toMatch(/^(applied|duplicate)$/);

    const kitState = new PostgresStore({ connectionString: postgresUrl, schema });
    expect(await kitState.findTransaction(txid)).toMatchObject({ orderRef: order.ref, state: 2 });
    await kitState.close();
    expect(await (instances[0] as (typeof instances)[number]).redis.keys(`${schema}:*`)).not.toHaveLength(0);
  });

  it('two full refunds confirmed at once on both instances: one is sent to Paydo', async () => {
    const [a, b] = instances as [(typeof instances)[number], (typeof instances)[number]];
    sandbox.control.configure({ ipnUrl: `${a.url}/paydo/ipn` });
    const { order, txid } = await payOrder(a);
    await sandbox.control.ipnIdle();
    expect(await b.db.findOrder(order.ref)).toMatchObject({ status: 'paid' });

    const [sessionA, sessionB] = await Promise.all([adminSession(a.app), adminSession(b.app)]);
    const confirm = (app: FastifyInstance, session: AdminSession) =>
      app.inject({
        method: 'POST',
        url: `/admin/orders/${order.ref}/refund/confirm`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie },
        payload: new URLSearchParams({ kind: 'full', _csrf: session.csrf }).toString(),
      });
    const answers = await Promise.all([confirm(a.app, sessionA), confirm(b.app, sessionB)]);
    // One hold wins in PostgreSQL; the other finds nothing left to refund (at the hold, or
    // before it when the winner was quicker).
    const [loser, winner] = answers.map((r) => String(r.headers.location)).sort();
    expect(winner).toBe('/admin/orders?ok=refund_requested');
    expect(loser).toMatch(/^\/admin\/orders\?error=(too_much|not_refundable)$/);
    expect(sandbox.control.snapshot().refunds.filter((r) => r.sourceTransaction.identifier === txid)).toHaveLength(1);
    expect((await a.db.refunds(order.ref)).map((r) => [r.kind, r.amount])).toEqual([['full', '12.50']]);
    expect((await b.db.findOrder(order.ref))?.status).toBe('refunded');
  });

  it('a back-office session lives in PostgreSQL: opened on one instance, it works on the other and ends on both at sign-out', async () => {
    const [a, b] = instances as [(typeof instances)[number], (typeof instances)[number]];
    const session = await adminSession(a.app);
    const orders = (app: FastifyInstance) =>
      app.inject({ method: 'GET', url: '/admin/orders', headers: { cookie: session.cookie } });
    expect((await orders(b.app)).statusCode).toBe(200);
    const out = await b.app.inject({
      method: 'POST',
      url: '/admin/logout',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie },
      payload: new URLSearchParams({ _csrf: session.csrf }).toString(),
    });
    expect(out.headers.location).toBe('/admin/login?ok=signed_out');
    expect((await orders(a.app)).headers.location).toBe('/admin/login');
    expect((await orders(b.app)).headers.location).toBe('/admin/login');
  });
});

/** A new order on `instance`, paid there by card; answers the order and its txid. */
async function payOrder(instance: { db: StoreDb; url: string }) {
  const order = await instance.db.createOrder(
    [{ productId: 'mug', name: 'Mug', price: '12.50', quantity: 1 }],
    '12.50',
    'EUR',
  );
  const res = await fetch(`${instance.url}/paydo/checkout/${order.ref}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({
      method: 200001,
      payer: { email: 'ada@example.com', name: 'Ada Lovelace' },
      card: { pan: '4242424242424242', expirationDate: '12/39', cvv: '123', holderName: 'Ada Lovelace' },
    }),
  });
  expect(res.status).toBe(200);
  const { txid } = (await res.json()) as { txid: string };
  return { order, txid };
}

interface AdminSession {
  cookie: string;
  csrf: string;
}

/** Signs in to an instance's back office: its cookies and the CSRF token of its orders page. */
async function adminSession(app: FastifyInstance): Promise<AdminSession> {
  const jar = new Map<string, string>();
  const keep = (res: { headers: Record<string, unknown>; body: string }) => {
    for (const line of [res.headers['set-cookie'] ?? []].flat()) {
      const [pair = ''] = String(line).split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '';
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrf = keep(await app.inject({ method: 'GET', url: '/admin/login' }));
  keep(
    await app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
      payload: new URLSearchParams({ password: 'correct horse battery', _csrf: csrf }).toString(),
    }),
  );
  const token = keep(await app.inject({ method: 'GET', url: '/admin/orders', headers: { cookie: cookie() } }));
  return { cookie: cookie(), csrf: token };
}
