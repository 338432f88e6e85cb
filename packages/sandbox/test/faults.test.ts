import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.ts';
import { parseFaults } from '../src/index.ts';
import type { Json } from './helpers.ts';
import { caller, invoiceBody, startSandbox } from './helpers.ts';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const methodsPath = (s: Sandbox) =>
  `/instrument-settings/payment-methods/available-for-application/${s.project.projectId}`;

describe('fault injection', () => {
  it('injects 5xx answers with Paydo sentences, per endpoint', async () => {
    sandbox = await startSandbox({ faults: parseFaults('card-token.create:error=503,invoices.create:error') });
    const api = caller(sandbox);
    const invoice = await api('POST', '/invoices/create', { body: invoiceBody(sandbox) });
    expect(invoice.status).toBe(500);
    expect(invoice.body).toEqual({ message: 'Something went wrong, try again or contact support.' });
    const token = await api('POST', '/payment-tools/card-token/create', { body: {} });
    expect(token.status).toBe(503);
    expect(token.body).toEqual({ message: 'Card tokenization is temporarily unavailable. Please contact support' });
    expect((await api('GET', methodsPath(sandbox))).status).toBe(200);
  });

  it('injects latency', async () => {
    sandbox = await startSandbox({ faults: [{ endpoint: 'methods.list', kind: 'latency', value: 150 }] });
    const started = Date.now();
    expect((await caller(sandbox)('GET', methodsPath(sandbox))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('injects a timeout (no answer) and a connection reset', async () => {
    sandbox = await startSandbox({
      faults: [
        { endpoint: 'methods.list', kind: 'timeout' },
        { endpoint: 'invoices.get', kind: 'reset' },
      ],
    });
    const api = caller(sandbox);
    await expect(fetch(sandbox.apiUrl + methodsPath(sandbox), { signal: AbortSignal.timeout(200) })).rejects.toThrow(
      /abort|timeout/i,
    );
    await expect(api('GET', '/invoices/x')).rejects.toThrow(/fetch failed/);
  });

  it('phase "after": the call takes effect, then the answer is lost', async () => {
    sandbox = await startSandbox({
      faults: [{ endpoint: 'invoices.create', kind: 'error', value: 502, phase: 'after', times: 1 }],
    });
    const api = caller(sandbox);
    const lost = await api('POST', '/invoices/create', { body: invoiceBody(sandbox) });
    expect(lost.status).toBe(502);
    const state = (await (await fetch(`${sandbox.url}/_sandbox/state`)).json()) as Json;
    expect(state.invoices).toHaveLength(1); // created although the caller saw a 502
    expect((await api('POST', '/invoices/create', { body: invoiceBody(sandbox) })).status).toBe(200); // times: 1
  });

  it('applies a rate deterministically with a seed', async () => {
    const run = async () => {
      const s = await startSandbox({ seed: 42, faults: [{ endpoint: 'methods.list', kind: 'error', rate: 0.5 }] });
      const api = caller(s);
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await api('GET', methodsPath(s))).status);
      await s.close();
      return statuses;
    };
    const first = await run();
    expect(first).toEqual(await run());
    const errors = first.filter((s) => s === 500).length;
    expect(errors).toBeGreaterThan(3);
    expect(errors).toBeLessThan(17);
  });

  it('is flipped from the control API, with clear errors for bad rules', async () => {
    sandbox = await startSandbox();
    const put = (body: unknown) =>
      fetch(`${sandbox?.url}/_sandbox/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await put({ spec: 'methods.list:error=503' })).status).toBe(200);
    expect((await caller(sandbox)('GET', methodsPath(sandbox))).status).toBe(503);
    const bad = await put({ spec: 'nowhere:error' });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as Json).message).toMatch(/Unknown endpoint/);
    await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
    expect((await caller(sandbox)('GET', methodsPath(sandbox))).status).toBe(200);
  });

  it('parses fault specs and rejects bad ones with a sentence', () => {
    expect(parseFaults('checkout.create:error=503:rate=0.5:after:times=2, *:latency=200')).toEqual([
      { endpoint: 'checkout.create', kind: 'error', value: 503, rate: 0.5, phase: 'after', times: 2 },
      { endpoint: '*', kind: 'latency', value: 200 },
    ]);
    expect(() => parseFaults('checkout.create:explode')).toThrow(/Unknown fault kind/);
    expect(() => parseFaults('checkout.create:error=200')).toThrow(/500–599/);
    expect(() => parseFaults('checkout.create:error:rate=2')).toThrow(/between 0 and 1/);
    expect(() => parseFaults('checkout.create:error:often')).toThrow(/Unknown fault option/);
  });

  it('advances a pending transaction and resets state over the control API', async () => {
    sandbox = await startSandbox({ pendingMs: 60_000 });
    const api = caller(sandbox);
    const invoiceId = (await api('POST', '/invoices/create', { body: invoiceBody(sandbox) })).headers.get('identifier');
    const token = await api('POST', '/payment-tools/card-token/create', {
      body: {
        invoiceIdentifier: invoiceId,
        pan: '4000000000000119',
        expirationDate: '12/39',
        cvv: '123',
        holderName: 'A',
      },
    });
    const tx = await api('POST', '/checkout/create', {
      body: {
        invoiceIdentifier: invoiceId,
        customer: { email: 'a@b.co', name: 'A' },
        checkStatusUrl: 'https://s/x',
        cardToken: token.body.data.token,
      },
    });
    const txid = tx.body.data.txid;
    const advance = await fetch(`${sandbox.url}/_sandbox/transactions/${txid}/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(advance.status).toBe(200);
    expect((await api('GET', `/transactions/${txid}`)).body.data.state).toBe(2);
    const unknown = await fetch(`${sandbox.url}/_sandbox/transactions/nope/advance`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' });
    expect((await api('GET', `/transactions/${txid}`)).status).toBe(404);
  });
});
