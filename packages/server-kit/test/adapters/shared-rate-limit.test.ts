import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../services/servers.ts';
import { redisUrl } from '../services/stores.ts';
import { type AdapterHarness, call, startAdapter } from './harness.ts';

// The rate limits' Redis windows, shared by instances of different adapters (a real redis-server).
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.close());

const connect = (url: string) =>
  new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });

// No Idempotency-Key: refused by the route (422), but only after the limiter counted it.
const attempt = (h: AdapterHarness, ref: string) =>
  call(h, 'POST', `/paydo/checkout/${ref}/pay`, { headers: { 'content-type': 'application/json' }, body: '{}' });

describe.skipIf(!redisUrl())('rate limits in Redis across adapters', () => {
  it('an Express and a fetch instance count one window together', async () => {
    const redis = [connect(redisUrl()), connect(redisUrl())] as [Redis, Redis];
    await Promise.all(redis.map((r) => r.connect()));
    const redisPrefix = `test-adapters-${Date.now()}:`;
    const rateLimit = (client: Redis) => ({ perIp: { max: 3, timeWindowMs: 60_000 }, redis: client, redisPrefix });
    const a = await startAdapter('express', { sandboxInstance: sandbox, plugin: { rateLimit: rateLimit(redis[0]) } });
    const b = await startAdapter('fetch', { sandboxInstance: sandbox, plugin: { rateLimit: rateLimit(redis[1]) } });
    const ref = 'any-order';
    const statuses = [];
    for (const h of [a, b, a, b, a]) statuses.push((await attempt(h, ref)).status);
    expect(statuses).toEqual([422, 422, 422, 429, 429]);
    expect(await redis[0].keys(`${redisPrefix}*`)).not.toHaveLength(0);
    await Promise.all([a.close(), b.close()]);
    for (const r of redis) r.disconnect();
  });

  it('answers 503 (retryable) on each when Redis is down', async () => {
    const own = await startRedis();
    const client = connect(own.url);
    await client.connect();
    const hs = [
      await startAdapter('express', { sandboxInstance: sandbox, plugin: { rateLimit: { redis: client } } }),
      await startAdapter('fetch', { sandboxInstance: sandbox, plugin: { rateLimit: { redis: client } } }),
    ];
    for (const h of hs) expect((await attempt(h, 'r')).status).toBe(422);
    await own.stop();
    for (const h of hs) {
      const down = await attempt(h, 'r');
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ error: 'service_unavailable', retryable: true });
    }
    for (const h of hs) await h.close();
    client.disconnect();
  });
});
