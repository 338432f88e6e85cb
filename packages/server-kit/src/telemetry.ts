import { createRequire } from 'node:module';
import type * as OtelApi from '@opentelemetry/api';
import type { CheckoutLogger } from './checkout/logger.ts';
import { isStoreUnavailable } from './store/store.ts';

/**
 * OpenTelemetry, when the app has it. `@opentelemetry/api` is an optional peer dependency: loaded
 * here once, synchronously, and when it is missing every helper below is a no-op. With the API but
 * no registered provider, spans are the API's non-recording ones and nothing is built for them.
 */
function loadApi(): typeof OtelApi | null {
  try {
    return createRequire(import.meta.url)('@opentelemetry/api') as typeof OtelApi;
  } catch {
    return null;
  }
}

const api = loadApi();

/** The instrumentation scope of every span and metric the kit makes. */
export const TELEMETRY_SCOPE = '@paydo-checkout/server-kit';
/** The invoice metadata key that carries the payment's trace context (Paydo echoes metadata in every IPN). */
export const TRACE_METADATA_KEY = 'paydoTraceparent';

/** The payment steps that get a span (`paydo.<step>`). */
export type StepName = 'checkout' | 'pay' | 'hosted' | 'next' | 'ipn' | 'reconciliation' | 'duplicate_refund';

/** What a payment is known by: the same ids in its spans and in its log lines. */
export interface PaymentIds {
  orderRef?: string | null | undefined;
  invoiceId?: string | null | undefined;
  txid?: string | null | undefined;
}

/** What a step learns about its payment on the way. Never card data, secrets or payer contacts. */
export interface StepNotes extends PaymentIds {
  /** Paydo's transaction state. */
  state?: number | null | undefined;
  /** paid, failed, duplicate, pending, applied, rejected… */
  outcome?: string | undefined;
  /** The error catalogue's code for what went wrong (a decline, a refusal). */
  code?: string | null | undefined;
}

// Only these keys ever become attributes: nothing a caller passes can add another.
const ATTRIBUTE_OF: Record<keyof StepNotes, string> = {
  orderRef: 'paydo.order_ref',
  invoiceId: 'paydo.invoice_id',
  txid: 'paydo.transaction_id',
  state: 'paydo.transaction_state',
  outcome: 'paydo.outcome',
  code: 'paydo.catalogue_code',
};

/**
 * One payment step: its span (when a provider records it), the ids it has learned, and a logger
 * whose every line carries them.
 */
export class PaymentStep {
  readonly ids: PaymentIds;
  readonly log: CheckoutLogger;
  readonly #span: OtelApi.Span | null;
  #code: string | null = null;

  constructor(span: OtelApi.Span | null, ids: PaymentIds, parentLog: CheckoutLogger) {
    this.#span = span;
    this.ids = { ...ids };
    this.log = stepLogger(parentLog, this);
    if (span) this.note(ids);
  }

  /** The trace id, when a provider records this step. */
  get traceId(): string | undefined {
    return this.#span?.spanContext().traceId;
  }

  /** The catalogue code noted for this step, if any. */
  get code(): string | null {
    return this.#code;
  }

  /** Records ids, state, outcome or catalogue code on the span (and the ids in later log lines). */
  note(notes: StepNotes): void {
    for (const key of ['orderRef', 'invoiceId', 'txid'] as const) {
      const value = notes[key];
      if (value) this.ids[key] = value;
    }
    if (notes.code) this.#code = notes.code;
    const span = this.#span;
    if (!span) return;
    for (const [key, attribute] of Object.entries(ATTRIBUTE_OF) as [keyof StepNotes, string][]) {
      const value = notes[key];
      if (value !== undefined && value !== null && value !== '') span.setAttribute(attribute, value);
    }
  }

  /** Marks the step failed with its catalogue code (the span's error status and `error.type`). */
  fail(code: string): void {
    this.note({ code });
    if (!this.#span || !api) return;
    this.#span.setAttribute('error.type', code);
    this.#span.setStatus({ code: api.SpanStatusCode.ERROR, message: code });
  }

  /** W3C traceparent of this step, for the invoice's metadata (only when the step is recorded). */
  traceparent(): string | undefined {
    const ctx = this.#span?.spanContext();
    if (!ctx || !api?.isSpanContextValid(ctx)) return undefined;
    return `00-${ctx.traceId}-${ctx.spanId}-0${(ctx.traceFlags & 1).toString(16)}`;
  }

  /** Links this step to the payment's span whose traceparent the invoice carried (an IPN's). */
  linkTo(traceparent: unknown): void {
    if (!this.#span || typeof traceparent !== 'string') return;
    const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(traceparent);
    if (!m) return;
    const context = {
      traceId: m[1] as string,
      spanId: m[2] as string,
      traceFlags: Number.parseInt(m[3] as string, 16),
    };
    if (!api?.isSpanContextValid(context)) return;
    // addLink exists from API 1.9 on; an older API just gets no link.
    const span = this.#span as OtelApi.Span & { addLink?: (link: OtelApi.Link) => void };
    span.addLink?.({ context, attributes: { 'paydo.link': 'payment' } });
  }
}

function stepLogger(parent: CheckoutLogger, step: PaymentStep): CheckoutLogger {
  const withIds = (object: object | string): object | string => {
    if (typeof object === 'string') return object;
    const { orderRef, invoiceId, txid } = step.ids;
    const traceId = step.traceId;
    // The line's own fields win (a line about another transaction keeps its txid).
    return {
      ...(orderRef && { orderRef }),
      ...(invoiceId && { invoiceId }),
      ...(txid && { txid }),
      ...(traceId && { traceId }),
      ...object,
    };
  };
  return {
    debug: (object, message) => parent.debug(withIds(object), message),
    info: (object, message) => parent.info(withIds(object), message),
    warn: (object, message) => parent.warn(withIds(object), message),
    error: (object, message) => parent.error(withIds(object), message),
  };
}

/** The catalogue code an error carries (a `CheckoutHttpError`'s answer, a `PaydoError`'s), else `internal`. */
export function codeOfError(error: unknown): string {
  const e = error as { body?: { error?: unknown }; catalogueCode?: unknown } | null;
  if (e && typeof e.body?.error === 'string') return e.body.error;
  if (e && typeof e.catalogueCode === 'string') return e.catalogueCode;
  if (isStoreUnavailable(error)) return 'service_unavailable';
  return 'internal';
}

/**
 * Runs `fn` as one payment step: a span `paydo.<step>` (a child of whatever span is active, e.g.
 * `@fastify/otel`'s request span) made active, so each Paydo call inside nests under it. A throw
 * sets the error status with its catalogue code; `ids` go on the span and on every log line.
 */
export function inStep<T>(
  name: StepName,
  log: CheckoutLogger,
  ids: PaymentIds,
  fn: (step: PaymentStep) => Promise<T>,
): Promise<T> {
  if (!api) return fn(new PaymentStep(null, ids, log));
  const tracer = api.trace.getTracer(TELEMETRY_SCOPE);
  return tracer.startActiveSpan(`paydo.${name}`, { kind: api.SpanKind.INTERNAL }, async (span) => {
    const step = new PaymentStep(span.isRecording() ? span : null, ids, log);
    try {
      return await fn(step);
    } catch (error) {
      step.fail(codeOfError(error));
      // The step's own ids go with the error to the adapter's log line.
      if (error && typeof error === 'object') attachIds(error, step);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The ids (and trace id) of the step an error came out of, for the adapter's error log line. */
export function logIdsOf(error: unknown): Record<string, string> {
  return ((error as { [IDS]?: Record<string, string> } | null)?.[IDS] ?? {}) as Record<string, string>;
}

const IDS = Symbol.for('paydo-checkout.log-ids');

function attachIds(error: object, step: PaymentStep): void {
  const { orderRef, invoiceId, txid } = step.ids;
  const traceId = step.traceId;
  Object.defineProperty(error, IDS, {
    value: {
      ...(orderRef && { orderRef }),
      ...(invoiceId && { invoiceId }),
      ...(txid && { txid }),
      ...(traceId && { traceId }),
    },
    enumerable: false,
    configurable: true,
  });
}

// ---------------------------------------------------------------------------------------------
// Paydo calls (the client)

/** What the client records per HTTP call to Paydo. */
export interface PaydoCallTelemetry {
  /** Runs one HTTP call as a CLIENT span; `fn` reports the status code it got. */
  call<T>(method: string, urlTemplate: string, url: URL, fn: (done: { statusCode?: number }) => Promise<T>): Promise<T>;
}

const NO_CALL_TELEMETRY: PaydoCallTelemetry = {
  call: (_m, _t, _u, fn) => fn({}),
};

/**
 * Spans and the `http.client.request.duration` histogram for the client's calls, with the stable
 * HTTP client semantic conventions. The meter is taken when the client is made: register the
 * MeterProvider before creating the client (or registering the plugin).
 */
export function paydoCallTelemetry(): PaydoCallTelemetry {
  if (!api) return NO_CALL_TELEMETRY;
  const a = api;
  const duration = a.metrics.getMeter(TELEMETRY_SCOPE).createHistogram('http.client.request.duration', {
    description: 'Duration of HTTP calls to Paydo.',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] },
  });
  return {
    async call(method, urlTemplate, url, fn) {
      const started = performance.now();
      const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
      const attributes: OtelApi.Attributes = {
        'http.request.method': method,
        'url.template': urlTemplate,
        'server.address': url.hostname,
        'server.port': port,
      };
      const done: { statusCode?: number } = {};
      // The tracer is asked for per call (the SDK caches it): a provider registered after the client
      // was made is used. A call from a merchant's own code outside any step still gets its span.
      return a.trace
        .getTracer(TELEMETRY_SCOPE)
        .startActiveSpan(`${method} ${urlTemplate}`, { kind: a.SpanKind.CLIENT, attributes }, async (span) => {
          let errorType: string | undefined;
          try {
            const result = await fn(done);
            return result;
          } catch (error) {
            errorType = codeOfError(error);
            if (span.isRecording()) {
              span.setAttribute('paydo.catalogue_code', errorType);
              span.setStatus({ code: a.SpanStatusCode.ERROR, message: errorType });
            }
            throw error;
          } finally {
            const metric: OtelApi.Attributes = { ...attributes };
            if (done.statusCode !== undefined) metric['http.response.status_code'] = done.statusCode;
            if (errorType) metric['error.type'] = done.statusCode !== undefined ? String(done.statusCode) : errorType;
            if (span.isRecording()) {
              if (done.statusCode !== undefined) span.setAttribute('http.response.status_code', done.statusCode);
              if (metric['error.type']) span.setAttribute('error.type', metric['error.type'] as string);
            }
            span.end();
            duration.record((performance.now() - started) / 1000, metric);
          }
        });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The engine's metrics

/** Open payments older than this are counted by `paydo.payments.open.stale`. */
export const STALE_OPEN_PAYMENT_MS = 30 * 60_000;

export interface CheckoutMetrics {
  payment(methodType: string, outcome: 'paid' | 'failed' | 'duplicate' | 'refunded'): void;
  ipn(kind: string, outcome: string, code: string | null): void;
  finding(kind: 'applied' | 'duplicate' | 'error' | 'not_ours'): void;
  /** Open invoices older than the threshold, as the last sweep saw them. */
  staleOpen(count: number): void;
}

/** The checkout's counters; no-ops without the API. Instruments are made with the engine. */
export function checkoutMetrics(): CheckoutMetrics {
  if (!api) return { payment() {}, ipn() {}, finding() {}, staleOpen() {} };
  const meter = api.metrics.getMeter(TELEMETRY_SCOPE);
  const payments = meter.createCounter('paydo.payments', {
    description: 'Payment results applied to orders, by method type and outcome.',
    unit: '{payment}',
  });
  const ipns = meter.createCounter('paydo.ipn.received', {
    description: 'IPNs received, by kind, outcome and refusal code.',
    unit: '{ipn}',
  });
  const findings = meter.createCounter('paydo.reconciliation.findings', {
    description: 'What reconciliation sweeps found that no IPN or poll had brought.',
    unit: '{finding}',
  });
  let stale: number | null = null;
  meter
    .createObservableGauge('paydo.payments.open.stale', {
      description: `Open payments (invoices) older than ${STALE_OPEN_PAYMENT_MS / 60_000} minutes, as of the last reconciliation sweep.`,
      unit: '{payment}',
    })
    .addCallback((result) => {
      if (stale !== null) result.observe(stale, { 'paydo.threshold': STALE_OPEN_PAYMENT_MS / 1000 });
    });
  return {
    payment: (methodType, outcome) =>
      payments.add(1, { 'paydo.payment_method.type': methodType, 'paydo.outcome': outcome }),
    ipn: (kind, outcome, code) =>
      ipns.add(1, { 'paydo.ipn.kind': kind, 'paydo.outcome': outcome, ...(code && { 'paydo.catalogue_code': code }) }),
    finding: (kind) => findings.add(1, { 'paydo.finding': kind }),
    staleOpen: (count) => {
      stale = count;
    },
  };
}
