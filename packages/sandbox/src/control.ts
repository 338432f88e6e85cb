import type { SandboxContext } from './context.ts';
import { type FaultRule, validateFault } from './faults.ts';
import type { IpnAttempt } from './ipn/delivery.ts';
import { IPN_SCHEDULES, type IpnScheduleName } from './options.ts';
import { invoiceView } from './routes/invoices.ts';
import { acceptRefund, refundView } from './routes/refunds.ts';
import { transactionView } from './routes/transactions.ts';
import { FINAL_STATES, TX_STATE } from './state.ts';

export class SandboxControlError extends Error {
  override name = 'SandboxControlError';
  readonly code: 'not_found' | 'invalid';
  constructor(code: 'not_found' | 'invalid', message: string) {
    super(message);
    this.code = code;
  }
}

export interface SandboxSettings {
  ipnUrl?: string | null;
  ipnSchedule?: IpnScheduleName | number[];
  ipnDuplicates?: number;
  ipnOnPending?: boolean;
  pendingMs?: number;
  /** Direct card tokenization for the project (off: card-token/create answers 403, as Paydo does without PCI DSS). */
  cardTokenization?: boolean;
}

export interface SandboxClockView {
  /** The emulator's time, ISO 8601. */
  now: string;
  offsetMs: number;
  invoiceLifetimeMs: number;
}

/** What tests (and the control API under /_sandbox) can do to the emulator. */
export class SandboxControl {
  readonly #ctx: SandboxContext;

  constructor(ctx: SandboxContext) {
    this.#ctx = ctx;
  }

  setFaults(rules: FaultRule[]): void {
    for (const rule of rules) validateFault(rule);
    this.#ctx.faults.set(rules);
  }

  addFault(rule: FaultRule): void {
    this.#ctx.faults.add(rule);
  }

  clearFaults(): void {
    this.#ctx.faults.set([]);
  }

  faults(): FaultRule[] {
    return this.#ctx.faults.list();
  }

  configure(settings: SandboxSettings): void {
    const { ipn, options } = this.#ctx;
    if (settings.ipnUrl !== undefined) {
      if (settings.ipnUrl !== null) {
        try {
          new URL(settings.ipnUrl);
        } catch {
          throw new SandboxControlError('invalid', 'ipnUrl must be a URL.');
        }
      }
      ipn.settings.url = settings.ipnUrl ?? undefined;
      options.ipnUrl = settings.ipnUrl ?? undefined;
    }
    if (settings.ipnSchedule !== undefined) {
      const schedule = Array.isArray(settings.ipnSchedule) ? settings.ipnSchedule : IPN_SCHEDULES[settings.ipnSchedule];
      if (!schedule || schedule.some((n) => typeof n !== 'number' || n < 0)) {
        throw new SandboxControlError(
          'invalid',
          'ipnSchedule must be "compressed", "paydo" or a list of delays in ms.',
        );
      }
      ipn.settings.schedule = schedule;
    }
    if (settings.ipnDuplicates !== undefined) {
      if (!Number.isInteger(settings.ipnDuplicates) || settings.ipnDuplicates < 0) {
        throw new SandboxControlError('invalid', 'ipnDuplicates must be a whole number ≥ 0.');
      }
      ipn.settings.duplicates = settings.ipnDuplicates;
    }
    if (settings.ipnOnPending !== undefined) ipn.settings.onPending = Boolean(settings.ipnOnPending);
    if (settings.cardTokenization !== undefined) {
      if (typeof settings.cardTokenization !== 'boolean') {
        throw new SandboxControlError('invalid', 'cardTokenization must be true or false.');
      }
      options.cardTokenization = settings.cardTokenization;
    }
    if (settings.pendingMs !== undefined) {
      if (!(settings.pendingMs >= 0)) throw new SandboxControlError('invalid', 'pendingMs must be ≥ 0.');
      options.pendingMs = settings.pendingMs;
    }
  }

  settings() {
    const { ipn, options } = this.#ctx;
    return {
      ipnUrl: ipn.settings.url ?? null,
      ipnSchedule: ipn.settings.schedule,
      ipnDuplicates: ipn.settings.duplicates,
      ipnOnPending: ipn.settings.onPending,
      pendingMs: options.pendingMs,
      cardTokenization: options.cardTokenization,
    };
  }

  /**
   * Moves a transaction on: by default a pending one to accepted (as if the
   * bank answered); any state can be given, also failed → accepted.
   */
  advance(txid: string, state: number = TX_STATE.accepted, error?: { message: string; code: string }): void {
    const tx = this.#ctx.state.transactions.get(txid);
    if (!tx) throw new SandboxControlError('not_found', `Transaction ${txid} not found.`);
    if (![1, 2, 3, 4, 5, 9, 15].includes(state)) throw new SandboxControlError('invalid', `Unknown state ${state}.`);
    const err =
      FINAL_STATES.has(state) && state !== TX_STATE.accepted
        ? (error ?? { message: 'Declined', code: 'declined' })
        : null;
    this.#ctx.state.setState(tx, state, err);
  }

  /**
   * Accepts a waiting refund now (as the acquirer would) and sends its refund
   * IPN. Returns false when it was accepted already.
   */
  acceptRefund(refundId: string): boolean {
    const refund = this.#ctx.state.refunds.get(refundId);
    if (!refund) throw new SandboxControlError('not_found', `Refund ${refundId} not found.`);
    return acceptRefund(this.#ctx, refund);
  }

  /**
   * Moves the emulator's time forward by `ms`: unpaid invoices past their lifetime (24 hours
   * by default) become overdue at once, and delayed work that falls due runs (the pending
   * card's acceptance, a refund's acceptance). Time never goes back, except by `reset()`.
   */
  advanceClock(ms: number): SandboxClockView {
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0) {
      throw new SandboxControlError('invalid', 'ms must be a whole number of milliseconds ≥ 0.');
    }
    this.#ctx.clock.advance(ms);
    return this.clock();
  }

  /** The emulator's time now, and how far ahead of the machine's clock it is. */
  clock(): SandboxClockView {
    const { clock, options } = this.#ctx;
    return {
      now: new Date(clock.nowMs()).toISOString(),
      offsetMs: clock.data.offsetMs,
      invoiceLifetimeMs: options.invoiceLifetimeMs,
    };
  }

  /** Sends the transaction's IPN again, with its current state. Returns the notification id. */
  resendIpn(txid: string): number {
    const tx = this.#ctx.state.transactions.get(txid);
    if (!tx) throw new SandboxControlError('not_found', `Transaction ${txid} not found.`);
    return this.#ctx.ipn.notify(tx);
  }

  ipnAttempts(txid?: string): IpnAttempt[] {
    const all = this.#ctx.ipn.attempts;
    return txid === undefined ? [...all] : all.filter((a) => a.txid === txid);
  }

  /** Resolves when every IPN delivery (with its retries) has finished. */
  ipnIdle(): Promise<void> {
    return this.#ctx.ipn.idle();
  }

  snapshot() {
    const { state } = this.#ctx;
    state.expireOverdue();
    return {
      clock: this.clock(),
      invoices: [...state.invoices.values()].map((i) => invoiceView(i, this.#ctx)),
      transactions: [...state.transactions.values()].map((t) => ({
        ...transactionView(t, this.#ctx),
        invoiceIdentifier: t.invoiceIdentifier,
        history: t.history,
        refunded: t.refundedUnits.toString(),
      })),
      refunds: [...state.refunds.values()].map((r) => refundView(r, this.#ctx)),
      ipnAttempts: this.ipnAttempts(),
      faults: this.faults(),
      settings: this.settings(),
    };
  }

  /** Forgets every invoice, transaction, refund, IPN attempt and fault; the clock goes back to the machine's. */
  reset(): void {
    this.#ctx.state.clear();
    this.#ctx.ipn.reset();
    this.#ctx.faults.set([]);
  }
}
