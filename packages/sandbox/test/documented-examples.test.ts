/**
 * Sends every documented request of Paydo's and Payop's API pages (fixtures/documented-examples.ts)
 * to the emulator and compares its answer with the documented one: the status (where the page
 * shows one), the `message` sentence, the named headers, and every key path of the documented
 * body with its JSON type. Rules, as PHP writes JSON: a documented `null` is a nullable field
 * (any value matches); a documented `[]` is PHP's empty array, which is also how an empty map is
 * written (an array or an object matches); a documented list is compared by its first row, when
 * the emulator's list has one. Extra keys in the emulator's answer are allowed (Payop's pages show
 * shortened objects). An example whose page conflicts with the endpoint's own Paydo page runs
 * with the named variant that gives it; the test checks the default does not already.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox, type SandboxOptions } from '../src/index.ts';
import { DOCUMENTED_EXAMPLES, type DocumentedExample, type Given, SOURCES } from './fixtures/documented-examples.ts';
import { CARD_METHOD, caller, DISABLED_METHOD, ipnReceiver, type Json, sign, WALLET_METHOD } from './helpers.ts';

const UNKNOWN_ID = '00000000-0000-4000-8000-00000000dead';
const IPN_INVOICE_METADATA = {
  'internal merchant id': 'example',
  'any other merchant data which were passed to invoice on create it': {
    orderId: 'test',
    amount: 3,
    customerId: 15487,
  },
};
const REFUND_METADATA = {
  'internal merchant id': 'example',
  isAutoRefund: true,
  key1: 'Metadata information.',
  key2: 'Metadata information.',
};

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64url');
const AUTH_HEADERS: Record<string, string | null> = {
  none: null,
  invalid: `Bearer ${b64('{"typ":"JWT","alg":"HS256"}')}.${b64('{"sub":"somebody else"}')}.${b64('sig')}`,
  'malformed-json': `Bearer ${b64('{"typ":"JWT"')}.${b64('{}')}.${b64('sig')}`,
  'malformed-utf8': `Bearer ${b64(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))}.${b64('{}')}.${b64('sig')}`,
  'control-character': `Bearer ${b64('{"typ":"\u0001"}')}.${b64('{}')}.${b64('sig')}`,
};

interface World {
  sandbox: Sandbox;
  values: Record<string, string | number>;
  ipns: Json[];
  close(): Promise<void>;
}

/** Starts an emulator (with `variant`, if any) holding what `given` names. */
async function prepare(given: Given, variant: Record<string, string> | undefined): Promise<World> {
  const receiver = await ipnReceiver();
  const options: SandboxOptions = { ipnUrl: receiver.url, refundAcceptMs: null, pendingMs: 60_000 };
  if (variant) options.variants = variant;
  if (given === 'tokenization-not-allowed') options.cardTokenization = false;
  if (given === 'tokenization-unavailable')
    options.faults = [{ endpoint: 'card-token.create', kind: 'error', value: 503 }];
  if (given === 'server-error') options.faults = [{ endpoint: 'invoices.get', kind: 'error', value: 500 }];
  const sandbox = await createSandbox(options);
  const api = caller(sandbox);
  const { project } = sandbox;
  const values: World['values'] = {
    projectId: project.projectId,
    publicKey: project.publicKey,
    unknownId: UNKNOWN_ID,
    cardMethod: CARD_METHOD,
    walletMethod: WALLET_METHOD,
    disabledMethod: DISABLED_METHOD,
  };
  let orders = 0;
  const invoice = async (paymentMethod = CARD_METHOD) => {
    const orderId = `doc-order-${++orders}`;
    const res = await api('POST', '/invoices/create', {
      body: {
        publicKey: project.publicKey,
        order: {
          id: orderId,
          amount: '20.00',
          currency: 'EUR',
          items: [{ id: '487', name: 'Item 1', price: '20.00' }],
          description: '',
        },
        payer: { email: 'test.user@paydo.com' },
        paymentMethod,
        language: 'en',
        resultUrl: 'https://your.site/result',
        failPath: 'https://your.site/fail',
        metadata: IPN_INVOICE_METADATA,
        signature: sign('20.00', 'EUR', orderId, project.secretKey),
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data as string;
  };
  const pay = async (pan: string) => {
    const invoiceId = await invoice();
    const token = await api('POST', '/payment-tools/card-token/create', {
      body: { invoiceIdentifier: invoiceId, pan, expirationDate: '12/39', cvv: '123', holderName: 'Ada Lovelace' },
    });
    const tx = await api('POST', '/checkout/create', {
      body: {
        invoiceIdentifier: invoiceId,
        customer: { email: 'test.user@paydo.com', name: 'Ada Lovelace', ip: '203.0.113.7' },
        checkStatusUrl: 'https://your.site/check-status/{{txid}}',
        cardToken: token.body.data.token,
      },
    });
    expect(tx.status, JSON.stringify(tx.body)).toBe(200);
    return { invoiceId, txid: tx.body.data.txid as string };
  };
  const use = (paid: { invoiceId: string; txid: string }) => {
    values.invoiceId = paid.invoiceId;
    values.txid = paid.txid;
  };

  switch (given) {
    case 'invoice':
    case 'tokenization-not-allowed':
    case 'tokenization-unavailable':
    case 'server-error':
      values.invoiceId = await invoice();
      break;
    case 'invoice-with-pending-transaction':
    case 'three-ds':
      use(await pay('4000000000003220'));
      break;
    case 'processing':
      use(await pay('4000000000000119'));
      break;
    case 'paid':
      use(await pay('4242424242424242'));
      break;
    case 'declined':
      use(await pay('4000000000000002'));
      break;
    case 'paid-and-declined': {
      use(await pay('4242424242424242'));
      values.txid2 = (await pay('4000000000000002')).txid;
      break;
    }
    case 'wallet-redirect': {
      const invoiceId = await invoice(WALLET_METHOD);
      const tx = await api('POST', '/checkout/create', {
        body: {
          invoiceIdentifier: invoiceId,
          customer: { email: 'test.user@paydo.com', name: 'Ada Lovelace' },
          checkStatusUrl: 'https://your.site/check-status/{{txid}}',
          paymentMethod: WALLET_METHOD,
        },
      });
      expect(tx.status, JSON.stringify(tx.body)).toBe(200);
      use({ invoiceId, txid: tx.body.data.txid });
      break;
    }
    case 'refund': {
      use(await pay('4242424242424242'));
      const refund = await api('POST', '/refunds/create', {
        body: { transactionIdentifier: values.txid, refundType: 2, amount: '10', metadata: REFUND_METADATA },
      });
      expect(refund.status, JSON.stringify(refund.body)).toBe(200);
      values.refundId = refund.headers.get('identifier') ?? refund.body.identifier;
      sandbox.control.acceptRefund(values.refundId as string);
      break;
    }
    case 'nothing':
      break;
  }
  return {
    sandbox,
    values,
    get ipns() {
      return receiver.received.map((r) => r.body);
    },
    async close() {
      await sandbox.control.ipnIdle();
      await sandbox.close();
      await receiver.close();
    },
  };
}

/** Replaces `{name}` placeholders; a whole-string placeholder keeps its value's type. */
function fill(value: unknown, values: World['values']): unknown {
  if (typeof value === 'string') {
    const whole = /^\{(\w+)\}$/.exec(value);
    if (whole?.[1] && whole[1] in values) return values[whole[1]];
    return value.replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? String(values[name]) : m));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, values));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, fill(v, values)]),
    );
  return value;
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Differences between a documented body and the emulator's, as sentences. */
export function differences(documented: unknown, got: unknown, path = ''): string[] {
  if (documented === null) return []; // a nullable field
  if (Array.isArray(documented) && documented.length === 0)
    return typeOf(got) === 'array' || typeOf(got) === 'object'
      ? []
      : [`${path || '.'}: documented [], got ${typeOf(got)}`];
  if (typeOf(documented) !== typeOf(got))
    return [`${path || '.'}: documented ${typeOf(documented)}, got ${typeOf(got)}`];
  if (Array.isArray(documented)) {
    const rows = got as unknown[];
    return rows.length ? differences(documented[0], rows[0], `${path}[0]`) : [];
  }
  if (documented && typeof documented === 'object') {
    const out: string[] = [];
    for (const [key, value] of Object.entries(documented)) {
      const obj = got as Record<string, unknown>;
      const at = path ? `${path}.${key}` : key;
      if (!(key in obj)) out.push(`${at}: missing`);
      else out.push(...differences(value, obj[key], at));
    }
    return out;
  }
  return [];
}

/** Sends the example's request (or waits for its IPN) and lists what differs from the page. */
async function run(example: DocumentedExample, variant = example.variant): Promise<string[]> {
  const world = await prepare(example.given, variant);
  try {
    const { values } = world;
    const documented = fill(example.answer.body, values) as Json;
    let status: number | undefined;
    let body: Json;
    let headers: Headers | undefined;
    if ('ipn' in example.request) {
      const kind = example.request.ipn;
      await world.sandbox.control.ipnIdle();
      const ipns = world.ipns.filter((b) => (kind === 'refund' ? b.transaction?.refundId : b.invoice));
      body = ipns[0];
      if (!body) return [`no ${kind} IPN was sent`];
    } else {
      const { method, path, auth, contentType } = example.request;
      let requestBody = fill(example.request.body, values) as Json;
      if (requestBody?.order && requestBody.signature === '{signature}') {
        const o = requestBody.order;
        requestBody = { ...requestBody, signature: sign(o.amount, o.currency, o.id, world.sandbox.project.secretKey) };
      }
      const h: Record<string, string> = {};
      if (requestBody !== undefined) h['content-type'] = contentType ?? 'application/json';
      const authHeader = auth === 'jwt' ? `Bearer ${world.sandbox.project.jwt}` : AUTH_HEADERS[auth ?? 'none'];
      if (authHeader) h.authorization = authHeader;
      const res = await fetch(world.sandbox.url + fill(path, values), {
        method,
        headers: h,
        body:
          requestBody === undefined
            ? null
            : typeof requestBody === 'string'
              ? requestBody
              : JSON.stringify(requestBody),
      });
      status = res.status;
      headers = res.headers;
      const text = await res.text();
      try {
        body = JSON.parse(text);
      } catch {
        return [`not JSON: ${text.slice(0, 80)}`];
      }
    }
    const problems: string[] = [];
    if (example.answer.status !== undefined && status !== example.answer.status)
      problems.push(`status: documented ${example.answer.status}, got ${status}`);
    if (typeof documented?.message === 'string' && body?.message !== documented.message)
      problems.push(`message: documented "${documented.message}", got ${JSON.stringify(body?.message)}`);
    for (const name of example.answer.headers ?? []) if (!headers?.get(name)) problems.push(`header ${name}: missing`);
    problems.push(...differences(documented, body));
    return problems;
  } finally {
    await world.close();
  }
}

const tally: Record<string, { examples: number; matching: number; onDefault: number }> = {};

describe('every documented example, sent to the emulator', () => {
  afterAll(() => {
    const lines = Object.entries(tally).map(
      ([source, t]) =>
        `${SOURCES[source as keyof typeof SOURCES].repo}: ${t.matching}/${t.examples} match (${t.onDefault} on the default emulator, the rest with their named variant)`,
    );
    console.log(lines.join('\n'));
  });

  it.each(DOCUMENTED_EXAMPLES.map((e) => [`${e.source} ${e.page}`, e] as const))('%s', async (_name, example) => {
    const t = tally[example.source] ?? { examples: 0, matching: 0, onDefault: 0 };
    tally[example.source] = t;
    t.examples++;
    const problems = await run(example);
    expect(problems).toEqual([]);
    t.matching++;
    if (!example.variant) t.onDefault++;
    else {
      // The variant is needed: the default answers like the endpoint's own Paydo page instead.
      expect(
        (await run(example, {})).length,
        'the default already gives this answer: drop the variant',
      ).toBeGreaterThan(0);
    }
  });
});

describe('the comparison', () => {
  it('names a missing key, a different type, and takes PHP empty arrays and nulls as documented', () => {
    expect(differences({ data: { a: 1, b: 'x', c: [], d: null } }, { data: { a: '1', c: {}, d: 4 } })).toEqual([
      'data.a: documented number, got string',
      'data.b: missing',
    ]);
    expect(differences({ list: [{ a: 1 }] }, { list: [{ a: 1, extra: true }] })).toEqual([]);
  });
});
