import { describeVariants, type SandboxVariants, switchedVariantSets } from '@paydo-checkout/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addOrder,
  BANK,
  CARD,
  cardBody,
  decide,
  type Harness,
  HOSTED,
  next,
  pay,
  pollUntilSettled,
  startHarness,
  WALLET,
} from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ plugin: { rateLimit: false } });
});
afterAll(() => h.close());

/**
 * The core flows (card, 3-D Secure, non-card, IPN, refund) run against the
 * emulator's default answers and again with every variant switch switched
 * (where Paydo's sources disagree), so a variant that breaks the kit fails here.
 * The other tests run against the default only, to keep the suite cheap.
 */
const VARIANT_SETS: Partial<SandboxVariants>[] = [{}, ...switchedVariantSets()];

describe('GET /checkout/:orderRef', () => {
  it('answers the order as the server knows it, and the methods for its currency with their fields', async () => {
    const ref = addOrder(h, { currency: 'USD', amount: '30.00' });
    const res = await h.app.inject({ method: 'GET', url: `/paydo/checkout/${ref}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.order).toEqual({ ref, amount: '30.00', currency: 'USD', description: 'Two mugs', items: [] });
    expect(body.methods.map((m: { id: number }) => m.id)).toEqual([CARD, WALLET, HOSTED]); // the bank transfer takes no USD
    expect(body.methods[0]).toMatchObject({
      formType: 'cards',
      fields: [
        { name: 'email', required: true, placement: 'payer' },
        { name: 'name', placement: 'payer' },
      ],
    });
    expect(body).toMatchObject({ status: 'open', txid: null, language: 'en', payer: { email: 'ada@example.com' } });
    expect(JSON.stringify(body)).not.toMatch(/sandbox-secret-key|sandbox\.jwt\.token/);
  });

  it('lists the bank transfer with its national id pattern for EUR', async () => {
    const body = (await h.app.inject({ method: 'GET', url: `/paydo/checkout/${addOrder(h)}` })).json();
    const bank = body.methods.find((m: { id: number }) => m.id === BANK);
    expect(bank.fields).toContainEqual({
      name: 'nationalid',
      type: 'text',
      required: true,
      title: 'National ID (10 digits)',
      pattern: '^\\d{10}$',
      placement: 'extra',
    });
  });

  it('answers 404 order_not_found for an unknown order', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/paydo/checkout/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'order_not_found', message: 'This order was not found.' });
  });
});

describe.each(VARIANT_SETS.map((variants) => ({ variants, label: describeVariants(variants) })))(
  'emulator variants: $label',
  ({ variants }) => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ plugin: { rateLimit: false }, sandbox: { variants, refundAcceptMs: 20 } });
    });
    afterAll(() => h.close());

    describe('paying with a card', () => {
      it('4242: done/success in one round trip; the order is updated once although the IPN also arrives', async () => {
        const ref = addOrder(h);
        const res = await pay(h, ref, cardBody('4242 4242 4242 4242'));
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          invoiceId: expect.any(String),
          txid: expect.any(String),
          next: { type: 'done', status: 'success' },
        });
        await h.sandbox.control.ipnIdle();
        const mine = h.updates.filter((u) => u.orderRef === ref);
        expect(mine).toHaveLength(1);
        expect(mine[0]).toMatchObject({
          status: 'paid',
          state: 2,
          amount: '12.50',
          currency: 'EUR',
          orderId: h.orders.get(ref)?.id,
          txid: res.body.txid,
        });
        // Whichever came first (the IPN or the status check) applied it; the other was a duplicate.
        expect(['applied', 'duplicate']).toContain(h.ipns.find((i) => i.txid === res.body.txid)?.outcome);
        // The transaction was created with the payer's IP.
        const tx = await h.client.transactions.retrieve(res.body.txid);
        expect(tx.payerInformation).toContainEqual({ type: 8, value: '127.0.0.1' });
      });

      it("ignores an amount or currency the browser sends: the order's own are charged", async () => {
        const ref = addOrder(h, { amount: '30.00' });
        const res = await pay(h, ref, {
          ...cardBody('4242424242424242'),
          amount: '0.01',
          currency: 'USD',
          order: { amount: '0.01' },
        });
        expect(res.status).toBe(200);
        const invoice = await h.client.invoices.retrieve(res.body.invoiceId);
        expect(invoice).toMatchObject({ amount: '30', currency: 'EUR' });
      });

      it('3-D Secure approve: a post step to the ACS page, then success on return', async () => {
        const ref = addOrder(h);
        const res = await pay(h, ref, cardBody('4000000000003220'));
        const step = res.body.next;
        expect(step.type).toBe('post');
        expect(step.url).toBe(`${h.sandbox.url}/_sandbox/acs/${res.body.txid}`);
        expect(step.fields.TermUrl).toBe(`http://shop.test/checkout/${ref}?paydo_txid=${res.body.txid}`);
        const back = await decide(h, 'acs', res.body.txid, 'approve');
        expect(back).toBe(`http://shop.test/checkout/${ref}?paydo_txid=${res.body.txid}`);
        expect((await next(h, res.body.txid, ref)).body).toEqual({
          txid: res.body.txid,
          next: { type: 'done', status: 'success' },
        });
      });

      it("3-D Secure decline: done/fail with its code; Paydo's words only for the merchant", async () => {
        const ref = addOrder(h);
        const res = await pay(h, ref, cardBody('4000000000003220'));
        await decide(h, 'acs', res.body.txid, 'decline');
        expect((await next(h, res.body.txid, ref)).body.next).toEqual({
          type: 'done',
          status: 'fail',
          code: 'three_d_secure_failed',
          message: 'The bank did not confirm the payment.',
        });
        const update = h.updates.find((u) => u.txid === res.body.txid);
        expect(update).toMatchObject({
          status: 'failed',
          errorCode: 'three_d_secure_failed',
          errorMessage: '3-D Secure authentication failed',
        });
        const logged = h.logs.map((l) => JSON.parse(l)).find((l) => l.txid === res.body.txid && l.code);
        expect(logged).toMatchObject({
          code: 'three_d_secure_failed',
          paydoReason: '3-D Secure authentication failed',
        });
      });

      it('declined and insufficient funds: done/fail with a clear message; a second try on the same order succeeds', async () => {
        const ref = addOrder(h);
        const declined = await pay(h, ref, cardBody('4000000000000002'));
        expect(declined.body.next).toEqual({
          type: 'done',
          status: 'fail',
          code: 'card_declined',
          message: 'The card was declined.',
        });
        const poor = await pay(h, ref, cardBody('4000000000009995'));
        expect(poor.body.next).toEqual({
          type: 'done',
          status: 'fail',
          code: 'insufficient_funds',
          message: 'The card has insufficient funds.',
        });
        expect(poor.body.invoiceId).not.toBe(declined.body.invoiceId); // a failed invoice is not reused
        const ok = await pay(h, ref, cardBody('5555555555554444'));
        expect(ok.body.next).toEqual({ type: 'done', status: 'success' });
        await h.sandbox.control.ipnIdle();
        expect(h.updates.filter((u) => u.orderRef === ref).map((u) => [u.status, u.errorCode, u.errorMessage])).toEqual(
          [
            ['failed', 'card_declined', 'Card declined by the issuer'],
            ['failed', 'insufficient_funds', 'Insufficient funds'],
            ['paid', null, null],
          ],
        );
      });

      it('pending card, through polling: wait, then success', async () => {
        const ref = addOrder(h);
        const res = await pay(h, ref, cardBody('4000000000000119'));
        expect(res.body.next).toEqual({ type: 'wait', afterMs: 100 });
        const settled = await pollUntilSettled(h, res.body.txid, ref);
        expect(settled.body.next).toEqual({ type: 'done', status: 'success' });
      });

      it('refuses a different key for a paid order with already_paid, and a card that fails the checks with field errors', async () => {
        const ref = addOrder(h);
        const first = await pay(h, ref, cardBody('4242424242424242'));
        const again = await pay(h, ref, cardBody('4242424242424242'));
        expect(again.status).toBe(409);
        expect(again.body).toMatchObject({ error: 'already_paid', txid: first.body.txid });
        const bad = await pay(h, addOrder(h), {
          method: CARD,
          payer: { email: 'not-an-email', name: 'A' },
          card: { pan: '4242424242424241', expirationDate: '01/20', cvv: '1', holderName: '' },
        });
        expect(bad.status).toBe(422);
        expect(bad.body.error).toBe('validation');
        expect(Object.keys(bad.body.fields).sort()).toEqual([
          'card.cvv',
          'card.expirationDate',
          'card.holderName',
          'card.pan',
          'email',
        ]);
        // Each field's problem as a code of the error catalogue, next to its sentence.
        expect(bad.body.issues).toEqual({
          'card.pan': 'invalid_card_number',
          'card.expirationDate': 'card_expired',
          'card.cvv': 'invalid_cvv',
          'card.holderName': 'field_required',
          email: 'invalid_email',
        });
        expect(JSON.stringify(bad.body)).not.toContain('4242424242424241');
      });
    });

    describe('pending card through the IPN', () => {
      it('the IPN applies the result while nobody polls', async () => {
        const ref = addOrder(h);
        const res = await pay(h, ref, cardBody('4000000000000119'));
        expect(res.body.next.type).toBe('wait');
        await expect
          .poll(() => h.updates.filter((u) => u.orderRef === ref).length, { timeout: 5000, interval: 50 })
          .toBe(1);
        expect(h.updates.find((u) => u.orderRef === ref)).toMatchObject({ source: 'ipn', status: 'paid' });
        expect(h.ipns.find((i) => i.txid === res.body.txid)?.outcome).toBe('applied');
      });
    });

    describe('other methods', () => {
      it('bank transfer: field errors for the national id, then success', async () => {
        const ref = addOrder(h);
        const missing = await pay(h, ref, { method: BANK, payer: { email: 'ada@example.com', name: 'Ada' } });
        expect(missing.status).toBe(422);
        expect(missing.body.fields).toEqual({ nationalid: ['This field is required.'] });
        expect(missing.body.issues).toEqual({ nationalid: 'field_required' });
        const wrong = await pay(h, ref, {
          method: BANK,
          payer: { email: 'ada@example.com', name: 'Ada', extraFields: { nationalid: '12ab' } },
        });
        expect(wrong.body.fields).toEqual({ nationalid: ['National ID (10 digits): the format is not valid.'] });
        const ok = await pay(h, ref, {
          method: BANK,
          payer: { email: 'ada@example.com', name: 'Ada', extraFields: { nationalid: '1234567890' } },
        });
        expect(ok.body.next).toEqual({ type: 'done', status: 'success' });
      });

      it('e-wallet: a redirect step, approve on the wallet page, then success', async () => {
        const ref = addOrder(h);
        const res = await pay(h, ref, { method: WALLET, payer: { email: 'ada@example.com' } });
        expect(res.body.next).toEqual({ type: 'redirect', url: `${h.sandbox.url}/_sandbox/wallet/${res.body.txid}` });
        expect(await decide(h, 'wallet', res.body.txid, 'approve')).toBe(
          `http://shop.test/checkout/${ref}?paydo_txid=${res.body.txid}`,
        );
        expect((await next(h, res.body.txid, ref)).body.next).toEqual({ type: 'done', status: 'success' });
      });

      it('hosted fallback: Paydo asks the payer to authenticate → the hosted page of the invoice', async () => {
        const ref = addOrder(h);
        const res = await pay(h, ref, { method: HOSTED, payer: { email: 'ada@example.com' } });
        expect(res.body).toEqual({
          invoiceId: expect.any(String),
          txid: null,
          next: { type: 'hosted', url: `${h.sandbox.url}/en/payment/invoice-preprocessing/${res.body.invoiceId}` },
        });
        const page = await fetch(res.body.next.url);
        expect(page.status).toBe(200);
      });

      it("hosted page paid: the payer is back before the IPN, and next finds the transaction through the order's invoice", async () => {
        h.sandbox.control.configure({ ipnUrl: null });
        const ref = addOrder(h);
        const res = await pay(h, ref, { method: HOSTED, payer: { email: 'ada@example.com' } });
        const done = await fetch(`${h.sandbox.url}/_sandbox/hosted/${res.body.invoiceId}/complete`, {
          method: 'POST',
          body: new URLSearchParams({ decision: 'approve' }),
          redirect: 'manual',
        });
        const txid = new URL(done.headers.get('location') as string).searchParams.get('paydo_txid') as string;
        expect((await next(h, txid, null)).status).toBe(400); // the order is required: no oracle
        expect((await next(h, txid, addOrder(h))).status).toBe(404); // another order's txid: not found
        const found = await h.app.inject({ method: 'GET', url: `/paydo/transactions/${txid}/next?order=${ref}` });
        expect(found.json()).toEqual({ txid, next: { type: 'done', status: 'success' } });
        expect(h.updates.filter((u) => u.orderRef === ref).map((u) => u.status)).toEqual(['paid']);
        h.sandbox.control.configure({ ipnUrl: `${h.url}/paydo/ipn` });
      });

      it('refuses a method the order cannot use', async () => {
        const res = await pay(h, addOrder(h, { currency: 'USD' }), {
          method: BANK,
          payer: { email: 'ada@example.com' },
        });
        expect(res.status).toBe(422);
        expect(res.body.fields).toEqual({ method: ['This payment method is not available for this order.'] });
      });
    });

    describe('refunds', () => {
      it('a refund waits, is accepted, and its refund IPN is confirmed with Paydo and reported once', async () => {
        const ref = addOrder(h);
        const paid = await pay(h, ref, cardBody('4242424242424242'));
        await h.sandbox.control.ipnIdle();
        const { refundId } = await h.client.refunds.create({
          transactionIdentifier: paid.body.txid,
          refundType: 2,
          amount: '5.00',
        });
        await expect.poll(() => h.refunds.filter((r) => r.refundId === refundId).length, { timeout: 5000 }).toBe(1);
        await h.sandbox.control.ipnIdle();
        expect(h.refunds.filter((r) => r.refundId === refundId)).toEqual([
          expect.objectContaining({
            orderRef: ref,
            txid: paid.body.txid,
            status: 2,
            accepted: true,
            amount: '5',
            currency: 'EUR',
          }),
        ]);
        expect(h.ipns.find((i) => i.refundId === refundId)).toMatchObject({
          kind: 'refund',
          outcome: 'applied',
          orderRef: ref,
        });
        // Every IPN Paydo sent for the transaction got its 200 (none is retried for a day).
        expect(h.sandbox.control.ipnAttempts(paid.body.txid).every((a) => a.statusCode === 200)).toBe(true);
      });
    });
  },
);

describe('POST /checkout/:orderRef/hosted (the manual fallback)', () => {
  const hosted = (ref: string, body: unknown) =>
    h.app.inject({
      method: 'POST',
      url: `/paydo/checkout/${ref}/hosted`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });

  it("gives Paydo's page for one reused invoice; paying there pays the order through the IPN", async () => {
    const ref = addOrder(h);
    const first = (await hosted(ref, { payer: { email: 'ada@example.com' }, language: 'ru' })).json();
    expect(first.next).toEqual({
      type: 'hosted',
      url: `${h.sandbox.url}/ru/payment/invoice-preprocessing/${first.invoiceId}`,
    });
    const again = (await hosted(ref, {})).json();
    expect(again.invoiceId).toBe(first.invoiceId);
    const invoice = await h.client.invoices.retrieve(first.invoiceId);
    expect(invoice).toMatchObject({ amount: '12.5', currency: 'EUR', paymentMethod: null });
    await fetch(`${h.sandbox.url}/_sandbox/hosted/${first.invoiceId}/complete`, {
      method: 'POST',
      body: new URLSearchParams({ decision: 'approve' }),
      redirect: 'manual',
    });
    await expect
      .poll(() => h.updates.filter((u) => u.orderRef === ref).map((u) => u.status), { timeout: 3000, interval: 50 })
      .toEqual(['paid']);
    const paid = await hosted(ref, {});
    expect(paid.statusCode).toBe(409);
    expect(paid.json().error).toBe('already_paid');
  });

  it("speaks every language of Paydo's page: the payer's goes to the invoice and the page's address", async () => {
    for (const language of ['en', 'ru', 'es', 'it', 'pt', 'de', 'fr', 'sv', 'fi', 'tr', 'pl', 'nl']) {
      const ref = addOrder(h);
      // Any case, as the docs write them (`De`); Paydo gets it lowercase.
      const res = (await hosted(ref, { payer: { email: 'ada@example.com' }, language: language.toUpperCase() })).json();
      expect(res.next.url, language).toBe(
        `${h.sandbox.url}/${language}/payment/invoice-preprocessing/${res.invoiceId}`,
      );
      expect((await h.client.invoices.retrieve(res.invoiceId)).language, language).toBe(language);
    }
  });

  it("takes the order's language when the payer's is not given, and refuses one Paydo's page does not speak", async () => {
    const ref = addOrder(h, { language: 'de' });
    expect((await h.app.inject({ method: 'GET', url: `/paydo/checkout/${ref}` })).json().language).toBe('de');
    const res = (await hosted(ref, { payer: { email: 'ada@example.com' } })).json();
    expect(res.next.url).toContain('/de/payment/invoice-preprocessing/');
    for (const language of ['pt-BR', 'xx', 7]) {
      const bad = await hosted(addOrder(h), { payer: { email: 'ada@example.com' }, language });
      expect(bad.statusCode, String(language)).toBe(422);
      expect(bad.json().fields.language[0]).toMatch(
        /must be one of en, ru, es, it, pt, de, fr, sv, fi, tr, pl, nl|expected string/,
      );
    }
  });

  it('needs an e-mail for the invoice', async () => {
    const ref = addOrder(h, { payer: {} });
    const res = await hosted(ref, { payer: { email: 'nope' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().fields).toEqual({ email: ['Enter an e-mail address like name@example.com.'] });
    expect((await hosted('unknown', {})).statusCode).toBe(404);
  });
});

describe('GET /transactions/:txid/next', () => {
  it('answers 404 for a transaction this server did not start', async () => {
    const res = await next(h, 'someone-elses-txid', addOrder(h));
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('transaction_not_found');
  });
});
