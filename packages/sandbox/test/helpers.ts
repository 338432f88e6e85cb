import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Sandbox, type SandboxOptions } from '../src/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: contract tests assert literal payloads of any shape
export type Json = any;

export interface Answer {
  status: number;
  headers: Headers;
  body: Json;
}

/** A plain HTTP caller: contract tests assert literal payloads, not the client's schemas. */
export function caller(sandbox: Sandbox) {
  return async function api(
    method: string,
    path: string,
    options: { body?: unknown; jwt?: string | null; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    const jwt = options.jwt === undefined ? sandbox.project.jwt : options.jwt;
    if (jwt) headers.authorization ??= `Bearer ${jwt}`;
    const response = await fetch(sandbox.apiUrl + path, {
      method,
      headers,
      body: options.raw ?? (options.body === undefined ? null : JSON.stringify(options.body)),
      redirect: 'manual',
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: response.status, headers: response.headers, body };
  };
}

export function sign(amount: string, currency: string, orderId: string, secretKey: string): string {
  return createHash('sha256').update(`${amount}:${currency}:${orderId}:${secretKey}`).digest('hex');
}

let orderSeq = 0;

export function invoiceBody(
  sandbox: Sandbox,
  overrides: {
    amount?: string;
    currency?: string;
    paymentMethod?: number | null;
    orderId?: string;
    extra?: Record<string, unknown>;
  } = {},
) {
  const orderId = overrides.orderId ?? `order-${++orderSeq}`;
  const amount = overrides.amount ?? '12.50';
  const currency = overrides.currency ?? 'EUR';
  return {
    publicKey: sandbox.project.publicKey,
    order: {
      id: orderId,
      amount,
      currency,
      description: 'Test order',
      items: [{ id: 'mug', name: 'Mug', price: amount }],
    },
    payer: { email: 'payer@example.com', name: 'Ada Lovelace' },
    language: 'en',
    resultUrl: 'https://shop.example/result?invoice={{invoiceId}}&txid={{txid}}',
    failPath: 'https://shop.example/fail?txid={{txid}}',
    paymentMethod: overrides.paymentMethod === undefined ? 200001 : overrides.paymentMethod,
    metadata: { orderRef: orderId },
    signature: sign(amount, currency, orderId, sandbox.project.secretKey),
    ...overrides.extra,
  };
}

export const CARD_METHOD = 200001;
export const BANK_METHOD = 200002;
export const WALLET_METHOD = 200003;
export const HOSTED_METHOD = 200004;
export const DISABLED_METHOD = 200009;

/** Creates an invoice, tokenizes the card and creates the transaction; returns the txid. */
export async function payByCard(sandbox: Sandbox, pan: string, options: { amount?: string } = {}) {
  const api = caller(sandbox);
  const created = await api('POST', '/invoices/create', { body: invoiceBody(sandbox, options) });
  const invoiceId = created.headers.get('identifier') as string;
  const token = await api('POST', '/payment-tools/card-token/create', {
    body: { invoiceIdentifier: invoiceId, pan, expirationDate: '12/39', cvv: '123', holderName: 'Ada Lovelace' },
  });
  const tx = await api('POST', '/checkout/create', {
    body: {
      invoiceIdentifier: invoiceId,
      customer: { email: 'payer@example.com', name: 'Ada Lovelace', ip: '203.0.113.7' },
      checkStatusUrl: 'https://shop.example/checkout?paydo_txid={{txid}}',
      cardToken: token.body.data.token,
    },
  });
  return { invoiceId, txid: tx.headers.get('identifier') as string, answer: tx };
}

export interface ReceivedIpn {
  body: Json;
  at: number;
}

/** An IPN receiver whose answers the test scripts: e.g. [500, 500, 200]. */
export async function ipnReceiver(statuses: number[] = []) {
  const received: ReceivedIpn[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => {
      received.push({ body: JSON.parse(data), at: Date.now() });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
      for (const w of waiters.filter((w) => received.length >= w.count)) w.resolve();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ipn`;
  return {
    url,
    received,
    waitFor(count: number): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Posts a form to one of the emulator's pages, as a browser does; redirects are not followed. */
export function postForm(sandbox: Sandbox, path: string, fields: Record<string, string> = {}) {
  return fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

export async function startSandbox(options: SandboxOptions = {}) {
  return createSandbox({ pendingMs: 200, ...options });
}
