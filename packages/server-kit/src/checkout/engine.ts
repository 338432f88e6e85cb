import type { PaymentMethod } from '../client/schemas/payment-methods.ts';
import { type CheckoutResponse, HostedRequest, type NextResponse, type PayResponse } from '../protocol.ts';
import type { StoredResponse } from '../store/store.ts';
import { type CheckoutMetrics, checkoutMetrics, inStep, type PaymentStep } from '../telemetry.ts';
import { CardModes } from './card-mode.ts';
import { watchCardMode } from './card-mode-probe.ts';
import {
  bodyFields,
  emailProblem,
  FieldProblems,
  fromPaydoError,
  orderNotFound,
  validationError,
} from './http-error.ts';
import { createInvoice, invoiceKeyOf, reusableInvoice } from './invoices.ts';
import { type IpnAnswer, IpnReceiver } from './ipn.ts';
import { Ledger } from './ledger.ts';
import type { CheckoutLogger, CheckoutRequest } from './logger.ts';
import { MethodCatalog } from './methods.ts';
import { hostedPageUrl } from './next-step.ts';
import type { PaydoOrder, PaydoPluginOptions, ResolvedPluginOptions } from './options.ts';
import { resolvePluginOptions } from './options.ts';
import { withOrderLock } from './order-lock.ts';
import { orderRefFrom } from './params.ts';
import { PayAttempts } from './pay-attempt.ts';
import { assertNoPaymentUnderway } from './payment-gate.ts';
import { Reconciler, type ReconcileSummary } from './reconciliation.ts';
import { withTxidParam } from './return-url.ts';
import type { CheckoutServices } from './services.ts';
import { TransactionStatuses } from './transaction-status.ts';
import { TransactionSteps } from './transaction-steps.ts';

/** Paydo counts as up while it answered a call within this long. */
const PAYDO_FRESH_MS = 5 * 60_000;
/** When it has not, the health route asks Paydo itself at most this often (never once per probe). */
const PAYDO_PROBE_EVERY_MS = 30_000;
/** A store that takes longer than this to answer a probe counts as down. */
const HEALTH_TIMEOUT_MS = 2_000;

/** `GET {prefix}/health`'s answer. */
export interface HealthAnswer {
  statusCode: 200 | 503;
  body: { store: 'ok' | 'unavailable'; paydo: 'ok' | 'unavailable' };
}

/** The request as the steps inside one payment step see it: the step's logger, and the step. */
function inside(req: CheckoutRequest, step: PaymentStep): CheckoutRequest {
  return {
    raw: req.raw,
    log: step.log,
    step,
    get clientIp() {
      return req.clientIp;
    },
  };
}

/**
 * The whole checkout, with no web framework in it: each method takes what a route parsed off the
 * wire (params, query, body, the Idempotency-Key header) and the request as the checkout sees it,
 * checks it, and answers the protocol's body (or throws a `CheckoutHttpError`). An adapter (the
 * Fastify plugin) only maps HTTP onto these calls.
 */
export class CheckoutEngine {
  readonly options: ResolvedPluginOptions;
  readonly #svc: CheckoutServices;
  readonly #attempts: PayAttempts;
  readonly #ipn: IpnReceiver;
  readonly #reconciler: Reconciler;
  readonly #log: CheckoutLogger;
  readonly #metrics: CheckoutMetrics;
  #paydoProbe: Promise<void> | null = null;
  #paydoProbedAt = 0;

  constructor(options: PaydoPluginOptions | ResolvedPluginOptions, log: CheckoutLogger) {
    this.#log = log;
    const o = 'ownsClient' in options ? options : resolvePluginOptions(options);
    this.options = o;
    const statuses = new TransactionStatuses(o.client, o.statusCacheMs);
    const methods = new MethodCatalog(o.client, o.methodsCacheTtlMs);
    this.#metrics = checkoutMetrics();
    const ledger = new Ledger(o, { metrics: this.#metrics, methodTypeOf: (id) => methods.typeOf(id) });
    this.#svc = {
      options: o,
      methods,
      cardModes: new CardModes(o.cardPayments, o.store),
      statuses,
      ledger,
      steps: new TransactionSteps(o, statuses, ledger),
    };
    this.#attempts = new PayAttempts(this.#svc);
    this.#ipn = new IpnReceiver(o, ledger, this.#metrics);
    this.#reconciler = new Reconciler(o, ledger, log, this.#metrics);
  }

  #cardModeWatch: ReturnType<typeof watchCardMode> | null = null;

  /**
   * Starts what runs on its own: the reconciliation timer, and (`cardPayments: 'auto'`) the card
   * mode check, so the first checkout already knows where cards are typed. Resolves once that
   * check answered, or after a few seconds at most.
   */
  async start(): Promise<void> {
    this.#reconciler.start();
    const o = this.options;
    this.#cardModeWatch ??= watchCardMode(
      { ...o, methods: this.#svc.methods, cardModes: this.#svc.cardModes },
      this.#log,
    );
    await this.#cardModeWatch.started;
  }

  /** Stops the sweep and gives back the client (when the kit made it) and the store; one failing part does not keep the others open. */
  async close(): Promise<void> {
    this.#cardModeWatch?.stop();
    await this.#reconciler.close();
    // Each part gets 10 s: a database that stopped answering must not keep the app from stopping.
    const bounded = (part: Promise<void> | undefined, what: string) =>
      part &&
      Promise.race([
        part,
        new Promise<void>((_, reject) => {
          setTimeout(() => reject(new Error(`${what} did not close within 10 s`)), 10_000).unref();
        }),
      ]);
    const parts = await Promise.allSettled([
      bounded(this.options.ownsClient ? this.options.client.close() : undefined, 'the Paydo client'),
      bounded(this.options.store.close(), 'the store'),
    ]);
    for (const part of parts) {
      if (part.status === 'rejected')
        this.#log.error({ err: part.reason }, 'paydo: closing the client or the store failed');
    }
  }

  /** `GET checkout/:orderRef`: the order, its methods and where it stands, as JSON text. */
  checkout(params: unknown, request: CheckoutRequest): Promise<string> {
    return inStep('checkout', request.log, {}, (step) => this.#checkout(params, inside(request, step), step));
  }

  async #checkout(params: unknown, req: CheckoutRequest, step: PaymentStep): Promise<string> {
    const orderRef = orderRefFrom(params);
    step.note({ orderRef });
    const { resolveOrder, store, hostedPageOrigin } = this.options;
    const order = await resolveOrder(orderRef, req.raw, req.log);
    if (!order) throw orderNotFound();
    let methods: PaymentMethod[];
    try {
      methods = await this.#svc.methods.list();
    } catch (error) {
      throw fromPaydoError(error);
    }
    // Independent reads, asked together: one round trip's wait with a database store.
    const [{ paidTxid, latest }, mode] = await Promise.all([store.readOrder(orderRef), this.#svc.cardModes.current()]);
    const status: CheckoutResponse['status'] =
      order.paid || paidTxid ? 'paid' : latest && latest.state === null ? 'pending' : 'open';
    step.note({ outcome: status, invoiceId: latest?.invoiceId, txid: paidTxid ?? latest?.txid });
    const language = order.language ?? 'en';
    const body: Omit<CheckoutResponse, 'methods'> = {
      order: {
        ref: orderRef,
        amount: order.amount,
        currency: order.currency,
        description: order.description ?? '',
        items: order.items ?? [],
      },
      // Only what prefills the payer fields, never whatever else the merchant's record holds.
      payer: pick(order.payer),
      language,
      status,
      txid: paidTxid ?? (status === 'pending' ? (latest?.txid ?? null) : null),
      hostedUrl: latest ? hostedPageUrl(hostedPageOrigin, latest.invoiceId, language) : null,
      cardMode: mode,
    };
    // The method list is the same for every order in a currency: serialized once per list and currency.
    return `{"methods":${this.#svc.methods.offeredJson(methods, order.currency)},${JSON.stringify(body).slice(1)}`;
  }

  /** `POST checkout/:orderRef/pay` (the Idempotency-Key header as it came). */
  pay(params: unknown, idempotencyKey: unknown, body: unknown, request: CheckoutRequest): Promise<StoredResponse> {
    return inStep('pay', request.log, {}, async (step) => {
      const orderRef = orderRefFrom(params);
      step.note({ orderRef });
      const answer = await this.#attempts.pay(orderRef, idempotencyKey, body, inside(request, step));
      noteAnswer(step, answer.statusCode, answer.body);
      return answer;
    });
  }

  /**
   * `POST checkout/:orderRef/hosted`, the manual fallback: an invoice without a payment method,
   * paid on Paydo's own page, where the payer picks any method. One such invoice per order and
   * amount is reused; its result arrives by IPN (or the sweep) like any other.
   */
  hosted(params: unknown, rawBody: unknown, request: CheckoutRequest): Promise<PayResponse> {
    return inStep('hosted', request.log, {}, async (step) => {
      const answer = await this.#hosted(params, rawBody, inside(request, step), step);
      step.note({ invoiceId: answer.invoiceId, outcome: 'hosted' });
      return answer;
    });
  }

  async #hosted(params: unknown, rawBody: unknown, req: CheckoutRequest, step: PaymentStep): Promise<PayResponse> {
    const parsed = HostedRequest.safeParse(rawBody ?? {});
    if (!parsed.success) throw validationError(bodyFields(parsed.error.issues), 'The request is not valid.');
    const orderRef = orderRefFrom(params);
    step.note({ orderRef });
    const o = this.options;
    const order = await o.resolveOrder(orderRef, req.raw, req.log);
    if (!order) throw orderNotFound();
    const email = parsed.data.payer.email || order.payer?.email || '';
    const emailError = emailProblem(email);
    if (emailError) throw validationError(new FieldProblems().add('email', ...emailError));
    const language = parsed.data.language ?? order.language ?? 'en';
    const invoiceKey = invoiceKeyOf(orderRef, 'hosted', order);
    const { store, client } = o;
    try {
      // The same lock and the same "paid or pending at Paydo?" check as pay: one order, one charge.
      return await withOrderLock(o, orderRef, async (lock) => {
        const gate = await assertNoPaymentUnderway({ store, client, statuses: this.#svc.statuses }, orderRef, order);
        let invoiceId = (await reusableInvoice(client, invoiceKey, gate))?.invoiceId;
        if (!invoiceId) {
          await lock.confirm();
          invoiceId = await createInvoice(o, {
            orderRef,
            invoiceKey,
            order,
            payer: { email, name: order.payer?.name },
            language,
            pageUrl: withTxidParam(o.checkoutPageUrl(orderRef)),
            traceparent: step.traceparent(),
          });
        }
        this.#svc.ledger.noteInvoice(invoiceId, orderRef);
        return {
          invoiceId,
          txid: null,
          next: { type: 'hosted', url: hostedPageUrl(o.hostedPageOrigin, invoiceId, language) },
        };
      });
    } catch (error) {
      throw fromPaydoError(error);
    }
  }

  /** `GET transactions/:txid/next?order=`. */
  next(params: unknown, query: unknown, request: CheckoutRequest): Promise<NextResponse> {
    return inStep('next', request.log, {}, async (step) => {
      const answer = await this.#svc.steps.poll(params, query, inside(request, step));
      noteAnswer(step, 200, answer);
      return answer;
    });
  }

  /** `POST ipn`: the answer's status and body (anything but 200 makes Paydo deliver again). */
  ipn(body: unknown, request: CheckoutRequest): Promise<IpnAnswer> {
    return inStep('ipn', request.log, {}, async (step) => {
      const answer = await this.#ipn.receive(body, inside(request, step));
      // An IPN that applied a result keeps the result's outcome (paid, failed, duplicate) on its span.
      if ('error' in answer.body) step.fail(answer.body.error);
      else if (answer.body.outcome !== 'applied') step.note({ outcome: answer.body.outcome });
      return answer;
    });
  }

  /**
   * `GET {prefix}/health`: 200 `{store: "ok", paydo: "ok"}` when the store answers and Paydo
   * answered a call recently; 503 naming the failing part otherwise. Paydo is asked by the health
   * check itself only when no call answered for a while, at most once per 30 seconds.
   */
  async health(): Promise<HealthAnswer> {
    const [store, paydo] = await Promise.all([this.#storeAnswers(), this.#paydoAnswers()]);
    const body: HealthAnswer['body'] = { store: store ? 'ok' : 'unavailable', paydo: paydo ? 'ok' : 'unavailable' };
    return { statusCode: store && paydo ? 200 : 503, body };
  }

  async #storeAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS);
    });
    try {
      const read = this.options.store.readIdempotencyKey('paydo-health-probe', '').then(
        () => true,
        () => false,
      );
      return await Promise.race([read, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #paydoAnswers(): Promise<boolean> {
    const { client } = this.options;
    const fresh = () => {
      const { answeredAt, failedAt } = client.reachability();
      return (
        answeredAt !== null && Date.now() - answeredAt < PAYDO_FRESH_MS && (failedAt === null || failedAt <= answeredAt)
      );
    };
    if (fresh()) return true;
    if (!this.#paydoProbe && Date.now() - this.#paydoProbedAt >= PAYDO_PROBE_EVERY_MS) {
      this.#paydoProbedAt = Date.now();
      // Any answer below 500 proves Paydo is there; the result itself is not needed.
      this.#paydoProbe = client.paymentMethods
        .listAvailable({ timeoutMs: HEALTH_TIMEOUT_MS * 2 })
        .then(
          () => {},
          () => {},
        )
        .finally(() => {
          this.#paydoProbe = null;
        });
    }
    if (this.#paydoProbe) await this.#paydoProbe;
    return fresh();
  }

  /** One reconciliation sweep now (see `Reconciler`); `all`: every invoice still watched, due or not. */
  reconcile(options: { all?: boolean } = {}): Promise<ReconcileSummary> {
    return this.#reconciler.reconcile(options);
  }
}

/** The outcome and catalogue code of a step's answer, on its span: an error answer fails the step. */
function noteAnswer(step: PaymentStep, statusCode: number, body: unknown): void {
  const b = body as {
    error?: unknown;
    txid?: unknown;
    invoiceId?: unknown;
    next?: { type?: string; code?: string; status?: string };
  };
  if (statusCode >= 400 && typeof b.error === 'string') {
    step.fail(b.error);
    return;
  }
  const next = b.next;
  if (!next) return;
  step.note({
    ...(typeof b.txid === 'string' && { txid: b.txid }),
    ...(typeof b.invoiceId === 'string' && { invoiceId: b.invoiceId }),
    outcome:
      next.type === 'done'
        ? next.status === 'fail'
          ? 'failed'
          : 'paid'
        : next.type === 'post' || next.type === 'redirect'
          ? 'action_required'
          : next.type === 'wait'
            ? 'pending'
            : next.type,
    code: next.type === 'done' && next.status === 'fail' ? next.code : undefined,
  });
}

function pick(payer: PaydoOrder['payer']): CheckoutResponse['payer'] {
  const out: CheckoutResponse['payer'] = {};
  if (typeof payer?.email === 'string') out.email = payer.email;
  if (typeof payer?.name === 'string') out.name = payer.name;
  if (typeof payer?.phone === 'string') out.phone = payer.phone;
  return out;
}
