import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { expiryProblem, luhn } from '../routes/card-tokens.ts';
import { startTransaction } from '../routes/checkout.ts';
import { fillTemplate } from '../routes/common.ts';
import { INVOICE_STATUS, type TransactionRecord, TX_STATE } from '../state.ts';
import { findMethod, SANDBOX_METHODS, scenarioForPan } from '../test-data.ts';
import { html, page } from './html.ts';
import { missingPayerFields, payerFieldRoutes, payerFieldsPage } from './payer-fields.ts';

/**
 * The pages a payer sees away from the merchant: the bank's 3-D Secure (ACS)
 * page, the e-wallet's approval page, and Paydo's hosted payment page.
 */
export function offsitePages(app: FastifyInstance, ctx: SandboxContext): void {
  const { state } = ctx;
  payerFieldRoutes(app, ctx);

  // The bank's 3-D Secure page (reached by the status answer's POST form: PaReq, MD, TermUrl)
  // and the wallet's approval page (reached by a GET redirect) differ only in words and outcome.
  const offsite = {
    acs: {
      method: 'post' as const,
      title: '3-D Secure — Sandbox bank',
      heading: 'Confirm your payment',
      text: (tx: TransactionRecord) =>
        `Sandbox bank asks you to confirm this payment with card ending ${tx.card?.lastDigits ?? '••••'}.`,
      gone: 'This 3-D Secure session is unknown or already complete.',
      decline: { state: TX_STATE.rejected, error: { message: '3-D Secure authentication failed', code: '3ds_failed' } },
      back: (tx: TransactionRecord) => tx.pendingAction?.fields.TermUrl ?? tx.checkStatusUrl,
    },
    wallet: {
      method: 'get' as const,
      title: 'Sandbox Wallet',
      heading: 'Sandbox Wallet',
      text: (tx: TransactionRecord) => `Pay ${tx.customer.email}'s wallet balance to the merchant?`,
      gone: 'This wallet session is unknown or already complete.',
      decline: { state: TX_STATE.failed, error: { message: 'Declined in the wallet', code: 'wallet_declined' } },
      back: (tx: TransactionRecord) => tx.checkStatusUrl,
    },
  };

  for (const [kind, o] of Object.entries(offsite) as [keyof typeof offsite, (typeof offsite)[keyof typeof offsite]][]) {
    app.route<{ Params: { txid: string } }>({
      method: o.method === 'post' ? 'POST' : 'GET',
      url: `/_sandbox/${kind}/:txid`,
      handler: async (request, reply) => {
        const tx = state.transactions.get(request.params.txid);
        if (tx?.pendingAction?.kind !== kind) return notFound(reply, o.gone);
        return reply.type('text/html').send(
          page(
            o.title,
            html`<main><div class="card" role="main">
              <span class="badge">Sandbox</span>
              <h1>${o.heading}</h1>
              <p>${o.text(tx)}</p>
              <p class="amount">${formatAmount(tx.amount, tx.currency)}</p>
              <form method="post" action="/_sandbox/${kind}/${tx.identifier}/complete">
                <div class="actions">
                  <button class="primary" name="decision" value="approve" type="submit">Approve</button>
                  <button class="secondary" name="decision" value="decline" type="submit">Decline</button>
                </div>
              </form></div></main>`,
          ),
        );
      },
    });

    app.post<{ Params: { txid: string }; Body: { decision?: string } }>(
      `/_sandbox/${kind}/:txid/complete`,
      async (request, reply) => {
        const tx = state.transactions.get(request.params.txid);
        if (tx?.pendingAction?.kind !== kind) return notFound(reply, o.gone);
        const back = fillTemplate(o.back(tx), { invoiceId: tx.invoiceIdentifier, txid: tx.identifier });
        if (request.body?.decision === 'approve') state.setState(tx, TX_STATE.accepted);
        else state.setState(tx, o.decline.state, o.decline.error);
        return reply.redirect(back, 303);
      },
    );
  }

  // Paydo's hosted payment page: checkout.paydo.com/{locale}/payment/invoice-preprocessing/{invoiceId}.
  app.get<{ Params: { locale: string; invoiceId: string } }>(
    '/:locale/payment/invoice-preprocessing/:invoiceId',
    async (request, reply) => {
      const invoice = state.invoices.get(request.params.invoiceId);
      if (!invoice) return notFound(reply, 'Invoice not found.');
      if (invoice.status === INVOICE_STATUS.paid) {
        return reply.type('text/html').send(
          page(
            'Paid',
            html`<main><div class="card" role="main"><h1>This invoice is paid</h1>
            <p><a href="${fillTemplate(invoice.resultUrl, { invoiceId: invoice.identifier, txid: invoice.transactionIdentifier ?? '' })}">Back to the shop</a></p></div></main>`,
          ),
        );
      }
      // An invoice made for a card method opens on that method: the payer only enters the card.
      const method = invoice.paymentMethod != null ? findMethod(invoice.paymentMethod) : undefined;
      // Fields the method requires and the invoice lacks: Paydo's form asks for them first.
      const missing = method ? missingPayerFields(invoice, method) : [];
      if (missing.length) return reply.type('text/html').send(payerFieldsPage(invoice, missing, null));
      if (method?.behaviour === 'card') return reply.type('text/html').send(cardPage(invoice.identifier, null));
      return reply.type('text/html').send(
        page(
          'Paydo — pay invoice',
          html`<main><div class="card" role="main">
            <span class="badge">Sandbox</span>
            <h1>Paydo checkout</h1>
            <p>Order ${invoice.orderId}${invoice.description ? ` — ${invoice.description}` : ''}</p>
            <p class="amount">${formatAmount(invoice.amount, invoice.currency)}</p>
            <p>Sign in to your Paydo account to pay (sandbox: choose the outcome).</p>
            <form method="post" action="/_sandbox/hosted/${invoice.identifier}/complete">
              <div class="actions">
                <button class="primary" name="decision" value="approve" type="submit">Pay</button>
                <button class="secondary" name="decision" value="decline" type="submit">Cancel payment</button>
              </div>
            </form></div></main>`,
        ),
      );
    },
  );

  /** Paydo's card form for an invoice (the hosted page by payment method). */
  const cardPage = (invoiceId: string, problem: string | null) => {
    const invoice = state.invoices.get(invoiceId);
    if (!invoice) return '';
    return page(
      'Paydo — pay by card',
      html`<main><div class="card" role="main">
        <span class="badge">Sandbox</span>
        <h1>Pay by card</h1>
        <p>Order ${invoice.orderId}${invoice.description ? ` — ${invoice.description}` : ''}</p>
        <p class="amount">${formatAmount(invoice.amount, invoice.currency)}</p>
        ${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
        <form method="post" action="/_sandbox/hosted/${invoice.identifier}/card" class="fields">
          <label>Card number <input name="pan" inputmode="numeric" autocomplete="cc-number" required></label>
          <label>Expiry (MM/YY) <input name="expirationDate" autocomplete="cc-exp" placeholder="MM/YY" required></label>
          <label>CVV <input name="cvv" inputmode="numeric" autocomplete="cc-csc" required></label>
          <label>Name on card <input name="holderName" autocomplete="cc-name" value="${invoice.payer.name ?? ''}" required></label>
          <div class="actions"><button class="primary" type="submit">Pay ${formatAmount(invoice.amount, invoice.currency)}</button></div>
        </form></div></main>`,
    );
  };

  app.post<{ Params: { invoiceId: string }; Body: Record<string, string | undefined> }>(
    '/_sandbox/hosted/:invoiceId/card',
    async (request, reply) => {
      const invoice = state.invoices.get(request.params.invoiceId);
      const method = invoice?.paymentMethod != null ? findMethod(invoice.paymentMethod) : undefined;
      if (!invoice || method?.behaviour !== 'card') return notFound(reply, 'Invoice not found.');
      if (invoice.status === INVOICE_STATUS.paid) return notFound(reply, 'This invoice is already paid.');
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
      if (problem) return reply.code(422).type('text/html').send(cardPage(invoice.identifier, problem));
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
          page(
            '3-D Secure',
            html`<main><div class="card" role="main"><h1>Your bank asks you to confirm</h1>
            <form method="post" action="/_sandbox/acs/${tx.identifier}">
              ${Object.entries(action.fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
              <div class="actions"><button class="primary" type="submit">Continue to your bank</button></div>
            </form></div></main>`,
          ),
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

function notFound(reply: FastifyReply, message: string) {
  return reply
    .code(404)
    .type('text/html')
    .send(
      page('Not found', html`<main><div class="card" role="main"><h1>Not found</h1><p>${message}</p></div></main>`),
    );
}

export function formatAmount(amount: string, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}
