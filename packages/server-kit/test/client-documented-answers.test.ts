import { describe, expect, it } from 'vitest';
import { IpnPayload, PaydoError, type PaydoValidationError, RefundIpnPayload, signInvoice } from '../src/index.ts';
import {
  cardTokenAnswers,
  createCheckoutAnswers,
  createInvoiceAnswers,
  createRefundAnswers,
  errorAnswers,
  filterAnswers,
  getInvoiceAnswers,
  getRefundAnswers,
  listRefundAnswers,
  methodsAnswers,
  paymentIpnExamples,
  type RecordedAnswer,
  refundIpnExample,
  statusAnswers,
  transactionAnswers,
  voidAnswers,
} from './fixtures/documented-answers.ts';
import { json, mockClient, PUBLIC_KEY, SECRET_KEY } from './helpers.ts';

const PROJECT = PUBLIC_KEY.slice('application-'.length);

/** A client whose only answer is `answer`, at `path`; records the request body. */
function answering(method: 'GET' | 'POST', path: string, answer: RecordedAnswer) {
  const { pool, client } = mockClient({ retry: false });
  const sent: { body: unknown } = { body: undefined };
  pool.intercept({ path, method }).reply((opts) => {
    sent.body = opts.body ? JSON.parse(String(opts.body)) : undefined;
    return {
      statusCode: answer.statusCode,
      data: answer.body as object,
      responseOptions: { headers: { ...json, ...answer.headers } },
    };
  });
  return { client, sent };
}

const invoiceParams = {
  order: { id: 'order-17', amount: '12.50', currency: 'EUR', description: '', items: [] },
  payer: { email: 'payer@example.com' },
  resultUrl: 'https://shop.example/ok',
  failPath: 'https://shop.example/fail',
};

describe('every documented answer is accepted', () => {
  const methodsPath = `/v1/instrument-settings/payment-methods/available-for-application/${PROJECT}`;

  it.each(methodsAnswers)('payment methods: $source', async (answer) => {
    const { client } = answering('GET', methodsPath, answer);
    const methods = await client.paymentMethods.listAvailable();
    expect(methods.length).toBeGreaterThan(0);
    for (const m of methods) {
      expect(typeof m.identifier).toBe('number');
      expect(m.title).not.toBe('');
      expect(['cards', 'standard']).toContain(m.formType);
      expect(Array.isArray(m.config.fields)).toBe(true);
      expect(m.isEnabled).toBe(true);
    }
  });

  it('payment methods: a row without formType is a card method only when its type says card', async () => {
    const [paydo, payop, older, wrapped] = methodsAnswers as [
      RecordedAnswer,
      RecordedAnswer,
      RecordedAnswer,
      RecordedAnswer,
    ];
    const formType = async (answer: RecordedAnswer) =>
      (await answering('GET', methodsPath, answer).client.paymentMethods.listAvailable()).map((m) => m.formType);
    expect(await formType(paydo)).toEqual(['standard']);
    expect(await formType(payop)).toEqual(['cards']);
    expect(await formType(older)).toEqual(['standard']); // an explicit formType wins over the type
    expect(await formType(wrapped)).toEqual(['standard']); // the disabled wrapped row is left out
  });

  it.each(createInvoiceAnswers)('create invoice: $source', async (answer) => {
    const { client } = answering('POST', '/v1/invoices/create', answer);
    const { invoiceId } = await client.invoices.create(invoiceParams);
    expect(invoiceId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each(getInvoiceAnswers)('get invoice: $source', async (answer) => {
    const { client } = answering('GET', '/v1/invoices/inv-1', answer);
    const invoice = await client.invoices.retrieve('inv-1');
    expect(typeof invoice.identifier).toBe('string');
    expect(typeof invoice.status).toBe('number');
    expect(typeof invoice.orderIdentifier).toBe('string');
    expect(invoice.amount).toBe('3');
  });

  it.each(cardTokenAnswers)('card token: $source', async (answer) => {
    const { client } = answering('POST', '/v1/payment-tools/card-token/create', answer);
    const token = await client.cardTokens.create({
      invoiceIdentifier: 'inv-1',
      pan: '5555555555554444',
      expirationDate: '12/30',
      cvv: '123',
      holderName: 'HOLDER NAME',
    });
    expect(token).toEqual({ token: '1ay4YEZXF75BTraFw/sPJ9iMJVOr/bR/UeEPp', expiresAt: 1567765561 });
  });

  it.each(createCheckoutAnswers)('create checkout transaction: $source', async (answer) => {
    const { client } = answering('POST', '/v1/checkout/create', answer);
    const result = await client.transactions.create({
      invoiceIdentifier: 'inv-1',
      customer: { email: 'test@email.com', name: 'CUSTOMER_NAME' },
      checkStatusUrl: 'https://your.site/check-status/{{txid}}',
      paymentMethod: 935,
    });
    expect(result.isSuccess).toBe(true);
    expect(result.txid).toBeTruthy();
    expect(result.code == null || typeof result.code === 'number').toBe(true);
  });

  it.each(voidAnswers)('void transaction: $source', async (answer) => {
    const { client, sent } = answering('POST', '/v1/checkout/void', answer);
    const result = await client.transactions.void('inv-1');
    expect(sent.body).toEqual({ invoiceIdentifier: 'inv-1' });
    expect(result).toMatchObject({ isSuccess: true, txid: 'e6c8ba69-b961-4e93-a083-2097f30dfbd9' });
  });

  it.each(statusAnswers)('check status: $source', async (answer) => {
    const byTx = answering('GET', '/v1/checkout/check-transaction-status/tx-1', answer);
    const byInvoice = answering('GET', '/v1/checkout/check-invoice-status/inv-1', answer);
    for (const status of [
      await byTx.client.transactions.checkStatus('tx-1'),
      await byInvoice.client.transactions.checkInvoiceStatus('inv-1'),
    ]) {
      expect(status.status).toBe(answer.expect.status);
      expect(status.form?.method ?? null).toBe(answer.expect.form);
      if (status.form) expect(status.form.url).toMatch(/^https:\/\//);
    }
  });

  it.each(transactionAnswers)('get transaction: $source', async (answer) => {
    const { client } = answering('GET', '/v1/transactions/tx-1', answer);
    const tx = await client.transactions.retrieve('tx-1');
    expect(tx).toMatchObject(answer.expect);
  });

  it.each(filterAnswers)('filter transactions: $source', async (answer) => {
    const { client } = answering(
      'GET',
      '/v1/transactions/filter?query[identifiers]=transaction_id_1,transaction_id_2',
      answer,
    );
    const list = await client.transactions.filter(['transaction_id_1', 'transaction_id_2']);
    expect(list.map((t) => [t.identifier, t.orderId, t.orderAmount, t.outcome])).toEqual([
      ['transaction_id_1', '117', '0.53', 'success'],
      ['transaction_id_2', '331', '3', 'fail'],
    ]);
  });

  it.each(createRefundAnswers)('create refund: $source', async (answer) => {
    const { client, sent } = answering('POST', '/v1/refunds/create', answer);
    const { refundId } = await client.refunds.create({
      transactionIdentifier: 'd839c714-1111-0000-1111-73592597c6e1',
      refundType: 2,
      amount: '10',
      metadata: { 'internal merchant id': 'example' },
    });
    expect(refundId).toBe('81962ed0-1111-2222-3333-b3dbf9750399');
    expect(sent.body).toMatchObject({ refundType: 2, amount: '10' });
  });

  it.each(getRefundAnswers)('get refund: $source', async (answer) => {
    const id = '8888888-1111-2222-0000-1d54382d1e46';
    const { client } = answering('GET', `/v1/refunds/user-refunds?query[identifier]=${id}`, answer);
    const refund = await client.refunds.retrieve(id);
    expect(refund).toMatchObject({ identifier: id, status: 2, amount: '10', currency: 'USD' });
    expect(refund?.sourceTransaction?.identifier).toBeTruthy();
  });

  it.each(listRefundAnswers)('list refunds: $source', async (answer) => {
    const { client } = answering('GET', '/v1/refunds/user-refunds', answer);
    const [refund] = await client.refunds.list();
    expect(refund).toMatchObject({ status: 1, amount: '10', currency: 'USD' });
  });

  it.each(errorAnswers)('error: $source', async (answer) => {
    const { client } = answering('GET', '/v1/transactions/tx-1', answer);
    const error = await client.transactions.retrieve('tx-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaydoError);
    expect((error as PaydoError).code).toBe(answer.code);
    expect((error as PaydoError).statusCode).toBe(answer.statusCode);
    if (answer.fields) {
      expect((error as PaydoValidationError).fields).toEqual(answer.fields);
      for (const sentence of Object.values(answer.fields).flat()) expect((error as Error).message).toContain(sentence);
    } else {
      const body = answer.body as { message: string | { message: string } };
      const sentence = typeof body.message === 'string' ? body.message : body.message.message;
      expect((error as Error).message).toBe(sentence);
    }
  });

  it.each(paymentIpnExamples)('payment IPN example %#', (body) => {
    const ipn = IpnPayload.parse(body);
    expect(ipn.transaction.state).toBe(2);
    expect(typeof ipn.transaction.order.id).toBe('string');
  });

  it('refund IPN example', () => {
    const ipn = RefundIpnPayload.parse(refundIpnExample);
    expect(ipn.transaction).toMatchObject({ refundId: '8888888-ba2d-456f-910e-4d7fdfd338dd', state: 1, amount: '100' });
    expect(ipn.sourceTransaction.id).toBe('999999-ba2d-456f-910e-4d7fdfd338dd');
    expect(IpnPayload.safeParse(refundIpnExample).success).toBe(false);
  });
});

describe('the client sends what Paydo documents', () => {
  const created: RecordedAnswer = { source: '', statusCode: 200, body: { data: 'inv-1', status: 1 } };

  it("sends Paydo's own createInvoice example as it is (phone and extraFields empty, metadata a list)", async () => {
    const { client, sent } = answering('POST', '/v1/invoices/create', created);
    const example = {
      order: {
        id: '12345',
        amount: '3',
        currency: 'EUR',
        items: [
          { id: '487', name: 'Item 1', price: '0.8999999999999999' },
          { id: '358', name: 'Item 2', price: '2.0999999999999996' },
        ],
        description: '',
      },
      payer: { email: 'test.user@paydo.com', phone: '', name: 'PAYER_NAME', extraFields: '' as const },
      paymentMethod: 204,
      language: 'en',
      resultUrl: 'https://your.site/result',
      failPath: 'https://your.site/fail',
      productUrl: 'https://your.site/redirect',
      metadata: [{ 'internal merchant id': 'example', orderId: 'test', amount: 3, customerId: 15487 }],
    };
    await client.invoices.create(example);
    expect(sent.body).toEqual({
      publicKey: PUBLIC_KEY,
      ...example,
      signature: signInvoice('3', 'EUR', '12345', SECRET_KEY),
    });
  });

  it("sends Payop's demo app invoice: numeric order id, items as an object, payer copied into extraFields", async () => {
    const { client, sent } = answering('POST', '/v1/invoices/create', created);
    await client.invoices.create({
      order: {
        id: 42,
        amount: '10.000',
        currency: 'USD',
        items: { name: 'Mug', price: 10, currency: 'USD' },
        description: 'Payment for demo app order #42',
      },
      payer: { email: 'a@b.example', name: '', phone: '', extraFields: { email: 'a@b.example', name: '' } },
      language: 'en',
      resultUrl: 'https://shop.example/ok',
      failPath: 'https://shop.example/fail',
    });
    expect(sent.body).toMatchObject({
      order: { id: '42', items: { name: 'Mug', price: 10 } },
      payer: { name: '', phone: '' },
      signature: signInvoice('10.000', 'USD', '42', SECRET_KEY),
    });
  });

  it.each(['en', 'ru', 'es', 'it', 'pt', 'de', 'fr', 'sv', 'fi', 'tr', 'pl', 'nl', 'De'])(
    'sends hosted-page language %s',
    async (language) => {
      const { client, sent } = answering('POST', '/v1/invoices/create', created);
      await client.invoices.create({ ...invoiceParams, language });
      expect((sent.body as { language: string }).language).toBe(language.toLowerCase());
    },
  );

  it('refuses a language the hosted page has not, before sending', async () => {
    const { client } = mockClient();
    await expect(client.invoices.create({ ...invoiceParams, language: 'xx' })).rejects.toMatchObject({
      code: 'PAYDO_ERR_VALIDATION',
      requestSent: false,
      fields: { language: [expect.stringContaining('en, ru, es')] },
    });
  });

  it('sends paymentMethod: null and cardToken: null as documented', async () => {
    const invoice = answering('POST', '/v1/invoices/create', created);
    await invoice.client.invoices.create({ ...invoiceParams, paymentMethod: null });
    expect(invoice.sent.body).toHaveProperty('paymentMethod', null);
    const checkout = answering('POST', '/v1/checkout/create', createCheckoutAnswers[0] as RecordedAnswer);
    await checkout.client.transactions.create({
      invoiceIdentifier: 'inv-1',
      customer: { email: 'user+1@payop.com', phone: '', name: '' },
      checkStatusUrl: 'https://shop.example/status',
      paymentMethod: null,
      cardToken: null,
    });
    expect(checkout.sent.body).toMatchObject({
      paymentMethod: null,
      cardToken: null,
      customer: { phone: '', name: '' },
    });
  });

  it('sends a refund with metadata as a list and the amount as a number', async () => {
    const { client, sent } = answering('POST', '/v1/refunds/create', createRefundAnswers[0] as RecordedAnswer);
    await client.refunds.create({ transactionIdentifier: 'tx-1', refundType: 2, amount: 10, metadata: [] });
    expect(sent.body).toEqual({ transactionIdentifier: 'tx-1', refundType: 2, amount: '10', metadata: [] });
  });
});
