import type { PaydoStore } from '../store/store.ts';

/**
 * The store contract as tests, for a store of your own (`implements PaydoStore`): run them with
 * your test runner's `describe`, `it` and `expect` (vitest or jest), each on a new, empty store.
 *
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { describeStoreContract } from '@paydo-checkout/server-kit/testing';
 * describeStoreContract('my store', () => new MyStore(freshDatabase()), { describe, it, expect });
 * ```
 *
 * `open(options)` may honour `keyRetentionMs` (the retention test passes it); the kit's stores
 * pass these on MemoryStore, SqliteStore and PostgresStore.
 */
export interface ContractTestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>, timeout?: number): void;
  // biome-ignore lint/suspicious/noExplicitAny: the runner's own matcher type
  expect(value: unknown): any;
}

export function describeStoreContract(
  name: string,
  open: (options?: { keyRetentionMs?: number }) => PaydoStore,
  { describe, it, expect }: ContractTestApi,
): void {
  describe(name, () => {
    it('forgets Idempotency-Keys after their retention', async () => {
      const store = open({ keyRetentionMs: 1_000 });
      await store.claimIdempotencyKey('old', 'f', 60_000);
      await store.completeIdempotencyKey('old', { statusCode: 200, body: {} });
      await store.purge(Date.now() + 500);
      expect((await store.claimIdempotencyKey('old', 'f', 60_000)).status).toBe('completed');
      await store.purge(Date.now() + 5_000);
      expect((await store.claimIdempotencyKey('old', 'f', 60_000)).status).toBe('claimed');
      await store.close();
    });

    it('gives one winner to concurrent claims and releases a key for a retry', async () => {
      const store = open();
      const claims = await Promise.all(Array.from({ length: 20 }, () => store.claimIdempotencyKey('k', 'f', 60_000)));
      expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.status === 'in_progress')).toHaveLength(19);
      expect(await store.readIdempotencyKey('k', 'f')).toEqual({ status: 'in_progress' });
      expect(await store.renewIdempotencyKey('k', 60_000)).toBe(true); // a slow attempt keeps its key
      await store.saveAttemptProgress('k', { invoiceId: 'inv-1', transactionRequested: true });
      await store.releaseIdempotencyKey('k');
      expect(await store.renewIdempotencyKey('k', 60_000)).toBe(false); // given back: no longer held
      expect(await store.readIdempotencyKey('k', 'f')).toBeNull();
      expect(await store.claimIdempotencyKey('k', 'f', 60_000)).toEqual({
        status: 'claimed',
        progress: { invoiceId: 'inv-1', transactionRequested: true },
      });
      expect((await store.claimIdempotencyKey('k', 'other', 60_000)).status).toBe('mismatch');
      await store.completeIdempotencyKey('k', { statusCode: 200, body: { ok: 1, b: [2], a: 'x' } });
      expect(await store.renewIdempotencyKey('k', 60_000)).toBe(false); // answered
      const completed = await store.claimIdempotencyKey('k', 'f', 60_000);
      expect(completed).toEqual({
        status: 'completed',
        response: { statusCode: 200, body: { ok: 1, b: [2], a: 'x' } },
      });
      // A replayed answer is the same bytes as the first one: key order kept.
      expect(JSON.stringify(completed)).toBe(
        JSON.stringify({ status: 'completed', response: { statusCode: 200, body: { ok: 1, b: [2], a: 'x' } } }),
      );

      const updates = await Promise.all(Array.from({ length: 10 }, () => store.claimPaymentUpdate('tx', 2, 60_000)));
      expect(updates.filter((c) => c === 'claimed')).toHaveLength(1);
      expect(await store.claimPaymentUpdate('tx', 2, 60_000)).toBe('busy');
      await store.releasePaymentUpdate('tx', 2);
      expect(await store.claimPaymentUpdate('tx', 2, 60_000)).toBe('claimed');
      await store.saveTransaction({ txid: 'tx', orderRef: 'o', invoiceId: 'inv-1' });
      await store.completePaymentUpdate('tx', 2);
      expect(await store.claimPaymentUpdate('tx', 2, 60_000)).toBe('duplicate');
      expect(await store.findTransaction('tx')).toEqual({ txid: 'tx', orderRef: 'o', invoiceId: 'inv-1', state: 2 });
      expect((await store.readOrder('o')).paidTxid).toBe('tx');

      const locks = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => store.acquireOrderLock('o', owner, 60_000)));
      expect(locks.filter(Boolean)).toHaveLength(1);
      const holder = ['a', 'b', 'c', 'd'][locks.indexOf(true)] as string;
      expect(await store.acquireOrderLock('o', holder, 60_000)).toBe(true); // renewal
      await store.releaseOrderLock('o', 'someone-else');
      expect(await store.acquireOrderLock('o', 'e', 60_000)).toBe(false);
      await store.releaseOrderLock('o', holder);
      expect(await store.acquireOrderLock('o', 'e', 60_000)).toBe(true);
      await store.close();
    });

    it('lets a lease run out: a crashed holder does not block forever', async () => {
      const store = open();
      expect((await store.claimIdempotencyKey('k', 'f', 1)).status).toBe('claimed');
      expect(await store.acquireOrderLock('o', 'a', 1)).toBe(true);
      expect(await store.claimPaymentUpdate('tx', 3, 1)).toBe('claimed');
      await new Promise((r) => setTimeout(r, 20));
      expect(await store.readIdempotencyKey('k', 'f')).toBeNull();
      expect((await store.claimIdempotencyKey('k', 'f', 60_000)).status).toBe('claimed');
      expect(await store.acquireOrderLock('o', 'b', 60_000)).toBe(true);
      expect(await store.claimPaymentUpdate('tx', 3, 60_000)).toBe('claimed');
      await store.close();
    });

    it('keeps invoices, transactions, the paying transaction and duplicate refunds', async () => {
      const store = open();
      await store.saveInvoice('o|1|EUR', 'o', 'inv-1');
      await store.saveInvoice('o|2|EUR', 'o', 'inv-2');
      await store.saveInvoice('p|1|EUR', 'p', 'inv-3');
      expect(await store.findOrderByInvoice('inv-3')).toBe('p');
      expect((await store.readOrder('o')).invoices).toEqual([
        { invoiceKey: 'o|1|EUR', invoiceId: 'inv-1' },
        { invoiceKey: 'o|2|EUR', invoiceId: 'inv-2' },
      ]);
      expect(await store.readOrder('nope')).toEqual({ paidTxid: null, latest: null, invoices: [], transactions: [] });
      await store.saveTransaction({ txid: 't1', orderRef: 'o', invoiceId: 'inv-1' });
      await store.saveTransaction({ txid: 't2', orderRef: 'o', invoiceId: 'inv-2' });
      await store.saveTransaction({ txid: 't1', orderRef: 'o', invoiceId: 'inv-1' }); // again: no change
      expect((await store.readOrder('o')).latest).toEqual({
        txid: 't2',
        orderRef: 'o',
        invoiceId: 'inv-2',
        state: null,
      });
      expect((await store.readOrder('o')).paidTxid).toBeNull();
      // An applied result shows in the order's lookups (indexed in MemoryStore, not a walk).
      expect(await store.claimPaymentUpdate('t1', 2, 60_000)).toBe('claimed');
      await store.completePaymentUpdate('t1', 2);
      expect((await store.readOrder('o')).paidTxid).toBe('t1');
      expect((await store.readOrder('p')).paidTxid).toBeNull();
      expect((await store.findTransaction('t1'))?.state).toBe(2);
      expect((await store.readOrder('o')).latest).toMatchObject({ txid: 't2', state: null });
      // A later invoice under the same key is the one to reuse; the earlier one stays the order's.
      await store.saveInvoice('o|1|EUR', 'o', 'inv-1b');
      expect((await store.readOrder('o')).invoices).toEqual([
        { invoiceKey: 'o|1|EUR', invoiceId: 'inv-1' },
        { invoiceKey: 'o|2|EUR', invoiceId: 'inv-2' },
        { invoiceKey: 'o|1|EUR', invoiceId: 'inv-1b' },
      ]);
      expect(await store.findOrderByInvoice('inv-1')).toBe('o');
      expect((await store.readOrder('o')).transactions.map((t) => [t.txid, t.invoiceId, t.state])).toEqual([
        ['t1', 'inv-1', 2],
        ['t2', 'inv-2', null],
      ]);
      expect(await store.claimPaymentUpdate('t1', 2, 60_000)).toBe('duplicate');
      const holders = await Promise.all(['t1', 't2', 't1', 't2'].map((t) => store.claimOrderPayment('o', t)));
      expect(new Set(holders).size).toBe(1);
      expect(await store.claimOrderPayment('o', 't3')).toBe(holders[0]);
      expect(await store.findDuplicateRefund('t2')).toBeNull();
      await store.saveDuplicateRefund('t2', null);
      expect(await store.findDuplicateRefund('t2')).toEqual({ refundId: null });
      await store.saveDuplicateRefund('t2', 'r-1');
      expect(await store.findDuplicateRefund('t2')).toEqual({ refundId: 'r-1' });
      expect(await store.readSetting('cardMode')).toBeNull();
      const changed = await Promise.all(Array.from({ length: 5 }, () => store.saveSetting('cardMode', 'hosted')));
      expect(changed.filter(Boolean)).toHaveLength(1); // one instance reports the change
      expect(await store.readSetting('cardMode')).toBe('hosted');
      expect(await store.saveSetting('cardMode', 'direct')).toBe(true);
      await store.close();
    });

    it('reports each refund update once, apart from payment updates', async () => {
      const store = open();
      const claims = await Promise.all(Array.from({ length: 6 }, () => store.claimRefundUpdate('r-1', 2, 60_000)));
      expect(claims.filter((c) => c === 'claimed')).toHaveLength(1);
      expect(await store.claimPaymentUpdate('r-1', 2, 60_000)).toBe('claimed'); // another kind of result
      await store.releaseRefundUpdate('r-1', 2);
      expect(await store.claimRefundUpdate('r-1', 2, 60_000)).toBe('claimed');
      await store.completeRefundUpdate('r-1', 2);
      expect(await store.claimRefundUpdate('r-1', 2, 60_000)).toBe('duplicate');
      await store.releaseRefundUpdate('r-1', 2); // applied stays applied
      expect(await store.claimRefundUpdate('r-1', 2, 60_000)).toBe('duplicate');
      expect(await store.claimRefundUpdate('r-1', 1, 60_000)).toBe('claimed'); // another status
      await store.close();
    });

    it('gives a named lease to one owner at a time, and back', async () => {
      const store = open();
      const taken = await Promise.all(['a', 'b', 'c'].map((owner) => store.acquireLease('sweep', owner, 60_000)));
      expect(taken.filter(Boolean)).toHaveLength(1);
      const holder = ['a', 'b', 'c'][taken.indexOf(true)] as string;
      expect(await store.acquireLease('sweep', holder, 60_000)).toBe(true); // renewal
      expect(await store.acquireLease('other', 'z', 60_000)).toBe(true); // another name
      await store.releaseLease('sweep', 'someone-else');
      expect(await store.acquireLease('sweep', 'd', 60_000)).toBe(false);
      await store.releaseLease('sweep', holder);
      expect(await store.acquireLease('sweep', 'd', 1)).toBe(true);
      await new Promise((r) => setTimeout(r, 20));
      expect(await store.acquireLease('sweep', 'e', 60_000)).toBe(true); // ran out
      await store.close();
    });

    it('schedules reconciliation: new invoices are due, checked ones wait, finished ones never come back', async () => {
      const store = open();
      const before = Date.now();
      await store.saveInvoice('o|1|EUR', 'o', 'inv-1');
      await store.saveInvoice('o|2|EUR', 'o', 'inv-2');
      await store.saveInvoice('p|1|EUR', 'p', 'inv-3');
      const now = Date.now() + 1;
      const due = await store.invoicesDue(now, 10);
      expect(due.map((d) => d.invoiceId).sort()).toEqual(['inv-1', 'inv-2', 'inv-3']);
      const first = due.find((d) => d.invoiceId === 'inv-1');
      expect(first).toMatchObject({ orderRef: 'o', finalAt: null, checks: 0 });
      expect(first?.createdAt).toBeGreaterThanOrEqual(before - 1_000);
      expect(first?.createdAt).toBeLessThanOrEqual(now + 1_000);
      expect(await store.invoicesDue(now, 2)).toHaveLength(2);
      await store.scheduleInvoiceCheck('inv-1', { nextCheckAt: now + 60_000, finalAt: null, checks: 1 });
      await store.scheduleInvoiceCheck('inv-2', { nextCheckAt: null, finalAt: now, checks: 3 });
      expect((await store.invoicesDue(now, 10)).map((d) => d.invoiceId)).toEqual(['inv-3']);
      const later = await store.invoicesDue(now + 120_000, 10);
      expect(later.map((d) => d.invoiceId).sort()).toEqual(['inv-1', 'inv-3']);
      expect(later.find((d) => d.invoiceId === 'inv-1')).toMatchObject({ checks: 1, finalAt: null });
      await store.scheduleInvoiceCheck('inv-3', { nextCheckAt: now + 5_000, finalAt: now - 10, checks: 2 });
      const paid = (await store.invoicesDue(now + 10_000, 10)).find((d) => d.invoiceId === 'inv-3');
      expect(paid?.checks).toBe(2);
      expect(Math.abs((paid?.finalAt ?? 0) - (now - 10))).toBeLessThanOrEqual(1);
      // Saving a known invoice again changes nothing (a retried createInvoice).
      await store.saveInvoice('o|2|EUR', 'o', 'inv-2');
      expect((await store.invoicesDue(now + 120_000, 10)).map((d) => d.invoiceId)).not.toContain('inv-2');
      await store.close();
    });
  });
}
