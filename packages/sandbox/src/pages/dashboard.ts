import type { SandboxContext } from '../context.ts';
import type { SandboxControl } from '../control.ts';
import type { IpnAttempt } from '../ipn/delivery.ts';
import { REFUND_STATUS } from '../routes/refunds.ts';
import { INVOICE_STATUS, TX_STATE } from '../state.ts';
import { formatAmount, html, page, type Raw } from './html.ts';

const TX_STATE_NAMES: Record<number, string> = {
  [TX_STATE.new]: 'new',
  [TX_STATE.accepted]: 'accepted',
  [TX_STATE.failed]: 'failed',
  [TX_STATE.pending]: 'pending',
  [TX_STATE.rejected]: 'failed (rejected)',
  9: 'pre-approved',
  [TX_STATE.timedOut]: 'timed out',
};
const INVOICE_STATUS_NAMES: Record<number, string> = {
  [INVOICE_STATUS.new]: 'new',
  [INVOICE_STATUS.paid]: 'paid',
  [INVOICE_STATUS.overdue]: 'overdue',
  [INVOICE_STATUS.pending]: 'pending',
  [INVOICE_STATUS.failed]: 'failed',
};
const REFUND_STATUS_NAMES: Record<number, string> = {
  [REFUND_STATUS.processing]: 'waiting for the acquirer',
  [REFUND_STATUS.accepted]: 'accepted',
};
const HOUR = 3_600_000;

const isRefundIpn = (a: IpnAttempt) => 'refundId' in a.body.transaction;

/** A table that scrolls sideways on a narrow screen, reachable by keyboard. */
const table = (label: string, head: string[], rows: Raw[], empty: string) =>
  html`<div class="scroll" role="region" aria-label="${label}" tabindex="0"><table>
    <thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
    <tbody>${rows.length ? rows : html`<tr><td colspan="${head.length}" class="muted">${empty}</td></tr>`}</tbody>
  </table></div>`;

const postButton = (action: string, label: string, fields: Record<string, string> = {}) =>
  html`<form method="post" action="${action}" class="inline">${Object.entries(fields).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )}<button class="small secondary" type="submit">${label}</button></form>`;

const ipnResult = (a: IpnAttempt) =>
  html`<span class="${a.statusCode === 200 ? 'ok' : 'fail'}">${a.statusCode ?? a.error}</span>`;

/** A server-rendered overview: clock, transactions, invoices, refunds, IPN attempts, with their actions. */
export function dashboardPage(ctx: SandboxContext, control: SandboxControl): string {
  const { state } = ctx;
  state.expireOverdue();
  const settings = control.settings();
  const clock = control.clock();
  const invoices = [...state.invoices.values()].reverse();
  const transactions = [...state.transactions.values()].reverse();
  const refunds = [...state.refunds.values()].reverse();
  const allAttempts = control.ipnAttempts();
  const attempts = allAttempts.slice(-200).reverse();
  const faults = control.faults();
  const ahead = clock.offsetMs ? ` (${(clock.offsetMs / HOUR).toFixed(clock.offsetMs % HOUR ? 2 : 0)} h ahead)` : '';

  return page(
    'Paydo sandbox',
    html`<main class="dash">
      <h1>Paydo sandbox <span class="badge">local emulator</span></h1>
      <p class="meta">API: <code>${ctx.origin()}/v1</code> · public key <code>${ctx.options.project.publicKey}</code> ·
        project <code>${ctx.options.project.projectId}</code> · IPN URL <code>${settings.ipnUrl ?? '(none)'}</code> ·
        faults: ${faults.length ? faults.map((f) => `${f.endpoint}:${f.kind}`).join(', ') : 'none'}</p>
      ${postButton('/_sandbox/reset', 'Reset all state')}

      <h2 id="clock">Clock</h2>
      <p>Emulator time: <time datetime="${clock.now}">${clock.now}</time>${ahead}. An unpaid invoice becomes overdue
        ${(clock.invoiceLifetimeMs / HOUR).toLocaleString('en')} h after it was made.</p>
      <div class="inline" role="group" aria-labelledby="clock">
        ${postButton('/_sandbox/clock/advance', 'Advance 1 hour', { ms: String(HOUR) })}
        ${postButton('/_sandbox/clock/advance', 'Advance 24 hours', { ms: String(24 * HOUR) })}
      </div>

      <h2>Transactions (${transactions.length})</h2>
      ${table(
        'Transactions',
        ['Transaction', 'Invoice / order', 'Amount', 'Method', 'State', 'Actions'],
        transactions.map((tx) => {
          const invoice = state.invoices.get(tx.invoiceIdentifier);
          const failed =
            tx.state === TX_STATE.failed || tx.state === TX_STATE.rejected || tx.state === TX_STATE.timedOut;
          return html`<tr>
            <td><code>${tx.identifier}</code></td>
            <td><code>${tx.invoiceIdentifier}</code><br>${invoice?.orderId ?? ''}</td>
            <td>${formatAmount(tx.amount, tx.currency)}</td>
            <td>${tx.paymentMethod}${tx.card ? ` · ${tx.card.brand} •••• ${tx.card.lastDigits}` : ''}</td>
            <td class="${tx.state === TX_STATE.accepted ? 'ok' : failed ? 'fail' : ''}">${TX_STATE_NAMES[tx.state] ?? tx.state}${tx.error ? ` — ${tx.error.message}` : ''}</td>
            <td>${postButton(`/_sandbox/transactions/${tx.identifier}/resend-ipn`, 'Resend IPN')}
              ${tx.state !== TX_STATE.accepted ? postButton(`/_sandbox/transactions/${tx.identifier}/advance`, 'Accept', { state: String(TX_STATE.accepted) }) : ''}</td>
          </tr>`;
        }),
        'No transactions yet.',
      )}

      <h2>Invoices (${invoices.length})</h2>
      ${table(
        'Invoices',
        ['Invoice', 'Order', 'Amount', 'Status', 'Created', 'Overdue at'],
        invoices.map(
          (
            i,
          ) => html`<tr><td><code>${i.identifier}</code></td><td>${i.orderId}</td><td>${formatAmount(i.amount, i.currency)}</td>
            <td class="${i.status === INVOICE_STATUS.paid ? 'ok' : i.status === INVOICE_STATUS.overdue ? 'fail' : ''}">${INVOICE_STATUS_NAMES[i.status] ?? i.status}</td>
            <td>${new Date(i.createdAt * 1000).toISOString()}</td>
            <td>${i.status === INVOICE_STATUS.paid ? '—' : new Date(i.overdueAtMs).toISOString()}</td></tr>`,
        ),
        'No invoices yet.',
      )}

      <h2>Refunds (${refunds.length})</h2>
      ${table(
        'Refunds',
        ['Refund', 'Transaction', 'Amount', 'Type', 'Status', 'Created', 'Refund IPNs', 'Actions'],
        refunds.map((r) => {
          const ipns = allAttempts.filter(
            (a) => isRefundIpn(a) && (a.body.transaction as { refundId: string }).refundId === r.identifier,
          );
          const last = ipns.at(-1);
          return html`<tr><td><code>${r.identifier}</code></td><td><code>${r.transactionIdentifier}</code></td>
            <td>${formatAmount(r.amount, r.currency)}</td><td>${r.type === 1 ? 'full' : 'partial'}</td>
            <td class="${r.status === REFUND_STATUS.accepted ? 'ok' : ''}">${REFUND_STATUS_NAMES[r.status] ?? r.status}</td>
            <td>${new Date(r.createdAt * 1000).toISOString()}</td>
            <td>${ipns.length ? html`${ipns.length} attempt${ipns.length === 1 ? '' : 's'}, last: ${last ? ipnResult(last) : ''}` : 'none yet'}</td>
            <td>${r.status === REFUND_STATUS.processing ? postButton(`/_sandbox/refunds/${r.identifier}/accept`, 'Accept refund') : ''}</td></tr>`;
        }),
        'No refunds yet.',
      )}

      <h2>IPN attempts (${allAttempts.length})</h2>
      ${table(
        'IPN attempts',
        ['When', 'Kind', 'Transaction', '#', 'State sent', 'Result'],
        attempts.map((a) => {
          const refund = isRefundIpn(a);
          const sent = a.body.transaction.state;
          return html`<tr><td>${a.at}</td><td>${refund ? 'refund' : 'payment'}</td><td><code>${a.txid}</code></td>
            <td>${a.notificationId}.${a.attempt}${a.duplicate ? ' (duplicate)' : ''}</td>
            <td>${refund ? (REFUND_STATUS_NAMES[sent] ?? sent) : (TX_STATE_NAMES[sent] ?? sent)}</td>
            <td>${ipnResult(a)}</td></tr>`;
        }),
        'No IPNs sent yet.',
      )}
    </main>`,
  );
}
