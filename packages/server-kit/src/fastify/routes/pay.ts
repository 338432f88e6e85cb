import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import { cardMode, isTokenizationRefused, switchToHostedCards } from '../../checkout/card-mode.ts';
import type { PluginContext } from '../../checkout/context.ts';
import {
  bodyFields,
  CheckoutHttpError,
  emailProblem,
  FieldProblems,
  fromPaydoError,
  orderNotFound,
  validationError,
} from '../../checkout/http-error.ts';
import { createInvoice, reusableInvoice } from '../../checkout/invoices.ts';
import { hostedPageUrl } from '../../checkout/next-step.ts';
import type { PaydoOrder } from '../../checkout/options.ts';
import { orderRefOf } from '../../checkout/params.ts';
import { assertNoPaymentUnderway, type OrderLock, withOrderLock } from '../../checkout/payment-gate.ts';
import { withTxidParam } from '../../checkout/return-url.ts';
import type { InvoiceLanguage } from '../../client/schemas/invoices.ts';
import type { PaymentMethod } from '../../client/schemas/payment-methods.ts';
import { requiresHostedPage } from '../../client/schemas/transactions.ts';
import { ERROR_CATALOGUE, type FieldErrorCode } from '../../error-catalogue.ts';
import { IdempotencyKey, PayRequest, type PayResponse } from '../../protocol.ts';
import { type AttemptProgress, releaseSoon, type StoredResponse } from '../../store/store.ts';
import { clientIp } from '../client-address.ts';
import { methodsForCurrency } from './checkout.ts';
import { resolveNext } from './next.ts';

const WAIT_FOR_TWIN_MS = 15_000;

type PayBody = ReturnType<typeof PayRequest.parse>;

export function payRoute(app: FastifyInstance, ctx: PluginContext, limits: onRequestHookHandler[]): void {
  app.post('/checkout/:orderRef/pay', { onRequest: limits }, async (request, reply) => {
    const key = IdempotencyKey.safeParse(request.headers['idempotency-key']);
    if (!key.success) {
      throw validationError(
        new FieldProblems().add(
          'Idempotency-Key',
          'invalid_format',
          'A header Idempotency-Key of 8–128 letters, digits, - or _ is required.',
        ),
      );
    }
    const parsed = PayRequest.safeParse(request.body);
    if (!parsed.success) throw validationError(bodyFields(parsed.error.issues), 'The payment request is not valid.');
    const orderRef = orderRefOf(request);
    const response = await payOnce(ctx, request, orderRef, key.data, parsed.data);
    reply.code(response.statusCode);
    return response.body;
  });
}

/** Runs an attempt once per Idempotency-Key; twins (same key) get the first one's answer. */
async function payOnce(
  ctx: PluginContext,
  request: FastifyRequest,
  orderRef: string,
  key: string,
  body: PayBody,
  reclaimed = false,
): Promise<StoredResponse> {
  const { store } = ctx.options;
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
  const order = ctx.options.resolveOrder(orderRef, request);
  order.catch(() => {}); // a twin never awaits it; the attempt does, and sees the error there
  const claim = await store.claimIdempotencyKey(storeKey, fingerprint, ctx.options.claimLeaseMs);
  if (claim.status === 'mismatch') {
    throw new CheckoutHttpError(
      'idempotency_mismatch',
      'This Idempotency-Key was used for a different payment. Use a new key.',
    );
  }
  if (claim.status === 'completed') return claim.response;
  if (claim.status === 'in_progress') {
    // A twin in this process: share its answer (or its error). Elsewhere: wait for the store.
    const running = ctx.inFlight.get(storeKey);
    if (running) return running;
    const answer = await waitForTwin(ctx, storeKey, fingerprint);
    if (answer) return answer;
    // The holder gave the key back (it failed retryably, or its lease ran out): claim it again, once.
    if (reclaimed) throw stillInProgress();
    return payOnce(ctx, request, orderRef, key, body, true);
  }

  const attempt = (async (): Promise<StoredResponse> => {
    try {
      // A locked attempt answers the key while it gives the order's lock back.
      return await runAttempt(ctx, request, order, orderRef, storeKey, body, claim.progress, (response) =>
        store.completeIdempotencyKey(storeKey, response),
      );
    } catch (error) {
      const httpError = fromPaydoError(error);
      if (httpError.body.retryable || httpError.statusCode >= 500) {
        // Nothing final happened: the same key may try again, resuming from the saved progress.
        // When the store itself is down, the key is given back as soon as it answers again.
        await releaseSoon(() => store.releaseIdempotencyKey(storeKey), claimedAt + ctx.options.claimLeaseMs / 2);
        if (!(error instanceof CheckoutHttpError))
          request.log.warn({ err: error, orderRef }, 'paydo: payment attempt failed');
        throw httpError;
      }
      const response = { statusCode: httpError.statusCode, body: httpError.body };
      await store.completeIdempotencyKey(storeKey, response);
      return response;
    }
  })();
  ctx.inFlight.set(storeKey, attempt);
  // A slow attempt (Paydo taking its time) keeps its key: only a dead one lets a twin elsewhere take over.
  const renew = setInterval(
    () => void store.renewIdempotencyKey(storeKey, ctx.options.claimLeaseMs).catch(() => {}),
    Math.max(10, Math.floor(ctx.options.claimLeaseMs / 3)),
  );
  renew.unref();
  try {
    return await attempt;
  } finally {
    clearInterval(renew);
    ctx.inFlight.delete(storeKey);
  }
}

/**
 * Another instance (or a crashed one) holds the key: wait for its answer,
 * bounded. Null when the key was given back without an answer.
 */
async function waitForTwin(ctx: PluginContext, storeKey: string, fingerprint: string): Promise<StoredResponse | null> {
  const deadline = Date.now() + WAIT_FOR_TWIN_MS;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    const state = await ctx.options.store.readIdempotencyKey(storeKey, fingerprint);
    if (state?.status === 'completed') return state.response;
    if (!state) return null;
  }
  throw stillInProgress();
}

function stillInProgress(): CheckoutHttpError {
  return new CheckoutHttpError('payment_in_progress', 'This payment is still being processed. Please wait a moment.');
}

async function runAttempt(
  ctx: PluginContext,
  request: FastifyRequest,
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
  const methods = methodsForCurrency(await ctx.methods(), order.currency);
  const method = methods.find((m) => m.identifier === body.method);
  if (!method) {
    throw validationError(
      new FieldProblems().add('method', 'method_unavailable', 'This payment method is not available for this order.'),
    );
  }
  // Where the card is entered: in our fields (tokenized here) or on Paydo's page.
  const mode = method.formType === 'cards' ? await cardMode(ctx) : 'direct';
  const payment = checkPaymentFields(method, body, order, mode === 'direct');

  return withOrderLock(
    ctx,
    orderRef,
    (lock) =>
      pay(ctx, request, lock, {
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

interface CheckedPayment {
  customer: { email: string; name?: string; phone?: string; extraFields?: Record<string, string> };
  card: { pan: string; expirationDate: string; cvv: string; holderName: string } | undefined;
  language: InvoiceLanguage;
}

/** The method's payer fields (required, pattern) and the card, checked before anything is sent to Paydo. */
export function checkPaymentFields(
  method: PaymentMethod,
  body: PayBody,
  order: PaydoOrder,
  cardHere = true,
): CheckedPayment {
  const problems = new FieldProblems();
  const add = (name: string, code: FieldErrorCode, message: string) => problems.add(name, code, message);
  const payer = body.payer;
  const extra: Record<string, string> = {};
  const top: Record<string, string | undefined> = {
    email: payer.email || order.payer?.email,
    name: payer.name || order.payer?.name,
    phone: payer.phone || order.payer?.phone,
  };
  for (const f of method.config.fields) {
    const isTop = f.name in top;
    const value = (isTop ? top[f.name] : payer.extraFields?.[f.name])?.trim() ?? '';
    if (value === '') {
      if (f.required) add(f.name, 'field_required', 'This field is required.');
      continue;
    }
    const pattern = f.regexp ? compiled(f.regexp) : null;
    if (pattern && !pattern.test(value))
      add(f.name, 'invalid_format', f.title ? `${f.title}: the format is not valid.` : 'The format is not valid.');
    if (!isTop) extra[f.name] = value;
  }
  const emailError = emailProblem(top.email);
  if (emailError) add('email', ...emailError);

  let card: CheckedPayment['card'];
  // In hosted mode a card the browser sent anyway is never read: Paydo's page takes it.
  if (method.formType === 'cards' && cardHere) {
    if (!body.card) add('card.pan', 'field_required', 'Enter the card number.');
    else {
      const pan = body.card.pan.replace(/[\s-]/g, '');
      if (!/^\d{12,19}$/.test(pan) || !luhn(pan))
        add('card.pan', 'invalid_card_number', 'The card number is not valid.');
      const exp = /^(0[1-9]|1[0-2])\/(\d{2})$/.exec(body.card.expirationDate.trim());
      if (!exp) add('card.expirationDate', 'invalid_expiry_date', 'Enter the expiry date as MM/YY.');
      else {
        const now = new Date();
        const year = 2000 + Number(exp[2]);
        if (year < now.getFullYear() || (year === now.getFullYear() && Number(exp[1]) < now.getMonth() + 1)) {
          add('card.expirationDate', 'card_expired', 'This card has expired.');
        }
      }
      if (!/^\d{3,4}$/.test(body.card.cvv)) add('card.cvv', 'invalid_cvv', 'Enter the 3 or 4 digit security code.');
      if (!body.card.holderName) add('card.holderName', 'field_required', 'Enter the name on the card.');
      card = {
        pan,
        expirationDate: body.card.expirationDate.trim(),
        cvv: body.card.cvv,
        holderName: body.card.holderName,
      };
    }
  }
  if (problems.any) throw validationError(problems);
  const customer: CheckedPayment['customer'] = { email: top.email as string };
  if (top.name) customer.name = top.name;
  if (top.phone) customer.phone = top.phone;
  if (Object.keys(extra).length) customer.extraFields = extra;
  return { customer, card, language: body.language ?? order.language ?? 'en' };
}

const patterns = new Map<string, RegExp | null>();
/** A method field's pattern, compiled once; null when JavaScript cannot read it (left to Paydo). */
function compiled(source: string): RegExp | null {
  let pattern = patterns.get(source);
  if (pattern === undefined) {
    try {
      pattern = new RegExp(source);
    } catch {
      pattern = null;
    }
    if (patterns.size < 1_000) patterns.set(source, pattern);
  }
  return pattern;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
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

/**
 * Invoice (created or reused), card token, transaction, one status check: one browser round trip.
 * Store writes that do not have to come first go beside an upstream call, not after it.
 */
async function pay(
  ctx: PluginContext,
  request: FastifyRequest,
  lock: OrderLock,
  input: PayInput,
): Promise<StoredResponse> {
  const { client, store, checkoutPageUrl, hostedPageOrigin } = ctx.options;
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
    const gate = await assertNoPaymentUnderway(ctx, orderRef, order, { replacePending: input.replacePending, lock });
    const invoiceKey = `${orderRef}|${method.identifier}|${order.amount}|${order.currency}`;
    const reusable = await reusableInvoice(ctx, invoiceKey, gate);
    if (reusable) {
      invoiceId = reusable.invoiceId;
      progress.transactionBefore = reusable.transactionIdentifier;
    } else {
      await lock.confirm();
      // Saved under its key by createInvoice: a retry finds it there, no progress write needed yet.
      invoiceId = await createInvoice(ctx, {
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
  const onPaydoPage = (): StoredResponse => {
    // The invoice carries the card method and the payer's fields: Paydo's page opens on the card form.
    const body: PayResponse = {
      invoiceId: invoiceId as string,
      txid: null,
      next: { type: 'hosted', url: hostedPageUrl(hostedPageOrigin, invoiceId as string, payment.language) },
    };
    return { statusCode: 200, body };
  };
  if (!txid && method.formType === 'cards' && !payment.card) return onPaydoPage();
  if (!txid) {
    progress.invoiceId = invoiceId;
    progress.transactionRequested = true;
    const tokenize = async (): Promise<string | undefined | 'hosted'> => {
      if (!payment.card) return undefined;
      try {
        return (await client.cardTokens.create({ invoiceIdentifier: invoiceId as string, ...payment.card })).token;
      } catch (error) {
        // `auto`: Paydo refuses tokenization to this project, so this payer (and every later one)
        // goes on to Paydo's card page with the same invoice; only the card is typed again.
        if (ctx.options.cardPayments !== 'auto' || !isTokenizationRefused(error)) throw error;
        await switchToHostedCards(ctx, request.log);
        return 'hosted';
      }
    };
    const cardToken = await tokenize();
    if (cardToken === 'hosted') return onPaydoPage();
    // Only now, right before the transaction is asked for: "asked for" is stored (a retry that finds
    // it adopts the invoice's new transaction, so it must not be stored while tokenization can still
    // fail and free the invoice for another tab), and the lock is confirmed (tokenization may have
    // been slow). The two together: one round trip's wait.
    await Promise.all([save(), lock.confirm()]);
    const result = await client.transactions.create({
      invoiceIdentifier: invoiceId,
      customer: { ...payment.customer, ip: clientIp(request, ctx.options.trustProxy) },
      checkStatusUrl: pageUrl,
      paymentMethod: method.identifier,
      ...(cardToken && { cardToken }),
    });
    if (requiresHostedPage(result.code) || !result.txid) {
      if (!requiresHostedPage(result.code)) {
        throw new CheckoutHttpError('payment_rejected', ERROR_CATALOGUE.payment_rejected.payerMessage, {
          detail: `Paydo did not create the transaction: ${result.message || 'no reason given'} (code ${result.code}).`,
        });
      }
      const body: PayResponse = {
        invoiceId,
        txid: null,
        next: { type: 'hosted', url: hostedPageUrl(hostedPageOrigin, invoiceId, payment.language) },
      };
      return { statusCode: 200, body };
    }
    txid = result.txid;
  }
  // The transaction is stored while its status is asked (a retry of this key finds it at Paydo).
  const tx = { txid, orderRef, invoiceId };
  const next = await resolveNext(ctx, request, tx, { stored: store.saveTransaction(tx), order });
  const body: PayResponse = { invoiceId, txid, next };
  return { statusCode: 200, body };
}
