// Paydo's hosted page by method, when the invoice lacks a field the method requires: the payer is
// sent to Paydo's form to fill it in (not refused), then the page goes on with the method.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.ts';
import { BANK_METHOD, CARD_METHOD, caller, invoiceBody, startSandbox } from './helpers.ts';

let sandbox: Sandbox;
let api: ReturnType<typeof caller>;
beforeAll(async () => {
  sandbox = await startSandbox();
  api = caller(sandbox);
});
afterAll(() => sandbox.close());

async function invoiceFor(paymentMethod: number, payer: Record<string, unknown>): Promise<string> {
  const body = { ...invoiceBody(sandbox, { paymentMethod }), payer };
  const res = await api('POST', '/invoices/create', { body });
  expect(res.status).toBe(200);
  return res.headers.get('identifier') as string;
}
const hostedPage = async (invoiceId: string) =>
  (await fetch(`${sandbox.url}/en/payment/invoice-preprocessing/${invoiceId}`)).text();
const post = (path: string, fields: Record<string, string>) =>
  fetch(`${sandbox.url}${path}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });

describe('missing required payer fields on the hosted page', () => {
  it('card method without the payer’s name: the form asks for it, then the card form opens with it', async () => {
    const invoiceId = await invoiceFor(CARD_METHOD, { email: 'payer@example.com' });
    const form = await hostedPage(invoiceId);
    expect(form).toContain('A few details first');
    expect(form).toContain('name="name"');
    expect(form).not.toContain('name="pan"');
    // The card cannot be sent around the form either.
    const early = await post(`/_sandbox/hosted/${invoiceId}/card`, {
      pan: '4242424242424242',
      expirationDate: '12/39',
      cvv: '123',
      holderName: 'Ada',
    });
    expect(early.status).toBe(422);
    expect(await early.text()).toContain('name="name"');

    const blank = await post(`/_sandbox/hosted/${invoiceId}/payer`, { name: ' ' });
    expect(blank.status).toBe(422);
    const filled = await post(`/_sandbox/hosted/${invoiceId}/payer`, { name: 'Ada Lovelace' });
    expect(filled.status).toBe(303);
    expect(filled.headers.get('location')).toBe(`/en/payment/invoice-preprocessing/${invoiceId}`);
    const cardForm = await hostedPage(invoiceId);
    expect(cardForm).toContain('name="pan"');
    expect(cardForm).toContain('value="Ada Lovelace"');
    expect((await api('GET', `/invoices/${invoiceId}`)).body.data.payer).toMatchObject({ name: 'Ada Lovelace' });

    const paid = await post(`/_sandbox/hosted/${invoiceId}/card`, {
      pan: '4242424242424242',
      expirationDate: '12/39',
      cvv: '123',
      holderName: 'Ada Lovelace',
    });
    expect(paid.headers.get('location')).toMatch(/^https:\/\/shop\.example\/result\?invoice=.*&txid=/);
    expect((await api('GET', `/invoices/${invoiceId}`)).body.data.status).toBe(1);
  });

  it('bank transfer without a valid national id: asked on the form, checked against the method’s pattern', async () => {
    const invoiceId = await invoiceFor(BANK_METHOD, {
      email: 'payer@example.com',
      name: 'Ada',
      extraFields: { nationalid: '12' },
    });
    expect(await hostedPage(invoiceId)).toContain('name="nationalid"');
    const wrong = await post(`/_sandbox/hosted/${invoiceId}/payer`, { nationalid: 'abc' });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('Please check');
    const ok = await post(`/_sandbox/hosted/${invoiceId}/payer`, { nationalid: '1234567890' });
    expect(ok.status).toBe(303);
    const next = await hostedPage(invoiceId);
    expect(next).not.toContain('A few details first');
    expect(next).toContain('value="approve"');
  });

  it('an invoice with every required field opens on its method at once', async () => {
    const invoiceId = await invoiceFor(CARD_METHOD, { email: 'payer@example.com', name: 'Ada' });
    expect(await hostedPage(invoiceId)).toContain('name="pan"');
  });
});
