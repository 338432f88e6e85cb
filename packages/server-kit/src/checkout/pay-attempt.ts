import { createHash } from 'node:crypto';
import type { PaymentMethod } from '../client/schemas/payment-methods.ts';
import { requiresHostedPage } from '../client/schemas/transactions.ts';
import { ERROR_CATALOGUE } from '../error-catalogue.ts';
import { IdempotencyKey, PayRequest, type PayResponse } from '../protocol.ts';
import { type AttemptProgress, releaseSoon, type StoredResponse } from '../store/store.ts';
import { FormType } from '../vocabulary.ts';
import { isTokenizationRefused } from './card-mode.ts';
import {
  bodyFields,
  CheckoutHttpError,
  FieldProblems,
  fromPaydoError,
  orderNotFound,
  validationError,
} from './http-error.ts';
import { createInvoice, invoiceKeyOf, reusableInvoice } from './invoices.ts';
import type { CheckoutRequest } from './logger.ts';
import { hostedPageUrl } from './next-step.ts';
import type { PaydoOrder } from './options.ts';
import { type OrderLock, withOrderLock } from './order-lock.ts';
import { type CheckedPayment, checkPaymentFields } from './payment-fields.ts';
import { assertNoPaymentUnderway } from './payment-gate.ts';
import { withTxidParam } from './return-url.ts';
import type { CheckoutServices } from './services.ts';

const WAIT_FOR_TWIN_MS = 15_000;

type PayBody = ReturnType<typeof PayRequest.parse>;

/**
 * A payment attempt: invoice (created or reused), card token, transaction, one status check, in
 * one browser round trip, once per Idempotency-Key. Twins (the same key) get the first one's answer,
 * in this process from the attempt running here (this module's own map), elsewhere from the store.
 */
export class PayAttempts {
  readonly #svc: CheckoutServices;
  /** Pay attempts running here, by Idempotency-Key: concurrent twins wait for the first. */
  readonly #inFlight = new Map<string, Promise<StoredResponse>>();

  constructor(services: CheckoutServices) {
    this.#svc = services;
  }

  /** `POST checkout/:orderRef/pay`: checks the key and the body, then runs the attempt once. */
  async pay(orderRef: string, keyHeader: unknown, rawBody: unknown, req: CheckoutRequest): Promise<StoredResponse> {
    const key = IdempotencyKey.safeParse(keyHeader);
    if (!key.success) {
      throw validationError(
        new FieldProblems().add(
          'Idempotency-Key',
          'invalid_format',
          'A header Idempotency-Key of 8–128 letters, digits, - or _ is required.',
        ),
      );
    }
    const parsed = PayRequest.safeParse(rawBody);
    if (!parsed.success) throw validationError(bodyFields(parsed.error.issues), 'The payment request is not valid.');
    return this.#payOnce(req, orderRef, key.data, parsed.data);
  }

  async #payOnce(
    req: CheckoutRequest,
    orderRef: string,
    key: string,
    body: PayBody,
    reclaimed = false,
  ): Promise<StoredResponse> {
    const { store, claimLeaseMs, resolveOrder } = this.#svc.options;
    // The fingerprint ties a key to its request, without keeping card data: only the last four digits.
    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify([
          orderRef,
          body.method,
          body.payer,
          body.card ? body.card.pan.replace(/\D/g, '').slice(-4) : null,
        ]),
      )
      .digest('hex');
    const storeKey = `${orderRef}:${key}`;

    const claimedAt = Date.now();
    // The merchant's order is read while the key is claimed (a read: wasted only for a twin).
    const order = resolveOrder(orderRef, req.raw, req.log);
    order.catch(() => {}); // a twin never awaits it; the attempt does, and sees the error there
    const claim = await store.claimIdempotencyKey(storeKey, fingerprint, claimLeaseMs);
    if (claim.status === 'mismatch') {
      throw new CheckoutHttpError(
        'idempotency_mismatch',
        'This Idempotency-Key was used for a different payment. Use a new key.',
      );
    }
    if (claim.status === 'completed') return claim.response;
    if (claim.status === 'in_progress') {
      // A twin in this process: share its answer (or its error). Elsewhere: wait for the store.
      const running = this.#inFlight.get(storeKey);
      if (running) return running;
      const answer = await this.#waitForTwin(storeKey, fingerprint);
      if (answer) return answer;
      // The holder gave the key back (it failed retryably, or its lease ran out): claim it again, once.
      if (reclaimed) throw stillInProgress();
      return this.#payOnce(req, orderRef, key, body, true);
    }

    const attempt = (async (): Promise<StoredResponse> => {
      try {
        // A locked attempt answers the key while it gives the order's lock back.
        return await this.#runAttempt(req, order, orderRef, storeKey, body, claim.progress, (response) =>
          store.completeIdempotencyKey(storeKey, response),
        );
      } catch (error) {
        const httpError = fromPaydoError(error);
        if (httpError.body.retryable || httpError.statusCode >= 500) {
          // Nothing final happened: the same key may try again, resuming from the saved progress.
          // When the store itself is down, the key is given back as soon as it answers again.
          await releaseSoon(() => store.releaseIdempotencyKey(storeKey), claimedAt + claimLeaseMs / 2);
          if (!(error instanceof CheckoutHttpError))
            req.log.warn({ err: error, orderRef }, 'paydo: payment attempt failed');
          throw httpError;
        }
        const response = { statusCode: httpError.statusCode, body: httpError.body };
        await store.completeIdempotencyKey(storeKey, response);
        return response;
      }
    })();
    this.#inFlight.set(storeKey, attempt);
    // A slow attempt (Paydo taking its time) keeps its key: only a dead one lets a twin elsewhere take over.
    const renew = setInterval(
      () => void store.renewIdempotencyKey(storeKey, claimLeaseMs).catch(() => {}),
      Math.max(10, Math.floor(claimLeaseMs / 3)),
    );
    renew.unref();
    try {
      return await attempt;
    } finally {
      clearInterval(renew);
      this.#inFlight.delete(storeKey);
    }
  }

  /** Another instance (or a crashed one) holds the key: wait for its answer, bounded. Null when given back. */
  async #waitForTwin(storeKey: string, fingerprint: string): Promise<StoredResponse | null> {
    const deadline = Date.now() + WAIT_FOR_TWIN_MS;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      const state = await this.#svc.options.store.readIdempotencyKey(storeKey, fingerprint);
      if (state?.status === 'completed') return state.response;
      if (!state) return null;
    }
    throw stillInProgress();
  }

  async #runAttempt(
    req: CheckoutRequest,
    resolving: Promise<PaydoOrder | null>,
    orderRef: string,
    storeKey: string,
    body: PayBody,
    saved: AttemptProgress,
    answer: (response: StoredResponse) => Promise<void>,
  ): Promise<StoredResponse> {
    // The browser never sets an amount: the order comes from the merchant's records, every time.
    const order = await resolving;
    if (!order) throw orderNotFound();
    const method = await this.#svc.methods.find(body.method, order.currency);
    if (!method) {
      throw validationError(
        new FieldProblems().add('method', 'method_unavailable', 'This payment method is not available for this order.'),
      );
    }
    // Where the card is entered: in our fields (tokenized here) or on Paydo's page.
    const mode = method.formType === FormType.cards ? await this.#svc.cardModes.current() : 'direct';
    const payment = checkPaymentFields(method, body, order, mode === 'direct');
    return withOrderLock(
      this.#svc.options,
      orderRef,
      (lock) =>
        this.#pay(req, lock, {
          orderRef,
          storeKey,
          order,
          method,
          payment,
          progress: { ...saved },
          replacePending: body.replacePending,
        }),
      answer,
    );
  }

  /**
   * Invoice (created or reused), card token, transaction, one status check. Store writes that do
   * not have to come first go beside an upstream call, not after it.
   */
  async #pay(req: CheckoutRequest, lock: OrderLock, input: PayInput): Promise<StoredResponse> {
    const { options, statuses, ledger, steps } = this.#svc;
    const { client, store, checkoutPageUrl, hostedPageOrigin } = options;
    const { orderRef, storeKey, order, method, payment, progress } = input;
    const save = () => store.saveAttemptProgress(storeKey, progress);

    let txid: string | null = null;
    let invoiceId = progress.invoiceId ?? null;
    if (invoiceId && progress.transactionRequested) {
      // The previous try with this key asked for a transaction and lost the answer:
      // if Paydo made one, it is ours — adopt it, never make a second.
      const invoice = await client.invoices.retrieve(invoiceId);
      if (invoice.transactionIdentifier && invoice.transactionIdentifier !== progress.transactionBefore) {
        txid = invoice.transactionIdentifier;
      }
    }

    const pageUrl = withTxidParam(checkoutPageUrl(orderRef));
    if (!txid) {
      // The same check as every other route that starts a payment, over all the order's invoices.
      const gate = await assertNoPaymentUnderway({ store, client, statuses }, orderRef, order, {
        replacePending: input.replacePending,
        lock,
      });
      const invoiceKey = invoiceKeyOf(orderRef, method.identifier, order);
      const reusable = await reusableInvoice(client, invoiceKey, gate);
      if (reusable) {
        invoiceId = reusable.invoiceId;
        progress.transactionBefore = reusable.transactionIdentifier;
      } else {
        await lock.confirm();
        // Saved under its key by createInvoice: a retry finds it there, no progress write needed yet.
        invoiceId = await createInvoice(options, {
          orderRef,
          invoiceKey,
          order,
          payer: payment.customer,
          language: payment.language,
          paymentMethod: method.identifier,
          pageUrl,
        });
        progress.transactionBefore = null;
      }
    }
    if (!invoiceId) throw new Error('unreachable: no invoice');
    ledger.noteInvoice(invoiceId, orderRef);
    const payInvoiceId = invoiceId;
    const onPaydoPage = (): StoredResponse => {
      // The invoice carries the method and the payer's fields: Paydo's page opens on its form.
      const body: PayResponse = {
        invoiceId: payInvoiceId,
        txid: null,
        next: { type: 'hosted', url: hostedPageUrl(hostedPageOrigin, payInvoiceId, payment.language) },
      };
      return { statusCode: 200, body };
    };
    if (!txid && method.formType === FormType.cards && !payment.card) return onPaydoPage();
    if (!txid) {
      progress.invoiceId = invoiceId;
      progress.transactionRequested = true;
      const cardToken = await this.#tokenize(req, payInvoiceId, payment.card);
      if (cardToken === 'hosted') return onPaydoPage();
      // Only now, right before the transaction is asked for: "asked for" is stored (a retry that finds
      // it adopts the invoice's new transaction, so it must not be stored while tokenization can still
      // fail and free the invoice for another tab), and the lock is confirmed (tokenization may have
      // been slow). The two together: one round trip's wait.
      await Promise.all([save(), lock.confirm()]);
      const result = await client.transactions.create({
        invoiceIdentifier: invoiceId,
        customer: { ...payment.customer, ip: req.clientIp },
        checkStatusUrl: pageUrl,
        paymentMethod: method.identifier,
        ...(cardToken && { cardToken }),
      });
      if (requiresHostedPage(result.code)) return onPaydoPage();
      if (!result.txid) {
        throw new CheckoutHttpError('payment_rejected', ERROR_CATALOGUE.payment_rejected.payerMessage, {
          detail: `Paydo did not create the transaction: ${result.message || 'no reason given'} (code ${result.code}).`,
        });
      }
      txid = result.txid;
    }
    // The transaction is stored while its status is asked (a retry of this key finds it at Paydo).
    const tx = { txid, orderRef, invoiceId };
    ledger.noteTransaction(txid, orderRef, invoiceId);
    const next = await steps.forTransaction(tx, req, { saving: store.saveTransaction(tx), order });
    const body: PayResponse = { invoiceId, txid, next };
    return { statusCode: 200, body };
  }

  /** The card token, or 'hosted' when Paydo refuses tokenization to this project (`auto` switches). */
  async #tokenize(
    req: CheckoutRequest,
    invoiceIdentifier: string,
    card: CheckedPayment['card'],
  ): Promise<string | undefined | 'hosted'> {
    if (!card) return undefined;
    const { options, cardModes } = this.#svc;
    try {
      return (await options.client.cardTokens.create({ invoiceIdentifier, ...card })).token;
    } catch (error) {
      // `auto`: Paydo refuses tokenization to this project, so this payer (and every later one)
      // goes on to Paydo's card page with the same invoice; only the card is typed again.
      if (!cardModes.switchable || !isTokenizationRefused(error)) throw error;
      await cardModes.switchToHosted(req.log);
      return 'hosted';
    }
  }
}

function stillInProgress(): CheckoutHttpError {
  return new CheckoutHttpError('payment_in_progress', 'This payment is still being processed. Please wait a moment.');
}

interface PayInput {
  orderRef: string;
  storeKey: string;
  order: PaydoOrder;
  method: PaymentMethod;
  payment: CheckedPayment;
  progress: AttemptProgress;
  /** A pending transaction of the order the payer abandoned (see `PayRequest.replacePending`). */
  replacePending: string | undefined;
}
