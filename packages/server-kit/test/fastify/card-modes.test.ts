// Card payments for every Paydo merchant: direct (own card fields, PCI DSS), hosted (Paydo's
// card page) and auto (direct until Paydo refuses tokenization, then hosted for good).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '@paydo-checkout/sandbox';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore, SqliteStore } from '../../src/fastify/index.ts';
import { addOrder, cardBody, type Harness, next, pay, startHarness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const checkoutOf = async (harness: Harness, ref: string) =>
  (await harness.app.inject({ url: `/paydo/checkout/${ref}` })).json();

/** The payer types the card on the sandbox's copy of Paydo's card page; answers the txid it returns with. */
async function payOnCardPage(harness: Harness, url: string, pan: string): Promise<string> {
  const invoiceId = url.split('/').pop() as string;
  const form = await (await fetch(url)).text();
  expect(form).toContain('name="pan"');
  const res = await fetch(`${harness.sandbox.url}/_sandbox/hosted/${invoiceId}/card`, {
    method: 'POST',
    body: new URLSearchParams({ pan, expirationDate: '12/39', cvv: '123', holderName: 'Ada Lovelace' }),
    redirect: 'manual',
  });
  return new URL(res.headers.get('location') as string).searchParams.get('paydo_txid') as string;
}

const switchWarnings = (harness: Harness) =>
  harness.logs.filter((l) => l.includes('does not allow direct card tokenization'));

describe('card modes', () => {
  it('auto: a tokenization refused at pay time sends this payer on to Paydo’s card page and switches for good', async () => {
    // The startup check (card-mode-probe.test.ts) found tokenization allowed; Paydo withdrew it since.
    h = await startHarness({ plugin: { rateLimit: false } });
    const first = addOrder(h);
    expect((await checkoutOf(h, first)).cardMode).toBe('direct');
    h.sandbox.control.configure({ cardTokenization: false });
    const res = await pay(h, first, cardBody('4242424242424242'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      invoiceId: expect.any(String),
      txid: null,
      next: { type: 'hosted', url: `${h.sandbox.url}/en/payment/invoice-preprocessing/${res.body.invoiceId}` },
    });
    // The invoice already carries the card method and the payer: only the card is typed on Paydo's page.
    const invoice = h.sandbox.control.snapshot().invoices.find((i) => i.identifier === res.body.invoiceId);
    expect(invoice).toMatchObject({ paymentMethod: { identifier: 200001 }, payer: { email: 'ada@example.com' } });
    const txid = await payOnCardPage(h, res.body.next.url, '4242424242424242');
    expect((await next(h, txid, first)).body.next).toEqual({ type: 'done', status: 'success' });
    await h.sandbox.control.ipnIdle();
    expect(h.updates.filter((u) => u.orderRef === first).map((u) => u.status)).toEqual(['paid']);

    // Every later payer starts on the hosted card mode: no card field, no tokenization call.
    const second = addOrder(h);
    expect((await checkoutOf(h, second)).cardMode).toBe('hosted');
    const spy = vi.spyOn(h.client.cardTokens, 'create');
    const again = await pay(h, second, { method: 200001, payer: { email: 'ada@example.com', name: 'Ada' } });
    expect(again.body.next.type).toBe('hosted');
    expect(spy).not.toHaveBeenCalled();
    expect(switchWarnings(h)).toHaveLength(1);
    expect(h.sandbox.control.snapshot().transactions).toHaveLength(1); // one payment, no lost order
  });

  it('auto reads the learned mode from the store once per few seconds, not on every checkout', async () => {
    const store = new MemoryStore();
    const reads = vi.spyOn(store, 'readSetting');
    h = await startHarness({ plugin: { rateLimit: false, store } });
    // The startup card-mode check read it a moment ago: the checkouts do not ask again.
    reads.mockClear();
    for (let i = 0; i < 10; i++) expect((await checkoutOf(h, addOrder(h))).cardMode).toBe('direct');
    expect(reads).toHaveBeenCalledTimes(0);
    // Another instance switched meanwhile: this one follows once its reading is a few seconds old.
    await store.saveSetting('cardMode', 'hosted');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 6_000 });
    try {
      expect((await checkoutOf(h, addOrder(h))).cardMode).toBe('hosted');
    } finally {
      vi.useRealTimers();
    }
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('hosted: a card the browser sends anyway is never read or tokenized', async () => {
    h = await startHarness({ plugin: { rateLimit: false, cardPayments: 'hosted' } });
    const ref = addOrder(h);
    expect((await checkoutOf(h, ref)).cardMode).toBe('hosted');
    const spy = vi.spyOn(h.client.cardTokens, 'create');
    const res = await pay(h, ref, cardBody('4000000000003220'));
    expect(res.body.next.type).toBe('hosted');
    expect(spy).not.toHaveBeenCalled();
    // 3-D Secure on Paydo's page works as in the API.
    const invoiceId = res.body.invoiceId as string;
    const challenge = await fetch(`${h.sandbox.url}/_sandbox/hosted/${invoiceId}/card`, {
      method: 'POST',
      body: new URLSearchParams({ pan: '4000000000003220', expirationDate: '12/39', cvv: '123', holderName: 'Ada' }),
    });
    expect(await challenge.text()).toContain('/_sandbox/acs/');
  });

  it('direct: a refused tokenization is an error for the payer and no switch (the merchant chose direct)', async () => {
    h = await startHarness({
      plugin: { rateLimit: false, cardPayments: 'direct' },
      sandbox: { cardTokenization: false },
    });
    const ref = addOrder(h);
    const res = await pay(h, ref, cardBody('4242424242424242'));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect((await checkoutOf(h, addOrder(h))).cardMode).toBe('direct');
    expect(switchWarnings(h)).toHaveLength(0);
  });

  it('auto remembers the switch in the store: a restarted instance starts hosted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paydo-cardmode-'));
    const sandbox = await createSandbox({ cardTokenization: false });
    try {
      const file = join(dir, 'paydo.sqlite');
      const start = () =>
        startHarness({ sandboxInstance: sandbox, plugin: { rateLimit: false, store: new SqliteStore(file) } });
      const first = await start();
      await pay(first, addOrder(first), cardBody('4242424242424242'));
      await first.close();
      h = await start();
      expect((await checkoutOf(h, addOrder(h))).cardMode).toBe('hosted');
      expect(switchWarnings(h)).toHaveLength(0); // said once, by the instance that switched
    } finally {
      await h?.close();
      h = undefined;
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
