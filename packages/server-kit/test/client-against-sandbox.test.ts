// The server kit's Paydo client, against the emulator over real HTTP: what
// passes here is what the kit relies on from Paydo.
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PaydoAuthenticationError,
  PaydoBusinessError,
  PaydoClient,
  PaydoNotFoundError,
  PaydoUpstreamError,
  PaydoValidationError,
  requiresHostedPage,
} from '../src/index.ts';

const CARD_METHOD = 200001;
const BANK_METHOD = 200002;
const HOSTED_METHOD = 200004;

let sandbox: Sandbox;
let paydo: PaydoClient;
let seq = 0;

beforeAll(async () => {
  sandbox = await createSandbox();
  paydo = new PaydoClient({ ...sandbox.project, baseUrl: sandbox.apiUrl, retry: { minDelayMs: 1, maxDelayMs: 5 } });
});
afterAll(async () => {
  await paydo.close();
  await sandbox.close();
});

function invoice(paymentMethod = CARD_METHOD, amount = '12.50') {
  return paydo.invoices.create({
    order: { id: `client-${++seq}`, amount, currency: 'EUR', description: 'Mug', items: [] },
    payer: { email: 'payer@example.com', name: 'Ada' },
    language: 'en',
    resultUrl: 'https://shop.example/ok',
    failPath: 'https://shop.example/fail',
    paymentMethod,
  });
}

describe('PaydoClient against the emulator', () => {
  it('runs a whole server-to-server card payment', async () => {
    const methods = await paydo.paymentMethods.listAvailable();
    expect(methods.find((m) => m.identifier === CARD_METHOD)?.formType).toBe('cards');
    const { invoiceId } = await invoice();
    const token = await paydo.cardTokens.create({
      invoiceIdentifier: invoiceId,
      pan: '4242 4242 4242 4242',
      expirationDate: '12/39',
      cvv: '123',
      holderName: 'Ada',
    });
    const tx = await paydo.transactions.create({
      invoiceIdentifier: invoiceId,
      customer: { email: 'payer@example.com', name: 'Ada', ip: '203.0.113.7' },
      checkStatusUrl: 'https://shop.example/checkout?paydo_txid={{txid}}',
      cardToken: token.token,
    });
    expect(tx.code).toBe(1000);
    const status = await paydo.transactions.checkStatus(tx.txid as string);
    expect(status).toMatchObject({ status: 'success', form: null, url: 'https://shop.example/ok' });
    const full = await paydo.transactions.retrieve(tx.txid as string);
    expect(full).toMatchObject({
      state: 2,
      outcome: 'success',
      orderAmount: '12.5',
      orderCurrency: 'EUR',
      orderId: `client-${seq}`,
    });
    expect((await paydo.invoices.retrieve(invoiceId)).status).toBe(1);
    const { refundId } = await paydo.refunds.create({
      transactionIdentifier: full.identifier,
      refundType: 2,
      amount: '2.50',
    });
    // The documented refund answer carries the amount as a number.
    expect(await paydo.refunds.retrieve(refundId)).toMatchObject({
      identifier: refundId,
      amount: '2.5',
      transactionIdentifier: full.identifier,
    });
    expect((await paydo.refunds.list()).length).toBeGreaterThan(0);
    // Paydo's getRefund page: an id that is no refund answers 422 "Transaction not found".
    expect(await paydo.refunds.retrieve('00000000-0000-4000-8000-00000000dead')).toBeNull();
  });

  it('looks a transaction up on v2 (Payop’s current page) when told to: the same object as v1', async () => {
    const paths: string[] = [];
    const recording = new Agent().compose((dispatch: Dispatcher['dispatch']) => (opts, handler) => {
      paths.push(String(opts.path));
      return dispatch(opts, handler);
    });
    const v2 = new PaydoClient({
      ...sandbox.project,
      baseUrl: sandbox.apiUrl,
      transactionLookup: 'v2',
      dispatcher: recording,
    });
    try {
      const { invoiceId } = await invoice();
      const { token } = await paydo.cardTokens.create({
        invoiceIdentifier: invoiceId,
        pan: '4242424242424242',
        expirationDate: '12/39',
        cvv: '123',
        holderName: 'Ada',
      });
      const tx = await paydo.transactions.create({
        invoiceIdentifier: invoiceId,
        customer: { email: 'payer@example.com', name: 'Ada', ip: '203.0.113.7' },
        checkStatusUrl: 'https://shop.example/checkout?paydo_txid={{txid}}',
        cardToken: token,
      });
      const fromV2 = await v2.transactions.retrieve(tx.txid as string);
      expect(paths).toEqual([`/v2/transactions/${tx.txid}`]);
      expect(fromV2).toEqual(await paydo.transactions.retrieve(tx.txid as string));
    } finally {
      await recording.close();
    }
    expect(
      () => new PaydoClient({ ...sandbox.project, baseUrl: 'https://api.example/paydo', transactionLookup: 'v2' }),
    ).toThrow(/ending in \/v1/);
  });

  it('normalizes the 3-D Secure form of a status answer', async () => {
    const { invoiceId } = await invoice();
    const token = await paydo.cardTokens.create({
      invoiceIdentifier: invoiceId,
      pan: '4000000000003220',
      expirationDate: '12/39',
      cvv: '123',
      holderName: 'Ada',
    });
    const tx = await paydo.transactions.create({
      invoiceIdentifier: invoiceId,
      customer: { email: 'p@example.com', name: 'Ada' },
      checkStatusUrl: 'https://s/{{txid}}',
      cardToken: token.token,
    });
    const status = await paydo.transactions.checkStatus(tx.txid as string);
    expect(status.form).toMatchObject({ method: 'POST', url: `${sandbox.url}/_sandbox/acs/${tx.txid}` });
    expect(status.form?.fields.TermUrl).toBe(`https://s/${tx.txid}`);
  });

  it('maps the emulator errors to the typed errors', async () => {
    const { invoiceId } = await invoice(BANK_METHOD);
    const missing = await paydo.transactions
      .create({
        invoiceIdentifier: invoiceId,
        customer: { email: 'p@example.com', name: 'Ada', extraFields: { nationalid: 'x' } },
        checkStatusUrl: 'https://s/x',
      })
      .catch((e) => e);
    expect(missing).toBeInstanceOf(PaydoValidationError);
    expect(missing.fields).toEqual({ 'customer.nationalid': ['This value is not valid.'] });

    const small = await invoice(CARD_METHOD, '0.10').catch((e) => e);
    expect(small).toBeInstanceOf(PaydoBusinessError);
    expect(small.message).toBe('Invalid amount, less than allowed minumum');

    expect(await paydo.invoices.retrieve('00000000-0000-0000-0000-000000000000').catch((e) => e)).toBeInstanceOf(
      PaydoNotFoundError,
    );
    expect(await paydo.transactions.retrieve('nope').catch((e) => e)).toBeInstanceOf(PaydoNotFoundError);

    const wrongJwt = new PaydoClient({ ...sandbox.project, jwt: 'wrong', baseUrl: sandbox.apiUrl });
    expect(await wrongJwt.paymentMethods.listAvailable().catch((e) => e)).toBeInstanceOf(PaydoAuthenticationError);
    await wrongJwt.close();

    const badSecret = new PaydoClient({ ...sandbox.project, secretKey: 'wrong', baseUrl: sandbox.apiUrl });
    const signature = await badSecret.invoices
      .create({
        order: { id: 'x', amount: '5.00', currency: 'EUR' },
        payer: { email: 'p@example.com' },
        resultUrl: 'https://s/ok',
        failPath: 'https://s/f',
      })
      .catch((e) => e);
    expect(signature).toBeInstanceOf(PaydoBusinessError);
    expect(signature.message).toBe('Wrong signature');
    expect(signature.message).not.toContain('wrong');
    await badSecret.close();
  });

  it('reports the hosted-page codes', async () => {
    const { invoiceId } = await invoice(HOSTED_METHOD);
    const tx = await paydo.transactions.create({
      invoiceIdentifier: invoiceId,
      customer: { email: 'p@example.com' },
      checkStatusUrl: 'https://s/x',
    });
    expect(tx.txid).toBeNull();
    expect(requiresHostedPage(tx.code)).toBe(true);
  });

  it('retries a GET through injected 5xx answers, and never retries a creation', async () => {
    sandbox.control.setFaults([{ endpoint: 'invoices.get', kind: 'error', value: 503, times: 2 }]);
    const { invoiceId } = await invoice();
    expect((await paydo.invoices.retrieve(invoiceId)).identifier).toBe(invoiceId);

    sandbox.control.setFaults([{ endpoint: 'invoices.create', kind: 'error', value: 502, phase: 'after', times: 1 }]);
    const before = sandbox.control.snapshot().invoices.length;
    const lost = await invoice().catch((e) => e);
    expect(lost).toBeInstanceOf(PaydoUpstreamError);
    expect(sandbox.control.snapshot().invoices.length).toBe(before + 1); // one invoice, no blind second one
    sandbox.control.clearFaults();
  });
});
