// The card mode known before the first card field: with `cardPayments: 'auto'` each instance asks
// Paydo at startup (an unpaid invoice and an empty card, as paydo-doctor does) and shows card fields
// only once Paydo said yes; a refusal is stored for every instance, and a 403 at pay time still switches.
import { createSandbox } from '@paydo-checkout/sandbox';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CARD_MODE_CHECKED_AT } from '../../src/checkout/card-mode-probe.ts';
import { MemoryStore } from '../../src/fastify/index.ts';
import { addOrder, cardBody, type Harness, pay, startHarness } from './harness.ts';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  vi.useRealTimers();
});

async function start(...args: Parameters<typeof startHarness>): Promise<Harness> {
  const h = await startHarness(...args);
  open.push(h);
  return h;
}

const modeOf = async (h: Harness) =>
  (await h.app.inject({ url: `/paydo/checkout/${addOrder(h)}` })).json().cardMode as string;
/** Empty-card probes the sandbox saw: no card number ever. */
const probes = (h: Harness) =>
  h.sandbox.control.snapshot().invoices.filter((i) => i.orderIdentifier.startsWith('paydo-card-mode-'));

describe('the card mode, known at startup', () => {
  it('a project without direct tokenization: the first checkout is already hosted, before any card is typed', async () => {
    const h = await start({ plugin: { rateLimit: false }, sandbox: { cardTokenization: false } });
    const spy = vi.spyOn(h.client.cardTokens, 'create');
    expect(await modeOf(h)).toBe('hosted');
    const res = await pay(h, addOrder(h), { method: 200001, payer: { email: 'ada@example.com', name: 'Ada' } });
    expect(res.body.next.type).toBe('hosted');
    expect(spy).not.toHaveBeenCalled(); // no card data reached this server, none was tokenized
    expect(probes(h)).toHaveLength(1);
    expect(h.logs.filter((l) => l.includes('does not allow direct card tokenization'))).toHaveLength(1);
  });

  it('a project that may tokenize: direct once Paydo said so; every instance asks at its own start', async () => {
    const store = new MemoryStore();
    const sandbox = await createSandbox();
    try {
      const checkedAt = async () => Number(await store.readSetting(CARD_MODE_CHECKED_AT));
      const first = await start({ sandboxInstance: sandbox, plugin: { rateLimit: false, store } });
      expect(await modeOf(first)).toBe('direct');
      expect(await checkedAt()).toBeGreaterThan(Date.now() - 60_000);
      // A second instance on the same store asks too: a reading it did not make is not trusted.
      const second = await start({ sandboxInstance: sandbox, plugin: { rateLimit: false, store } });
      expect(await modeOf(second)).toBe('direct');
      expect(probes(first)).toHaveLength(2);
    } finally {
      await sandbox.close();
    }
  });

  it('a stored "direct" from another run does not put card fields before a project that may not tokenize', async () => {
    // Found by a new user's review: tried on the sandbox (direct), then restarted on the same data
    // with tokenization refused (real keys without PCI DSS would be the same): the first checkout
    // showed card fields and the first card number reached this server before Paydo's 403.
    const store = new MemoryStore();
    await store.saveSetting('cardMode', 'direct');
    await store.saveSetting(CARD_MODE_CHECKED_AT, String(Date.now()));
    const sandbox = await createSandbox({ cardTokenization: false });
    try {
      const h = await start({ sandboxInstance: sandbox, plugin: { rateLimit: false, store } });
      expect(await modeOf(h)).toBe('hosted');
      const spy = vi.spyOn(h.client.cardTokens, 'create');
      const res = await pay(h, addOrder(h), cardBody('4242424242424242'));
      expect(res.body.next.type).toBe('hosted');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      await sandbox.close();
    }
  });

  it('a 403 at pay time still switches for good (Paydo changed its mind after the startup check)', async () => {
    const h = await start({ plugin: { rateLimit: false } });
    expect(await modeOf(h)).toBe('direct');
    h.sandbox.control.configure({ cardTokenization: false });
    const res = await pay(h, addOrder(h), cardBody('4242424242424242'));
    expect(res.body.next.type).toBe('hosted');
    expect(await modeOf(h)).toBe('hosted');
  });

  it("Paydo not answering at startup: the plugin starts anyway, on Paydo's card page until Paydo says otherwise", async () => {
    const sandbox = await createSandbox();
    sandbox.control.setFaults([{ endpoint: 'card-token.create', kind: 'error', value: 503, times: 1 }]);
    try {
      const h = await start({ sandboxInstance: sandbox, plugin: { rateLimit: false } });
      expect(await modeOf(h)).toBe('hosted');
      expect(h.logs.some((l) => l.includes('could not tell whether Paydo tokenizes cards'))).toBe(true);
      const spy = vi.spyOn(h.client.cardTokens, 'create');
      const res = await pay(h, addOrder(h), cardBody('4242424242424242'));
      expect(res.body.next.type).toBe('hosted'); // no card read: Paydo's page takes it
      expect(spy).not.toHaveBeenCalled();
    } finally {
      await sandbox.close();
    }
  });

  it('direct or hosted set by the merchant: nothing is asked', async () => {
    for (const cardPayments of ['direct', 'hosted'] as const) {
      const h = await start({ plugin: { rateLimit: false, cardPayments }, sandbox: { cardTokenization: false } });
      expect(await modeOf(h)).toBe(cardPayments);
      expect(probes(h)).toHaveLength(0);
    }
  });
});
