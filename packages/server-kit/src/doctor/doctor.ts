import { isIP } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { PAYDO_BASE_URL } from '../client/client.ts';
import { type PaydoAnswer, RequestSender } from '../client/request-sender.ts';
import { defaultRetryPolicy } from '../client/retry.ts';
import { Invoice } from '../client/schemas/invoices.ts';
import { PAYDO_IPN_SOURCE_ADDRESSES } from '../client/schemas/ipn.ts';
import { type PaymentMethod, PaymentMethodList } from '../client/schemas/payment-methods.ts';
import { TransactionStatus } from '../client/schemas/transactions.ts';
import {
  PaydoAuthenticationError,
  PaydoError,
  PaydoForbiddenError,
  PaydoNotFoundError,
  PaydoValidationError,
} from '../errors.ts';
import { isTokenizationRefused } from '../fastify/card-mode.ts';
import { signInvoice } from '../signature.ts';
import type { DoctorConfig } from './config.ts';
import { driftOf } from './drift.ts';

export type Verdict = 'ok' | 'warn' | 'fail' | 'skip';

export interface DoctorLine {
  check: string;
  verdict: Verdict;
  detail: string;
}

export interface DoctorReport {
  baseUrl: string;
  projectId: string;
  lines: DoctorLine[];
  /** A line marked `fail`: payments would not work (or not safely) with this setup. */
  blocking: boolean;
  /** The card mode `cardPayments: 'auto'` will use, when the probe could tell. */
  autoCardMode: 'direct' | 'hosted' | undefined;
  /** The one unpaid invoice the doctor created (it expires unpaid after 24 hours). */
  invoiceId: string | undefined;
}

const JWT_SOON_DAYS = 14;

/**
 * Checks a setup against Paydo (or the sandbox): read-only, except one small
 * unpaid invoice, which is what proves the public and secret keys. The card
 * tokenization probe sends no card data: an empty card tells "refused for this
 * project" (403) from "allowed, the fields are wrong" (422) without making a token.
 */
export async function runDoctor(
  config: DoctorConfig,
  options: { dispatcher?: Dispatcher; now?: Date } = {},
): Promise<DoctorReport> {
  const baseUrl = (config.baseUrl ?? PAYDO_BASE_URL).replace(/\/+$/, '');
  const projectId = config.projectId ?? config.publicKey.replace(/^application-/, '');
  const owned = options.dispatcher ? undefined : new Agent({ connect: { timeout: 5_000 } });
  const sender = new RequestSender({
    baseUrl,
    dispatcher: options.dispatcher ?? (owned as Agent),
    jwt: config.jwt,
    headersTimeoutMs: 15_000,
    bodyTimeoutMs: 15_000,
    retry: { ...defaultRetryPolicy, maxRetries: 1 },
    userAgent: 'paydo-doctor/0.1',
    secrets: [config.secretKey, config.jwt],
  });
  const now = options.now ?? new Date();
  const lines: DoctorLine[] = [];
  const line = (check: string, verdict: Verdict, detail: string) => lines.push({ check, verdict, detail });
  const drift: string[] = [];
  const newFields: string[] = [];
  const compare = (what: string, schema: z.ZodType, data: unknown) => {
    const d = driftOf(schema, data);
    drift.push(...d.problems.map((p) => `${what}: ${p}`));
    newFields.push(...d.newFields.map((f) => `${what}: ${f}`));
  };
  const reason = (error: unknown) => (error instanceof PaydoError ? error.message : String(error));
  let autoCardMode: DoctorReport['autoCardMode'];
  let invoiceId: string | undefined;

  try {
    //// JWT: its own claims first, then Paydo's word on it (the methods list needs it) ////
    const claims = jwtClaims(config.jwt);
    let jwtNote: string;
    let jwtVerdict: Verdict = 'ok';
    if (claims === null) jwtNote = 'its expiry cannot be read (not a standard JWT)';
    else if (typeof claims.exp !== 'number') jwtNote = 'carries no expiry';
    else {
      const days = (claims.exp * 1000 - now.getTime()) / 86_400_000;
      const date = new Date(claims.exp * 1000).toISOString().slice(0, 10);
      if (days <= 0) {
        jwtVerdict = 'fail';
        jwtNote = `expired on ${date}: create a new one in the Paydo account`;
      } else if (days < JWT_SOON_DAYS) {
        jwtVerdict = 'warn';
        jwtNote = `expires on ${date} (in ${Math.ceil(days)} days): plan its replacement`;
      } else jwtNote = `expires on ${date}`;
    }

    let methods: PaymentMethod[] | undefined;
    let methodsError: unknown;
    try {
      const answer = await sender.send({
        method: 'GET',
        path: `/instrument-settings/payment-methods/available-for-application/${encodeURIComponent(projectId)}`,
        auth: true,
      });
      compare('payment methods', PaymentMethodList, answer.data);
      const parsed = PaymentMethodList.safeParse(answer.data);
      methods = parsed.success ? parsed.data : [];
    } catch (error) {
      methodsError = error;
    }
    if (methodsError instanceof PaydoAuthenticationError) {
      line('JWT', 'fail', `Paydo refused it (${reason(methodsError)}); ${jwtNote}`);
    } else if (methodsError instanceof PaydoForbiddenError) {
      line('JWT', jwtVerdict, `${jwtNote}`);
    } else if (methodsError && !(methodsError instanceof PaydoError && methodsError.statusCode)) {
      throw methodsError; // Paydo could not be reached: the catch below says so once
    } else line('JWT', jwtVerdict, methodsError ? jwtNote : `accepted; ${jwtNote}`);

    //// The test invoice: proves the public key and the secret key (the signature) ////
    const card = methods?.find((m) => m.formType === 'cards');
    const currency = card?.currencies[0] ?? methods?.find((m) => m.currencies.length)?.currencies[0] ?? 'EUR';
    const orderId = `paydo-doctor-${now.getTime()}`;
    const amount = '1.00';
    const returnTo = config.publicUrl ?? 'https://example.com/';
    let invoice: z.output<typeof Invoice> | undefined;
    try {
      const created = await sender.send({
        method: 'POST',
        path: '/invoices/create',
        body: {
          publicKey: config.publicKey,
          order: { id: orderId, amount, currency, description: 'paydo-doctor setup check (never paid)', items: [] },
          payer: { email: 'paydo-doctor@example.com' },
          language: 'en',
          resultUrl: returnTo,
          failPath: returnTo,
          ...(card && { paymentMethod: card.identifier }),
          metadata: { paydoDoctor: true },
          signature: signInvoice(amount, currency, orderId, config.secretKey),
        },
      });
      invoiceId = createdId(created);
      line('public key', 'ok', `Paydo knows ${config.publicKey}`);
      line('secret key', 'ok', 'the invoice signature was accepted');
    } catch (error) {
      if (error instanceof PaydoNotFoundError) {
        line('public key', 'fail', `Paydo answered "${reason(error)}": check PAYDO_PUBLIC_KEY`);
        line('secret key', 'skip', 'needs a known public key');
      } else if (/signature/i.test(reason(error))) {
        line('public key', 'ok', `Paydo knows ${config.publicKey}`);
        line('secret key', 'fail', `Paydo answered "${reason(error)}": PAYDO_SECRET_KEY is not this project's`);
      } else if (error instanceof PaydoError && error.statusCode) {
        line('public key', 'warn', `the test invoice was refused: ${reason(error)}`);
        line('secret key', 'skip', 'needs the test invoice');
      } else throw error;
    }
    if (invoiceId) {
      const answer = await sender.send({ method: 'GET', path: `/invoices/${encodeURIComponent(invoiceId)}` });
      compare('get invoice', Invoice, answer.data);
      const parsed = Invoice.safeParse(answer.data);
      invoice = parsed.success ? parsed.data : undefined;
      const status = await sender.send({
        method: 'GET',
        path: `/checkout/check-invoice-status/${encodeURIComponent(invoiceId)}`,
      });
      compare('check invoice status', TransactionStatus, status.data);
    }

    //// Project id: the methods path and the invoice's project must be the same one ////
    const owner = invoice?.applicationIdentifier == null ? undefined : String(invoice.applicationIdentifier);
    if (methodsError instanceof PaydoForbiddenError) {
      line(
        'project id',
        'fail',
        `Paydo refused the methods of project ${projectId} to this JWT: set PAYDO_PROJECT_ID to the project the JWT belongs to`,
      );
    } else if (owner && owner !== projectId) {
      line('project id', 'fail', `the keys belong to project ${owner}, not ${projectId}: check PAYDO_PROJECT_ID`);
    } else if (owner) line('project id', 'ok', `${projectId} (the invoice's project)`);
    else line('project id', methodsError ? 'skip' : 'ok', methodsError ? 'needs the JWT' : projectId);

    //// Methods and their currencies ////
    if (!methods) {
      const needsKeys = methodsError instanceof PaydoAuthenticationError || methodsError instanceof PaydoForbiddenError;
      line(
        'payment methods',
        needsKeys ? 'skip' : 'fail',
        needsKeys ? 'needs the JWT and the project id' : reason(methodsError),
      );
    } else if (methods.length === 0)
      line('payment methods', 'fail', 'none enabled for this project: enable some in the Paydo account');
    else {
      line(
        'payment methods',
        'ok',
        methods.map((m) => `${m.title} [${m.identifier}] (${m.currencies.join(', ') || 'no currency'})`).join('; '),
      );
    }

    //// Direct card tokenization: which card mode `auto` will use ////
    if (!card)
      line(
        'card payments',
        methods ? 'warn' : 'skip',
        methods ? 'no card method is enabled' : 'needs the methods list',
      );
    else if (!invoiceId) line('card payments', 'skip', 'needs the test invoice');
    else {
      let refused: boolean | undefined;
      let note = '';
      try {
        await sender.send({
          method: 'POST',
          path: '/payment-tools/card-token/create',
          body: { invoiceIdentifier: invoiceId, pan: '', expirationDate: '', cvv: '', holderName: '' },
        });
        refused = false;
      } catch (error) {
        if (isTokenizationRefused(error)) refused = true;
        else if (error instanceof PaydoValidationError) refused = false;
        else note = reason(error);
      }
      const set = config.cardPayments;
      if (refused === undefined) {
        line('card payments', 'warn', `could not tell whether direct tokenization is allowed: ${note}`);
      } else {
        autoCardMode = refused ? 'hosted' : 'direct';
        const allowed = refused
          ? 'direct tokenization not allowed (Paydo enables it for PCI DSS certified merchants)'
          : 'direct tokenization allowed';
        if (set === 'direct' && refused) {
          line(
            'card payments',
            'fail',
            `${allowed}, but PAYDO_CARD_PAYMENTS=direct: every card payment would fail; use auto or hosted`,
          );
        } else if (set === 'auto') {
          line(
            'card payments',
            'ok',
            `${allowed}: auto uses ${refused ? 'Paydo’s card page (hosted)' : 'your card fields (direct)'}`,
          );
        } else line('card payments', 'ok', `${allowed}; PAYDO_CARD_PAYMENTS=${set}`);
      }
    }
  } catch (error) {
    if (!(error instanceof PaydoError) || error.statusCode) throw error;
    line('Paydo API', 'fail', `cannot reach ${baseUrl}: ${reason(error)}`);
  } finally {
    await owned?.close();
  }

  //// Local settings: the IPN URL and the addresses IPNs are accepted from ////
  line('IPN URL', ...ipnUrlVerdict(config.ipnUrl));
  const list = config.ipnSourceAddresses ?? PAYDO_IPN_SOURCE_ADDRESSES;
  const bad = list.filter((a) => !isIP(a));
  if (bad.length) line('IPN allowlist', 'fail', `not IP addresses: ${bad.join(', ')}`);
  else if (list.length === 0) line('IPN allowlist', 'fail', 'empty: every IPN would be refused');
  else {
    line(
      'IPN allowlist',
      'ok',
      `${config.ipnSourceAddresses ? 'PAYDO_IPN_SOURCE_ADDRESSES' : 'Paydo’s published addresses'}: ${list.join(', ')}`,
    );
  }

  //// Contract drift: every answer above against the client's schemas ////
  if (!lines.some((l) => l.check === 'Paydo API')) {
    if (drift.length) line('contract', 'fail', `the kit cannot read: ${drift.join('; ')}`);
    else if (newFields.length)
      line('contract', 'warn', `answers match; fields the kit does not know: ${newFields.join(', ')}`);
    else line('contract', 'ok', 'every answer matches the client’s schemas');
  }
  if (invoiceId) line('test invoice', 'ok', `${invoiceId} (1.00, never paid; Paydo marks it overdue after 24 hours)`);

  return { baseUrl, projectId, lines, blocking: lines.some((l) => l.verdict === 'fail'), autoCardMode, invoiceId };
}

function createdId(answer: PaydoAnswer): string {
  const id = answer.identifier ?? (typeof answer.data === 'string' && answer.data ? answer.data : undefined);
  if (!id) throw new Error('Paydo created the invoice but sent no identifier (header or data)');
  return id;
}

/** The payload of a JWT, when it is one (Paydo's tokens may carry `exp`). */
export function jwtClaims(jwt: string): Record<string, unknown> | null {
  const part = jwt.split('.')[1];
  if (jwt.split('.').length !== 3 || !part) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Paydo must reach the IPN URL from the internet, over https. */
export function ipnUrlVerdict(ipnUrl: string | undefined): [Verdict, string] {
  if (!ipnUrl) return ['fail', 'not set: set PUBLIC_URL (the IPN URL is PUBLIC_URL/paydo/ipn) or PAYDO_IPN_URL'];
  let url: URL;
  try {
    url = new URL(ipnUrl);
  } catch {
    return ['fail', `"${ipnUrl}" is not a URL`];
  }
  if (url.protocol !== 'https:') return ['fail', `${ipnUrl} is not https: Paydo posts IPNs to https URLs`];
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isPrivateHost(host)) return ['fail', `${ipnUrl} is not reachable from the internet (${host})`];
  return ['ok', ipnUrl];
}

function isPrivateHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal')) return true;
  if (!h.includes('.') && !isIP(h)) return true; // a bare machine name
  if (isIP(h) === 4) {
    const [a, b] = h.split('.').map(Number) as [number, number];
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (isIP(h) === 6) return h === '::1' || h === '::' || /^f[cd]/.test(h) || h.startsWith('fe80');
  return false;
}
