import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { expiryProblem, luhn } from '../routes/card-tokens.ts';
import { startTransaction } from '../routes/checkout.ts';
import { fillTemplate } from '../routes/common.ts';
import { INVOICE_STATUS, type InvoiceRecord, type TransactionRecord, TX_STATE } from '../state.ts';
import { findMethod, SANDBOX_METHODS, scenarioForPan } from '../test-data.ts';
import { field, formatAmount, html, merchantOf, type PaymentSummary, paymentPage, type Raw } from './html.ts';
import { missingPayerFields, payerFieldRoutes, payerFieldsPage } from './payer-fields.ts';

/** The amount, the merchant and the order, at the top of every page about an invoice. */
export function invoiceSummary(invoice: InvoiceRecord): PaymentSummary {
  return {
    merchant: merchantOf(invoice.resultUrl),
    amount: invoice.amount,
    currency: invoice.currency,
    orderId: invoice.orderId,
    description: invoice.description,
  };
}

/**
 * The pages a payer sees away from the merchant: the bank's 3-D Secure (ACS)
 * page, the e-wallet's approval page, and Paydo's hosted payment page.
 */
export function offsitePages(app: FastifyInstance, ctx: SandboxContext): void {
  const { state } = ctx;
  payerFieldRoutes(app, ctx);

  const summaryOf = (tx: TransactionRecord): PaymentSummary => {
    const invoice = state.invoices.get(tx.invoiceIdentifier);
    return invoice
      ? invoiceSummary(invoice)
      : { merchant: 'Sandbox project', amount: tx.amount, currency: tx.currency };
  };

  // The bank's 3-D Secure page (reached by the status answer's POST form: PaReq, MD, TermUrl)
  // and the wallet's approval page (reached by a GET redirect) differ only in words and outcome.
  const offsite = {
    acs: {
      method: 'post' as const,
      brand: 'bank' as const,
      title: '3-D Secure — Sandbox bank',
      heading: 'Confirm your payment',
      text: (tx: TransactionRecord) =>
        `Sandbox bank asks you to confirm this payment with your card ending ${tx.card?.lastDigits ?? '••••'}.`,
      gone: 'This 3-D Secure session is unknown or already complete.',
      decline: { state: TX_STATE.rejected, error: { message: '3-D Secure authentication failed', code: '3ds_failed' } },
      back: (tx: TransactionRecord) => tx.pendingAction?.fields.TermUrl ?? tx.checkStatusUrl,
    },
    wallet: {
      method: 'get' as const,
      brand: 'wallet' as const,
      title: 'Sandbox Wallet',
      heading: 'Approve the payment',
      text: (tx: TransactionRecord) => `Pay from the wallet of ${tx.customer.email} to the merchant?`,
      gone: 'This wallet session is unknown or already complete.',
      decline: { state: TX_STATE.failed, error: { message: 'Declined in the wallet', code: 'wallet_declined' } },
      back: (tx: TransactionRecord) => tx.checkStatusUrl,
    },
  };

  for (const [kind, o] of Object.entries(offsite) as [keyof typeof offsite, (typeof offsite)[keyof typeof offsite]][]) {
    /** The session ended (decided, or timed out with its overdue invoice): the way back to the shop. */
    const ended = (reply: FastifyReply, tx: TransactionRecord | undefined) => {
      if (!tx) return notFound(reply, o.gone);
      const back = fillTemplate(o.back(tx), { invoiceId: tx.invoiceIdentifier, txid: tx.identifier });
      const why =
        tx.state === TX_STATE.timedOut
          ? 'This payment was not completed in time and has expired. Nothing was charged.'
          : 'This payment has already been decided.';
      return reply
        .code(410)
        .type('text/html')
        .send(
          paymentPage({
            title: o.title,
            heading: 'This session has ended',
            brand: o.brand,
            summary: summaryOf(tx),
            body: html`<p>${why}</p><div class="actions"><a class="button primary" href="${back}">Back to the shop</a></div>`,
          }),
        );
    };

    app.route<{ Params: { txid: string } }>({
      method: o.method === 'post' ? 'POST' : 'GET',
      url: `/_sandbox/${kind}/:txid`,
      handler: async (request, reply) => {
        const tx = state.transactions.get(request.params.txid);
        if (tx?.pendingAction?.kind !== kind) return ended(reply, tx);
        return reply.type('text/html').send(
          paymentPage({
            title: o.title,
            heading: o.heading,
            brand: o.brand,
            summary: summaryOf(tx),
            body: html`<p>${o.text(tx)}</p>
              <form method="post" action="/_sandbox/${kind}/${tx.identifier}/complete">
                <div class="actions">
                  <button class="primary" name="decision" value="approve" type="submit">Approve</button>
                  <button class="secondary" name="decision" value="decline" type="submit">Decline</button>
                </div>
              </form>`,
          }),
        );
      },
    });

    app.post<{ Params: { txid: string }; Body: { decision?: string } }>(
      `/_sandbox/${kind}/:txid/complete`,
      async (request, reply) => {
        const tx = state.transactions.get(request.params.txid);
        if (tx?.pendingAction?.kind !== kind) return ended(reply, tx);
        const back = fillTemplate(o.back(tx), { invoiceId: tx.invoiceIdentifier, txid: tx.identifier });
        if (request.body?.decision === 'approve') state.setState(tx, TX_STATE.accepted);
        else state.setState(tx, o.decline.state, o.decline.error);
        return reply.redirect(back, 303);
      },
    );
  }

  /** Paydo refuses an overdue invoice: its page says so and offers the way back (no transaction is made). */
  const expired = (reply: FastifyReply, invoice: InvoiceRecord) =>
    reply
      .code(410)
      .type('text/html')
      .send(
        paymentPage({
          title: 'Paydo — payment expired',
          heading: 'This payment has expired',
          summary: invoiceSummary(invoice),
          body: html`<p>An invoice can be paid for a limited time (24 hours at Paydo). This one was not paid in time, so it can no longer be paid. Nothing was charged.</p>
            <p>Go back to the shop to start a new payment.</p>
            <div class="actions"><a class="button primary" href="${fillTemplate(invoice.failPath, { invoiceId: invoice.identifier, txid: '' })}">Back to the shop</a></div>`,
        }),
      );

  // Paydo's hosted payment page: checkout.paydo.com/{locale}/payment/invoice-preprocessing/{invoiceId}.
  app.get<{ Params: { locale: string; invoiceId: string } }>(
    '/:locale/payment/invoice-preprocessing/:invoiceId',
    async (request, reply) => {
      const invoice = state.invoices.get(request.params.invoiceId);
      if (!invoice) return notFound(reply, 'Invoice not found.');
      if (invoice.status === INVOICE_STATUS.paid) {
        return reply.type('text/html').send(
          paymentPage({
            title: 'Paydo — paid',
            heading: 'This invoice is paid',
            summary: invoiceSummary(invoice),
            body: html`<p>Thank you: the payment went through.</p>
            <div class="actions"><a class="button primary" href="${fillTemplate(invoice.resultUrl, { invoiceId: invoice.identifier, txid: invoice.transactionIdentifier ?? '' })}">Back to the shop</a></div>`,
          }),
        );
      }
      if (state.isOverdue(invoice)) return expired(reply, invoice);
      // An invoice made for a card method opens on that method: the payer only enters the card.
      const method = invoice.paymentMethod != null ? findMethod(invoice.paymentMethod) : undefined;
      // Fields the method requires and the invoice lacks: Paydo's form asks for them first.
      const missing = method ? missingPayerFields(invoice, method) : [];
      if (missing.length) return reply.type('text/html').send(payerFieldsPage(invoice, missing, null));
      if (method?.behaviour === 'card') return reply.type('text/html').send(cardPage(invoice, null));
      return reply.type('text/html').send(
        paymentPage({
          title: 'Paydo — pay invoice',
          heading: 'Paydo checkout',
          summary: invoiceSummary(invoice),
          body: html`<p>Sign in to your Paydo account to pay (sandbox: choose the outcome).</p>
            <form method="post" action="/_sandbox/hosted/${invoice.identifier}/complete">
              <div class="actions">
                <button class="primary" name="decision" value="approve" type="submit">Pay ${formatAmount(invoice.amount, invoice.currency)}</button>
                <button class="secondary" name="decision" value="decline" type="submit">Cancel payment</button>
              </div>
            </form>`,
        }),
      );
    },
  );

  /** Paydo's card form for an invoice (the hosted page by payment method): one field per row. */
  const cardPage = (invoice: InvoiceRecord, problem: string | null) =>
    paymentPage({
      title: 'Paydo — pay by card',
      heading: 'Pay by card',
      summary: invoiceSummary(invoice),
      body: html`${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
        <form method="post" action="/_sandbox/hosted/${invoice.identifier}/card">
          ${field({ name: 'pan', label: 'Card number', inputmode: 'numeric', autocomplete: 'cc-number', required: true, maxlength: 23 })}
          ${field({ name: 'expirationDate', label: 'Expiry date', autocomplete: 'cc-exp', required: true, hint: 'MM/YY, as on the card', maxlength: 7 })}
          ${field({ name: 'cvv', label: 'Security code (CVV)', inputmode: 'numeric', autocomplete: 'cc-csc', required: true, hint: '3 or 4 digits on the back of the card', maxlength: 4 })}
          ${field({ name: 'holderName', label: 'Name on card', autocomplete: 'cc-name', required: true, value: invoice.payer.name })}
          <div class="actions"><button class="primary" type="submit">Pay ${formatAmount(invoice.amount, invoice.currency)}</button></div>
        </form>`,
    });

  app.post<{ Params: { invoiceId: string }; Body: Record<string, string | undefined> }>(
    '/_sandbox/hosted/:invoiceId/card',
    async (request, reply) => {
      const invoice = state.invoices.get(request.params.invoiceId);
      const method = invoice?.paymentMethod != null ? findMethod(invoice.paymentMethod) : undefined;
      if (!invoice || method?.behaviour !== 'card') return notFound(reply, 'Invoice not found.');
      if (invoice.status === INVOICE_STATUS.paid) return notFound(reply, 'This invoice is already paid.');
      if (state.isOverdue(invoice)) return expired(reply, invoice);
      const missing = missingPayerFields(invoice, method);
      if (missing.length)
        return reply
          .code(422)
          .type('text/html')
          .send(payerFieldsPage(invoice, missing, null));
      const body = request.body ?? {};
      const pan = String(body.pan ?? '').replace(/[\s-]/g, '');
      const expiry = String(body.expirationDate ?? '').trim();
      const cvv = String(body.cvv ?? '').trim();
      const holderName = String(body.holderName ?? '').trim();
      const problem = !(/^\d{12,19}$/.test(pan) && luhn(pan))
        ? 'Invalid card number.'
        : (expiryProblem(expiry) ??
          (/^\d{3,4}$/.test(cvv) ? (holderName ? null : 'Enter the name on the card.') : 'Invalid CVV.'));
      if (problem) return reply.code(422).type('text/html').send(cardPage(invoice, problem));
      const { scenario, brand } = scenarioForPan(pan);
      const tx = state.addTransaction({
        invoiceIdentifier: invoice.identifier,
        amount: invoice.amount,
        currency: invoice.currency,
        paymentMethod: method.identifier,
        customer: { email: invoice.payer.email, name: invoice.payer.name },
        card: { bin: pan.slice(0, 6), lastDigits: pan.slice(-4), brand, holderName, scenario },
        pendingAction: null,
        checkStatusUrl: invoice.resultUrl,
      });
      // The same outcomes as the direct API: test cards decide; 3-D Secure goes through the bank's page.
      startTransaction(tx, ctx);
      const fill = (url: string) => fillTemplate(url, { invoiceId: invoice.identifier, txid: tx.identifier });
      const action = tx.pendingAction as TransactionRecord['pendingAction'];
      if (action?.kind === 'acs') {
        return reply.type('text/html').send(
          paymentPage({
            title: 'Paydo — 3-D Secure',
            heading: 'Your bank asks you to confirm',
            summary: invoiceSummary(invoice),
            body: html`<p>Your card needs a confirmation from your bank. You will come back here afterwards.</p>
            <form method="post" action="/_sandbox/acs/${tx.identifier}">
              ${Object.entries(action.fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
              <div class="actions"><button class="primary" type="submit">Continue to your bank</button></div>
            </form>`,
          }),
        );
      }
      const failed = tx.state !== TX_STATE.accepted && tx.state !== TX_STATE.pending;
      return reply.redirect(fill(failed ? invoice.failPath : invoice.resultUrl), 303);
    },
  );

  app.post<{ Params: { invoiceId: string }; Body: { decision?: string } }>(
    '/_sandbox/hosted/:invoiceId/complete',
    async (request, reply) => {
      const invoice = state.invoices.get(request.params.invoiceId);
      if (!invoice) return notFound(reply, 'Invoice not found.');
      if (invoice.status === INVOICE_STATUS.paid) return notFound(reply, 'This invoice is already paid.');
      if (state.isOverdue(invoice)) return expired(reply, invoice);
      const method =
        (invoice.paymentMethod != null ? findMethod(invoice.paymentMethod) : undefined) ??
        SANDBOX_METHODS.find((m) => m.behaviour === 'hosted-only');
      const tx = state.addTransaction({
        invoiceIdentifier: invoice.identifier,
        amount: invoice.amount,
        currency: invoice.currency,
        paymentMethod: method?.identifier ?? 0,
        customer: { email: invoice.payer.email, name: invoice.payer.name },
        card: null,
        pendingAction: null,
        checkStatusUrl: invoice.resultUrl,
      });
      const approved = request.body?.decision === 'approve';
      if (approved) state.setState(tx, TX_STATE.accepted);
      else state.setState(tx, TX_STATE.failed, { message: 'Payment cancelled on Paydo', code: 'cancelled' });
      const target = approved ? invoice.resultUrl : invoice.failPath;
      return reply.redirect(fillTemplate(target, { invoiceId: invoice.identifier, txid: tx.identifier }), 303);
    },
  );
}

/** A page for an unknown invoice or session, in the same look. */
export function notFound(reply: FastifyReply, message: string | Raw) {
  return reply
    .code(404)
    .type('text/html')
    .send(paymentPage({ title: 'Not found', heading: 'Not found', body: html`<p>${message}</p>` }));
}
