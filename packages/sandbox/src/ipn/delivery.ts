import type { RefundRecord, SandboxState, TransactionRecord } from '../state.ts';
import { FINAL_STATES, TX_STATE } from '../state.ts';

/** The IPN body exactly as Paydo posts it. */
export interface IpnBody {
  invoice: { id: string; txid: string; status: number; metadata: unknown };
  transaction: { id: string; state: number; order: { id: string }; error: { message: string; code: string } };
}

/** The refund IPN as Payop documents it: the refund as `transaction`, and the refunded one. */
export interface RefundIpnBody {
  transaction: {
    refundId: string;
    state: number;
    amount: number;
    currency: string;
    metadata: unknown;
    error: { message: string; code: string };
  };
  sourceTransaction: { id: string; state: number };
}

export interface IpnAttempt {
  /** One per notification; repeats of it (retries, duplicates) share it. */
  notificationId: number;
  txid: string;
  attempt: number;
  duplicate: boolean;
  url: string | null;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  body: IpnBody | RefundIpnBody;
}

export interface IpnSettings {
  url: string | undefined;
  schedule: number[];
  duplicates: number;
  onPending: boolean;
  /** The newest this many attempts are kept (oldest dropped). */
  maxAttempts?: number;
}

const ATTEMPT_TIMEOUT_MS = 5_000;

/**
 * Posts IPNs like Paydo: on every final state and every later change, retried
 * on anything but 200 along the schedule, with optional duplicates on purpose.
 */
export class IpnDelivery {
  readonly attempts: IpnAttempt[] = [];
  readonly settings: IpnSettings;
  readonly #state: SandboxState;
  #nextId = 1;
  #inFlight = 0;
  #idleWaiters: (() => void)[] = [];
  /** Retries waiting for their time, by the emulator's clock: `advanceClock` past one sends it at once. */
  #timers = new Map<NodeJS.Timeout, { dueMs: number; fire: () => void }>();
  #closed = false;

  constructor(state: SandboxState, settings: IpnSettings) {
    this.#state = state;
    this.settings = settings;
    state.clock.onAdvance(() => {
      const nowMs = state.clock.nowMs();
      for (const wait of [...this.#timers.values()]) if (wait.dueMs <= nowMs) wait.fire();
    });
    state.onStateChange((tx) => {
      if (FINAL_STATES.has(tx.state) || (tx.state === TX_STATE.pending && this.settings.onPending)) this.notify(tx);
    });
  }

  #record(record: IpnAttempt): void {
    this.attempts.push(record);
    const max = this.settings.maxAttempts ?? 10_000;
    // Trimmed in batches, so a full log costs one splice per `max` attempts, not one per attempt.
    if (this.attempts.length >= max * 2) this.attempts.splice(0, this.attempts.length - max);
  }

  bodyFor(tx: TransactionRecord): IpnBody {
    const invoice = this.#state.invoices.get(tx.invoiceIdentifier);
    return {
      invoice: {
        id: tx.invoiceIdentifier,
        txid: tx.identifier,
        status: invoice?.status ?? 0,
        metadata: invoice?.metadata ?? {},
      },
      transaction: {
        id: tx.identifier,
        state: tx.state,
        order: { id: invoice?.orderId ?? '' },
        // The documented IPN carries the sentence and an empty code, always.
        error: { message: tx.error?.message ?? '', code: '' },
      },
    };
  }

  /** Sends an IPN with the transaction as it is now (also used by "resend"). */
  notify(tx: TransactionRecord): number {
    const id = this.#nextId++;
    const body = this.bodyFor(tx);
    this.#track(this.#deliver(id, tx.identifier, body, 1, false));
    return id;
  }

  /** Sends a refund's IPN (on acceptance); keyed by the refunded transaction's id. */
  notifyRefund(refund: RefundRecord, source: TransactionRecord): number {
    const id = this.#nextId++;
    const body: RefundIpnBody = {
      transaction: {
        refundId: refund.identifier,
        state: refund.status,
        amount: Number(refund.amount),
        currency: refund.currency,
        metadata: refund.metadata,
        error: { message: '', code: '' },
      },
      sourceTransaction: { id: source.identifier, state: source.state },
    };
    this.#track(this.#deliver(id, source.identifier, body, 1, false));
    return id;
  }

  /** Resolves when no delivery is running or scheduled. */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  close(): void {
    this.#closed = true;
    for (const t of this.#timers.keys()) clearTimeout(t);
    this.#timers.clear();
    this.#inFlight = 0;
    this.#flushIdle();
  }

  reset(): void {
    for (const t of this.#timers.keys()) clearTimeout(t);
    this.#timers.clear();
    this.attempts.length = 0;
    this.#inFlight = 0;
    this.#flushIdle();
  }

  #track(p: Promise<void>): void {
    this.#inFlight++;
    void p.finally(() => {
      this.#inFlight = Math.max(0, this.#inFlight - 1);
      if (this.#inFlight === 0) this.#flushIdle();
    });
  }

  #flushIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  async #deliver(
    id: number,
    txid: string,
    body: IpnBody | RefundIpnBody,
    attempt: number,
    duplicate: boolean,
  ): Promise<void> {
    if (this.#closed) return;
    const ok = await this.#post(id, txid, body, attempt, duplicate);
    if (this.#closed) return;
    if (ok) {
      if (!duplicate) {
        for (let i = 0; i < this.settings.duplicates; i++) {
          await this.#post(id, txid, body, attempt + i + 1, true);
        }
      }
      return;
    }
    const delay = this.settings.schedule[attempt - 1];
    if (delay === undefined || duplicate) return; // schedule exhausted: Paydo gives up too
    await new Promise<void>((resolve) => {
      const fire = () => {
        clearTimeout(timer);
        this.#timers.delete(timer);
        resolve();
      };
      const timer = setTimeout(fire, delay);
      this.#timers.set(timer, { dueMs: this.#state.clock.nowMs() + delay, fire });
    });
    return this.#deliver(id, txid, body, attempt + 1, duplicate);
  }

  async #post(
    id: number,
    txid: string,
    body: IpnBody | RefundIpnBody,
    attempt: number,
    duplicate: boolean,
  ): Promise<boolean> {
    const url = this.settings.url ?? null;
    const started = Date.now();
    const record: IpnAttempt = {
      notificationId: id,
      txid,
      attempt,
      duplicate,
      url,
      at: new Date(this.#state.clock.nowMs()).toISOString(),
      statusCode: null,
      error: null,
      durationMs: 0,
      body,
    };
    if (!url) {
      record.error = 'No IPN URL is configured (--ipn-url).';
      this.#record(record);
      return false;
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'paydo-sandbox-ipn/1' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      record.statusCode = response.status;
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    record.durationMs = Date.now() - started;
    this.#record(record);
    return record.statusCode === 200;
  }
}
