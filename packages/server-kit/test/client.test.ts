import { describe, expect, it } from 'vitest';
import { PaydoUnexpectedResponseError, PaydoValidationError, signInvoice } from '../src/index.ts';
import { JWT, json, mockClient, PUBLIC_KEY, SECRET_KEY } from './helpers.ts';

const invoiceParams = {
  order: { id: 'order-17', amount: '12.50', currency: 'EUR', description: 'Two mugs', items: [] },
  payer: { email: 'payer@example.com' },
  language: 'en' as const,
  resultUrl: 'https://shop.example/ok',
  failPath: 'https://shop.example/fail',
  paymentMethod: 1,
};

describe('PaydoClient', () => {
  it('lists available payment methods with the JWT as Bearer', async () => {
    const { pool, client } = mockClient();
    let auth: unknown;
    pool
      .intercept({
        path: `/v1/instrument-settings/payment-methods/available-for-application/${PUBLIC_KEY.slice(12)}`,
        method: 'GET',
      })
      .reply((opts) => {
        auth = (opts.headers as Record<string, string>).authorization;
        return {
          statusCode: 200,
          data: {
            data: [
              {
                identifier: 381,
                type: 'banks',
                formType: 'standard',
                title: 'Bank transfer',
                logo: 'https://x/logo.svg',
                currencies: ['EUR'],
                countries: ['DE'],
                config: { fields: [{ name: 'nationalid', type: 'text', required: true, regexp: '^\\d{8}$' }] },
                brandNewField: true,
              },
            ],
            status: 1,
          },
          responseOptions: { headers: json },
        };
      });
    const methods = await client.paymentMethods.listAvailable();
    expect(auth).toBe(`Bearer ${JWT}`);
    expect(methods[0]).toMatchObject({
      identifier: 381,
      formType: 'standard',
      config: { fields: [{ name: 'nationalid', required: true }] },
    });
    expect(methods[0]).toHaveProperty('brandNewField', true); // tolerant of fields Paydo adds
  });

  it('creates a signed invoice and reads the id from the identifier header', async () => {
    const { pool, client } = mockClient();
    let sent: Record<string, unknown> = {};
    pool.intercept({ path: '/v1/invoices/create', method: 'POST' }).reply((opts) => {
      sent = JSON.parse(String(opts.body));
      return {
        statusCode: 200,
        data: { data: '', status: 1 },
        responseOptions: { headers: { ...json, identifier: 'inv-1' } },
      };
    });
    const created = await client.invoices.create(invoiceParams);
    expect(created.invoiceId).toBe('inv-1');
    expect(sent.publicKey).toBe(PUBLIC_KEY);
    expect(sent.signature).toBe(signInvoice('12.50', 'EUR', 'order-17', SECRET_KEY));
    expect(JSON.stringify(sent)).not.toContain(SECRET_KEY);
  });

  it('falls back to a string data for the invoice id', async () => {
    const { pool, client } = mockClient();
    pool
      .intercept({ path: '/v1/invoices/create', method: 'POST' })
      .reply(200, { data: 'inv-2', status: 1 }, { headers: json });
    expect((await client.invoices.create(invoiceParams)).invoiceId).toBe('inv-2');
  });

  it('says which field is missing when no id comes back', async () => {
    const { pool, client } = mockClient();
    pool
      .intercept({ path: '/v1/invoices/create', method: 'POST' })
      .reply(200, { data: '', status: 1 }, { headers: json });
    const error = await client.invoices.create(invoiceParams).catch((e) => e);
    expect(error).toBeInstanceOf(PaydoUnexpectedResponseError);
    expect(error.path).toBe('identifier');
  });

  it('refuses bad invoice params before sending anything', async () => {
    const { client } = mockClient();
    const error = await client.invoices
      .create({ ...invoiceParams, order: { ...invoiceParams.order, amount: '12,50' } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(PaydoValidationError);
    expect(error.requestSent).toBe(false);
    expect(Object.keys(error.fields)).toEqual(['order.amount']);
  });

  it('gets an invoice', async () => {
    const { pool, client } = mockClient();
    pool.intercept({ path: '/v1/invoices/inv-1', method: 'GET' }).reply(
      200,
      {
        data: {
          identifier: 'inv-1',
          status: 0,
          amount: 12.5,
          currency: 'EUR',
          orderIdentifier: 'order-17',
          paymentMethod: null,
          createdAt: 1700000000,
          updatedAt: null,
          transactionIdentifier: null,
        },
        status: 1,
      },
      { headers: json },
    );
    const invoice = await client.invoices.retrieve('inv-1');
    expect(invoice).toMatchObject({ identifier: 'inv-1', amount: '12.5', status: 0, orderIdentifier: 'order-17' });
  });

  it('names the field when an answer has the wrong shape', async () => {
    const { pool, client } = mockClient();
    pool
      .intercept({ path: '/v1/invoices/inv-1', method: 'GET' })
      .reply(200, { data: { identifier: 'inv-1', status: 'x' }, status: 1 });
    const error = await client.invoices.retrieve('inv-1').catch((e) => e);
    expect(error).toBeInstanceOf(PaydoUnexpectedResponseError);
    expect(error.code).toBe('PAYDO_ERR_UNEXPECTED_RESPONSE');
    expect(error.path).toBe('status');
  });

  it('creates a card token (201) and never echoes the card in errors', async () => {
    const { pool, client } = mockClient();
    let sent: Record<string, unknown> = {};
    pool.intercept({ path: '/v1/payment-tools/card-token/create', method: 'POST' }).reply((opts) => {
      sent = JSON.parse(String(opts.body));
      return { statusCode: 201, data: { data: { token: 'tok-1', expired_at: 1800000000 }, status: 1 } };
    });
    const token = await client.cardTokens.create({
      invoiceIdentifier: 'inv-1',
      pan: '4242 4242 4242 4242',
      expirationDate: '12/30',
      cvv: '123',
      holderName: 'Ada Lovelace',
    });
    expect(token).toEqual({ token: 'tok-1', expiresAt: 1800000000 });
    expect(sent.pan).toBe('4242424242424242');

    const bad = await client.cardTokens
      .create({ invoiceIdentifier: 'inv-1', pan: '4242 4242', expirationDate: '13/30', cvv: '12345', holderName: 'A' })
      .catch((e) => e);
    expect(bad).toBeInstanceOf(PaydoValidationError);
    expect(Object.keys(bad.fields).sort()).toEqual(['cvv', 'expirationDate', 'pan']);
    expect(JSON.stringify(bad.fields) + bad.message).not.toMatch(/4242|12345/);
  });

  it('creates a checkout transaction and reads txid from the header', async () => {
    const { pool, client } = mockClient();
    let sent: Record<string, unknown> = {};
    pool.intercept({ path: '/v1/checkout/create', method: 'POST' }).reply((opts) => {
      sent = JSON.parse(String(opts.body));
      return {
        statusCode: 200,
        data: { data: { isSuccess: true, message: '', txid: 'tx-body', code: 1000 }, status: 1 },
        responseOptions: { headers: { identifier: 'tx-1' } },
      };
    });
    const result = await client.transactions.create({
      invoiceIdentifier: 'inv-1',
      customer: { email: 'payer@example.com', ip: '203.0.113.9' },
      checkStatusUrl: 'https://shop.example/checkout/o?paydo_txid={{txid}}',
      cardToken: 'tok-1',
    });
    expect(result).toMatchObject({ txid: 'tx-1', code: 1000, isSuccess: true });
    expect(sent).toMatchObject({ invoiceIdentifier: 'inv-1', cardToken: 'tok-1', customer: { ip: '203.0.113.9' } });
  });

  it.each([
    ['absent', {}, null],
    ['empty list', { form: [] }, null],
    ['url only (GET)', { form: { url: 'https://acs/x' } }, { method: 'GET', url: 'https://acs/x', fields: {} }],
    [
      'POST with fields',
      { form: { method: 'POST', url: 'https://acs/y', fields: { PaReq: 'p', MD: 'm' } } },
      { method: 'POST', url: 'https://acs/y', fields: { PaReq: 'p', MD: 'm' } },
    ],
    [
      'POST with empty fields',
      { form: { method: 'post', url: 'https://acs/z', fields: [] } },
      { method: 'POST', url: 'https://acs/z', fields: {} },
    ],
  ])('normalizes a status answer whose form is %s', async (_label, extra, form) => {
    const { pool, client } = mockClient();
    pool.intercept({ path: '/v1/checkout/check-transaction-status/tx-1', method: 'GET' }).reply(200, {
      data: { isSuccess: true, status: 'pending', url: '', txid: 'tx-1', message: 'extra', ...extra },
      status: 1,
    });
    const status = await client.transactions.checkStatus('tx-1');
    expect(status.form).toEqual(form);
    expect(status.url).toBeNull();
    expect(status.status).toBe('pending');
  });

  it('checks status by invoice too', async () => {
    const { pool, client } = mockClient();
    pool.intercept({ path: '/v1/checkout/check-invoice-status/inv-1', method: 'GET' }).reply(200, {
      data: { isSuccess: true, status: 'success', form: [], url: 'https://shop/ok', txid: 'tx-1' },
      status: 1,
    });
    expect(await client.transactions.checkInvoiceStatus('inv-1')).toMatchObject({
      status: 'success',
      url: 'https://shop/ok',
    });
  });

  it('gets a transaction with the JWT and falls back across amount and order id fields', async () => {
    const { pool, client } = mockClient();
    pool
      .intercept({ path: '/v1/transactions/tx-1', method: 'GET', headers: { authorization: `Bearer ${JWT}` } })
      .reply(200, {
        data: { identifier: 'tx-1', state: 2, amount: 12.5, currency: 'EUR', orderIdentifier: 'order-17', error: null },
        status: 1,
      });
    const tx = await client.transactions.retrieve('tx-1');
    expect(tx).toMatchObject({
      orderAmount: '12.5',
      orderCurrency: 'EUR',
      orderId: 'order-17',
      outcome: 'success',
      errorMessage: null,
    });
  });

  it('creates a refund (201) and reads one back', async () => {
    const { pool, client } = mockClient();
    let sent: Record<string, unknown> = {};
    pool.intercept({ path: '/v1/refunds/create', method: 'POST' }).reply((opts) => {
      sent = JSON.parse(String(opts.body));
      return { statusCode: 201, data: { data: '', status: 1 }, responseOptions: { headers: { identifier: 'rf-1' } } };
    });
    expect(await client.refunds.create({ transactionIdentifier: 'tx-1', refundType: 2, amount: '5.00' })).toEqual({
      refundId: 'rf-1',
    });
    expect(sent).toEqual({ transactionIdentifier: 'tx-1', refundType: 2, amount: '5.00', metadata: {} });

    pool.intercept({ path: '/v1/refunds/user-refunds?query[identifier]=rf-1', method: 'GET' }).reply(200, {
      data: [{ identifier: 'rf-1', status: 1, amount: '5.00', currency: 'EUR', transactionIdentifier: 'tx-1' }],
      status: 1,
    });
    expect(await client.refunds.retrieve('rf-1')).toMatchObject({ identifier: 'rf-1', amount: '5.00' });

    pool.intercept({ path: '/v1/refunds/user-refunds', method: 'GET' }).reply(200, { data: [], status: 1 });
    expect(await client.refunds.list()).toEqual([]);
  });

  it('rejects bad client options with one clear message', () => {
    expect(() => mockClient({ publicKey: 'pk', secretKey: '', baseUrl: 'ftp://x' })).toThrow(
      /publicKey.*secretKey.*baseUrl/,
    );
  });
});
