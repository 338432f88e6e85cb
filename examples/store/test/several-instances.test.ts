/**
 * The store as two instances behind one load balancer: the payment kit's state
 * in PostgreSQL (DATABASE_URL) and its rate limits in Redis (REDIS_URL), on the
 * real servers the test run starts. The payer pays through one instance and
 * Paydo's IPN lands on the other.
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
import { buildStore } from '../src/server.ts';

const postgresUrl = inject('postgresUrl');
const redisUrl = inject('redisUrl');

describe.skipIf(!postgresUrl || !redisUrl)('two store instances on PostgreSQL and Redis', () => {
  let sandbox: Sandbox;
  let dataDir: string;
  const schema = `shop_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const instances: { app: FastifyInstance; db: StoreDb; url: string; redis: Redis }[] = [];

  beforeAll(async () => {
    sandbox = await createSandbox({ pendingMs: 100 });
    dataDir = mkdtempSync(join(tmpdir(), 'paydo-shop-'));
    for (let i = 0; i < 2; i++) {
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
      let url = '';
      const { app, db } = await buildStore({
        adminPassword: 'correct horse battery',
        cookieSecret: 'a-test-cookie-secret-of-32-characters!!',
        dataDir,
        publicUrl: () => url,
        paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
        sandboxOrigin: sandbox.url,
        paydoStore: await PostgresStore.open({ connectionString: postgresUrl, schema }),
        rateLimit: { redis, redisPrefix: `${schema}:` },
      });
      url = await app.listen({ port: 0, host: '127.0.0.1' });
      instances.push({ app, db, url, redis });
    }
  });
  afterAll(async () => {
    for (const i of instances) {
      await i.app.close();
      i.redis.disconnect();
    }
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('pays through one instance, takes the IPN on the other, keeps the kit state in PostgreSQL', async () => {
    const [a, b] = instances as [(typeof instances)[number], (typeof instances)[number]];
    sandbox.control.configure({ ipnUrl: `${b.url}/paydo/ipn` });
    const order = a.db.createOrder([{ productId: 'mug', name: 'Mug', price: '12.50', quantity: 1 }], '12.50', 'EUR');
    const res = await fetch(`${a.url}/paydo/checkout/${order.ref}/pay`, {
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
    await sandbox.control.ipnIdle();
    expect(b.db.findOrder(order.ref)).toMatchObject({ status: 'paid', txid });
    // Applied once, by whichever came first: the pay's status check on A or the IPN on B.
    expect(b.db.paymentEvents(order.ref).filter((e) => e.status === 'paid')).toHaveLength(1);
    // The IPN may first find the result being applied by A's status check (503, delivered again).
    expect(b.db.ipnLog(order.ref).at(-1)?.outcome).toMatch(/^(applied|duplicate)$/);

    const kitState = new PostgresStore({ connectionString: postgresUrl, schema });
    expect(await kitState.findTransaction(txid)).toMatchObject({ orderRef: order.ref, state: 2 });
    await kitState.close();
    expect(await (instances[0] as (typeof instances)[number]).redis.keys(`${schema}:*`)).not.toHaveLength(0);
  });
});
