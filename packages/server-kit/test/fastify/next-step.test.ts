import { describe, expect, it } from 'vitest';
import { fromPaydoError } from '../../src/checkout/http-error.ts';
import { nextFromStatus, UnsafeRedirectError } from '../../src/checkout/next-step.ts';
import { PaydoBusinessError, PaydoTimeoutError, PaydoValidationError } from '../../src/errors.ts';

const options = { pollIntervalMs: 5000, allowedOrigins: new Set(['http://127.0.0.1:8099']) };
const status = (extra: Record<string, unknown>) =>
  ({ isSuccess: true, status: 'pending', form: null, url: null, txid: 't', ...extra }) as never;

describe('nextFromStatus', () => {
  it('follows the contract order: form, then pending, then success/fail', () => {
    expect(
      nextFromStatus(status({ form: { method: 'POST', url: 'https://acs.bank/x', fields: { MD: 'm' } } }), options),
    ).toEqual({
      type: 'post',
      url: 'https://acs.bank/x',
      fields: { MD: 'm' },
    });
    expect(
      nextFromStatus(
        status({ form: { method: 'GET', url: 'https://wallet.example/go?a=1', fields: { b: '2' } } }),
        options,
      ),
    ).toEqual({
      type: 'redirect',
      url: 'https://wallet.example/go?a=1&b=2',
    });
    expect(nextFromStatus(status({}), options)).toEqual({ type: 'wait', afterMs: 5000 });
    expect(nextFromStatus(status({ status: 'success', url: 'https://shop/ok' }), options)).toEqual({
      type: 'done',
      status: 'success',
    });
    expect(nextFromStatus(status({ status: 'fail' }), options)).toEqual({ type: 'fail' });
    expect(nextFromStatus(status({ status: 'weird' }), options)).toEqual({ type: 'unknown' });
  });

  it('accepts the sandbox origin over http, refuses any other non-https address', () => {
    expect(
      nextFromStatus(
        status({ form: { method: 'POST', url: 'http://127.0.0.1:8099/_sandbox/acs/t', fields: {} } }),
        options,
      ),
    ).toMatchObject({ type: 'post' });
    for (const url of ['http://evil.example/acs', 'javascript:alert(1)', 'not a url']) {
      expect(() => nextFromStatus(status({ form: { method: 'POST', url, fields: {} } }), options)).toThrow(
        UnsafeRedirectError,
      );
    }
  });
});

describe('fromPaydoError', () => {
  it('maps Paydo field names to the widget inputs', () => {
    const error = fromPaydoError(
      new PaydoValidationError('x', {
        pan: ['Invalid card number.'],
        'customer.nationalid': ['This value is not valid.'],
        'payer.email': ['bad'],
      }),
    );
    expect(error.statusCode).toBe(422);
    expect(error.body).toEqual({
      error: 'validation',
      message: 'Paydo did not accept some fields.',
      fields: { 'card.pan': ['Invalid card number.'], nationalid: ['This value is not valid.'], email: ['bad'] },
      issues: { 'card.pan': 'invalid_card_number', nationalid: 'invalid_format', email: 'invalid_format' },
    });
  });

  it('says retryable for a timeout, payment_rejected for a business rule, and hides internals otherwise', () => {
    expect(fromPaydoError(new PaydoTimeoutError('headers')).body).toMatchObject({
      error: 'paydo_unavailable',
      retryable: true,
    });
    // Paydo's words go to the merchant's log (`detail`), never to the payer.
    const rejected = fromPaydoError(new PaydoBusinessError('Invalid amount, less than allowed minumum'));
    expect(rejected.statusCode).toBe(422);
    expect(rejected.body).toEqual({ error: 'payment_rejected', message: 'The payment did not go through.' });
    expect(rejected.detail).toContain('Invalid amount, less than allowed minumum');
    const internal = fromPaydoError(new Error('secret stack detail'));
    expect(internal.statusCode).toBe(500);
    expect(internal.body.message).not.toContain('secret');
  });
});
