import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore, SqliteStore } from '../../src/fastify/index.ts';
import { addOrder, cardBody, type Harness, newKey, pay, startHarness } from './harness.ts';

let dir: string;
let sandbox: Sandbox;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paydo-sqlite-'));
  sandbox = await createSandbox({ pendingMs: 100 });
});
afterEach(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PaydoStore implementations', () => {
  it('keeps idempotency and IPN dedupe across a restart', async () => {
    const file = join(dir, 'paydo.sqlite');
    const start = () =>
      startHarness({ sandboxInstance: sandbox, plugin: { rateLimit: false, store: new SqliteStore(file) } });
    let h: Harness = await start();
    sandbox.control.configure({ ipnUrl: `${h.url}/paydo/ipn` });
    const orders = h.orders;
    const ref = addOrder(h);
    const key = newKey();
    const first = await pay(h, ref, cardBody('4242424242424242'), key);
    await sandbox.control.ipnIdle();
    expect(h.updates).toHaveLength(1);
    await h.close();

    h = await start(); // a new process, the same file
    for (const [k, v] of orders) h.orders.set(k, v);
    sandbox.control.configure({ ipnUrl: `${h.url}/paydo/ipn` });
    const again = await pay(h, ref, cardBody('4242424242424242'), key);
    expect(again).toEqual(first);
    sandbox.control.resendIpn(first.body.txid);
    await sandbox.control.ipnIdle();
    expect(h.updates).toHaveLength(0); // applied before the restart: a duplicate now
    expect(h.ipns.at(-1)?.outcome).toBe('duplicate');
    const otherKey = await pay(h, ref, cardBody('4242424242424242'));
    expect(otherKey.body.error).toBe('already_paid');
    expect(sandbox.control.snapshot().transactions).toHaveLength(1);
    await h.close();
  });

  it('forgets Idempotency-Keys after their retention (memory and sqlite)', async () => {
    for (const store of [
      new SqliteStore(join(dir, 'purge.sqlite'), { keyRetentionMs: 1_000 }),
      new MemoryStore({ keyRetentionMs: 1_000 }),
    ]) {
      await store.claimIdempotencyKey('old', 'f', 60_000);
      await store.completeIdempotencyKey('old', { statusCode: 200, body: {} });
      store.purge(Date.now() + 500);
      expect((await store.claimIdempotencyKey('old', 'f', 60_000)).status).toBe('completed');
      store.purge(Date.now() + 5_000);
      expect((await store.claimIdempotencyKey('old', 'f', 60_000)).status).toBe('claimed');
      if (store instanceof SqliteStore) await store.close();
    }
  });

  it('gives one winner to concurrent claims and releases a key for a retry (memory and sqlite)', async () => {
    for (const store of [new SqliteStore(join(dir, 'claims.sqlite')), new MemoryStore()]) {
      const claims = await Promise.all(Array.from({ length: 20 }, () => store.claimIdempotencyKey('k', 'f', 60_000)));
      expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
      await store.saveAttemptProgress('k', { invoiceId: 'inv-1', transactionRequested: true });
      await store.releaseIdempotencyKey('k');
      expect(await store.claimIdempotencyKey('k', 'f', 60_000)).toEqual({
        status: 'claimed',
        progress: { invoiceId: 'inv-1', transactionRequested: true },
      });
      expect((await store.claimIdempotencyKey('k', 'other', 60_000)).status).toBe('mismatch');
      await store.completeIdempotencyKey('k', { statusCode: 200, body: { ok: 1 } });
      expect(await store.claimIdempotencyKey('k', 'f', 60_000)).toEqual({
        status: 'completed',
        response: { statusCode: 200, body: { ok: 1 } },
      });
      expect(await store.claimPaymentUpdate('tx', 2, 60_000)).toBe('claimed');
      expect(await store.claimPaymentUpdate('tx', 2, 60_000)).toBe('busy');
      await store.releasePaymentUpdate('tx', 2);
      expect(await store.claimPaymentUpdate('tx', 2, 60_000)).toBe('claimed');
      await store.completePaymentUpdate('tx', 2);
      expect(await store.claimPaymentUpdate('tx', 2, 60_000)).toBe('duplicate');
      expect(await store.acquireOrderLock('o', 'a', 60_000)).toBe(true);
      expect(await store.acquireOrderLock('o', 'b', 60_000)).toBe(false);
      await store.releaseOrderLock('o', 'a');
      expect(await store.acquireOrderLock('o', 'b', 60_000)).toBe(true);
      if (store instanceof SqliteStore) await store.close();
    }
  });
});
