import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../services/servers.ts';
import { redisUrl } from '../services/stores.ts';
import { addOrder, type Harness, startHarness } from './harness.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

const connect = (url: string) =>
  new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });

async function attempt(h: Harness, ref: string) {
  // No Idempotency-Key: refused by the route (422), but only after the limiter counted it.
  const res = await h.app.inject({
    method: 'POST',
    url: `/paydo/checkout/${ref}/pay`,
    headers: { 'content-type': 'application/json' },
    payload: '{}',
  });
  return { status: res.statusCode, body: res.json() as { error: string; retryable?: boolean } };
}

describe.skipIf(!redisUrl())('rate limits shared through Redis (a real redis-server)', () => {
  it('counts attempts across two instances: the limit holds for the pair, not per process', async () => {
    const redis = [connect(redisUrl()), connect(redisUrl())];
    await Promise.all(redis.map((r) => r.connect()));
    const redisPrefix = `test-${Date.now()}:`;
    const start = (client: Redis) =>
      startHarness({
        sandboxInstance: sandbox,
        plugin: { rateLimit: { perIp: { max: 3, timeWindowMs: 60_000 }, redis: client, redisPrefix } },
      });
    const [a, b] = [await start(redis[0] as Redis), await start(redis[1] as Redis)] as [Harness, Harness];
    const ref = addOrder(a);
    const statuses = [];
    for (const h of [a, b, a, b, a]) statuses.push((await attempt(h, ref)).status);
    expect(statuses).toEqual([422, 422, 422, 429, 429]);
    // In-process counting (no Redis) would have let each instance have its own 3.
    expect(await redis[0]?.keys(`${redisPrefix}*`)).not.toHaveLength(0);
    await Promise.all([a.close(), b.close()]);
    for (const r of redis) r.disconnect();
  });

  it('answers 503 (retryable) when Redis is down: a limiter that cannot count lets nothing through', async () => {
    const own = await startRedis();
    const client = connect(own.url);
    await client.connect();
    const h = await startHarness({ sandboxInstance: sandbox, plugin: { rateLimit: { redis: client } } });
    const ref = addOrder(h);
    expect((await attempt(h, ref)).status).toBe(422);
    await own.stop();
    const down = await attempt(h, ref);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ error: 'service_unavailable', retryable: true });
    await h.close();
    client.disconnect();
  });
});
