import { afterEach, expect, it } from 'vitest';
import { addOrder, cardBody, type Harness, pay, startHarness } from './harness.ts';

/** No OpenTelemetry provider registered (the API is installed, as in most apps): nothing extra. */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('without a provider: the same answers; log lines still carry the payment ids, with no trace id', async () => {
  h = await startHarness({ plugin: { rateLimit: false } });
  h.sandbox.control.configure({ ipnUrl: null });
  const ref = addOrder(h);
  const res = await pay(h, ref, cardBody('4000000000000002'));
  expect(res.body.next).toMatchObject({ type: 'done', status: 'fail', code: 'card_declined' });
  const line = h.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'paydo: payment failed: card_declined');
  expect(line).toMatchObject({
    orderRef: ref,
    invoiceId: res.body.invoiceId,
    txid: res.body.txid,
    code: 'card_declined',
  });
  expect(line.traceId).toBeUndefined();
  expect(h.updates[0]?.traceId).toBeUndefined();
  expect((await h.app.inject({ method: 'GET', url: '/paydo/health' })).json()).toEqual({ store: 'ok', paydo: 'ok' });
});
