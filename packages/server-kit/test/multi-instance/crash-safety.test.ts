/**
 * Crash safety with real processes: plugin instances run as child processes
 * (`instance.ts`) on one PostgreSQL (two at once) or one SQLite file (one at
 * a time, restarted). Kill points are markers the instance prints and then
 * waits at, so every `kill -9` lands at a known point, never by timing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrl } from '../services/stores.ts';
import { type Instance, payUntilFinal, postPay, readUpdates, spawnInstance } from './processes.ts';

const LEASE_MS = '1000';
const CARD = (pan: string) => ({
  method: 200001,
  payer: { email: 'ada@example.com', name: 'Ada Lovelace' },
  card: { pan, expirationDate: '12/39', cvv: '123', holderName: 'Ada Lovelace' },
});
const PAID = CARD('4242424242424242');
const THREE_DS = CARD('4000000000003220');

interface Topology {
  name: 'postgres' | 'sqlite';
  skip: boolean;
}

describe.each<Topology>([
  { name: 'postgres', skip: !postgresUrl() },
  { name: 'sqlite', skip: false },
])('crash safety, real processes: $name', ({ name, skip }) => {
  let sandbox: Sandbox;
  let dir: string;
  let updatesFile: string;
  let env: Record<string, string>;
  /** The instances serving now: two on PostgreSQL, one on SQLite. */
  let running: Instance[] = [];
  const spawned: Instance[] = [];

  const start = async (extra: Record<string, string> = {}) => {
    const instance = await spawnInstance(sandbox, { ...env, ...extra });
    spawned.push(instance);
    return instance;
  };
  /** The instance that carries on after a crash: the other one (PostgreSQL) or a restarted one (SQLite). */
  const survivor = async (): Promise<Instance> => {
    if (name === 'postgres') return running[1] as Instance;
    running = [await start()];
    return running[0] as Instance;
  };
  /** An instance that stops at `point` (on SQLite the running one is stopped first: one at a time). */
  const killable = async (point: string): Promise<Instance> => {
    if (name === 'sqlite') {
      await Promise.all(running.map((i) => i.stop()));
      running = [];
    }
    return start({ KILL_AT: point });
  };
  const newRef = () => `ref-${randomUUID().slice(0, 8)}`;
  const forOrder = (ref: string) => {
    const snapshot = sandbox.control.snapshot();
    const invoices = snapshot.invoices.filter((i) => i.orderIdentifier === `order-${ref}`);
    const ids = new Set(invoices.map((i) => i.identifier));
    return { invoices, transactions: snapshot.transactions.filter((t) => ids.has(t.invoiceIdentifier)) };
  };
  const updatesOf = (txid: string) => readUpdates(updatesFile).filter((u) => u.txid === txid);
  /** A transaction waiting on 3-D Secure, made through `instance`; no IPN is sent yet. */
  const pendingPayment = async (instance: Instance) => {
    sandbox.control.configure({ ipnUrl: null });
    const ref = newRef();
    const res = await payUntilFinal(instance.url, ref, randomUUID(), THREE_DS);
    expect(res.status).toBe(200);
    return { ref, txid: res.body.txid as string };
  };

  beforeAll(async () => {
    if (skip) return;
    sandbox = await createSandbox({ pendingMs: 100 });
    dir = mkdtempSync(join(tmpdir(), 'paydo-crash-'));
    updatesFile = join(dir, 'updates.jsonl');
    env =
      name === 'postgres'
        ? {
            DATABASE_URL: postgresUrl(),
            DATABASE_SCHEMA: `crash_${randomUUID().replaceAll('-', '').slice(0, 12)}`,
            UPDATES_FILE: updatesFile,
            LEASE_MS,
          }
        : { SQLITE_FILE: join(dir, 'paydo.sqlite'), UPDATES_FILE: updatesFile, LEASE_MS };
    running = name === 'postgres' ? await Promise.all([start(), start()]) : [await start()];
  }, 60_000);

  afterAll(async () => {
    await Promise.all(spawned.map((i) => i.kill9()));
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    '50 concurrent pays with one Idempotency-Key: one invoice, one transaction, 50 identical answers',
    async () => {
      sandbox.control.configure({ ipnUrl: null });
      const ref = newRef();
      const key = randomUUID();
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => postPay((running[i % running.length] as Instance).url, ref, key, PAID)),
      );
      expect(new Set(answers.map((a) => `${a.status} ${a.text}`)).size).toBe(1);
      expect(answers[0]?.status).toBe(200);
      const { invoices, transactions } = forOrder(ref);
      expect(invoices).toHaveLength(1);
      expect(transactions).toHaveLength(1);
    },
    30_000,
  );

  it.skipIf(skip)(
    'the same IPN delivered to every instance at once, ×10: applied once',
    async () => {
      const { txid } = await pendingPayment(running[0] as Instance);
      sandbox.control.advance(txid, 2); // accepted; no IPN URL: the body is recorded, not sent
      const ipn = sandbox.control.ipnAttempts(txid).at(-1)?.body;
      expect(ipn).toBeDefined();
      const deliveries = running.flatMap((instance) =>
        Array.from({ length: 10 }, () =>
          fetch(`${instance.url}/paydo/ipn`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(ipn),
          }).then(async (r) => ({ status: r.status, body: (await r.json()) as { outcome?: string } })),
        ),
      );
      const answers = await Promise.all(deliveries);
      // 200 applied (one) or duplicate; 503 "being applied right now" (Paydo delivers again later).
      expect(answers.filter((a) => a.body.outcome === 'applied')).toHaveLength(1);
      for (const a of answers) expect([200, 503]).toContain(a.status);
      expect(updatesOf(txid)).toHaveLength(1);
    },
    30_000,
  );

  for (const point of ['ipn:before-status', 'ipn:after-status', 'ipn:in-update']) {
    it.skipIf(skip)(
      `kill -9 at ${point}, the emulator redelivers to the survivor: applied exactly once`,
      async () => {
        const { ref, txid } = await pendingPayment(running.at(-1) as Instance);
        const doomed = await killable(point);
        sandbox.control.configure({ ipnUrl: `${doomed.url}/paydo/ipn` });
        sandbox.control.advance(txid, 2);
        await doomed.reached(point);
        await doomed.kill9();
        const next = await survivor();
        sandbox.control.configure({ ipnUrl: `${next.url}/paydo/ipn` });
        sandbox.control.resendIpn(txid);
        await sandbox.control.ipnIdle();
        const updates = updatesOf(txid);
        expect(updates).toHaveLength(1);
        expect(updates[0]).toMatchObject({ state: 2, status: 'paid', source: 'ipn', pid: next.process.pid });
        expect(forOrder(ref).transactions).toHaveLength(1);
        // The order reads as paid on the survivor: a new attempt is refused.
        const again = await payUntilFinal(next.url, ref, randomUUID(), PAID);
        expect(again.body.error).toBe('already_paid');
      },
      30_000,
    );
  }

  for (const point of ['pay:after-invoice', 'pay:after-create-sent']) {
    it.skipIf(skip)(
      `kill -9 at ${point}, the browser retries the same key on the survivor: no second transaction`,
      async () => {
        sandbox.control.configure({ ipnUrl: null });
        const ref = newRef();
        const key = randomUUID();
        const doomed = await killable(point);
        const lost = postPay(doomed.url, ref, key, PAID).catch(() => null);
        await doomed.reached(point);
        await doomed.kill9();
        expect(await lost).toBeNull(); // the payer's browser never got an answer
        const next = await survivor();
        sandbox.control.configure({ ipnUrl: `${next.url}/paydo/ipn` });
        const res = await payUntilFinal(next.url, ref, key, PAID);
        expect(res.status).toBe(200);
        const txid = res.body.txid as string;
        const { invoices, transactions } = forOrder(ref);
        expect(transactions).toHaveLength(1);
        expect(transactions[0]?.identifier).toBe(txid);
        // After the invoice: Paydo's invoice was never recorded, so the retry made its own (no charge on it).
        expect(invoices).toHaveLength(point === 'pay:after-invoice' ? 2 : 1);
        sandbox.control.resendIpn(txid);
        await sandbox.control.ipnIdle();
        const updates = updatesOf(txid);
        expect(updates).toHaveLength(1);
        expect(updates[0]).toMatchObject({ state: 2, status: 'paid' });
        // The same key once more: the stored answer, nothing new at Paydo.
        const replay = await postPay(next.url, ref, key, PAID);
        expect(JSON.parse(replay.text)).toEqual(res.body);
        expect(forOrder(ref).transactions).toHaveLength(1);
      },
      30_000,
    );
  }
});
