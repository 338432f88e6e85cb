import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PaydoAbortedError,
  PaydoAuthenticationError,
  PaydoBusinessError,
  PaydoClient,
  PaydoError,
  PaydoForbiddenError,
  PaydoNetworkError,
  PaydoNotFoundError,
  PaydoRequestError,
  PaydoTimeoutError,
  PaydoUpstreamError,
  PaydoValidationError,
  redact,
} from '../src/index.ts';
import { JWT, mockClient, PUBLIC_KEY, SECRET_KEY } from './helpers.ts';

const tokenParams = {
  invoiceIdentifier: 'inv-1',
  pan: '4242424242424242',
  expirationDate: '12/30',
  cvv: '123',
  holderName: 'Ada',
};

describe('error mapping', () => {
  it.each([
    [
      401,
      { message: 'Full authentication is required to access this resource.' },
      PaydoAuthenticationError,
      'PAYDO_ERR_AUTHENTICATION',
    ],
    [403, { message: 'Access denied.' }, PaydoForbiddenError, 'PAYDO_ERR_FORBIDDEN'],
    [404, { message: 'Invoice not found' }, PaydoNotFoundError, 'PAYDO_ERR_NOT_FOUND'],
    [422, { message: 'Invoice not found' }, PaydoNotFoundError, 'PAYDO_ERR_NOT_FOUND'],
    [422, { message: 'Wrong signature' }, PaydoBusinessError, 'PAYDO_ERR_BUSINESS'],
    [
      422,
      { message: { isSuccess: false, message: 'Invalid amount, less than allowed minumum' } },
      PaydoBusinessError,
      'PAYDO_ERR_BUSINESS',
    ],
    [415, { message: 'Unsupported media type. Only json allowed' }, PaydoRequestError, 'PAYDO_ERR_REQUEST'],
    [500, { message: 'Something went wrong, try again or contact support.' }, PaydoUpstreamError, 'PAYDO_ERR_UPSTREAM'],
    [
      503,
      { message: 'Card tokenization is temporarily unavailable. Please contact support' },
      PaydoUpstreamError,
      'PAYDO_ERR_UPSTREAM',
    ],
    [502, 'not json at all', PaydoUpstreamError, 'PAYDO_ERR_UPSTREAM'],
  ])('maps HTTP %i %j', async (status, body, ErrorClass, code) => {
    const { pool, client } = mockClient({ retry: false });
    pool.intercept({ path: '/v1/payment-tools/card-token/create', method: 'POST' }).reply(status, body);
    const error = await client.cardTokens.create(tokenParams).catch((e) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(PaydoError);
    expect(error.code).toBe(code);
    expect(error.statusCode).toBe(status);
    expect(error.retryable).toBe(status >= 500);
    expect(error.message.length).toBeGreaterThan(5);
  });

  it('turns a 422 field map into field errors', async () => {
    const { pool, client } = mockClient();
    pool.intercept({ path: '/v1/payment-tools/card-token/create', method: 'POST' }).reply(422, {
      message: { pan: ['Invalid card number.'], cvv: ['This value is too long. It should have 4 characters or less.'] },
    });
    const error = await client.cardTokens.create(tokenParams).catch((e) => e);
    expect(error).toBeInstanceOf(PaydoValidationError);
    expect(error.fields).toEqual({
      pan: ['Invalid card number.'],
      cvv: ['This value is too long. It should have 4 characters or less.'],
    });
  });

  it('never lets a card number, the secret key or the JWT into a message', async () => {
    const { pool, client } = mockClient();
    pool
      .intercept({ path: '/v1/payment-tools/card-token/create', method: 'POST' })
      .reply(422, { message: `card 4242 4242 4242 4242 with ${SECRET_KEY} and ${JWT} refused` });
    const error = await client.cardTokens.create(tokenParams).catch((e) => e);
    expect(error.message).not.toMatch(/4242|test-secret-key|eyJ/);
    expect(error.message).toContain('[redacted]');
  });

  it('needs the JWT for authenticated calls and says so without sending', async () => {
    const { client } = mockClient({ jwt: undefined });
    const error = await client.transactions.retrieve('tx-1').catch((e) => e);
    expect(error).toBeInstanceOf(PaydoAuthenticationError);
    expect(error.requestSent).toBe(false);
  });

  it('recognizes errors from another loaded copy of the package by brand and code', () => {
    const foreign = { [Symbol.for('paydo-checkout.error')]: true, code: 'PAYDO_ERR_TIMEOUT' };
    expect(foreign).toBeInstanceOf(PaydoError);
    expect(foreign).toBeInstanceOf(PaydoTimeoutError);
    expect(foreign).not.toBeInstanceOf(PaydoValidationError);
    expect({ code: 'PAYDO_ERR_TIMEOUT' }).not.toBeInstanceOf(PaydoError);
  });

  it('redacts grouped and plain card numbers', () => {
    expect(redact('pan 4000-0000-0000-3220 or 5555555555554444 ok 2024')).toBe('pan [redacted] or [redacted] ok 2024');
  });
});

describe('retries', () => {
  it('retries a GET on 503 and succeeds', async () => {
    const { pool, client } = mockClient();
    pool.intercept({ path: '/v1/invoices/inv-1', method: 'GET' }).reply(503, { message: 'down' });
    pool.intercept({ path: '/v1/invoices/inv-1', method: 'GET' }).reply(503, { message: 'down' });
    pool.intercept({ path: '/v1/invoices/inv-1', method: 'GET' }).reply(200, {
      data: { identifier: 'inv-1', status: 0, amount: 1, currency: 'EUR', orderIdentifier: 'o' },
      status: 1,
    });
    expect((await client.invoices.retrieve('inv-1')).identifier).toBe('inv-1');
  });

  it('gives up after maxRetries with the last error', async () => {
    const { pool, client } = mockClient({ retry: { maxRetries: 1, minDelayMs: 1 } });
    pool.intercept({ path: '/v1/invoices/inv-1', method: 'GET' }).reply(500, { message: 'a' }).times(2);
    const error = await client.invoices.retrieve('inv-1').catch((e) => e);
    expect(error).toBeInstanceOf(PaydoUpstreamError);
  });

  it('never retries a transaction creation that reached Paydo', async () => {
    const { agent, pool, client } = mockClient();
    let calls = 0;
    pool
      .intercept({ path: '/v1/checkout/create', method: 'POST' })
      .reply(() => {
        calls++;
        return { statusCode: 503, data: { message: 'down' } };
      })
      .persist();
    const error = await client.transactions
      .create({ invoiceIdentifier: 'inv-1', customer: { email: 'a@b.co' }, checkStatusUrl: 'https://s/x' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(PaydoUpstreamError);
    expect(error.retryable).toBe(true);
    expect(calls).toBe(1);
    await agent.close();
  });

  it('retries a creation when the connection was refused (nothing was sent)', async () => {
    const { pool, client } = mockClient();
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    pool.intercept({ path: '/v1/refunds/create', method: 'POST' }).replyWithError(refused);
    pool
      .intercept({ path: '/v1/refunds/create', method: 'POST' })
      .reply(201, { data: '', status: 1 }, { headers: { identifier: 'rf-9' } });
    expect(await client.refunds.create({ transactionIdentifier: 'tx-1', refundType: 1, amount: 10 })).toEqual({
      refundId: 'rf-9',
    });
  });

  it('does not retry a creation after a reset (it may have been sent)', async () => {
    const { pool, client } = mockClient();
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    pool.intercept({ path: '/v1/refunds/create', method: 'POST' }).replyWithError(reset);
    const error = await client.refunds
      .create({ transactionIdentifier: 'tx-1', refundType: 1, amount: 10 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(PaydoNetworkError);
    expect(error.requestSent).toBe(true);
  });

  it('honours Retry-After on a 429 for a GET', async () => {
    const { pool, client } = mockClient({ retry: { maxRetries: 1, minDelayMs: 1, maxDelayMs: 50 } });
    pool
      .intercept({ path: '/v1/refunds/user-refunds', method: 'GET' })
      .reply(429, { message: 'slow down' }, { headers: { 'retry-after': '0' } });
    pool.intercept({ path: '/v1/refunds/user-refunds', method: 'GET' }).reply(200, { data: [], status: 1 });
    expect(await client.refunds.list()).toEqual([]);
  });
});

describe('timeouts and abort over real HTTP', () => {
  let server: Server | undefined;
  afterEach(async () => {
    const s = server;
    server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  });

  async function silentServer(onRequest: () => void): Promise<string> {
    server = createServer((_req, _res) => onRequest()); // never answers
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  }

  it('times out waiting for headers and retries a GET once per policy', async () => {
    let requests = 0;
    const baseUrl = await silentServer(() => requests++);
    const client = new PaydoClient({
      publicKey: PUBLIC_KEY,
      secretKey: SECRET_KEY,
      baseUrl,
      headersTimeoutMs: 100,
      retry: { maxRetries: 1, minDelayMs: 1 },
    });
    const error = await client.invoices.retrieve('inv-1').catch((e) => e);
    expect(error).toBeInstanceOf(PaydoTimeoutError);
    expect(error.phase).toBe('headers');
    expect(requests).toBe(2);
    await client.close();
  });

  it('does not retry a POST that timed out', async () => {
    let requests = 0;
    const baseUrl = await silentServer(() => requests++);
    const client = new PaydoClient({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl, headersTimeoutMs: 100 });
    const error = await client.cardTokens.create(tokenParams).catch((e) => e);
    expect(error).toBeInstanceOf(PaydoTimeoutError);
    expect(error.requestSent).toBe(true);
    expect(requests).toBe(1);
    await client.close();
  });

  it('stops when the caller aborts', async () => {
    const baseUrl = await silentServer(() => {});
    const client = new PaydoClient({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl });
    const error = await client.invoices.retrieve('inv-1', { signal: AbortSignal.timeout(50) }).catch((e) => e);
    expect(error).toBeInstanceOf(PaydoAbortedError);
    await client.close();
  });

  it('reports a refused connection as a network error that was not sent', async () => {
    const baseUrl = await silentServer(() => {});
    const s = server as Server;
    server = undefined;
    await new Promise((r) => s.close(r));
    const client = new PaydoClient({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl, retry: false });
    const error = await client.invoices.retrieve('inv-1').catch((e) => e);
    expect(error).toBeInstanceOf(PaydoNetworkError);
    expect(error.requestSent).toBe(false);
    await client.close();
  });
});
