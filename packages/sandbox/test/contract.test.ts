import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.ts';
import type { Json } from './helpers.ts';
import {
  BANK_METHOD,
  CARD_METHOD,
  caller,
  DISABLED_METHOD,
  HOSTED_METHOD,
  invoiceBody,
  payByCard,
  sign,
  startSandbox,
  WALLET_METHOD,
} from './helpers.ts';

let sandbox: Sandbox;
let api: ReturnType<typeof caller>;

beforeAll(async () => {
  // Refunds wait for acceptance through the control API here, so their status is deterministic.
  sandbox = await startSandbox({ refundAcceptMs: null });
  api = caller(sandbox);
});
afterAll(() => sandbox.close());

describe('conventions', () => {
  it('answers 415 to a body that is not JSON', async () => {
    const res = await api('POST', '/invoices/create', {
      raw: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ message: 'Unsupported media type. Only json allowed' });
  });

  it('answers 401 without a JWT and with a wrong one; accepts Bearer and the legacy token header', async () => {
    const path = `/instrument-settings/payment-methods/available-for-application/${sandbox.project.projectId}`;
    const missing = await api('GET', path, { jwt: null });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ message: 'Full authentication is required to access this resource.' });
    expect((await api('GET', path, { jwt: 'wrong' })).status).toBe(401);
    expect((await api('GET', path)).status).toBe(200);
    expect((await api('GET', path, { jwt: null, headers: { token: sandbox.project.jwt } })).status).toBe(200);
  });

  it('answers 404 with the error envelope for an unknown path', async () => {
    const res = await api('GET', '/nothing/here');
    expect(res.status).toBe(404);
    expect(res.body).toHaveProperty('message');
  });
});

describe('payment methods', () => {
  it('lists the enabled methods with fields, currencies and logos', async () => {
    const res = await api(
      'GET',
      `/instrument-settings/payment-methods/available-for-application/${sandbox.project.projectId}`,
    );
    expect(res.body.status).toBe(1);
    const ids = res.body.data.map((m: { identifier: number }) => m.identifier);
    expect(ids).toEqual([CARD_METHOD, BANK_METHOD, WALLET_METHOD, HOSTED_METHOD]);
    const bank = res.body.data[1];
    expect(bank).toMatchObject({ type: 'banks', formType: 'standard', currencies: ['EUR', 'UAH'] });
    expect(bank.config.fields).toContainEqual({
      name: 'nationalid',
      type: 'text',
      required: true,
      title: 'National ID (10 digits)',
      regexp: '^\\d{10}$',
    });
    expect(res.body.data[0].formType).toBe('cards');
    expect(res.body.data[0].logo).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_sandbox\/assets\/card\.svg$/);
  });

  it('answers 403 for another project id', async () => {
    const res = await api('GET', '/instrument-settings/payment-methods/available-for-application/someone-else');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: 'Access denied.' });
  });
});

describe('invoices', () => {
  it('creates an invoice: 200, id in the identifier header and in data', async () => {
    const res = await api('POST', '/invoices/create', { body: invoiceBody(sandbox) });
    expect(res.status).toBe(200);
    const id = res.headers.get('identifier');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toEqual({ data: id, status: 1 });
  });

  it('checks the signature over the amount exactly as sent', async () => {
    const body = invoiceBody(sandbox, { amount: '2.00' });
    body.signature = sign('2', 'EUR', body.order.id, sandbox.project.secretKey);
    const res = await api('POST', '/invoices/create', { body });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ message: 'Wrong signature' });
  });

  it('accepts a JSON number amount, signed as its text', async () => {
    const body = invoiceBody(sandbox, { amount: '100' }) as Json;
    body.order.amount = 100;
    expect((await api('POST', '/invoices/create', { body })).status).toBe(200);
  });

  it('answers 404 for an unknown public key', async () => {
    const body = { ...invoiceBody(sandbox), publicKey: 'application-unknown' };
    const res = await api('POST', '/invoices/create', { body });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: 'Application not found' });
  });

  it('answers a 422 field map for missing and malformed fields', async () => {
    const res = await api('POST', '/invoices/create', {
      body: {
        publicKey: sandbox.project.publicKey,
        order: { id: 'x', amount: '1,5', currency: 'euro' },
        payer: { email: 'nope' },
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.message).toMatchObject({
      'order.amount': ['This value is not valid.'],
      'order.currency': ['This value is not valid.'],
      'order.items': ['This value should not be blank.'],
      'payer.email': ['This value is not a valid email address.'],
      signature: ['This value should not be blank.'],
    });
    // Optional on Payop's current invoice page.
    for (const optional of ['order.description', 'language', 'resultUrl', 'failPath']) {
      expect(res.body.message).not.toHaveProperty([optional]);
    }
  });

  it('enforces amount limits and currencies of the method, and refuses a disabled method', async () => {
    const small = await api('POST', '/invoices/create', { body: invoiceBody(sandbox, { amount: '0.10' }) });
    expect(small.status).toBe(422);
    expect(small.body).toEqual({ message: { isSuccess: false, message: 'Invalid amount, less than allowed minumum' } });
    const large = await api('POST', '/invoices/create', { body: invoiceBody(sandbox, { amount: '10000.01' }) });
    expect(large.body.message.message).toBe('Invalid amount, more than allowed maximum');
    const currency = await api('POST', '/invoices/create', {
      body: invoiceBody(sandbox, { currency: 'UAH', paymentMethod: WALLET_METHOD }),
    });
    expect(currency.status).toBe(422);
    expect(currency.body.message).toHaveProperty('order.currency');
    const disabled = await api('POST', '/invoices/create', {
      body: invoiceBody(sandbox, { paymentMethod: DISABLED_METHOD }),
    });
    expect(disabled.body).toEqual({ message: 'Method must be enabled to use it' });
  });

  it('gets an invoice, and answers 422 "Invoice not found" for an unknown one', async () => {
    const created = await api('POST', '/invoices/create', { body: invoiceBody(sandbox, { amount: '7.25' }) });
    const id = created.headers.get('identifier');
    const res = await api('GET', `/invoices/${id}`);
    expect(res.body.data).toMatchObject({
      identifier: id,
      status: 0,
      amount: 7.25,
      currency: 'EUR',
      applicationIdentifier: sandbox.project.projectId,
      paymentMethod: { identifier: CARD_METHOD, formType: 'cards' },
      transactionIdentifier: null,
    });
    const missing = await api('GET', '/invoices/00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({ message: 'Invoice not found' });
  });
});

describe('card tokens', () => {
  it('answers 200 (the pages; 201 by variant) with token and expired_at', async () => {
    const invoiceId = (await api('POST', '/invoices/create', { body: invoiceBody(sandbox) })).headers.get('identifier');
    const res = await api('POST', '/payment-tools/card-token/create', {
      body: {
        invoiceIdentifier: invoiceId,
        pan: '4242424242424242',
        expirationDate: '12/39',
        cvv: '123',
        holderName: 'Ada',
        saveCard: null,
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.token).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.data.expired_at).toBeGreaterThan(Date.now() / 1000);
    expect(JSON.stringify(res.body)).not.toContain('4242424242424242');
  });

  it('answers a field map for Luhn, expiry format, past expiry and CVV length', async () => {
    const invoiceId = (await api('POST', '/invoices/create', { body: invoiceBody(sandbox) })).headers.get('identifier');
    const bad = await api('POST', '/payment-tools/card-token/create', {
      body: {
        invoiceIdentifier: invoiceId,
        pan: '4242424242424241',
        expirationDate: '1/30',
        cvv: '12345',
        holderName: '',
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toEqual({
      pan: ['Invalid card number.'],
      expirationDate: ['Invalid expiration date. Use the MM/YY format.'],
      cvv: ['This value is too long. It should have 4 characters or less.'],
      holderName: ['This value should not be blank.'],
    });
    expect(JSON.stringify(bad.body)).not.toContain('4242424242424241');
    const past = await api('POST', '/payment-tools/card-token/create', {
      body: {
        invoiceIdentifier: invoiceId,
        pan: '4242424242424242',
        expirationDate: '01/20',
        cvv: '12',
        holderName: 'A',
      },
    });
    expect(past.body.message).toEqual({
      expirationDate: ['Card is expired.'],
      cvv: ['This value is too short. It should have 3 characters or more.'],
    });
  });

  it('answers 404 "Invoice not found" for an unknown invoice (its own page; the lookup answers 422)', async () => {
    const res = await api('POST', '/payment-tools/card-token/create', {
      body: {
        invoiceIdentifier: 'nope',
        pan: '4242424242424242',
        expirationDate: '12/39',
        cvv: '123',
        holderName: 'A',
      },
    });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: 'Invoice not found' });
  });
});

describe('checkout transactions by test card', () => {
  it('4242…: accepted at once; status success with the filled result url', async () => {
    const { txid, invoiceId, answer } = await payByCard(sandbox, '4242424242424242');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { isSuccess: true, message: '', txid, code: 1000 }, status: 1 });
    const status = await api('GET', `/checkout/check-transaction-status/${txid}`);
    const resultUrl = `https://shop.example/result?invoice=${invoiceId}&txid=${txid}`;
    expect(status.body.data).toEqual({
      isSuccess: true,
      status: 'success',
      message: '',
      form: { method: 'GET', url: resultUrl, fields: [] },
      url: resultUrl,
      txid,
      transactionIdentifier: txid,
    });
    const invoice = await api('GET', `/invoices/${invoiceId}`);
    expect(invoice.body.data).toMatchObject({ status: 1, transactionIdentifier: txid });
  });

  it('5555…: accepted', async () => {
    const { txid } = await payByCard(sandbox, '5555555555554444');
    expect((await api('GET', `/transactions/${txid}`)).body.data).toMatchObject({
      state: 2,
      cardMetadata: { paymentSystem: 'MASTERCARD', lastDigits: '4444', bin: '555555' },
    });
  });

  it('…3220: pending with a POST form to the ACS page; approve there → accepted', async () => {
    const { txid } = await payByCard(sandbox, '4000000000003220');
    const status = await api('GET', `/checkout/check-transaction-status/${txid}`);
    expect(status.body.data).toMatchObject({ status: 'pending', url: '' });
    const form = status.body.data.form;
    expect(form.method).toBe('POST');
    expect(form.url).toBe(`${sandbox.url}/_sandbox/acs/${txid}`);
    expect(form.fields).toMatchObject({ MD: txid, TermUrl: `https://shop.example/checkout?paydo_txid=${txid}` });
    expect(form.fields.PaReq).toBeTruthy();
    // The payer's browser posts the form, sees the page, presses Approve.
    const page = await fetch(form.url, { method: 'POST', body: new URLSearchParams(form.fields) });
    const html = await page.text();
    expect(html).toContain('Confirm your payment');
    const complete = await fetch(`${sandbox.url}/_sandbox/acs/${txid}/complete`, {
      method: 'POST',
      body: new URLSearchParams({ decision: 'approve' }),
      redirect: 'manual',
    });
    expect(complete.status).toBe(303);
    expect(complete.headers.get('location')).toBe(`https://shop.example/checkout?paydo_txid=${txid}`);
    expect((await api('GET', `/checkout/check-transaction-status/${txid}`)).body.data.status).toBe('success');
  });

  it('…3220: decline on the ACS page → failed (state 5) with the fail url', async () => {
    const { txid } = await payByCard(sandbox, '4000000000003220');
    await fetch(`${sandbox.url}/_sandbox/acs/${txid}/complete`, {
      method: 'POST',
      body: new URLSearchParams({ decision: 'decline' }),
      redirect: 'manual',
    });
    const status = await api('GET', `/checkout/check-transaction-status/${txid}`);
    expect(status.body.data).toMatchObject({
      isSuccess: true,
      status: 'fail',
      url: `https://shop.example/fail?txid=${txid}`,
    });
    expect((await api('GET', `/transactions/${txid}`)).body.data).toMatchObject({
      state: 5,
      error: '3-D Secure authentication failed',
    });
  });

  it('…0002: declined; …9995: insufficient funds', async () => {
    const declined = await payByCard(sandbox, '4000000000000002');
    expect((await api('GET', `/transactions/${declined.txid}`)).body.data).toMatchObject({
      state: 3,
      error: 'Card declined by the issuer',
    });
    const poor = await payByCard(sandbox, '4000000000009995');
    expect((await api('GET', `/transactions/${poor.txid}`)).body.data).toMatchObject({
      state: 3,
      error: 'Insufficient funds',
    });
    expect((await api('GET', `/checkout/check-transaction-status/${poor.txid}`)).body.data.status).toBe('fail');
  });

  it('a failed invoice can be paid again with another card', async () => {
    const { invoiceId } = await payByCard(sandbox, '4000000000000002');
    const token = await api('POST', '/payment-tools/card-token/create', {
      body: {
        invoiceIdentifier: invoiceId,
        pan: '4242424242424242',
        expirationDate: '12/39',
        cvv: '123',
        holderName: 'A',
      },
    });
    const retry = await api('POST', '/checkout/create', {
      body: {
        invoiceIdentifier: invoiceId,
        customer: { email: 'payer@example.com' },
        checkStatusUrl: 'https://s/x',
        cardToken: token.body.data.token,
      },
    });
    expect(retry.body.data.code).toBe(1000);
    expect((await api('GET', `/invoices/${invoiceId}`)).body.data.status).toBe(1);
  });

  it('…0119: pending without a form, then accepted after pendingMs', async () => {
    const { txid } = await payByCard(sandbox, '4000000000000119');
    expect((await api('GET', `/checkout/check-transaction-status/${txid}`)).body.data).toMatchObject({
      status: 'pending',
      form: [],
      url: '',
    });
    await expect
      .poll(async () => (await api('GET', `/checkout/check-transaction-status/${txid}`)).body.data.status, {
        timeout: 3000,
        interval: 50,
      })
      .toBe('success');
  });

  it('refuses a paid invoice, a reused token and a missing token', async () => {
    const { invoiceId } = await payByCard(sandbox, '4242424242424242');
    const again = await api('POST', '/checkout/create', {
      body: {
        invoiceIdentifier: invoiceId,
        customer: { email: 'payer@example.com' },
        checkStatusUrl: 'https://s/x',
        cardToken: 'x',
      },
    });
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ message: { isSuccess: false, message: 'Invoice has already been paid' } });

    const fresh = (await api('POST', '/invoices/create', { body: invoiceBody(sandbox) })).headers.get('identifier');
    const noToken = await api('POST', '/checkout/create', {
      body: {
        invoiceIdentifier: fresh,
        customer: { email: 'payer@example.com', name: 'A' },
        checkStatusUrl: 'https://s/x',
      },
    });
    expect(noToken.body.message).toEqual({ cardToken: ['This value should not be blank.'] });
    const unknown = await api('POST', '/checkout/create', {
      body: { invoiceIdentifier: 'nope', customer: { email: 'payer@example.com' }, checkStatusUrl: 'https://s/x' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ message: 'Invoice not found' });
  });
});

describe('other methods', () => {
  async function createInvoice(method: number, currency = 'EUR') {
    return (
      await api('POST', '/invoices/create', { body: invoiceBody(sandbox, { paymentMethod: method, currency }) })
    ).headers.get('identifier') as string;
  }

  it('bank transfer: field errors for a missing and a malformed national id, then success', async () => {
    const invoiceId = await createInvoice(BANK_METHOD);
    const missing = await api('POST', '/checkout/create', {
      body: {
        invoiceIdentifier: invoiceId,
        customer: { email: 'payer@example.com', name: 'Ada' },
        checkStatusUrl: 'https://s/x',
      },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toEqual({ 'customer.nationalid': ['This value should not be blank.'] });
    const wrong = await api('POST', '/checkout/create', {
      body: {
        invoiceIdentifier: invoiceId,
        customer: { email: 'payer@example.com', name: 'Ada', extraFields: { nationalid: '12ab' } },
        checkStatusUrl: 'https://s/x',
      },
    });
    expect(wrong.body.message).toEqual({ 'customer.nationalid': ['This value is not valid.'] });
    const ok = await api('POST', '/checkout/create', {
      body: {
        invoiceIdentifier: invoiceId,
        customer: { email: 'payer@example.com', name: 'Ada', extraFields: { nationalid: '1234567890' } },
        checkStatusUrl: 'https://s/x',
      },
    });
    expect(ok.body.data.code).toBe(1000);
    const tx = await api('GET', `/transactions/${ok.body.data.txid}`);
    expect(tx.body.data.state).toBe(2);
    expect(tx.body.data.payerInformation).toContainEqual({ type: 4, value: '1234567890' });
  });

  it('e-wallet: a GET redirect to the wallet page; approve there → accepted', async () => {
    const invoiceId = await createInvoice(WALLET_METHOD, 'USD');
    const created = await api('POST', '/checkout/create', {
      body: {
        invoiceIdentifier: invoiceId,
        customer: { email: 'payer@example.com' },
        checkStatusUrl: 'https://shop.example/back?paydo_txid={{txid}}',
      },
    });
    const txid = created.body.data.txid;
    const status = await api('GET', `/checkout/check-transaction-status/${txid}`);
    expect(status.body.data.form).toEqual({ method: 'GET', url: `${sandbox.url}/_sandbox/wallet/${txid}`, fields: [] });
    expect(await (await fetch(status.body.data.form.url)).text()).toContain('Sandbox Wallet');
    const done = await fetch(`${sandbox.url}/_sandbox/wallet/${txid}/complete`, {
      method: 'POST',
      body: new URLSearchParams({ decision: 'approve' }),
      redirect: 'manual',
    });
    expect(done.headers.get('location')).toBe(`https://shop.example/back?paydo_txid=${txid}`);
    expect((await api('GET', `/checkout/check-invoice-status/${invoiceId}`)).body.data).toMatchObject({
      status: 'success',
      txid,
    });
  });

  it('hosted-only: answers code 100001 without a transaction; the hosted page pays the invoice', async () => {
    const invoiceId = await createInvoice(HOSTED_METHOD);
    const res = await api('POST', '/checkout/create', {
      body: { invoiceIdentifier: invoiceId, customer: { email: 'payer@example.com' }, checkStatusUrl: 'https://s/x' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ isSuccess: false, txid: null, code: 100001 });
    expect(res.headers.get('identifier')).toBeNull();
    const page = await fetch(`${sandbox.url}/en/payment/invoice-preprocessing/${invoiceId}`);
    expect(await page.text()).toContain('Paydo checkout');
    const paid = await fetch(`${sandbox.url}/_sandbox/hosted/${invoiceId}/complete`, {
      method: 'POST',
      body: new URLSearchParams({ decision: 'approve' }),
      redirect: 'manual',
    });
    expect(paid.headers.get('location')).toMatch(
      new RegExp(`^https://shop.example/result\\?invoice=${invoiceId}&txid=`),
    );
    expect((await api('GET', `/invoices/${invoiceId}`)).body.data.status).toBe(1);
  });
});

describe('cards without direct tokenization (merchants without PCI DSS)', () => {
  async function cardInvoice() {
    return (
      await api('POST', '/invoices/create', { body: invoiceBody(sandbox, { paymentMethod: CARD_METHOD }) })
    ).headers.get('identifier') as string;
  }
  const postCard = (invoiceId: string, card: Record<string, string>) =>
    fetch(`${sandbox.url}/_sandbox/hosted/${invoiceId}/card`, {
      method: 'POST',
      body: new URLSearchParams(card),
      redirect: 'manual',
    });
  const card = (pan: string) => ({ pan, expirationDate: '12/39', cvv: '123', holderName: 'Ada Lovelace' });

  it('switched off: card-token/create answers 403 with Paydo’s sentence; switched on again: a token', async () => {
    sandbox.control.configure({ cardTokenization: false });
    try {
      const invoiceId = await cardInvoice();
      const res = await api('POST', '/payment-tools/card-token/create', {
        body: { invoiceIdentifier: invoiceId, ...card('4242424242424242') },
      });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        message: 'Card tokenization is not available for your application. Please contact support',
      });
      expect(sandbox.control.settings().cardTokenization).toBe(false);
    } finally {
      sandbox.control.configure({ cardTokenization: true });
    }
    const invoiceId = await cardInvoice();
    const ok = await api('POST', '/payment-tools/card-token/create', {
      body: { invoiceIdentifier: invoiceId, ...card('4242424242424242') },
    });
    expect(ok.status).toBeLessThan(300); // 200 or 201, by the emulator's documented variant
  });

  it('the hosted page of a card invoice opens on the card form; test cards behave as in the API', async () => {
    const paid = await cardInvoice();
    const form = await (await fetch(`${sandbox.url}/en/payment/invoice-preprocessing/${paid}`)).text();
    expect(form).toContain('name="pan"');
    expect(form).not.toContain('Sign in to your Paydo account');
    const wrong = await postCard(paid, card('4242424242424241'));
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('Invalid card number.');
    const ok = await postCard(paid, card('4242424242424242'));
    expect(ok.headers.get('location')).toMatch(/^https:\/\/shop\.example\/result\?invoice=.*&txid=/);
    expect((await api('GET', `/invoices/${paid}`)).body.data.status).toBe(1);

    const declined = await cardInvoice();
    const no = await postCard(declined, card('4000000000000002'));
    expect(no.headers.get('location')).toMatch(/^https:\/\/shop\.example\/fail/);

    const threeDs = await cardInvoice();
    const challenge = await postCard(threeDs, card('4000000000003220'));
    const page = await challenge.text();
    expect(page).toContain('/_sandbox/acs/');
    const txid = /name="MD" value="([^"]+)"/.exec(page)?.[1] as string;
    const back = await fetch(`${sandbox.url}/_sandbox/acs/${txid}/complete`, {
      method: 'POST',
      body: new URLSearchParams({ decision: 'approve' }),
      redirect: 'manual',
    });
    expect(back.headers.get('location')).toContain(txid);
    expect((await api('GET', `/invoices/${threeDs}`)).body.data.status).toBe(1);
  });
});

describe('transactions and refunds', () => {
  it('gets a transaction (auth), 401 without JWT, 404 unknown', async () => {
    const { txid } = await payByCard(sandbox, '4242424242424242', { amount: '20.00' });
    const res = await api('GET', `/transactions/${txid}`);
    expect(res.body.data).toMatchObject({
      identifier: txid,
      type: 7,
      amount: 20,
      currency: 'EUR',
      productAmount: 20,
      productCurrency: 'EUR',
      state: 2,
      error: '',
      paymentMethodIdentifier: String(CARD_METHOD),
      application: { identifier: sandbox.project.projectId },
      walletIdentifier: expect.any(String),
      description: expect.any(String),
      language: 'en',
      commission: [],
      exchange: [],
      geoInformation: { ip: '203.0.113.7', country: { iso: 'DE', name: 'Germany' } },
    });
    expect(res.body.data.payerInformation).toContainEqual({ type: 8, value: '203.0.113.7' });
    expect((await api('GET', `/transactions/${txid}`, { jwt: null })).status).toBe(401);
    const missing = await api('GET', '/transactions/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: 'Transaction not found' });
  });

  it('refunds partially (string and number amounts), refuses too much, reads refunds back', async () => {
    const { txid } = await payByCard(sandbox, '4242424242424242', { amount: '20.00' });
    const first = await api('POST', '/refunds/create', {
      body: { transactionIdentifier: txid, refundType: 2, amount: '5', metadata: {} },
    });
    expect(first.status).toBe(200);
    const refundId = first.headers.get('identifier');
    expect(refundId).toBeTruthy();
    expect(
      (await api('POST', '/refunds/create', { body: { transactionIdentifier: txid, refundType: 2, amount: 10.5 } }))
        .status,
    ).toBe(200);
    const tooBig = await api('POST', '/refunds/create', {
      body: { transactionIdentifier: txid, refundType: 2, amount: '25' },
    });
    expect(tooBig.body).toEqual({ message: 'Refund amount is bigger than transaction amount' });
    const notEnough = await api('POST', '/refunds/create', {
      body: { transactionIdentifier: txid, refundType: 2, amount: '5' },
    });
    expect(notEnough.body).toEqual({ message: 'Not enough money on transaction to make refund' });
    const full = await api('POST', '/refunds/create', {
      body: { transactionIdentifier: txid, refundType: 1, amount: '4.5' },
    });
    expect(full.status).toBe(200);
    const fullId = full.headers.get('identifier');
    const one = await api('GET', `/refunds/user-refunds?query[identifier]=${refundId}`);
    expect(one.body.data).toEqual([
      expect.objectContaining({
        identifier: refundId,
        status: 1, // waits for acceptance
        amount: 5,
        currency: 'EUR',
        type: 2,
        userIdentifier: expect.any(Number),
        error: null,
        metadata: {},
        sourceTransaction: expect.objectContaining({ identifier: txid, state: 2, orderId: expect.any(String) }),
      }),
    ]);
    const all = await api('GET', '/refunds/user-refunds');
    expect(all.body.data.length).toBeGreaterThanOrEqual(3);
    expect(all.body.data[0].identifier).toBe(fullId); // newest first
    expect(
      (
        await api('POST', '/refunds/create', {
          body: { transactionIdentifier: txid, refundType: 2, amount: '1' },
          jwt: null,
        })
      ).status,
    ).toBe(401);
    expect(
      (await api('POST', '/refunds/create', { body: { transactionIdentifier: 'nope', refundType: 2, amount: '1' } }))
        .body,
    ).toEqual({ message: 'Transaction not found' });
  });
});

describe('retention', () => {
  it('keeps the newest retain.maxInvoices invoices; an older one answers as an unknown one', async () => {
    const small = await startSandbox({ retain: { maxInvoices: 3 } });
    try {
      const call = caller(small);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await call('POST', '/invoices/create', { body: invoiceBody(small) });
        ids.push(res.headers.get('identifier') as string);
      }
      const statuses = [];
      for (const id of ids) statuses.push((await call('GET', `/invoices/${id}`)).status);
      const unknown = (await call('GET', '/invoices/00000000-0000-4000-8000-000000000000')).status;
      expect(unknown).not.toBe(200);
      expect(statuses).toEqual([unknown, unknown, 200, 200, 200]);
      expect(small.control.snapshot().invoices).toHaveLength(3);
    } finally {
      await small.close();
    }
  });

  it('refuses a retention that is not a whole number ≥ 1', async () => {
    await expect(startSandbox({ retain: { ttlMs: 0 } })).rejects.toThrow(/retain\.ttlMs/);
  });
});
