import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCli } from '../src/cli.ts';
import { createSandbox, type Sandbox } from '../src/index.ts';
import { caller, HOSTED_METHOD, invoiceBody, ipnReceiver, payByCard, postForm } from './helpers.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let sandbox: Sandbox;
let api: ReturnType<typeof caller>;
beforeAll(async () => {
  sandbox = await createSandbox({ seed: 25, refundAcceptMs: null, pendingMs: 60_000 });
  api = caller(sandbox);
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.control.reset());

async function newInvoice(paymentMethod: number | null = null): Promise<string> {
  const created = await api('POST', '/invoices/create', { body: invoiceBody(sandbox, { paymentMethod }) });
  expect(created.status).toBe(200);
  return created.headers.get('identifier') as string;
}

const payIt = (invoiceId: string) =>
  api('POST', '/checkout/create', {
    body: {
      invoiceIdentifier: invoiceId,
      customer: { email: 'payer@example.com', name: 'Ada Lovelace', extraFields: { nationalid: '1234567890' } },
      checkStatusUrl: 'https://shop.example/checkout?paydo_txid={{txid}}',
      paymentMethod: 200002,
    },
  });

describe("the emulator's clock", () => {
  it('makes an unpaid invoice overdue after 24 hours of its time (status 2, isOverdue)', async () => {
    const invoiceId = await newInvoice();
    const fresh = await api('GET', `/invoices/${invoiceId}`);
    expect(fresh.body.data).toMatchObject({ status: 0, isOverdue: false });

    sandbox.control.advanceClock(DAY - 1000);
    expect((await api('GET', `/invoices/${invoiceId}`)).body.data).toMatchObject({ status: 0, isOverdue: false });

    const clock = sandbox.control.advanceClock(1000);
    expect(clock.offsetMs).toBe(DAY);
    expect(Date.parse(clock.now) - Date.now()).toBeGreaterThan(DAY - 5000);
    expect((await api('GET', `/invoices/${invoiceId}`)).body.data).toMatchObject({ status: 2, isOverdue: true });
    // The snapshot (and the dashboard) see it too.
    expect(sandbox.control.snapshot().invoices[0]).toMatchObject({ identifier: invoiceId, status: 2 });
  });

  it('refuses to pay an overdue invoice, and changes nothing', async () => {
    const invoiceId = await newInvoice();
    sandbox.control.advanceClock(DAY);
    const refused = await payIt(invoiceId);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ message: { isSuccess: false, message: 'Invoice is overdue' } });
    expect(sandbox.control.snapshot().transactions).toEqual([]);
    expect((await api('GET', `/invoices/${invoiceId}`)).body.data).toMatchObject({ status: 2, isOverdue: true });
  });

  it('leaves a paid invoice paid, and a newer invoice payable', async () => {
    const { invoiceId: paid } = await payByCard(sandbox, '4242424242424242');
    sandbox.control.advanceClock(12 * HOUR);
    const newer = await newInvoice();
    sandbox.control.advanceClock(12 * HOUR);
    expect((await api('GET', `/invoices/${paid}`)).body.data).toMatchObject({ status: 1, isOverdue: false });
    expect((await api('GET', `/invoices/${newer}`)).body.data).toMatchObject({ status: 0, isOverdue: false });
    expect((await payIt(newer)).status).toBe(200);
    expect((await api('GET', `/invoices/${newer}`)).body.data.status).toBe(1);
  });

  it("times out a transaction still waiting for the payer's 3-D Secure when its invoice becomes overdue", async () => {
    const { invoiceId, txid } = await payByCard(sandbox, '4000000000003220');
    expect((await api('GET', `/checkout/check-transaction-status/${txid}`)).body.data.status).toBe('pending');
    sandbox.control.advanceClock(DAY);
    const tx = await api('GET', `/transactions/${txid}`);
    expect(tx.body.data).toMatchObject({ state: 15, error: expect.stringMatching(/overdue/) });
    expect((await api('GET', `/invoices/${invoiceId}`)).body.data).toMatchObject({ status: 2, isOverdue: true });
    // The bank's page is gone: approving there changes nothing.
    const approve = await postForm(sandbox, `/_sandbox/acs/${txid}/complete`, { decision: 'approve' });
    expect(approve.status).toBe(410);
    expect(await approve.text()).toContain('not completed in time');
    expect((await api('GET', `/transactions/${txid}`)).body.data.state).toBe(15);
  });

  it('leaves a payment with the bank to finish past the invoice time; if it fails then, the invoice is overdue', async () => {
    sandbox.control.configure({ pendingMs: 2 * DAY }); // the bank answers in two days
    try {
      const { invoiceId, txid } = await payByCard(sandbox, '4000000000000119');
      sandbox.control.advanceClock(DAY);
      expect((await api('GET', `/transactions/${txid}`)).body.data.state).toBe(4);
      expect((await api('GET', `/invoices/${invoiceId}`)).body.data).toMatchObject({ status: 4, isOverdue: false });
      // Then the bank declines.
      sandbox.control.advance(txid, 3, { message: 'Card declined by the issuer', code: 'card_declined' });
      expect((await api('GET', `/invoices/${invoiceId}`)).body.data).toMatchObject({ status: 2, isOverdue: true });
      expect((await payIt(invoiceId)).status).toBe(422);
    } finally {
      sandbox.control.configure({ pendingMs: 60_000 });
    }
  });

  it("runs delayed work that falls due (the pending card's acceptance) when the clock passes it", async () => {
    const { txid } = await payByCard(sandbox, '4000000000000119');
    expect((await api('GET', `/transactions/${txid}`)).body.data.state).toBe(4);
    sandbox.control.advanceClock(59_000);
    expect((await api('GET', `/transactions/${txid}`)).body.data.state).toBe(4);
    sandbox.control.advanceClock(1_000);
    expect((await api('GET', `/transactions/${txid}`)).body.data.state).toBe(2);
  });

  it("shows an overdue invoice's hosted page as expired, and refuses its Pay button", async () => {
    const invoiceId = await newInvoice(HOSTED_METHOD);
    sandbox.control.advanceClock(DAY);
    const page = await fetch(`${sandbox.url}/en/payment/invoice-preprocessing/${invoiceId}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('This payment has expired');
    const pay = await postForm(sandbox, `/_sandbox/hosted/${invoiceId}/complete`, { decision: 'approve' });
    expect(pay.status).toBe(410);
    expect(sandbox.control.snapshot().transactions).toEqual([]);
  });

  it('moves by the control API and the dashboard form, refuses a bad step, and resets with the state', async () => {
    const moved = await fetch(`${sandbox.url}/_sandbox/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ms: HOUR }),
    });
    expect(await moved.json()).toMatchObject({ offsetMs: HOUR, invoiceLifetimeMs: DAY });
    const form = await postForm(sandbox, `/_sandbox/clock/advance`, { ms: String(DAY) });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/_sandbox');
    expect(((await (await fetch(`${sandbox.url}/_sandbox/clock`)).json()) as { offsetMs: number }).offsetMs).toBe(
      HOUR + DAY,
    );
    for (const ms of [-1, 1.5, 'soon', null]) {
      const bad = await fetch(`${sandbox.url}/_sandbox/clock/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ms }),
      });
      expect(bad.status, String(ms)).toBe(422);
      expect(((await bad.json()) as { message: string }).message).toMatch(/whole number of milliseconds/);
    }
    expect(sandbox.control.clock().offsetMs).toBe(HOUR + DAY);
    const dashboard = await (await fetch(`${sandbox.url}/_sandbox`)).text();
    expect(dashboard).toContain('action="/_sandbox/clock/advance"');
    sandbox.control.reset();
    expect(sandbox.control.clock().offsetMs).toBe(0);
  });
});

describe("IPN retries on Paydo's schedule", () => {
  it('go out when the clock passes their time, not an hour of waiting later', async () => {
    const receiver = await ipnReceiver([500, 200]);
    const paydoLike = await createSandbox({ seed: 9, ipnUrl: receiver.url, ipnSchedule: 'paydo' });
    try {
      const { txid } = await payByCard(paydoLike, '4242424242424242');
      // The first delivery is refused; Paydo's schedule waits a minute before the next.
      await vi.waitFor(() => expect(paydoLike.control.ipnAttempts(txid)).toHaveLength(1));
      await new Promise((resolve) => setImmediate(resolve)); // the retry is scheduled right after
      paydoLike.control.advanceClock(59_000);
      expect(paydoLike.control.ipnAttempts(txid)).toHaveLength(1);
      paydoLike.control.advanceClock(1_000);
      await paydoLike.control.ipnIdle();
      expect(paydoLike.control.ipnAttempts(txid).map((a) => [a.attempt, a.statusCode])).toEqual([
        [1, 500],
        [2, 200],
      ]);
      expect(receiver.received).toHaveLength(2);
      // Attempts are stamped with the emulator's time.
      const [first, second] = paydoLike.control.ipnAttempts(txid);
      expect(Date.parse(second?.at ?? '') - Date.parse(first?.at ?? '')).toBeGreaterThanOrEqual(60_000);
    } finally {
      await paydoLike.close();
      await receiver.close();
    }
  });
});

describe('the invoice lifetime', () => {
  it('is set by option or CLI flag, and checked', async () => {
    expect(parseCli(['--invoice-lifetime-ms', '60000'], {}).invoiceLifetimeMs).toBe(60_000);
    expect(() => parseCli(['--invoice-lifetime-ms', '0'], {})).toThrow(/--invoice-lifetime-ms must be a whole number/);
    await expect(createSandbox({ invoiceLifetimeMs: -5 })).rejects.toThrow(/invoice lifetime ms must be/);
    const short = await createSandbox({ invoiceLifetimeMs: 60_000 });
    try {
      const shortApi = caller(short);
      const created = await shortApi('POST', '/invoices/create', { body: invoiceBody(short, { paymentMethod: null }) });
      const invoiceId = created.headers.get('identifier') as string;
      short.control.advanceClock(60_000);
      expect((await shortApi('GET', `/invoices/${invoiceId}`)).body.data).toMatchObject({ status: 2, isOverdue: true });
    } finally {
      await short.close();
    }
  });
});
