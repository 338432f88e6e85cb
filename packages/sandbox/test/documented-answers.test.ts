import { afterEach, describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.ts';
import {
  DEFAULT_VARIANTS,
  describeVariants,
  type Sandbox,
  switchedVariantSets,
  VARIANT_CHOICES,
} from '../src/index.ts';
import { caller, invoiceBody, ipnReceiver, payByCard, sign, startSandbox } from './helpers.ts';

let sandbox: Sandbox | undefined;
let receiver: Awaited<ReturnType<typeof ipnReceiver>> | undefined;
afterEach(async () => {
  await sandbox?.close();
  await receiver?.close();
  sandbox = undefined;
  receiver = undefined;
});

const methodsPath = (s: Sandbox) =>
  `/instrument-settings/payment-methods/available-for-application/${s.project.projectId}`;

describe('the emulator answers like the docs', () => {
  it('takes a numeric order id, leaves description, language and the redirect urls optional, and speaks twelve languages', async () => {
    sandbox = await startSandbox();
    const api = caller(sandbox);
    const body = {
      publicKey: sandbox.project.publicKey,
      order: { id: 42, amount: '12.50', currency: 'EUR', items: { name: 'Mug', price: 12.5 } },
      payer: { email: 'payer@example.com', name: '', phone: '' },
      paymentMethod: null,
      signature: sign('12.50', 'EUR', '42', sandbox.project.secretKey),
    };
    const created = await api('POST', '/invoices/create', { body });
    expect(created.status).toBe(200);
    const invoice = await api('GET', `/invoices/${created.body.data}`);
    expect(invoice.body.data).toMatchObject({ orderIdentifier: '42', language: 'en', paymentMethod: null });
    for (const language of ['es', 'it', 'pt', 'de', 'fr', 'sv', 'fi', 'tr', 'pl', 'nl', 'De']) {
      const res = await api('POST', '/invoices/create', { body: { ...invoiceBody(sandbox), language } });
      expect(res.status, language).toBe(200);
    }
    const unknown = await api('POST', '/invoices/create', { body: { ...invoiceBody(sandbox), language: 'xx' } });
    expect(unknown.body.message).toEqual({ language: ['This value is not valid.'] });
  });

  it('serves GET /v2/transactions/{id} with the same object as v1, behind the JWT', async () => {
    sandbox = await startSandbox();
    const { txid } = await payByCard(sandbox, '4242424242424242');
    const v2 = await fetch(`${sandbox.url}/v2/transactions/${txid}`, {
      headers: { authorization: `Bearer ${sandbox.project.jwt}` },
    });
    const v1 = await caller(sandbox)('GET', `/transactions/${txid}`);
    const body = (await v2.json()) as { data: unknown };
    expect(body.data).toEqual(v1.body.data);
    expect((await fetch(`${sandbox.url}/v2/transactions/${txid}`)).status).toBe(401);
  });

  it('filters transactions by ids, leaving unknown ids out', async () => {
    sandbox = await startSandbox();
    const paid = await payByCard(sandbox, '4242424242424242', { amount: '20.00' });
    const declined = await payByCard(sandbox, '4000000000000002');
    const res = await caller(sandbox)(
      'GET',
      `/transactions/filter?query[identifiers]=${paid.txid},nope,${declined.txid}`,
    );
    expect(
      res.body.data.map((t: { identifier: string; state: number; amount: string }) => [
        t.identifier,
        t.state,
        t.amount,
      ]),
    ).toEqual([
      [paid.txid, 2, '20.00'],
      [declined.txid, 3, '12.50'],
    ]);
    expect(res.body.data[0]).toHaveProperty('orderIdentifier');
  });

  it('voids a pending transaction (a failed IPN follows) and refuses to void a final one', async () => {
    receiver = await ipnReceiver();
    sandbox = await startSandbox({ ipnUrl: receiver.url });
    const api = caller(sandbox);
    const pending = await payByCard(sandbox, '4000000000003220'); // 3-D Secure: pending
    const voided = await api('POST', '/checkout/void', { body: { invoiceIdentifier: pending.invoiceId } });
    expect(voided.body).toEqual({ data: { isSuccess: true, message: '', txid: pending.txid }, status: 1 });
    await receiver.waitFor(1);
    expect(receiver.received[0]?.body.transaction).toMatchObject({ id: pending.txid, state: 3 });
    const again = await api('POST', '/checkout/void', { body: { invoiceIdentifier: pending.invoiceId } });
    expect(again.status).toBe(422);
    expect((await api('POST', '/checkout/void', { body: { invoiceIdentifier: 'nope' } })).status).toBe(404);
  });

  it("answers unknown routes anywhere in Paydo's envelope", async () => {
    sandbox = await startSandbox();
    for (const path of ['/v1/nothing/here', '/v3/transactions/x', '/nothing']) {
      const res = await fetch(sandbox.url + path);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ message: 'Not found' });
    }
  });

  it('keeps a new refund waiting until accepted through the control API, then sends the refund IPN once', async () => {
    receiver = await ipnReceiver();
    sandbox = await startSandbox({ ipnUrl: receiver.url, refundAcceptMs: null });
    const api = caller(sandbox);
    const { txid } = await payByCard(sandbox, '4242424242424242', { amount: '20.00' });
    await receiver.waitFor(1);
    const created = await api('POST', '/refunds/create', {
      body: { transactionIdentifier: txid, refundType: 2, amount: '5', metadata: { note: 'mug broke' } },
    });
    const refundId = created.headers.get('identifier') as string;
    const lookup = () => api('GET', `/refunds/user-refunds?query[identifier]=${refundId}`);
    expect((await lookup()).body.data[0].status).toBe(1);
    expect(sandbox.control.acceptRefund(refundId)).toBe(true);
    expect(sandbox.control.acceptRefund(refundId)).toBe(false);
    expect((await lookup()).body.data[0].status).toBe(2);
    await receiver.waitFor(2);
    expect(receiver.received[1]?.body).toEqual({
      transaction: {
        refundId,
        state: 2,
        amount: 5,
        currency: 'EUR',
        metadata: { note: 'mug broke' },
        error: { message: '', code: '' },
      },
      sourceTransaction: { id: txid, state: 2 },
    });
    await sandbox.control.ipnIdle();
    expect(receiver.received).toHaveLength(2);
  });

  it('accepts a new refund by itself after refundAcceptMs', async () => {
    receiver = await ipnReceiver();
    sandbox = await startSandbox({ ipnUrl: receiver.url, refundAcceptMs: 20 });
    const { txid } = await payByCard(sandbox, '4242424242424242');
    await caller(sandbox)('POST', '/refunds/create', { body: { transactionIdentifier: txid, refundType: 1 } });
    await receiver.waitFor(2);
    expect(receiver.received[1]?.body.transaction).toMatchObject({ state: 2, amount: 12.5 });
  });
});

describe('variant switches', () => {
  it('every switch defaults to its first value, and the switched sets cover every other value', () => {
    const seen = new Map<string, Set<string>>();
    for (const set of [DEFAULT_VARIANTS, ...switchedVariantSets()]) {
      for (const [k, v] of Object.entries(set)) seen.set(k, (seen.get(k) ?? new Set()).add(v as string));
    }
    for (const [name, values] of Object.entries(VARIANT_CHOICES))
      expect([...(seen.get(name) ?? [])].sort()).toEqual([...values].sort());
    expect(describeVariants(DEFAULT_VARIANTS)).toBe('default');
  });

  it('methodRows=wrapped and methodFormType=absent', async () => {
    sandbox = await startSandbox({ variants: { methodRows: 'wrapped', methodFormType: 'absent' } });
    const res = await caller(sandbox)('GET', methodsPath(sandbox));
    const row = res.body.data[0];
    expect(Object.keys(row)).toEqual(['paymentMethod']);
    expect(row.paymentMethod).toMatchObject({
      isEnabled: true,
      identifier: expect.any(Number),
      type: expect.any(String),
    });
    expect(row.paymentMethod).not.toHaveProperty('formType');
  });

  it('invoiceId=header and invoiceId=body', async () => {
    sandbox = await startSandbox({ variants: { invoiceId: 'header' } });
    let res = await caller(sandbox)('POST', '/invoices/create', { body: invoiceBody(sandbox) });
    expect(res.body.data).toBe('');
    expect(res.headers.get('identifier')).toMatch(/^[0-9a-f-]{36}$/);
    await sandbox.close();
    sandbox = await startSandbox({ variants: { invoiceId: 'body' } });
    res = await caller(sandbox)('POST', '/invoices/create', { body: invoiceBody(sandbox) });
    expect(res.body.data).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('identifier')).toBeNull();
  });

  it('createdStatus=201, refundId=body, invoiceNotFound=404, emptyStatusForm=absent', async () => {
    sandbox = await startSandbox({
      refundAcceptMs: null,
      variants: { createdStatus: '201', refundId: 'body', invoiceNotFound: '404', emptyStatusForm: 'absent' },
    });
    const api = caller(sandbox);
    const created = await api('POST', '/invoices/create', { body: invoiceBody(sandbox) });
    const invoiceId = created.body.data;
    const token = await api('POST', '/payment-tools/card-token/create', {
      body: {
        invoiceIdentifier: invoiceId,
        pan: '4242424242424242',
        expirationDate: '12/39',
        cvv: '123',
        holderName: 'A B',
      },
    });
    expect(token.status).toBe(201);
    const tx = await api('POST', '/checkout/create', {
      body: {
        invoiceIdentifier: invoiceId,
        customer: { email: 'payer@example.com', name: 'A B' },
        checkStatusUrl: 'https://shop.example/s',
        cardToken: token.body.data.token,
      },
    });
    const txid = tx.headers.get('identifier') as string;
    const status = await api('GET', `/checkout/check-transaction-status/${txid}`);
    expect(status.body.data).toMatchObject({ status: 'success' });
    expect(status.body.data).not.toHaveProperty('form');
    const refund = await api('POST', '/refunds/create', { body: { transactionIdentifier: txid, refundType: 1 } });
    expect(refund.status).toBe(201);
    expect(refund.headers.get('identifier')).toBeNull();
    expect(refund.body).toEqual({ data: '', status: 1, identifier: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((await api('GET', '/invoices/nope')).status).toBe(404);
    const unknownInvoiceToken = await api('POST', '/payment-tools/card-token/create', {
      body: {
        invoiceIdentifier: 'nope',
        pan: '4242424242424242',
        expirationDate: '12/39',
        cvv: '123',
        holderName: 'A B',
      },
    });
    expect(unknownInvoiceToken.status).toBe(404);
  });

  it('takes switches from the CLI and PAYDO_SANDBOX_VARIANTS, and names a wrong one', () => {
    const options = parseCli(['--variant', 'methodRows=wrapped', '--variant', 'createdStatus=201'], {
      PAYDO_SANDBOX_VARIANTS: 'invoiceId=header,createdStatus=200',
    });
    expect(options.variants).toMatchObject({ methodRows: 'wrapped', invoiceId: 'header', createdStatus: '201' });
    expect(() => parseCli(['--variant', 'methodRows=sideways'], {})).toThrow(/methodRows must be one of flat, wrapped/);
    expect(() => parseCli(['--variant', 'colour=blue'], {})).toThrow(/unknown variant "colour"/);
    expect(parseCli(['--refund-accept-ms', 'manual'], {}).refundAcceptMs).toBeNull();
  });
});
