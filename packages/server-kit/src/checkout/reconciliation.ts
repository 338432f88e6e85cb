import { randomUUID } from 'node:crypto';
import type { Transaction } from '../client/schemas/transactions.ts';
import { PaydoError, PaydoNotFoundError } from '../errors.ts';
import type { InvoiceCheck } from '../store/store.ts';
import { InvoiceStatus, outcomeOfState, TransactionState } from '../vocabulary.ts';
import type { Ledger } from './ledger.ts';
import type { CheckoutLogger } from './logger.ts';
import type { ResolvedPluginOptions } from './options.ts';

/** What one sweep did. */
export interface ReconcileSummary {
  /** Invoices asked about at Paydo. */
  checked: number;
  /** Results applied that no IPN or poll had brought (paid or failed). */
  applied: number;
  /** Second charges found (reported as duplicates, and refunded unless turned off). */
  duplicates: number;
  /** Invoices or transactions that could not be settled now (they are asked about again later). */
  errors: number;
  /** True when another instance holds the sweep's lease: this call did nothing. */
  skipped: boolean;
}

const LEASE = 'reconcile';
const LEASE_MS = 120_000;
const BATCH = 100;
/** At most this many invoices per sweep: a backlog is worked off over several sweeps. */
const MAX_PER_SWEEP = 1_000;
/** A paid invoice may still receive a second charge (a second tab finishing later) for this long. */
const FINAL_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Invoice statuses after which Paydo takes no new payment on it. */
const FINAL_INVOICE: readonly number[] = [InvoiceStatus.paid, InvoiceStatus.overdue, InvoiceStatus.failed];

/**
 * Finds what no IPN brought. One instance at a time (a lease in the store) asks Paydo about the
 * invoices the kit created that are due: open ones once per interval, final ones at growing
 * intervals while they are young enough to receive a second charge. Every transaction found
 * (the invoice's own, and every one the kit knows on it) goes through the ledger, like an IPN.
 */
export class Reconciler {
  readonly #o: ResolvedPluginOptions;
  readonly #ledger: Ledger;
  readonly #log: CheckoutLogger;
  readonly #owner = randomUUID();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<ReconcileSummary> | null = null;
  /** Consecutive sweeps that Paydo's unavailability cut short: the next one waits longer. */
  #failures = 0;
  #closed = false;

  constructor(options: ResolvedPluginOptions, ledger: Ledger, log: CheckoutLogger) {
    this.#o = options;
    this.#ledger = ledger;
    this.#log = log;
  }

  /** Starts the timer (`reconcileIntervalMs`; 0: no timer). */
  start(): void {
    if (this.#o.reconcileIntervalMs > 0) this.#schedule();
  }

  #schedule(): void {
    if (this.#closed) return;
    // Paydo unavailable: wait 2, 4, 8… intervals (at most an hour more) before asking again.
    const backoff = Math.min(2 ** this.#failures, Math.max(1, 3_600_000 / this.#o.reconcileIntervalMs));
    this.#timer = setTimeout(() => {
      this.reconcile()
        .catch((error) => this.#log.error({ err: error }, 'paydo: reconciliation failed; it runs again later'))
        .finally(() => this.#schedule());
    }, this.#o.reconcileIntervalMs * backoff);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running?.catch(() => {});
  }

  /**
   * One sweep now (one at a time per process; across instances, one at a time by the lease).
   * `all`: every invoice still watched, due or not (after an outage of your IPN endpoint, say);
   * otherwise only those due.
   */
  reconcile(options: { all?: boolean } = {}): Promise<ReconcileSummary> {
    this.#running ??= this.#sweep(options.all === true).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #sweep(all: boolean): Promise<ReconcileSummary> {
    const { store } = this.#o;
    const summary: ReconcileSummary = { checked: 0, applied: 0, duplicates: 0, errors: 0, skipped: false };
    if (!(await store.acquireLease(LEASE, this.#owner, LEASE_MS))) return { ...summary, skipped: true };
    let unavailable = false;
    try {
      const horizon = all ? Number.MAX_SAFE_INTEGER : Date.now();
      // Each invoice once per sweep: one checked now is due again later, and `all` would see it again.
      const seen = new Set<string>();
      while (seen.size < MAX_PER_SWEEP && !unavailable && !this.#closed) {
        const due = (await store.invoicesDue(horizon, seen.size + BATCH)).filter((i) => !seen.has(i.invoiceId));
        if (due.length === 0) break;
        for (const invoice of due) {
          seen.add(invoice.invoiceId);
          if (!(await this.#check(invoice, summary))) {
            unavailable = true;
            break;
          }
        }
        // Still ours? (a sweep slower than the lease must not run beside another instance's)
        if (!(await store.acquireLease(LEASE, this.#owner, LEASE_MS))) break;
      }
    } finally {
      await store.releaseLease(LEASE, this.#owner).catch(() => {});
    }
    this.#failures = unavailable ? this.#failures + 1 : 0;
    if (summary.applied || summary.duplicates || summary.errors) {
      this.#log.info({ reconciliation: summary }, 'paydo: reconciliation found results no IPN had brought');
    }
    return summary;
  }

  /** Asks Paydo about one invoice and settles what it finds. False when Paydo is unavailable. */
  async #check(due: InvoiceCheck, summary: ReconcileSummary): Promise<boolean> {
    const { client, store, reconcileIntervalMs } = this.#o;
    // With the timer off (0), a merchant's own scheduler sweeps: an open invoice is due again in 5 minutes.
    const interval = reconcileIntervalMs || 300_000;
    const now = Date.now();
    let invoice: Awaited<ReturnType<typeof client.invoices.retrieve>>;
    try {
      invoice = await client.invoices.retrieve(due.invoiceId);
    } catch (error) {
      if (error instanceof PaydoNotFoundError) {
        this.#log.warn({ invoiceId: due.invoiceId }, 'paydo: reconciliation: Paydo does not know this invoice');
        await store.scheduleInvoiceCheck(due.invoiceId, {
          nextCheckAt: null,
          finalAt: due.finalAt,
          checks: due.checks + 1,
        });
        return true;
      }
      summary.errors++;
      return !(error instanceof PaydoError && error.retryable);
    }
    summary.checked++;
    // Every transaction the kit knows on this invoice, and the one Paydo names.
    const records = await store.readOrder(due.orderRef);
    const known = records.transactions.filter((t) => t.invoiceId === due.invoiceId);
    const txids = new Set(known.filter((t) => t.state !== TransactionState.accepted).map((t) => t.txid));
    const named = invoice.transactionIdentifier;
    if (named && !known.some((t) => t.txid === named && t.state === TransactionState.accepted)) txids.add(named);
    let retry = false;
    if (txids.size) {
      // One call for their states: only a final state not applied yet goes on to the ledger.
      let states: Map<string, Transaction> | null = null;
      try {
        states = new Map((await client.transactions.filter([...txids])).map((t) => [t.identifier, t]));
      } catch {
        // No filter for this account (or a hiccup): the ledger asks Paydo about each one.
      }
      for (const txid of txids) {
        const recorded = known.find((t) => t.txid === txid)?.state ?? null;
        if (states) {
          const tx = states.get(txid);
          if (!tx || outcomeOfState(tx.state) === 'pending' || tx.state === recorded) continue;
        }
        const result = await this.#ledger.settle({
          txid,
          orderRef: due.orderRef,
          invoiceId: due.invoiceId,
          source: 'reconciliation',
          request: null,
          log: this.#log,
        });
        if (result.outcome === 'applied') {
          if (result.status === 'duplicate') summary.duplicates++;
          else summary.applied++;
        } else if (result.outcome === 'failed') {
          summary.errors++;
          retry = true;
        } else if (result.outcome === 'rejected') {
          this.#log.warn(
            { txid, invoiceId: due.invoiceId, reason: result.reason },
            'paydo: reconciliation: not this order',
          );
        }
      }
    }
    const final = FINAL_INVOICE.includes(invoice.status);
    const finalAt = final ? (due.finalAt ?? now) : null;
    const checks = due.checks + 1;
    let nextCheckAt: number | null;
    if (retry || !final) nextCheckAt = now + interval;
    else if (now - (finalAt as number) > FINAL_WINDOW_MS) nextCheckAt = null;
    else nextCheckAt = now + interval * 2 ** Math.min(checks, 8);
    await store.scheduleInvoiceCheck(due.invoiceId, { nextCheckAt, finalAt, checks });
    return true;
  }
}
