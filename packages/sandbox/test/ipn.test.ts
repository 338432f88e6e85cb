import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.ts';
import type { Json } from './helpers.ts';
import { caller, ipnReceiver, payByCard, startSandbox } from './helpers.ts';

let sandbox: Sandbox | undefined;
let receiver: Awaited<ReturnType<typeof ipnReceiver>> | undefined;
afterEach(async () => {
  await sandbox?.close();
  await receiver?.close();
  sandbox = undefined;
  receiver = undefined;
});

describe('IPN delivery', () => {
  it('posts the IPN exactly as the contract shows on a final state', async () => {
    receiver = await ipnReceiver();
    sandbox = await startSandbox({ ipnUrl: receiver.url });
    const { txid, invoiceId } = await payByCard(sandbox, '4242424242424242');
    await receiver.waitFor(1);
    const body = receiver.received[0]?.body;
    expect(body).toEqual({
      invoice: { id: invoiceId, txid, status: 1, metadata: { orderRef: expect.any(String) } },
      transaction: {
        id: txid,
        state: 2,
        order: { id: expect.stringMatching(/^order-/) },
        error: { message: '', code: '' },
      },
    });
    expect(typeof body.transaction.state).toBe('number');
  });

  it('carries the error of a failed transaction', async () => {
    receiver = await ipnReceiver();
    sandbox = await startSandbox({ ipnUrl: receiver.url });
    await payByCard(sandbox, '4000000000009995');
    await receiver.waitFor(1);
    expect(receiver.received[0]?.body.transaction).toMatchObject({
      state: 3,
      // As documented: the sentence, and `code` an empty string.
      error: { message: 'Insufficient funds', code: '' },
    });
    expect(receiver.received[0]?.body.invoice.status).toBe(5);
  });

  it('retries along the schedule until it gets 200, recording every attempt', async () => {
    receiver = await ipnReceiver([500, 503, 404]);
    sandbox = await startSandbox({ ipnUrl: receiver.url, ipnSchedule: [20, 40, 80, 160] });
    const { txid } = await payByCard(sandbox, '4242424242424242');
    await receiver.waitFor(4);
    await sandbox.control.ipnIdle();
    const attempts = sandbox.control.ipnAttempts(txid);
    expect(attempts.map((a) => a.statusCode)).toEqual([500, 503, 404, 200]);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    const gaps = receiver.received.slice(1).map((r, i) => r.at - (receiver?.received[i]?.at ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[2]).toBeGreaterThanOrEqual(gaps[0] ?? 0);
  });

  it('gives up when the schedule is exhausted', async () => {
    receiver = await ipnReceiver([500, 500, 500, 500]);
    sandbox = await startSandbox({ ipnUrl: receiver.url, ipnSchedule: [10, 10] });
    const { txid } = await payByCard(sandbox, '4242424242424242');
    await sandbox.control.ipnIdle();
    expect(sandbox.control.ipnAttempts(txid)).toHaveLength(3);
  });

  it('delivers duplicates on purpose after a success', async () => {
    receiver = await ipnReceiver();
    sandbox = await startSandbox({ ipnUrl: receiver.url, ipnDuplicates: 2 });
    const { txid } = await payByCard(sandbox, '4242424242424242');
    await receiver.waitFor(3);
    await sandbox.control.ipnIdle();
    expect(receiver.received.map((r) => r.body)).toEqual([
      receiver.received[0]?.body,
      receiver.received[0]?.body,
      receiver.received[0]?.body,
    ]);
    expect(sandbox.control.ipnAttempts(txid).map((a) => a.duplicate)).toEqual([false, true, true]);
  });

  it('sends a new IPN on a later state change (failed → accepted) and on resend', async () => {
    receiver = await ipnReceiver();
    sandbox = await startSandbox({ ipnUrl: receiver.url });
    const { txid } = await payByCard(sandbox, '4000000000000002');
    await receiver.waitFor(1);
    sandbox.control.advance(txid, 2);
    await receiver.waitFor(2);
    expect(receiver.received.map((r) => r.body.transaction.state)).toEqual([3, 2]);
    // Over the control API, as the dashboard's button does.
    const res = await fetch(`${sandbox.url}/_sandbox/transactions/${txid}/resend-ipn`, { method: 'POST' });
    expect(res.status).toBe(200);
    await receiver.waitFor(3);
    expect(receiver.received[2]?.body.transaction.state).toBe(2);
  });

  it('sends nothing for pending unless asked, then an IPN for state 4', async () => {
    receiver = await ipnReceiver();
    sandbox = await startSandbox({ ipnUrl: receiver.url, ipnOnPending: true, pendingMs: 50 });
    await payByCard(sandbox, '4000000000000119');
    await receiver.waitFor(2);
    expect(receiver.received.map((r) => r.body.transaction.state)).toEqual([4, 2]);
  });

  it('records an undeliverable IPN when no URL is configured, and the URL can be set later', async () => {
    sandbox = await startSandbox({ ipnSchedule: [] });
    const { txid } = await payByCard(sandbox, '4242424242424242');
    await sandbox.control.ipnIdle();
    expect(sandbox.control.ipnAttempts(txid)[0]?.error).toMatch(/No IPN URL/);
    receiver = await ipnReceiver();
    const put = await fetch(`${sandbox.url}/_sandbox/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ipnUrl: receiver.url }),
    });
    expect(((await put.json()) as Json).ipnUrl).toBe(receiver.url);
    sandbox.control.resendIpn(txid);
    await receiver.waitFor(1);
    expect(receiver.received[0]?.body.transaction.id).toBe(txid);
  });

  it('the dashboard lists transactions and IPN attempts with a resend button', async () => {
    receiver = await ipnReceiver();
    sandbox = await startSandbox({ ipnUrl: receiver.url });
    const { txid } = await payByCard(sandbox, '4242424242424242');
    await sandbox.control.ipnIdle();
    const html = await (await fetch(sandbox.dashboardUrl)).text();
    expect(html).toContain(txid);
    expect(html).toContain(`/_sandbox/transactions/${txid}/resend-ipn`);
    expect(html).toContain('IPN attempts (1)');
    // The button posts a form and comes back to the dashboard.
    const res = await fetch(`${sandbox.url}/_sandbox/transactions/${txid}/resend-ipn`, {
      method: 'POST',
      body: new URLSearchParams({}),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/_sandbox');
    await receiver.waitFor(2);
    const state = (await (await fetch(`${sandbox.url}/_sandbox/state`)).json()) as Json;
    expect(state.ipnAttempts).toHaveLength(2);
    expect(await caller(sandbox)('GET', `/transactions/${txid}`)).toMatchObject({ status: 200 });
  });
});
