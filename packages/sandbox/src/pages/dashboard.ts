import type { SandboxContext } from '../context.ts';
import type { SandboxControl } from '../control.ts';
import { html, page } from './html.ts';
import { formatAmount } from './offsite.ts';

const TX_STATE_NAMES: Record<number, string> = {
  1: 'new',
  2: 'accepted',
  3: 'failed',
  4: 'pending',
  5: 'failed (rejected)',
  9: 'pre-approved',
  15: 'timed out',
};
const INVOICE_STATUS_NAMES: Record<number, string> = { 0: 'new', 1: 'paid', 2: 'overdue', 4: 'pending', 5: 'failed' };

/** A plain server-rendered overview: invoices, transactions, IPN attempts, with "resend IPN". */
export function dashboardPage(ctx: SandboxContext, control: SandboxControl): string {
  const { state } = ctx;
  const settings = control.settings();
  const invoices = [...state.invoices.values()].reverse();
  const transactions = [...state.transactions.values()].reverse();
  const attempts = control.ipnAttempts().reverse().slice(0, 200);
  const faults = control.faults();
  return page(
    'Paydo sandbox',
    html`<main>
      <h1>Paydo sandbox <span class="badge">local emulator</span></h1>
      <p class="muted">API: <code>${ctx.origin()}/v1</code> · public key <code>${ctx.options.project.publicKey}</code> ·
        project <code>${ctx.options.project.projectId}</code> · IPN URL <code>${settings.ipnUrl ?? '(none)'}</code> ·
        faults: ${faults.length ? faults.map((f) => `${f.endpoint}:${f.kind}`).join(', ') : 'none'}</p>
      <form method="post" action="/_sandbox/reset"><button class="secondary small" type="submit">Reset all state</button></form>

      <h2>Transactions (${transactions.length})</h2>
      <table><thead><tr><th>Transaction</th><th>Invoice / order</th><th>Amount</th><th>Method</th><th>State</th><th>Actions</th></tr></thead><tbody>
      ${transactions.map((tx) => {
        const invoice = state.invoices.get(tx.invoiceIdentifier);
        return html`<tr>
          <td><code>${tx.identifier}</code></td>
          <td><code>${tx.invoiceIdentifier}</code><br>${invoice?.orderId ?? ''}</td>
          <td>${formatAmount(tx.amount, tx.currency)}</td>
          <td>${tx.paymentMethod}${tx.card ? ` · ${tx.card.brand} •••• ${tx.card.lastDigits}` : ''}</td>
          <td class="${tx.state === 2 ? 'ok' : [3, 5, 15].includes(tx.state) ? 'fail' : ''}">${TX_STATE_NAMES[tx.state] ?? tx.state}${tx.error ? ` — ${tx.error.message}` : ''}</td>
          <td>
            <form method="post" action="/_sandbox/transactions/${tx.identifier}/resend-ipn"><button class="small secondary" type="submit">Resend IPN</button></form>
            ${tx.state !== 2 ? html`<form method="post" action="/_sandbox/transactions/${tx.identifier}/advance"><input type="hidden" name="state" value="2"><button class="small secondary" type="submit">Accept</button></form>` : ''}
          </td></tr>`;
      })}
      </tbody></table>

      <h2>Invoices (${invoices.length})</h2>
      <table><thead><tr><th>Invoice</th><th>Order</th><th>Amount</th><th>Status</th><th>Created</th></tr></thead><tbody>
      ${invoices.map(
        (
          i,
        ) => html`<tr><td><code>${i.identifier}</code></td><td>${i.orderId}</td><td>${formatAmount(i.amount, i.currency)}</td>
          <td>${INVOICE_STATUS_NAMES[i.status] ?? i.status}</td><td>${new Date(i.createdAt * 1000).toISOString()}</td></tr>`,
      )}
      </tbody></table>

      <h2>IPN attempts (${attempts.length})</h2>
      <table><thead><tr><th>When</th><th>Transaction</th><th>#</th><th>State sent</th><th>Result</th></tr></thead><tbody>
      ${attempts.map(
        (
          a,
        ) => html`<tr><td>${a.at}</td><td><code>${a.txid}</code></td><td>${a.notificationId}.${a.attempt}${a.duplicate ? ' (duplicate)' : ''}</td>
          <td>${TX_STATE_NAMES[a.body.transaction.state] ?? a.body.transaction.state}</td>
          <td class="${a.statusCode === 200 ? 'ok' : 'fail'}">${a.statusCode ?? a.error}</td></tr>`,
      )}
      </tbody></table>
    </main>`,
  );
}
