import type { PaymentMethod } from '../client/schemas/payment-methods.ts';
import { type CheckoutResponse, HostedRequest, type NextResponse, type PayResponse } from '../protocol.ts';
import type { StoredResponse } from '../store/store.ts';
import { CardModes } from './card-mode.ts';
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

  constructor(options: PaydoPluginOptions | ResolvedPluginOptions, log: CheckoutLogger) {
    this.#log = log;
    const o = 'ownsClient' in options ? options : resolvePluginOptions(options);
    this.options = o;
    const statuses = new TransactionStatuses(o.client, o.statusCacheMs);
    const ledger = new Ledger(o);
    this.#svc = {
      options: o,
      methods: new MethodCatalog(o.client, o.methodsCacheTtlMs),
      cardModes: new CardModes(o.cardPayments, o.store),
      statuses,
      ledger,
      steps: new TransactionSteps(o, statuses, ledger),
    };
    this.#attempts = new PayAttempts(this.#svc);
    this.#ipn = new IpnReceiver(o, ledger);
    this.#reconciler = new Reconciler(o, ledger, log);
  }

  /** Starts what runs on its own (the reconciliation timer). */
  start(): void {
    this.#reconciler.start();
  }

  /** Stops the sweep and gives back the client (when the kit made it) and the store; one failing part does not keep the others open. */
  async close(): Promise<void> {
    await this.#reconciler.close();
    const parts = await Promise.allSettled([
      this.options.ownsClient ? this.options.client.close() : undefined,
      this.options.store.close(),
    ]);
    for (const part of parts) {
      if (part.status === 'rejected')
        this.#log.error({ err: part.reason }, 'paydo: closing the client or the store failed');
    }
  }

  /** `GET checkout/:orderRef`: the order, its methods and where it stands, as JSON text. */
  async checkout(params: unknown, req: CheckoutRequest): Promise<string> {
    const orderRef = orderRefFrom(params);
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
  pay(params: unknown, idempotencyKey: unknown, body: unknown, req: CheckoutRequest): Promise<StoredResponse> {
    return this.#attempts.pay(orderRefFrom(params), idempotencyKey, body, req);
  }

  /**
   * `POST checkout/:orderRef/hosted`, the manual fallback: an invoice without a payment method,
   * paid on Paydo's own page, where the payer picks any method. One such invoice per order and
   * amount is reused; its result arrives by IPN (or the sweep) like any other.
   */
  async hosted(params: unknown, rawBody: unknown, req: CheckoutRequest): Promise<PayResponse> {
    const parsed = HostedRequest.safeParse(rawBody ?? {});
    if (!parsed.success) throw validationError(bodyFields(parsed.error.issues), 'The request is not valid.');
    const orderRef = orderRefFrom(params);
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
  next(params: unknown, query: unknown, req: CheckoutRequest): Promise<NextResponse> {
    return this.#svc.steps.poll(params, query, req);
  }

  /** `POST ipn`: the answer's status and body (anything but 200 makes Paydo deliver again). */
  ipn(body: unknown, req: CheckoutRequest): Promise<IpnAnswer> {
    return this.#ipn.receive(body, req);
  }

  /** One reconciliation sweep now (see `Reconciler`); `all`: every invoice still watched, due or not. */
  reconcile(options: { all?: boolean } = {}): Promise<ReconcileSummary> {
    return this.#reconciler.reconcile(options);
  }
}

function pick(payer: PaydoOrder['payer']): CheckoutResponse['payer'] {
  const out: CheckoutResponse['payer'] = {};
  if (typeof payer?.email === 'string') out.email = payer.email;
  if (typeof payer?.name === 'string') out.name = payer.name;
  if (typeof payer?.phone === 'string') out.phone = payer.phone;
  return out;
}
