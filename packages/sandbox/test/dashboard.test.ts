import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.ts';
import { caller, ipnReceiver, payByCard, postForm } from './helpers.ts';

let sandbox: Sandbox;
let receiver: Awaited<ReturnType<typeof ipnReceiver>>;
beforeAll(async () => {
  // The first refund IPN is refused once, so the dashboard has a failed and a delivered attempt to show.
  receiver = await ipnReceiver([200, 500]);
  sandbox = await createSandbox({ seed: 3, refundAcceptMs: null, ipnUrl: receiver.url, ipnSchedule: [10] });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

const dashboard = async () => (await fetch(`${sandbox.url}/_sandbox`)).text();
/** The table after the heading `name`, as text without tags. */
const section = (page: string, name: string) => {
  const from = page.indexOf(`<h2>${name}`);
  const to = page.indexOf('<h2>', from + 1);
  return page
    .slice(from, to === -1 ? undefined : to)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
};

describe('the dashboard', () => {
  it('lists refunds with their status and their refund IPNs, and accepts one', async () => {
    const api = caller(sandbox);
    const { txid } = await payByCard(sandbox, '4242424242424242');
    await sandbox.control.ipnIdle();
    const created = await api('POST', '/refunds/create', {
      body: { transactionIdentifier: txid, refundType: 2, amount: '2.50', metadata: {} },
    });
    const refundId = created.headers.get('identifier') as string;
    expect(refundId).toBeTruthy();

    let refunds = section(await dashboard(), 'Refunds');
    expect(refunds).toContain('Refunds (1)');
    expect(refunds).toContain(refundId);
    expect(refunds).toContain(txid);
    expect(refunds).toContain('€2.50');
    expect(refunds).toContain('partial');
    expect(refunds).toContain('waiting for the acquirer');
    expect(refunds).toContain('none yet');
    expect(await dashboard()).toContain(`action="/_sandbox/refunds/${refundId}/accept"`);

    // The dashboard's own button accepts it; the refund IPN is refused once, then delivered.
    const accept = await postForm(sandbox, `/_sandbox/refunds/${refundId}/accept`);
    expect(accept.status).toBe(303);
    await sandbox.control.ipnIdle();
    const page = await dashboard();
    refunds = section(page, 'Refunds');
    expect(refunds).toContain('accepted');
    expect(refunds).toContain('2 attempts, last: 200');
    expect(page).not.toContain(`action="/_sandbox/refunds/${refundId}/accept"`);
    // The IPN log names refund IPNs as such, with the refund's status rather than a transaction state.
    const ipns = section(page, 'IPN attempts');
    expect(ipns).toContain('refund');
    expect(ipns).toMatch(/refund \S+ \d+\.2 accepted 200/);
  });
});
