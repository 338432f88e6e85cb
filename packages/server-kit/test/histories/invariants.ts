/**
 * The invariants of one payment engine (docs/invariants.md), checked for every
 * order once a history has settled. Paydo's truth is the emulator's snapshot;
 * the merchant's view is what `onPaymentUpdate` was given, by every instance.
 *
 * I1 one charge kept      at most one accepted transaction per order is kept: every other one is
 *                          refunded in full, once (with refundDuplicateCharges).
 * I2 one paid update      exactly one `paid` update if Paydo accepted any transaction of the order,
 *                          naming an accepted one; none otherwise.
 * I3 duplicates reported  every other accepted transaction is reported once as `duplicate`
 *                          (naming the paid one), refunded in full when refundDuplicateCharges is on;
 *                          the paid one is never refunded by the kit.
 * I4 nothing invented     nothing is reported paid or duplicate that Paydo did not accept, and no
 *                          update states a state Paydo does not hold.
 * I5 exactly once         each (transaction, final state) is reported at most once across instances.
 * I6 own transactions     no update names a transaction of another order (or another shop): its
 *                          invoice must be one Paydo made for this order.
 *
 * Reach: Paydo's documented API has no "transactions of an invoice". An accepted transaction that
 * no IPN delivery, no pay answer and no poll ever named, and that its invoice does not name either,
 * cannot be found by any kit (a second tab whose every IPN is lost and whose payer never returns);
 * I1–I3 speak of the transactions within reach (`knowable`), and the history says which were not.
 */
import type { Sandbox } from '@paydo-checkout/sandbox';
import type { PaydoOrder } from '../../src/fastify/index.ts';
import type { LoggedUpdate } from './world.ts';

export interface Violation {
  invariant: 'I1' | 'I2' | 'I3' | 'I4' | 'I5' | 'I6';
  orderRef: string;
  message: string;
  /** The transactions it is about. */
  txids: string[];
}

const ACCEPTED = 2;

export function checkInvariants(
  sandbox: Sandbox,
  orders: Map<string, PaydoOrder>,
  updates: LoggedUpdate[],
  options: { refundDuplicateCharges: boolean; tag: (txid: string) => string; knowable?: (txid: string) => boolean },
): Violation[] {
  const snapshot = sandbox.control.snapshot();
  const { tag } = options;
  const invoiceOrder = new Map(snapshot.invoices.map((i) => [i.identifier, i.orderIdentifier]));
  const violations: Violation[] = [];
  for (const [orderRef, order] of orders) {
    const add = (invariant: Violation['invariant'], message: string, ...txids: string[]) =>
      violations.push({ invariant, orderRef, message, txids });
    const txs = snapshot.transactions.filter((t) => invoiceOrder.get(t.invoiceIdentifier) === order.id);
    const byId = new Map(txs.map((t) => [t.identifier, t]));
    const named = new Set(snapshot.invoices.map((i) => i.transactionIdentifier));
    const knowable = (txid: string) => named.has(txid) || (options.knowable?.(txid) ?? true);
    const accepted = txs.filter((t) => t.state === ACCEPTED && knowable(t.identifier));
    const mine = updates.filter((u) => u.update.orderRef === orderRef);
    const refundsOf = (txid: string) => snapshot.refunds.filter((r) => r.sourceTransaction.identifier === txid);

    // I6: every update of this order names one of its own transactions, on one of its invoices.
    for (const { by, update } of mine) {
      const tx = byId.get(update.txid);
      if (!tx || update.orderId !== order.id) {
        add(
          'I6',
          `${by} reported ${tag(update.txid)} (${update.status}) although Paydo has it for another order`,
          update.txid,
        );
      } else if (tx.invoiceIdentifier !== update.invoiceId) {
        add(
          'I6',
          `${by} reported ${tag(update.txid)} on invoice ${update.invoiceId}, Paydo has it on another`,
          update.txid,
        );
      }
    }
    // I5: each (transaction, state) at most once.
    const seen = new Map<string, string>();
    for (const { by, update } of mine) {
      const key = `${update.txid} ${update.state}`;
      const first = seen.get(key);
      if (first)
        add('I5', `${tag(update.txid)} state ${update.state} reported twice (${first}, then ${by})`, update.txid);
      else seen.set(key, by);
    }
    // I4: nothing invented.
    for (const { by, update } of mine) {
      const tx = byId.get(update.txid);
      if (!tx) continue; // I6 said it
      if ((update.status === 'paid' || update.status === 'duplicate') && tx.state !== ACCEPTED) {
        add('I4', `${by} reported ${tag(update.txid)} ${update.status}; Paydo says state ${tx.state}`, update.txid);
      }
      // Histories never move a final transaction again, so any other state was never Paydo's.
      else if (update.state !== tx.state) {
        add('I4', `${by} reported ${tag(update.txid)} in state ${update.state}; Paydo says ${tx.state}`, update.txid);
      }
    }
    // I2: exactly one paid update, naming an accepted transaction.
    const paid = mine.filter((u) => u.update.status === 'paid');
    if (accepted.length === 0 && paid.length > 0) {
      add(
        'I2',
        `reported paid by ${paid.map((u) => tag(u.update.txid)).join(', ')}; Paydo accepted nothing`,
        ...paid.map((u) => u.update.txid),
      );
    }
    if (accepted.length > 0 && paid.length === 0) {
      add(
        'I2',
        `Paydo accepted ${accepted.map((t) => tag(t.identifier)).join(', ')} and the merchant heard no paid update`,
        ...accepted.map((t) => t.identifier),
      );
    }
    if (paid.length > 1) {
      add(
        'I2',
        `${paid.length} paid updates: ${paid.map((u) => `${tag(u.update.txid)} by ${u.by}`).join(', ')}`,
        ...paid.map((u) => u.update.txid),
      );
    }
    const paidTxid = paid.length === 1 ? paid[0]!.update.txid : null;
    // I3 and I1: every other accepted transaction is a reported, refunded duplicate.
    let kept = 0;
    for (const tx of accepted) {
      const refunds = refundsOf(tx.identifier);
      const refundedInFull = refunds.length === 1 && Number(refunds[0]!.amount) === Number(tx.amount);
      if (tx.identifier === paidTxid) {
        kept++;
        if (refunds.length > 0) add('I3', `the paying transaction ${tag(tx.identifier)} was refunded`, tx.identifier);
        continue;
      }
      if (paidTxid === null) {
        // I2 said it; a refunded one is not kept.
        if (!refundedInFull) kept++;
        continue;
      }
      const dup = mine.filter((u) => u.update.txid === tx.identifier && u.update.status === 'duplicate');
      if (dup.length === 0)
        add('I3', `accepted ${tag(tx.identifier)} was never reported as a duplicate`, tx.identifier);
      for (const d of dup) {
        if (d.update.duplicateOf !== paidTxid) {
          add(
            'I3',
            `duplicate ${tag(tx.identifier)} names ${d.update.duplicateOf}, not the paying ${tag(paidTxid)}`,
            tx.identifier,
          );
        }
      }
      if (options.refundDuplicateCharges) {
        if (refunds.length > 1)
          add('I1', `duplicate ${tag(tx.identifier)} refunded ${refunds.length} times`, tx.identifier);
        else if (!refundedInFull) {
          kept++;
          add('I3', `duplicate ${tag(tx.identifier)} was not refunded in full`, tx.identifier);
        }
      } else kept++;
    }
    if (options.refundDuplicateCharges && kept > 1) {
      const keptTxids = accepted
        .filter((t) => t.identifier !== paidTxid && refundsOf(t.identifier).length === 0)
        .map((t) => t.identifier);
      add('I1', `${kept} accepted charges kept for one order`, ...keptTxids);
    }
  }
  // I6 across orders: an update for an order the history does not know.
  for (const { by, update } of updates) {
    if (!orders.has(update.orderRef)) {
      violations.push({
        invariant: 'I6',
        orderRef: update.orderRef,
        message: `${by} reported ${tag(update.txid)} for unknown order ${update.orderRef}`,
        txids: [update.txid],
      });
    }
  }
  return violations;
}
