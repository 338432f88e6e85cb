import { FastifyOtelInstrumentation } from '@fastify/otel';
import { context, metrics, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  type DataPoint,
  MeterProvider,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import Fastify from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore, paydo } from '../../src/fastify/index.ts';
import { addOrder, CARD, decide, type Harness, type Json, payOnPaydoPage, startHarness } from './harness.ts';

/**
 * The kit's OpenTelemetry output, read back through an in-memory span exporter and a pull metric
 * reader registered as the app's global providers (as an SDK does), against the emulator over HTTP.
 */

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

const exporter = new InMemorySpanExporter();
let reader = new TestReader();
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
});

/** A fresh meter provider per test, registered before the app (and its client) are made, as an SDK is. */
function freshMetrics(): void {
  metrics.disable();
  reader = new TestReader();
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
}
afterAll(() => {
  trace.disable();
  metrics.disable();
  context.disable();
});

// What must never appear in any attribute, event, link, span name or status (the payer's below).
const PAN = '4242424242424242';
const CVV = '917';
const EXPIRY = '12/39';
const HOLDER = 'Grace Hopper';
const EMAIL = 'grace.hopper@example.com';
const PHONE = '+4915112345678';
const PAYER_IP = '198.51.100.23';

let h: Harness;
beforeEach(async () => {
  exporter.reset();
  freshMetrics();
  // 'direct': no card mode check at startup, so the tests see only the calls they make.
  h = await startHarness({ plugin: { rateLimit: false, cardPayments: 'direct' } });
});
afterEach(async () => {
  await h.close();
});

function cardPayment(pan: string) {
  return {
    method: CARD,
    payer: { email: EMAIL, name: HOLDER, phone: PHONE },
    card: { pan, expirationDate: EXPIRY, cvv: CVV, holderName: HOLDER },
  };
}

let keys = 0;
async function payAs(ref: string, body: unknown) {
  const res = await h.app.inject({
    method: 'POST',
    url: `/paydo/checkout/${ref}/pay`,
    headers: { 'content-type': 'application/json', 'idempotency-key': `otel-key-${++keys}-${Date.now()}` },
    payload: JSON.stringify(body),
    remoteAddress: PAYER_IP,
  });
  return { status: res.statusCode, body: res.json() as Json };
}

async function nextStep(txid: string, ref: string) {
  const res = await h.app.inject({
    method: 'GET',
    url: `/paydo/transactions/${txid}/next?order=${encodeURIComponent(ref)}`,
    remoteAddress: PAYER_IP,
  });
  return { status: res.statusCode, body: res.json() as Json };
}

const spans = () => exporter.getFinishedSpans();
const named = (name: string) => spans().filter((s) => s.name === name);
const childrenOf = (parent: ReadableSpan) =>
  spans().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
const clientSpans = (parent: ReadableSpan) => childrenOf(parent).filter((s) => s.kind === SpanKind.CLIENT);

async function metric(name: string): Promise<MetricData | undefined> {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
}
function points(m: MetricData | undefined): DataPoint<unknown>[] {
  return (m?.dataPoints ?? []) as DataPoint<unknown>[];
}
async function count(name: string, attributes: Record<string, unknown>): Promise<number> {
  return points(await metric(name))
    .filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v))
    .reduce((sum, p) => sum + (p.value as number), 0);
}

/** Every string the telemetry holds: names, attributes, events, links, status messages, metric attributes. */
async function everyTelemetryString(): Promise<string[]> {
  const out: string[] = [];
  const add = (attrs: Record<string, unknown> | undefined) => {
    for (const [k, v] of Object.entries(attrs ?? {})) out.push(k, String(v));
  };
  for (const s of spans()) {
    out.push(s.name, s.status.message ?? '');
    add(s.attributes);
    for (const e of s.events) {
      out.push(e.name);
      add(e.attributes);
    }
    for (const l of s.links) add(l.attributes);
  }
  const { resourceMetrics } = await reader.collect();
  for (const m of resourceMetrics.scopeMetrics.flatMap((s) => s.metrics)) {
    out.push(m.descriptor.name);
    for (const p of m.dataPoints as DataPoint<unknown>[]) add(p.attributes);
  }
  return out;
}

function withPayer(ref: string) {
  const order = h.orders.get(ref);
  if (order) order.payer = { email: EMAIL, name: HOLDER, phone: PHONE };
  return ref;
}

describe('traces', () => {
  it('a card payment: one paydo.pay span, one CLIENT span per Paydo call inside it, with the HTTP conventions and the payment ids', async () => {
    const ref = withPayer(addOrder(h));
    const res = await payAs(ref, cardPayment(PAN));
    expect(res.body.next).toEqual({ type: 'done', status: 'success' });
    const [pay] = named('paydo.pay');
    if (!pay) throw new Error('no paydo.pay span');
    expect(pay.kind).toBe(SpanKind.INTERNAL);
    expect(pay.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(pay.attributes).toMatchObject({
      'paydo.order_ref': ref,
      'paydo.invoice_id': res.body.invoiceId,
      'paydo.transaction_id': res.body.txid,
      'paydo.outcome': 'paid',
      'paydo.transaction_state': 2,
    });
    const calls = clientSpans(pay);
    expect(calls.map((s) => s.attributes['url.template']).sort()).toEqual(
      [
        '/v1/instrument-settings/payment-methods/available-for-application/{projectId}',
        '/v1/invoices/create',
        '/v1/payment-tools/card-token/create',
        '/v1/checkout/create',
        '/v1/checkout/check-transaction-status/{txid}',
        '/v1/transactions/{txid}',
      ].sort(),
    );
    // Every CLIENT span of the run is inside a step (the emulator's IPN, arriving meanwhile, is its own step).
    const stepIds = new Set(
      spans()
        .filter((s) => s.name.startsWith('paydo.'))
        .map((s) => s.spanContext().spanId),
    );
    for (const call of spans().filter((s) => s.kind === SpanKind.CLIENT))
      expect(stepIds.has(call.parentSpanContext?.spanId as string)).toBe(true);
    const sandboxUrl = new URL(h.sandbox.apiUrl);
    for (const call of calls) {
      expect(call.spanContext().traceId).toBe(pay.spanContext().traceId);
      expect(call.name).toBe(`${call.attributes['http.request.method']} ${call.attributes['url.template']}`);
      expect(call.attributes).toMatchObject({
        'server.address': sandboxUrl.hostname,
        'server.port': Number(sandboxUrl.port),
        'http.response.status_code': 200,
      });
      expect(['GET', 'POST']).toContain(call.attributes['http.request.method']);
      expect(call.attributes['error.type']).toBeUndefined();
    }
  });

  it('a decline: the pay span says failed with the catalogue code; the step itself did not error', async () => {
    const ref = withPayer(addOrder(h));
    const res = await payAs(ref, cardPayment('4000000000000002'));
    expect(res.body.next).toMatchObject({ type: 'done', status: 'fail', code: 'card_declined' });
    const [pay] = named('paydo.pay');
    expect(pay?.attributes).toMatchObject({
      'paydo.outcome': 'failed',
      'paydo.catalogue_code': 'card_declined',
      'paydo.transaction_state': 3,
    });
    expect(pay?.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('a Paydo fault: the call span and the pay span get the error status, error.type and the catalogue code', async () => {
    const ref = withPayer(addOrder(h));
    h.sandbox.control.addFault({ endpoint: 'checkout.create', kind: 'error', value: 500 });
    const res = await payAs(ref, cardPayment(PAN));
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('paydo_unavailable');
    const [pay] = named('paydo.pay');
    if (!pay) throw new Error('no paydo.pay span');
    expect(pay.status.code).toBe(SpanStatusCode.ERROR);
    expect(pay.attributes).toMatchObject({
      'error.type': 'paydo_unavailable',
      'paydo.catalogue_code': 'paydo_unavailable',
    });
    const failed = clientSpans(pay).filter((s) => s.attributes['url.template'] === '/v1/checkout/create');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const call of failed) {
      expect(call.status.code).toBe(SpanStatusCode.ERROR);
      expect(call.attributes).toMatchObject({
        'http.response.status_code': 500,
        'error.type': '500',
        'paydo.catalogue_code': 'paydo_unavailable',
      });
    }
    const failedCalls = points(await metric('http.client.request.duration')).find(
      (p) => p.attributes['url.template'] === '/v1/checkout/create',
    );
    expect(failedCalls?.attributes).toMatchObject({ 'http.response.status_code': 500, 'error.type': '500' });
  });

  it('3-D Secure: pay says action_required; the next poll after the ACS says paid, its calls nested in paydo.next', async () => {
    const ref = withPayer(addOrder(h));
    const res = await payAs(ref, cardPayment('4000000000003220'));
    expect(res.body.next.type).toBe('post');
    expect(named('paydo.pay')[0]?.attributes['paydo.outcome']).toBe('action_required');
    await fetch(`${h.sandbox.url}/_sandbox/acs/${res.body.txid}/complete`, {
      method: 'POST',
      body: new URLSearchParams({ decision: 'approve' }),
      redirect: 'manual',
    });
    const after = await nextStep(res.body.txid, ref);
    expect(after.body.next).toEqual({ type: 'done', status: 'success' });
    const [next] = named('paydo.next');
    if (!next) throw new Error('no paydo.next span');
    expect(next.attributes).toMatchObject({
      'paydo.order_ref': ref,
      'paydo.invoice_id': res.body.invoiceId,
      'paydo.transaction_id': res.body.txid,
      'paydo.outcome': 'paid',
    });
    expect(clientSpans(next).length).toBeGreaterThan(0);
  });

  it("the IPN's span links to the payment's span (the invoice's metadata); IPNs are counted by outcome", async () => {
    const ref = withPayer(addOrder(h));
    // Pending, then accepted by the emulator, whose IPN (echoing the metadata) brings the result.
    const res = await payAs(ref, cardPayment('4000000000000119'));
    expect(res.body.next.type).toBe('wait');
    const deadline = Date.now() + 5_000;
    while (!h.ipns.some((i) => i.txid === res.body.txid && i.outcome === 'applied') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const pay = named('paydo.pay')[0];
    const ipn = named('paydo.ipn').find((s) => s.attributes['paydo.transaction_id'] === res.body.txid);
    if (!pay || !ipn) throw new Error('missing spans');
    expect(ipn.attributes).toMatchObject({
      'paydo.order_ref': ref,
      'paydo.invoice_id': res.body.invoiceId,
      'paydo.outcome': 'paid',
      'paydo.transaction_state': 2,
    });
    expect(ipn.links.map((l) => l.context.spanId)).toEqual([pay.spanContext().spanId]);
    // onPaymentUpdate hears the trace it was applied in: the shop keeps it with the order.
    expect(h.updates.find((u) => u.txid === res.body.txid)?.traceId).toBe(ipn.spanContext().traceId);
    expect(ipn.links[0]?.context.traceId).toBe(pay.spanContext().traceId);
    expect(clientSpans(ipn).map((s) => s.attributes['url.template'])).toContain('/v1/transactions/{txid}');
    expect(await count('paydo.ipn.received', { 'paydo.outcome': 'applied', 'paydo.ipn.kind': 'payment' })).toBe(1);
    expect(await count('paydo.payments', { 'paydo.outcome': 'paid' })).toBe(1);
  });

  it('a refused IPN: error status, its catalogue code on the span and in the metric', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/paydo/ipn',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ not: 'an ipn' }),
      remoteAddress: '127.0.0.1',
    });
    expect(res.statusCode).toBe(400);
    const [ipn] = named('paydo.ipn');
    expect(ipn?.status.code).toBe(SpanStatusCode.ERROR);
    expect(ipn?.attributes['paydo.catalogue_code']).toBe('ipn_invalid');
    expect(
      await count('paydo.ipn.received', { 'paydo.outcome': 'rejected', 'paydo.catalogue_code': 'ipn_invalid' }),
    ).toBe(1);
  });

  it("nests under the framework's request span (as with @fastify/otel)", async () => {
    const ref = withPayer(addOrder(h));
    const tracer = trace.getTracer('test-http-server');
    const parentId = await tracer.startActiveSpan(
      'POST /paydo/checkout/:orderRef/pay',
      { kind: SpanKind.SERVER },
      async (span) => {
        await payAs(ref, cardPayment(PAN));
        span.end();
        return span.spanContext().spanId;
      },
    );
    expect(named('paydo.pay')[0]?.parentSpanContext?.spanId).toBe(parentId);
  });

  it('beside @fastify/otel: paydo.pay is a child of its request span, in the same trace', async () => {
    const otel = new FastifyOtelInstrumentation();
    const app = Fastify();
    await app.register(otel.plugin());
    await app.register(paydo, {
      prefix: '/paydo',
      ...h.sandbox.project,
      baseUrl: h.sandbox.apiUrl,
      resolveOrder: async (ref) => h.orders.get(ref) ?? null,
      onPaymentUpdate: async () => {},
      checkoutPageUrl: (ref) => `http://shop.test/checkout/${ref}`,
      rateLimit: false,
    });
    try {
      const ref = withPayer(addOrder(h));
      const res = await app.inject({
        method: 'POST',
        url: `/paydo/checkout/${ref}/pay`,
        headers: { 'content-type': 'application/json', 'idempotency-key': 'fastify-otel-key-1' },
        payload: JSON.stringify(cardPayment(PAN)),
      });
      expect(res.json().next).toEqual({ type: 'done', status: 'success' });
      const pay = named('paydo.pay')[0];
      if (!pay) throw new Error('no paydo.pay span');
      const byId = new Map(spans().map((s) => [s.spanContext().spanId, s]));
      // Up the chain from paydo.pay: @fastify/otel's spans (its scope), ending at its request span.
      const ancestors: ReadableSpan[] = [];
      for (
        let s = byId.get(pay.parentSpanContext?.spanId as string);
        s;
        s = byId.get(s.parentSpanContext?.spanId as string)
      )
        ancestors.push(s);
      expect(ancestors.length).toBeGreaterThan(0);
      for (const a of ancestors) {
        expect(a.instrumentationScope.name).toBe('@fastify/otel');
        expect(a.spanContext().traceId).toBe(pay.spanContext().traceId);
      }
      expect(ancestors.at(-1)?.kind).toBe(SpanKind.SERVER);
    } finally {
      await app.close();
    }
  });

  it('a second charge: paydo.duplicate_refund inside the IPN that found it, its refund call inside; counted as duplicate and refunded', async () => {
    await h.close();
    h = await startHarness({ plugin: { cardPayments: 'hosted', rateLimit: false } });
    const ref = withPayer(addOrder(h));
    const started = await payAs(ref, { method: CARD, payer: { email: EMAIL, name: HOLDER } });
    const invoiceId = started.body.invoiceId as string;
    const tab1 = await payOnPaydoPage(h, invoiceId, '4000000000003220'); // waits at the bank's page
    await payOnPaydoPage(h, invoiceId, PAN); // paid at once
    await h.sandbox.control.ipnIdle();
    await decide(h, 'acs', tab1, 'approve'); // the first tab's charge, afterwards: a duplicate
    await h.sandbox.control.ipnIdle();
    const [refund] = named('paydo.duplicate_refund');
    if (!refund) throw new Error('no paydo.duplicate_refund span');
    expect(refund.attributes).toMatchObject({
      'paydo.order_ref': ref,
      'paydo.invoice_id': invoiceId,
      'paydo.transaction_id': tab1,
      'paydo.outcome': 'refunded',
    });
    const parent = spans().find((s) => s.spanContext().spanId === refund.parentSpanContext?.spanId);
    expect(parent?.name).toBe('paydo.ipn');
    expect(parent?.attributes['paydo.outcome']).toBe('duplicate');
    expect(clientSpans(refund).map((s) => s.attributes['url.template'])).toContain('/v1/refunds/create');
    expect(await count('paydo.payments', { 'paydo.outcome': 'duplicate' })).toBe(1);
    expect(await count('paydo.payments', { 'paydo.outcome': 'refunded' })).toBe(1);
    expect(await count('paydo.payments', { 'paydo.outcome': 'paid' })).toBe(1);
  });

  it('reconciliation: one span per sweep, its Paydo calls inside, findings counted', async () => {
    h.sandbox.control.configure({ ipnUrl: null });
    const ref = withPayer(addOrder(h));
    const res = await payAs(ref, cardPayment('4000000000000119'));
    h.sandbox.control.advance(res.body.txid, 2);
    const summary = await h.app.paydoCheckout.reconcile();
    expect(summary.applied).toBe(1);
    const [sweep] = named('paydo.reconciliation');
    if (!sweep) throw new Error('no paydo.reconciliation span');
    expect(h.updates.find((u) => u.txid === res.body.txid)?.traceId).toBe(sweep.spanContext().traceId);
    expect(sweep.attributes['paydo.outcome']).toBe('complete');
    expect(clientSpans(sweep).map((s) => s.attributes['url.template'])).toContain('/v1/invoices/{invoiceId}');
    expect(await count('paydo.reconciliation.findings', { 'paydo.finding': 'applied' })).toBe(1);
    expect(points(await metric('paydo.payments.open.stale'))[0]?.value).toBe(0);
  });
});

describe('metrics', () => {
  it('payments by method type and outcome; Paydo call durations by endpoint and status, in seconds', async () => {
    const paid = withPayer(addOrder(h));
    await payAs(paid, cardPayment(PAN));
    const declined = withPayer(addOrder(h));
    await payAs(declined, cardPayment('4000000000000002'));
    const methodType = (await h.client.paymentMethods.listAvailable()).find((m) => m.identifier === CARD)?.type;
    expect(methodType).toBeTruthy();
    expect(await count('paydo.payments', { 'paydo.outcome': 'paid', 'paydo.payment_method.type': methodType })).toBe(1);
    expect(await count('paydo.payments', { 'paydo.outcome': 'failed', 'paydo.payment_method.type': methodType })).toBe(
      1,
    );
    const duration = await metric('http.client.request.duration');
    expect(duration?.descriptor.unit).toBe('s');
    const create = points(duration).find(
      (p) =>
        p.attributes['url.template'] === '/v1/checkout/create' && p.attributes['http.response.status_code'] === 200,
    );
    expect((create?.value as { count: number } | undefined)?.count).toBe(2);
    expect(create?.attributes).toMatchObject({ 'http.request.method': 'POST', 'server.address': '127.0.0.1' });
  });
});

describe('no forbidden value in any attribute', () => {
  it('across a card payment, a decline, 3-D Secure, an IPN and a Paydo fault', async () => {
    const secrets = [PAN, EXPIRY, HOLDER, EMAIL, PHONE, PAYER_IP, h.sandbox.project.secretKey, h.sandbox.project.jwt];
    // A card payment, a decline, a 3-D Secure payment.
    for (const pan of [PAN, '4000000000000002', '4000000000003220']) {
      await payAs(withPayer(addOrder(h)), cardPayment(pan));
    }
    // An IPN (delivered by the emulator), and a Paydo fault.
    const pending = await payAs(withPayer(addOrder(h)), cardPayment('4000000000000119'));
    const deadline = Date.now() + 5_000;
    while (!h.ipns.some((i) => i.txid === pending.body.txid) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    h.sandbox.control.addFault({ endpoint: 'card-token.create', kind: 'error', value: 503 });
    await payAs(withPayer(addOrder(h)), cardPayment(PAN));
    expect(named('paydo.ipn').length).toBeGreaterThan(0);
    expect(spans().some((s) => s.status.code === SpanStatusCode.ERROR)).toBe(true);

    const strings = await everyTelemetryString();
    expect(strings.length).toBeGreaterThan(100);
    for (const secret of secrets) {
      expect(strings.filter((s) => s.includes(secret as string))).toEqual([]);
    }
    // The CVV is short: it must not be any attribute's whole value.
    expect(strings.filter((s) => s === CVV)).toEqual([]);
  });
});

describe('log lines carry the payment ids and the trace id', () => {
  it("a decline's lines name the order, invoice, transaction, trace and catalogue code", async () => {
    h.sandbox.control.configure({ ipnUrl: null }); // the result comes from pay's own status check
    const ref = withPayer(addOrder(h));
    const res = await payAs(ref, cardPayment('4000000000000002'));
    const traceId = named('paydo.pay')[0]?.spanContext().traceId;
    const line = h.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'paydo: payment failed: card_declined');
    expect(line).toMatchObject({
      orderRef: ref,
      invoiceId: res.body.invoiceId,
      txid: res.body.txid,
      traceId,
      code: 'card_declined',
    });
  });

  it("an error answer's line carries the ids the step had learned", async () => {
    const ref = withPayer(addOrder(h));
    h.sandbox.control.addFault({ endpoint: 'checkout.create', kind: 'error', value: 500 });
    const res = await payAs(ref, cardPayment(PAN));
    expect(res.body.error).toBe('paydo_unavailable');
    const pay = named('paydo.pay')[0];
    const line = h.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'paydo: paydo_unavailable');
    expect(line).toMatchObject({
      orderRef: ref,
      invoiceId: pay?.attributes['paydo.invoice_id'],
      traceId: pay?.spanContext().traceId,
      code: 'paydo_unavailable',
    });
  });
});

describe('GET /paydo/health', () => {
  it('200 {store: ok, paydo: ok}, never cached, and never rate limited', async () => {
    await h.close();
    h = await startHarness();
    const first = await h.app.inject({ method: 'GET', url: '/paydo/health' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ store: 'ok', paydo: 'ok' });
    expect(first.headers['cache-control']).toBe('no-store');
    const calls = named('GET /v1/instrument-settings/payment-methods/available-for-application/{projectId}').length;
    // A probe per second for a while, from one address, with the rate limits on: all 200, no Paydo call each.
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => h.app.inject({ method: 'GET', url: '/paydo/health' })),
    );
    expect(answers.map((a) => a.statusCode).every((s) => s === 200)).toBe(true);
    expect(named('GET /v1/instrument-settings/payment-methods/available-for-application/{projectId}').length).toBe(
      calls,
    );
  });

  it('503 naming the store when it does not answer', async () => {
    await h.close();
    const store = new MemoryStore();
    store.readIdempotencyKey = async () => {
      throw new Error('database is down');
    };
    h = await startHarness({ plugin: { store } });
    const res = await h.app.inject({ method: 'GET', url: '/paydo/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ store: 'unavailable', paydo: 'ok' });
  });

  it('503 naming Paydo when it has not answered', async () => {
    h.sandbox.control.addFault({ endpoint: '*', kind: 'error', value: 500 });
    const res = await h.app.inject({ method: 'GET', url: '/paydo/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ store: 'ok', paydo: 'unavailable' });
  });
});
