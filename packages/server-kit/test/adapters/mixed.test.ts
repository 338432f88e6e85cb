import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore, type PaydoOrder, type PaymentUpdate } from '../../src/fastify/index.ts';
import { cardBody, decide } from '../fastify/harness.ts';
import { ADAPTERS, type AdapterHarness, type AdapterName, call, newKey, next, pay, startAdapter } from './harness.ts';

/**
 * One shop served by all three adapters at once (three instances on one store, as behind a load
 * balancer): a payer's requests land on any of them, and the history is the same as on one.
 */
describe('a mix of adapters on one store', () => {
  let sandbox: Sandbox;
  const orders = new Map<string, PaydoOrder>();
  const updates: PaymentUpdate[] = [];
  const h = {} as Record<AdapterName, AdapterHarness>;
  beforeAll(async () => {
    sandbox = await createSandbox({ pendingMs: 300 });
    const store = new MemoryStore();
    for (const adapter of ADAPTERS) {
      h[adapter] = await startAdapter(adapter, {
        sandboxInstance: sandbox,
        plugin: {
          rateLimit: false,
          store,
          resolveOrder: async (ref: string) => orders.get(ref) ?? null,
          onPaymentUpdate: async (update: PaymentUpdate) => {
            updates.push(update);
          },
        },
      });
    }
    sandbox.control.configure({ ipnUrl: `${h.fetch.url}/paydo/ipn` });
  });
  afterAll(async () => {
    for (const adapter of ADAPTERS) await h[adapter]?.close();
    await sandbox.close();
  });

  let seq = 0;
  const order = () => {
    const ref = `mixed-${++seq}-${Date.now()}`;
    orders.set(ref, { id: `order-${ref}`, amount: '12.50', currency: 'EUR', payer: { email: 'ada@example.com' } });
    return ref;
  };

  it('3-D Secure started on Express, replayed on fetch, resumed on Fastify: one charge, one update', async () => {
    const ref = order();
    expect((await call(h.fastify, 'GET', `/paydo/checkout/${ref}`)).body.status).toBe('open');
    const key = newKey();
    const started = await pay(h.express, ref, cardBody('4000000000003220'), key);
    expect(started.body.next.type).toBe('post');
    // The widget's retry of the same attempt lands on another instance: the same answer.
    const replay = await pay(h.fetch, ref, cardBody('4000000000003220'), key);
    expect(replay.body).toEqual(started.body);
    expect((await call(h.fastify, 'GET', `/paydo/checkout/${ref}`)).body).toMatchObject({
      status: 'pending',
      txid: started.body.txid,
    });
    await decide(h.fastify as never, 'acs', started.body.txid, 'approve');
    expect((await next(h.fastify, started.body.txid, ref)).body.next).toEqual({ type: 'done', status: 'success' });
    await sandbox.control.ipnIdle();
    expect((await call(h.express, 'GET', `/paydo/checkout/${ref}`)).body.status).toBe('paid');
    const again = await pay(h.fetch, ref, cardBody('4242424242424242'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'already_paid', txid: started.body.txid });
    expect(updates.filter((u) => u.orderRef === ref).map((u) => u.status)).toEqual(['paid']);
    const invoices = sandbox.control.snapshot().invoices.filter((i) => i.orderIdentifier === `order-${ref}`);
    expect(invoices).toHaveLength(1);
  });

  it('a pending card paid on Fastify is applied once by the IPN on fetch while Express polls', async () => {
    const ref = order();
    const res = await pay(h.fastify, ref, cardBody('4000000000000119'));
    expect(res.body.next.type).toBe('wait');
    for (;;) {
      const polled = await next(h.express, res.body.txid, ref);
      if (polled.body.next.type !== 'wait') {
        expect(polled.body.next).toEqual({ type: 'done', status: 'success' });
        break;
      }
      await new Promise((r) => setTimeout(r, polled.body.next.afterMs));
    }
    await sandbox.control.ipnIdle();
    expect(updates.filter((u) => u.orderRef === ref).map((u) => u.status)).toEqual(['paid']);
    expect(h.fetch.ipns.find((i) => i.txid === res.body.txid)?.outcome).toMatch(/applied|duplicate/);
  });
});
