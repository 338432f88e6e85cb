// The shop's record of an order after a second tab's declined card (a review finding: the example's
// onPaymentUpdate lets a later failure overwrite a payment). Against the emulator over HTTP.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import { afterEach, expect, it } from 'vitest';
import { buildShop } from '../src/server.ts';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

/** The payer types a card on Paydo's page for the invoice (the emulator's); answers the txid. */
async function payOnPaydoPage(sandbox: Sandbox, invoiceId: string, pan: string): Promise<string> {
  const res = await fetch(`${sandbox.url}/_sandbox/hosted/${invoiceId}/card`, {
    method: 'POST',
    body: new URLSearchParams({ pan, expirationDate: '12/39', cvv: '123', holderName: 'Ada Lovelace' }),
    redirect: 'manual',
  });
  const html = res.status === 200 ? await res.text() : '';
  const acs = /\/_sandbox\/acs\/([\w-]+)/.exec(html)?.[1];
  return acs ?? (new URL(res.headers.get('location') ?? 'http://x/').searchParams.get('paydo_txid') as string);
}

it('a paid order stays paid when a second tab’s card is declined afterwards', async () => {
  const sandbox = await createSandbox({ pendingMs: 300, cardTokenization: false });
  // Listening first: the shop's public URL (the checkout page's origin) is known before the kit starts.
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { app, paydo } = buildShop({
    paydo: { ...sandbox.project, baseUrl: sandbox.apiUrl },
    publicUrl: () => url,
    pollIntervalMs: 100,
  });
  server.on('request', app);
  sandbox.control.configure({ ipnUrl: `${url}/paydo/ipn` });
  stop = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await paydo.close();
    await sandbox.close();
  };

  const created = await fetch(`${url}/orders`, { method: 'POST', redirect: 'manual' });
  const ref = (created.headers.get('location') as string).split('/').pop() as string;
  // The emulator refuses card tokenization to this project (its default), so the card is typed on
  // Paydo's card page for the order's card invoice.
  const started = await fetch(`${url}/paydo/checkout/${ref}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'review-attack-1' },
    body: JSON.stringify({
      method: 200001,
      payer: { email: 'ada@example.com', name: 'Ada Lovelace' },
      card: { pan: '4242424242424242', expirationDate: '12/39', cvv: '123', holderName: 'Ada Lovelace' },
    }),
  });
  const { invoiceId, next } = (await started.json()) as { invoiceId: string; next: { type: string } };
  expect(next.type).toBe('hosted');

  // Two tabs of Paydo's page on the one invoice: tab 1 waits at its bank, tab 2 pays at once.
  const tab1 = await payOnPaydoPage(sandbox, invoiceId, '4000000000003220');
  const tab2 = await payOnPaydoPage(sandbox, invoiceId, '4242424242424242');
  await sandbox.control.ipnIdle();
  expect(await (await fetch(`${url}/orders/${ref}`)).json()).toEqual({ status: 'paid', txid: tab2 });

  // Tab 1's bank says no, afterwards: the kit reports that transaction as failed (it is).
  await fetch(`${sandbox.url}/_sandbox/acs/${tab1}/complete`, {
    method: 'POST',
    body: new URLSearchParams({ decision: 'decline' }),
    redirect: 'manual',
  });
  await sandbox.control.ipnIdle();
  // The shop must still say paid, by tab 2: Paydo holds the money and the kit will take no new payment.
  expect(await (await fetch(`${url}/orders/${ref}`)).json()).toEqual({ status: 'paid', txid: tab2 });
});
