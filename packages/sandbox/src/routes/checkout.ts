import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { type CardRecord, FINAL_STATES, INVOICE_STATUS, type TransactionRecord, TX_STATE } from '../state.ts';
import { findMethod, PAYER_TOP_LEVEL_FIELDS } from '../test-data.ts';
import { amountLimitError, asObject, FieldErrors, fillTemplate, MESSAGES, sendData, sendError } from './common.ts';

export function checkoutRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.post('/checkout/create', { config: { endpoint: 'checkout.create' } }, async (request, reply) => {
    const body = asObject(request.body) ?? {};
    const errors = new FieldErrors();
    const invoiceId = errors.requireString('invoiceIdentifier', body.invoiceIdentifier);
    const customer = asObject(body.customer);
    if (!customer) errors.add('customer', MESSAGES.blank);
    const email = errors.email('customer.email', customer?.email);
    const checkStatusUrl = errors.requireString('checkStatusUrl', body.checkStatusUrl);
    const ip = errors.optionalString('customer.ip', customer?.ip);
    if (errors.any) return sendError(reply, 422, errors.map);

    const invoice = ctx.state.invoices.get(invoiceId as string);
    if (!invoice) return sendError(reply, 404, MESSAGES.invoiceNotFound);
    if (invoice.status === INVOICE_STATUS.paid) {
      return sendError(reply, 422, { isSuccess: false, message: 'Invoice has already been paid' });
    }
    if (ctx.state.isOverdue(invoice)) {
      return sendError(reply, 422, { isSuccess: false, message: 'Invoice is overdue' });
    }
    const current = invoice.transactionIdentifier
      ? ctx.state.transactions.get(invoice.transactionIdentifier)
      : undefined;
    if (current && !FINAL_STATES.has(current.state)) {
      return sendError(reply, 422, { isSuccess: false, message: 'Invoice already has a transaction in progress' });
    }

    const methodId = body.paymentMethod ?? invoice.paymentMethod;
    if (methodId == null) return sendError(reply, 422, { paymentMethod: [MESSAGES.blank] });
    const method = findMethod(methodId);
    if (!method) return sendError(reply, 422, { paymentMethod: [MESSAGES.invalid] });
    if (!method.enabled) return sendError(reply, 422, MESSAGES.methodDisabled);
    if (!method.currencies.includes(invoice.currency)) {
      return sendError(reply, 422, { isSuccess: false, message: 'Currency is not supported by the payment method' });
    }
    const limit = amountLimitError(invoice.amount, method);
    if (limit) return sendError(reply, 422, limit);

    // Payer fields the method needs: from the customer, falling back to the invoice's payer.
    const extra = { ...(invoice.payer.extraFields ?? {}), ...(asObject(customer?.extraFields) ?? {}) };
    const values: Record<string, string> = {};
    for (const field of method.fields) {
      const raw = PAYER_TOP_LEVEL_FIELDS.has(field.name)
        ? (customer?.[field.name] ?? invoice.payer[field.name as 'email' | 'name' | 'phone'])
        : (extra[field.name] ?? customer?.[field.name]);
      const value = typeof raw === 'string' ? raw.trim() : raw == null ? '' : String(raw);
      if (value === '') {
        if (field.required) errors.add(`customer.${field.name}`, MESSAGES.blank);
        continue;
      }
      if (field.regexp && !new RegExp(field.regexp).test(value)) errors.add(`customer.${field.name}`, MESSAGES.invalid);
      values[field.name] = value;
    }
    let card: CardRecord | null = null;
    if (method.behaviour === 'card') {
      const token = errors.requireString('cardToken', body.cardToken);
      if (token !== undefined) {
        const record = ctx.state.cardTokens.get(token);
        if (
          !record ||
          record.used ||
          record.invoiceIdentifier !== invoice.identifier ||
          record.expiresAt < ctx.state.now()
        ) {
          errors.add('cardToken', 'Card token is invalid or expired.');
        } else {
          card = record.card;
          if (!errors.any) record.used = true;
        }
      }
    }
    if (errors.any) return sendError(reply, 422, errors.map);

    if (method.behaviour === 'hosted-only') {
      // The payer must authenticate with Paydo: no transaction here.
      return sendData(reply, {
        isSuccess: false,
        message: 'The payer must authenticate with Paydo to use this method.',
        txid: null,
        code: 100001,
      });
    }

    const tx = ctx.state.addTransaction({
      invoiceIdentifier: invoice.identifier,
      amount: invoice.amount,
      currency: invoice.currency,
      paymentMethod: method.identifier,
      customer: {
        email: email as string,
        name: values.name,
        phone: values.phone,
        ip,
        extraFields: Object.fromEntries(Object.entries(values).filter(([k]) => !PAYER_TOP_LEVEL_FIELDS.has(k))),
      },
      card,
      pendingAction: null,
      checkStatusUrl: checkStatusUrl as string,
    });
    startTransaction(tx, ctx);
    return sendData(
      reply,
      { isSuccess: true, message: '', txid: tx.identifier, code: 1000 },
      { identifier: tx.identifier },
    );
  });

  app.get<{ Params: { txid: string } }>(
    '/checkout/check-transaction-status/:txid',
    { config: { endpoint: 'checkout.status' } },
    async (request, reply) => {
      const tx = ctx.state.transactions.get(request.params.txid);
      if (!tx) return sendError(reply, 404, MESSAGES.transactionNotFound);
      return sendData(reply, statusAnswer(tx, ctx));
    },
  );

  app.get<{ Params: { invoiceId: string } }>(
    '/checkout/check-invoice-status/:invoiceId',
    { config: { endpoint: 'checkout.status' } },
    async (request, reply) => {
      const invoice = ctx.state.invoices.get(request.params.invoiceId);
      if (!invoice) return sendError(reply, 404, MESSAGES.invoiceNotFound);
      const tx = invoice.transactionIdentifier ? ctx.state.transactions.get(invoice.transactionIdentifier) : undefined;
      if (!tx)
        return sendData(
          reply,
          shapeEmptyForm({ isSuccess: true, status: 'pending', form: [], url: '', txid: null }, ctx),
        );
      return sendData(reply, statusAnswer(tx, ctx));
    },
  );

  // Payop's checkout page §7: cancels the invoice's pending transaction, so the
  // merchant can start again with a fresh invoice. The void is final (an IPN follows).
  app.post('/checkout/void', { config: { endpoint: 'checkout.void' } }, async (request, reply) => {
    const body = asObject(request.body) ?? {};
    const errors = new FieldErrors();
    const invoiceId = errors.requireString('invoiceIdentifier', body.invoiceIdentifier);
    if (errors.any) return sendError(reply, 422, errors.map);
    const invoice = ctx.state.invoices.get(invoiceId as string);
    if (!invoice) return sendError(reply, 404, MESSAGES.invoiceNotFound);
    const tx = invoice.transactionIdentifier ? ctx.state.transactions.get(invoice.transactionIdentifier) : undefined;
    if (!tx) return sendError(reply, 422, { isSuccess: false, message: 'Invoice has no transaction to void' });
    if (FINAL_STATES.has(tx.state)) {
      return sendError(reply, 422, { isSuccess: false, message: 'Only a pending transaction can be voided' });
    }
    ctx.state.setState(tx, TX_STATE.failed, { message: 'Transaction voided by the merchant', code: 'voided' });
    return sendData(reply, { isSuccess: true, message: '', txid: tx.identifier });
  });
}

/**
 * `form: []` (Paydo's page) or no `form` key (Payop's page) when there is no step to take;
 * Payop's page shows no final answer, so `absent` also drops the final answers' result-page form.
 */
function shapeEmptyForm<T extends { form: unknown; status: string }>(
  answer: T,
  ctx: SandboxContext,
): T | Omit<T, 'form'> {
  if (ctx.options.variants.emptyStatusForm === 'empty-array') return answer;
  if (!Array.isArray(answer.form) && answer.status === 'pending') return answer;
  const { form: _form, ...rest } = answer;
  return rest;
}

/** The first move of a new transaction, by method and test card. */
export function startTransaction(tx: TransactionRecord, ctx: SandboxContext): void {
  const method = findMethod(tx.paymentMethod);
  const { state } = ctx;
  switch (method?.behaviour) {
    case 'card': {
      const scenario = tx.card?.scenario ?? { kind: 'accept' };
      if (scenario.kind === 'accept') state.setState(tx, TX_STATE.accepted);
      else if (scenario.kind === 'decline') {
        state.setState(tx, TX_STATE.failed, { message: scenario.message, code: scenario.errorCode });
      } else if (scenario.kind === 'three-ds') {
        tx.pendingAction = {
          kind: 'acs',
          fields: {
            PaReq: Buffer.from(`pareq:${tx.identifier}`).toString('base64'),
            MD: tx.identifier,
            TermUrl: fillTemplate(tx.checkStatusUrl, { invoiceId: tx.invoiceIdentifier, txid: tx.identifier }),
          },
        };
        state.setState(tx, TX_STATE.pending);
      } else {
        state.setState(tx, TX_STATE.pending);
        state.later(ctx.options.pendingMs, () => {
          if (tx.state === TX_STATE.pending) state.setState(tx, TX_STATE.accepted);
        });
      }
      return;
    }
    case 'bank-transfer':
      if (tx.customer.extraFields?.nationalid === '0000000000') {
        state.setState(tx, TX_STATE.failed, { message: 'Rejected by the bank', code: 'bank_rejected' });
      } else state.setState(tx, TX_STATE.accepted);
      return;
    case 'ewallet-redirect':
      tx.pendingAction = { kind: 'wallet', fields: {} };
      state.setState(tx, TX_STATE.pending);
      return;
    default:
      state.setState(tx, TX_STATE.accepted);
  }
}

/** `check-transaction-status`: form to follow, or pending, or the final url. */
export function statusAnswer(tx: TransactionRecord, ctx: SandboxContext) {
  return shapeEmptyForm(statusAnswerOf(tx, ctx), ctx);
}

function statusAnswerOf(tx: TransactionRecord, ctx: SandboxContext) {
  const invoice = ctx.state.invoices.get(tx.invoiceIdentifier);
  const fill = (url: string | undefined) =>
    url ? fillTemplate(url, { invoiceId: tx.invoiceIdentifier, txid: tx.identifier }) : '';
  // Final answers as Paydo's page: the reason in `message`, the id also as `transactionIdentifier`,
  // and a GET `form` to the result page.
  const final = (status: 'success' | 'fail', url: string) => ({
    isSuccess: true,
    status,
    message: tx.error?.message ?? '',
    form: { method: 'GET', url, fields: [] },
    url,
    txid: tx.identifier,
    transactionIdentifier: tx.identifier,
  });
  if (tx.state === TX_STATE.accepted) return final('success', fill(invoice?.resultUrl));
  // isSuccess says the *request* worked, even for a failed payment.
  if (FINAL_STATES.has(tx.state)) return final('fail', fill(invoice?.failPath));
  const action = tx.pendingAction;
  if (action?.kind === 'acs') {
    return {
      isSuccess: true,
      status: 'pending',
      form: { method: 'POST', url: `${ctx.origin()}/_sandbox/acs/${tx.identifier}`, fields: action.fields },
      url: '',
      txid: tx.identifier,
    };
  }
  if (action?.kind === 'wallet') {
    return {
      isSuccess: true,
      status: 'pending',
      form: { method: 'GET', url: `${ctx.origin()}/_sandbox/wallet/${tx.identifier}`, fields: [] },
      url: '',
      txid: tx.identifier,
    };
  }
  return { isSuccess: true, status: 'pending', form: [], url: '', txid: tx.identifier };
}
