// `paydo-doctor`: checks a merchant's Paydo setup against the real service, read-only but for one
// small unpaid invoice. Each answer is parsed with the client's own schemas, so a field Paydo
// sends differently from what the kit relies on shows up here, not at a payer's first Pay.
import { isIP } from 'node:net';
import { PaydoClient } from '../client/client.ts';
import { DOCUMENTED_IPN_SOURCES, PAYDO_IPN_SOURCE_ADDRESSES } from '../client/schemas/ipn.ts';
import type { PaymentMethod } from '../client/schemas/payment-methods.ts';
import {
  PaydoAuthenticationError,
  PaydoError,
  PaydoForbiddenError,
  PaydoNotFoundError,
  PaydoUnexpectedResponseError,
} from '../errors.ts';
import { FormType } from '../vocabulary.ts';

export type Verdict = 'ok' | 'warn' | 'fail';

export interface DoctorRow {
  check: string;
  verdict: Verdict;
  detail: string;
}

export interface DoctorEnv {
  PAYDO_PUBLIC_KEY?: string | undefined;
  PAYDO_SECRET_KEY?: string | undefined;
  PAYDO_JWT?: string | undefined;
  PAYDO_PROJECT_ID?: string | undefined;
  PAYDO_BASE_URL?: string | undefined;
  /** The shop's public origin: the IPN URL is `PUBLIC_URL` + `/paydo/ipn` unless PAYDO_IPN_URL says otherwise. */
  PUBLIC_URL?: string | undefined;
  PAYDO_IPN_URL?: string | undefined;
  /** Comma-separated extra or replacement IPN source addresses, as given to `ipnSourceAddresses`. */
  PAYDO_IPN_SOURCES?: string | undefined;
  /** The plugin's `cardPayments` as the store reads it: auto (default), direct or hosted. */
  PAYDO_CARD_PAYMENTS?: string | undefined;
}

const why = (error: unknown) =>
  error instanceof PaydoUnexpectedResponseError
    ? `contract drift: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);

/** Seconds until the JWT's `exp`, or null when it carries none (or is not a JWT). */
function jwtExpiry(jwt: string): number | null {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp - Math.floor(Date.now() / 1000) : null;
  } catch {
    return null;
  }
}

/** Whether a host name or address is reachable from the internet (not loopback, private or link-local). */
function isPublicHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal')) return false;
  if (isIP(h) === 4) {
    const [a, b] = h.split('.').map(Number) as [number, number];
    return !(
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  if (isIP(h) === 6) return !(h === '::1' || h.startsWith('fc') || h.startsWith('fd') || h.startsWith('fe80'));
  return h.includes('.');
}

const TLS_CODES =
  /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)/;

/**
 * Whether PAYDO_BASE_URL is Paydo's API, asked before anything else: a closed port, an unknown
 * host or a refused certificate is one line and the end (every later check would fail with it).
 * The probe is an unauthenticated lookup of an invoice that does not exist: Paydo answers it
 * with its JSON error envelope (`{"message": "Invoice not found"}`).
 * Returns the failing sentence, or null when the URL answers as Paydo's API.
 */
export async function probeApi(baseUrl: string, timeoutMs = 10_000): Promise<string | null> {
  const url = new URL(baseUrl);
  const where = `${url.hostname}${url.port ? `:${url.port}` : ''}`;
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/invoices/paydo-doctor-probe`, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code ?? (error as { name?: string }).name ?? '';
    if (code === 'ECONNREFUSED')
      return `nothing answers at ${where} (connection refused): check PAYDO_BASE_URL and that the server is up`;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      return `the host ${url.hostname} is not found (DNS ${code}): check PAYDO_BASE_URL`;
    if (/^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_TLS_CERT)/.test(code))
      return `TLS: ${where} presents a certificate this machine does not trust (${code}): check PAYDO_BASE_URL, or the machine's CA certificates`;
    if (TLS_CODES.test(code) || code === 'EPROTO')
      return `TLS: the handshake with ${where} fails (${code}): does it speak https? check PAYDO_BASE_URL`;
    if (code === 'TimeoutError' || code === 'AbortError')
      return `${where} did not answer within ${timeoutMs / 1000} s: check PAYDO_BASE_URL and the network (firewall, proxy)`;
    return `${where} cannot be reached (${code || cause?.message || (error as Error).message})`;
  }
  const text = await res.text().catch(() => '');
  if (!/\/v1$/.test(url.pathname.replace(/\/+$/, '')))
    return `PAYDO_BASE_URL ${baseUrl} lacks /v1: Paydo's API is at https://paydo.com/v1 (try ${baseUrl.replace(/\/+$/, '')}/v1)`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {}
  const message = (body as { message?: unknown } | undefined)?.message;
  if (res.status < 400 || typeof message !== 'string')
    return `${baseUrl} answers as something that is not Paydo's API (HTTP ${res.status}, ${res.headers.get('content-type') ?? 'no content type'} to an invoice lookup): check PAYDO_BASE_URL`;
  return null;
}

export async function runDoctor(env: DoctorEnv): Promise<DoctorRow[]> {
  const rows: DoctorRow[] = [];
  const add = (check: string, verdict: Verdict, detail: string) => rows.push({ check, verdict, detail });

  const missing = (['PAYDO_PUBLIC_KEY', 'PAYDO_SECRET_KEY', 'PAYDO_JWT'] as const).filter((k) => !env[k]);
  if (missing.length) {
    add('settings', 'fail', `${missing.join(', ')} missing (the same variables as the store's .env)`);
    return rows;
  }
  if (env.PAYDO_CARD_PAYMENTS && !['auto', 'direct', 'hosted'].includes(env.PAYDO_CARD_PAYMENTS)) {
    add('settings', 'fail', `PAYDO_CARD_PAYMENTS must be auto, direct or hosted (got "${env.PAYDO_CARD_PAYMENTS}")`);
    return rows;
  }
  let client: PaydoClient;
  try {
    client = new PaydoClient({
      publicKey: env.PAYDO_PUBLIC_KEY as string,
      secretKey: env.PAYDO_SECRET_KEY as string,
      jwt: env.PAYDO_JWT as string,
      projectId: env.PAYDO_PROJECT_ID || undefined,
      baseUrl: env.PAYDO_BASE_URL || undefined,
      retry: false,
    });
  } catch (error) {
    add('settings', 'fail', why(error));
    return rows;
  }
  // Reachability first: if it fails, every later check would only repeat it.
  const unreachable = await probeApi(client.baseUrl);
  if (unreachable) {
    add('API', 'fail', unreachable);
    await client.close();
    return rows;
  }
  add('API', 'ok', client.baseUrl);

  try {
    // JWT expiry, when the token carries one (Paydo's may not).
    const left = jwtExpiry(env.PAYDO_JWT as string);
    if (left === null) add('JWT expiry', 'ok', 'the token carries no expiry');
    else if (left <= 0)
      add(
        'JWT expiry',
        'fail',
        `expired ${Math.round(-left / 86_400)} day(s) ago: create a new JWT in the Paydo account`,
      );
    else if (left < 14 * 86_400)
      add('JWT expiry', 'warn', `expires in ${Math.ceil(left / 86_400)} day(s): plan a new one`);
    else add('JWT expiry', 'ok', `expires in ${Math.floor(left / 86_400)} days`);

    // Methods: the JWT and the project id at once.
    let methods: PaymentMethod[] = [];
    let methodsKnown = false;
    try {
      methods = await client.paymentMethods.listAvailable();
      methodsKnown = true;
      add('JWT', 'ok', 'accepted');
      add('project id', 'ok', `${client.projectId} matches the JWT's account`);
      add(
        'payment methods',
        methods.length ? 'ok' : 'fail',
        methods.length
          ? methods
              .map((m) => `${m.identifier} ${m.title} (${m.formType}; ${m.currencies.join('/') || 'any currency'})`)
              .join('; ')
          : 'none enabled: enable methods in the Paydo account',
      );
    } catch (error) {
      if (error instanceof PaydoAuthenticationError)
        add('JWT', 'fail', 'refused (401): create a new JWT in the Paydo account');
      else if (
        error instanceof PaydoError &&
        error.statusCode === 422 &&
        /JSON|UTF-8|control character/i.test(error.message)
      )
        // Paydo's methods page: a damaged token answers 422 with PHP's JSON decoding sentence.
        add(
          'JWT',
          'fail',
          `refused (422 "${error.message}"): the token is damaged; paste it again or create a new one`,
        );
      else if (error instanceof PaydoNotFoundError || error instanceof PaydoForbiddenError)
        add(
          'project id',
          'fail',
          `${client.projectId} is not this JWT's project (${why(error)}): check PAYDO_PROJECT_ID / PAYDO_PUBLIC_KEY`,
        );
      else add('payment methods', 'fail', why(error));
    }

    // One small unpaid invoice: the public key and the signature (secret key).
    const card = methods.find((m) => m.formType === FormType.cards);
    const currency = card?.currencies[0] ?? methods[0]?.currencies[0] ?? 'EUR';
    let invoiceId: string | null = null;
    try {
      ({ invoiceId } = await client.invoices.create({
        order: {
          id: `paydo-doctor-${Date.now()}`,
          amount: '1.00',
          currency,
          description: 'paydo-doctor check (never paid)',
          items: [],
        },
        payer: { email: 'paydo-doctor@example.com' },
        language: 'en',
        resultUrl: 'https://example.com/paydo-doctor',
        failPath: 'https://example.com/paydo-doctor',
        ...(card && { paymentMethod: card.identifier }),
      }));
      const invoice = await client.invoices.retrieve(invoiceId);
      add(
        'keys',
        'ok',
        `public key and secret key sign invoices (test invoice ${invoice.identifier}, 1.00 ${currency}, unpaid)`,
      );
    } catch (error) {
      const text = why(error);
      if (/signature/i.test(text))
        add('keys', 'fail', 'Paydo says "Wrong signature": PAYDO_SECRET_KEY is not this project\'s secret key');
      else if (error instanceof PaydoNotFoundError)
        add('keys', 'fail', 'Paydo does not know PAYDO_PUBLIC_KEY ("Application not found")');
      else add('keys', error instanceof PaydoUnexpectedResponseError ? 'warn' : 'fail', text);
    }

    // Direct card tokenization, probed with an empty card: no card data is sent. 403 = not allowed.
    // Only on what is known: without the method list (JWT refused) or an invoice, there is nothing to say.
    if (methodsKnown && !card) add('card mode', 'warn', 'no card method is enabled');
    else if (methodsKnown && invoiceId) {
      const res = await fetch(`${client.baseUrl}/payment-tools/card-token/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ invoiceIdentifier: invoiceId, pan: '', expirationDate: '', cvv: '', holderName: '' }),
        signal: AbortSignal.timeout(15_000),
      });
      await res.body?.cancel();
      const setting = env.PAYDO_CARD_PAYMENTS || 'auto';
      if (res.status === 403 && setting === 'direct')
        add(
          'card mode',
          'fail',
          'direct tokenization is not allowed (no PCI DSS on file), but PAYDO_CARD_PAYMENTS=direct: every card payment would fail; use auto or hosted',
        );
      else if (res.status === 403)
        add(
          'card mode',
          'ok',
          setting === 'hosted'
            ? "direct tokenization is not allowed (no PCI DSS on file); PAYDO_CARD_PAYMENTS=hosted uses Paydo's card page"
            : 'direct tokenization is not allowed (no PCI DSS on file): cardPayments "auto" uses Paydo\'s card page',
        );
      else if (res.status === 422 || res.status === 400 || (res.status >= 200 && res.status < 300))
        add(
          'card mode',
          'ok',
          'direct tokenization is allowed: cardPayments "auto" uses the widget\'s card fields (PCI DSS scope: SAQ D)',
        );
      else
        add(
          'card mode',
          'warn',
          `could not tell (card-token/create answered ${res.status}); "auto" decides at the first payment`,
        );
    }

    // The IPN URL Paydo must reach.
    const ipnUrl = env.PAYDO_IPN_URL || (env.PUBLIC_URL ? `${env.PUBLIC_URL.replace(/\/+$/, '')}/paydo/ipn` : '');
    if (!ipnUrl) add('IPN URL', 'warn', 'set PUBLIC_URL (or PAYDO_IPN_URL) to check it; Paydo posts results there');
    else {
      try {
        const url = new URL(ipnUrl);
        if (url.protocol !== 'https:')
          add('IPN URL', 'fail', `${ipnUrl} is not https: Paydo's IPN carries payment results`);
        else if (!isPublicHost(url.hostname))
          add('IPN URL', 'fail', `${ipnUrl} is not reachable from the internet (local or private address)`);
        else add('IPN URL', 'ok', `${ipnUrl} (set it in the Paydo account)`);
      } catch {
        add('IPN URL', 'fail', `"${ipnUrl}" is not a URL`);
      }
    }

    const sources = env.PAYDO_IPN_SOURCES?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = sources?.filter((s) => !isIP(s)) ?? [];
    if (bad.length) add('IPN sources', 'fail', `not IP addresses: ${bad.join(', ')}`);
    else if (!sources?.length)
      add(
        'IPN sources',
        'ok',
        `IPNs accepted from the documented list: ${PAYDO_IPN_SOURCE_ADDRESSES.join(', ')} (Paydo's and Payop's pages)`,
      );
    else {
      const missing = PAYDO_IPN_SOURCE_ADDRESSES.filter((a) => !sources.includes(a));
      const extra = sources.filter((a) => !PAYDO_IPN_SOURCE_ADDRESSES.includes(a));
      if (!missing.length && !extra.length)
        add('IPN sources', 'ok', `IPNs accepted from ${sources.join(', ')} (the documented list)`);
      else
        add(
          'IPN sources',
          'warn',
          `IPNs accepted only from ${sources.join(', ')} (PAYDO_IPN_SOURCES), not the documented list${
            missing.length
              ? `: missing ${missing
                  .map((a) => `${a} (${DOCUMENTED_IPN_SOURCES.find((d) => d.address === a)?.source})`)
                  .join(', ')}, so a genuine IPN from it would be refused`
              : ''
          }${extra.length ? `${missing.length ? ';' : ':'} not documented: ${extra.join(', ')}` : ''}`,
        );
    }
  } catch (error) {
    add('Paydo', 'fail', `${why(error)}${error instanceof PaydoError && error.retryable ? ' (try again later)' : ''}`);
  } finally {
    await client.close();
  }
  return rows;
}

/** The rows as a short table; the exit code is 1 when any row failed. */
export function formatRows(rows: DoctorRow[]): string {
  const mark: Record<Verdict, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };
  const width = Math.max(...rows.map((r) => r.check.length));
  return rows.map((r) => `${mark[r.verdict]}  ${r.check.padEnd(width)}  ${r.detail}`).join('\n');
}
