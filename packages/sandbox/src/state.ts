import { SandboxClock } from './clock.ts';
import type { Retention } from './options.ts';
import type { Random } from './random.ts';
import type { CardScenario } from './test-data.ts';

/** Invoice status: 0 new, 1 paid, 2 overdue, 4 pending, 5 failed. */
export const INVOICE_STATUS = { new: 0, paid: 1, overdue: 2, pending: 4, failed: 5 } as const;
/** Transaction state: 1 new, 2 accepted, 3 failed, 4 pending, 5 failed (rejected), 15 timed out. */
export const TX_STATE = { new: 1, accepted: 2, failed: 3, pending: 4, rejected: 5, timedOut: 15 } as const;
export const FINAL_STATES: ReadonlySet<number> = new Set([2, 3, 5, 15]);

export interface PayerRecord {
  email: string;
  name?: string | undefined;
  phone?: string | undefined;
  extraFields?: Record<string, string> | undefined;
}

export interface InvoiceRecord {
  identifier: string;
  status: number;
  /** Exactly as sent (the signature covers this text). */
  amount: string;
  currency: string;
  orderId: string;
  description: string;
  items: unknown;
  payer: PayerRecord;
  language: string;
  resultUrl: string;
  failPath: string;
  productUrl: string | null;
  paymentMethod: number | null;
  metadata: unknown;
  createdAt: number;
  updatedAt: number | null;
  transactionIdentifier: string | null;
  /** When an unpaid invoice becomes overdue, in the emulator's time (ms since the epoch). */
  overdueAtMs: number;
}

/** What the emulator keeps of a card: never the full number or the CVV. */
export interface CardRecord {
  bin: string;
  lastDigits: string;
  brand: string;
  holderName: string;
  scenario: CardScenario;
}

export interface CardTokenRecord {
  token: string;
  invoiceIdentifier: string;
  expiresAt: number;
  used: boolean;
  card: CardRecord;
}

export type PendingAction = { kind: 'acs' | 'wallet'; fields: Record<string, string> } | null;

export interface TransactionRecord {
  identifier: string;
  invoiceIdentifier: string;
  state: number;
  error: { message: string; code: string } | null;
  amount: string;
  currency: string;
  paymentMethod: number;
  customer: PayerRecord & { ip?: string | undefined };
  card: CardRecord | null;
  /** An off-site step the payer has not completed yet (3-D Secure, wallet approval). */
  pendingAction: PendingAction;
  checkStatusUrl: string;
  createdAt: number;
  updatedAt: number;
  refundedUnits: bigint;
  /** Every state the transaction went through, oldest first. */
  history: { state: number; at: number }[];
}

export interface RefundRecord {
  identifier: string;
  transactionIdentifier: string;
  type: 1 | 2;
  status: number;
  amount: string;
  currency: string;
  metadata: unknown;
  createdAt: number;
  updatedAt: number | null;
}

export type StateChangeListener = (tx: TransactionRecord, previousState: number) => void;

/** An unpaid invoice is overdue after 24 hours (Payop's invoice page: status 2, "default expiration is 24 hours"). */
export const DEFAULT_INVOICE_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Why a transaction still waiting for the payer ends when its invoice becomes overdue. */
export const OVERDUE_ERROR = { message: 'Invoice is overdue: the payment was not completed in time', code: 'timeout' };

export class SandboxState {
  readonly invoices = new Map<string, InvoiceRecord>();
  readonly cardTokens = new Map<string, CardTokenRecord>();
  readonly transactions = new Map<string, TransactionRecord>();
  readonly refunds = new Map<string, RefundRecord>();
  readonly #random: Random;
  readonly #listeners: StateChangeListener[] = [];
  /** Delayed work (`later`), due at a time of the emulator's clock. */
  readonly #tasks = new Map<NodeJS.Timeout, { dueMs: number; fn: () => void }>();
  /** Invoices in the order they become overdue (creation order), with the next one to look at. */
  #dueQueue: string[] = [];
  #dueHead = 0;
  readonly clock: SandboxClock;
  readonly #invoiceLifetimeMs: number;
  readonly #retain: Pick<Retention, 'maxInvoices' | 'ttlMs'>;
  /** What hangs off each invoice, so forgetting the invoice forgets it all. */
  readonly #children = new Map<string, { tokens: string[]; txids: string[]; refunds: string[] }>();

  constructor(
    random: Random,
    retain: Pick<Retention, 'maxInvoices' | 'ttlMs'> = { maxInvoices: 10_000, ttlMs: 86_400_000 },
    time: { clock?: SandboxClock; invoiceLifetimeMs?: number } = {},
  ) {
    this.#random = random;
    this.#retain = retain;
    this.clock = time.clock ?? new SandboxClock();
    this.#invoiceLifetimeMs = time.invoiceLifetimeMs ?? DEFAULT_INVOICE_LIFETIME_MS;
    this.clock.onAdvance(() => {
      this.expireOverdue();
      this.#runDueTasks();
    });
  }

  /** The emulator's time in whole seconds (Paydo's timestamps). */
  now(): number {
    return this.clock.nowSeconds();
  }

  #childrenOf(invoiceId: string) {
    let children = this.#children.get(invoiceId);
    if (!children) {
      children = { tokens: [], txids: [], refunds: [] };
      this.#children.set(invoiceId, children);
    }
    return children;
  }

  /**
   * Forgets the oldest invoices beyond `maxInvoices` or older than `ttlMs` (Maps keep insertion order).
   * By the machine's clock, not the emulator's: retention bounds this process's memory, and an
   * invoice made overdue by `advanceClock` must still be there to answer as overdue.
   */
  #evict(): void {
    // Invoices made after the clock moved carry a later createdAt: they are kept a little longer.
    const oldest = Date.now() / 1000 - this.#retain.ttlMs / 1000;
    for (const invoice of this.invoices.values()) {
      if (this.invoices.size <= this.#retain.maxInvoices && invoice.createdAt >= oldest) break;
      this.invoices.delete(invoice.identifier);
      const children = this.#children.get(invoice.identifier);
      this.#children.delete(invoice.identifier);
      for (const token of children?.tokens ?? []) this.cardTokens.delete(token);
      for (const txid of children?.txids ?? []) this.transactions.delete(txid);
      for (const id of children?.refunds ?? []) this.refunds.delete(id);
    }
  }

  addCardToken(record: CardTokenRecord): void {
    this.cardTokens.set(record.token, record);
    this.#childrenOf(record.invoiceIdentifier).tokens.push(record.token);
  }

  addRefund(record: RefundRecord): void {
    this.refunds.set(record.identifier, record);
    const tx = this.transactions.get(record.transactionIdentifier);
    if (tx) this.#childrenOf(tx.invoiceIdentifier).refunds.push(record.identifier);
  }

  newId(): string {
    return this.#random.uuid();
  }

  onStateChange(listener: StateChangeListener): void {
    this.#listeners.push(listener);
  }

  addInvoice(
    invoice: Omit<
      InvoiceRecord,
      'identifier' | 'createdAt' | 'updatedAt' | 'status' | 'transactionIdentifier' | 'overdueAtMs'
    >,
  ) {
    const record: InvoiceRecord = {
      ...invoice,
      identifier: this.newId(),
      status: INVOICE_STATUS.new,
      createdAt: this.now(),
      updatedAt: null,
      transactionIdentifier: null,
      overdueAtMs: this.clock.nowMs() + this.#invoiceLifetimeMs,
    };
    this.invoices.set(record.identifier, record);
    this.#dueQueue.push(record.identifier);
    this.#evict();
    return record;
  }

  /** Whether the invoice can no longer be paid: overdue, or past its time and not paid. */
  isOverdue(invoice: InvoiceRecord): boolean {
    if (invoice.status === INVOICE_STATUS.overdue) return true;
    return invoice.status !== INVOICE_STATUS.paid && this.clock.nowMs() >= invoice.overdueAtMs;
  }

  /**
   * Makes every unpaid invoice past its lifetime overdue (status 2). A transaction of it still
   * waiting for the payer (the bank's 3-D Secure page, the wallet) times out (state 15); one with
   * the bank (pending without a payer's step) is left to finish. Cheap enough for every request:
   * only invoices that became due since the last call are looked at.
   */
  expireOverdue(): void {
    const nowMs = this.clock.nowMs();
    while (this.#dueHead < this.#dueQueue.length) {
      const id = this.#dueQueue[this.#dueHead] as string;
      const invoice = this.invoices.get(id);
      if (invoice && invoice.overdueAtMs > nowMs) break;
      this.#dueHead++;
      if (invoice) this.#makeOverdue(invoice);
    }
    if (this.#dueHead > 1024 && this.#dueHead * 2 > this.#dueQueue.length) {
      this.#dueQueue = this.#dueQueue.slice(this.#dueHead);
      this.#dueHead = 0;
    }
  }

  #makeOverdue(invoice: InvoiceRecord): void {
    const tx = invoice.transactionIdentifier ? this.transactions.get(invoice.transactionIdentifier) : undefined;
    if (invoice.status === INVOICE_STATUS.paid) return;
    if (invoice.status === INVOICE_STATUS.pending && !tx?.pendingAction) return;
    invoice.status = INVOICE_STATUS.overdue;
    invoice.updatedAt = this.now();
    if (tx && !FINAL_STATES.has(tx.state)) this.setState(tx, TX_STATE.timedOut, OVERDUE_ERROR);
  }

  addTransaction(
    tx: Omit<
      TransactionRecord,
      'identifier' | 'createdAt' | 'updatedAt' | 'refundedUnits' | 'history' | 'state' | 'error'
    >,
  ) {
    const at = this.now();
    const record: TransactionRecord = {
      ...tx,
      identifier: this.newId(),
      state: TX_STATE.new,
      error: null,
      createdAt: at,
      updatedAt: at,
      refundedUnits: 0n,
      history: [{ state: TX_STATE.new, at }],
    };
    this.transactions.set(record.identifier, record);
    this.#childrenOf(tx.invoiceIdentifier).txids.push(record.identifier);
    const invoice = this.invoices.get(tx.invoiceIdentifier);
    if (invoice) {
      invoice.transactionIdentifier = record.identifier;
      invoice.updatedAt = at;
    }
    return record;
  }

  /**
   * Moves a transaction to a new state and updates its invoice. Listeners
   * (the IPN delivery) hear about every change, including failed → accepted.
   */
  setState(tx: TransactionRecord, state: number, error: { message: string; code: string } | null = null): void {
    const previous = tx.state;
    if (previous === state && JSON.stringify(error) === JSON.stringify(tx.error)) return;
    tx.state = state;
    tx.error = state === TX_STATE.accepted ? null : error;
    tx.updatedAt = this.now();
    tx.history.push({ state, at: tx.updatedAt });
    if (FINAL_STATES.has(state)) tx.pendingAction = null;
    const invoice = this.invoices.get(tx.invoiceIdentifier);
    if (invoice && invoice.transactionIdentifier === tx.identifier) {
      invoice.status = this.#invoiceStatusAfter(invoice, state);
      invoice.updatedAt = tx.updatedAt;
    }
    for (const listener of this.#listeners) listener(tx, previous);
  }

  /**
   * Once overdue, only a payment that still went through changes the invoice; a payment that
   * fails after the invoice's time (it was with the bank then) leaves it overdue, not failed.
   */
  #invoiceStatusAfter(invoice: InvoiceRecord, state: number): number {
    if (state === TX_STATE.accepted) return INVOICE_STATUS.paid;
    if (invoice.status === INVOICE_STATUS.overdue) return INVOICE_STATUS.overdue;
    if (!FINAL_STATES.has(state)) return INVOICE_STATUS.pending;
    return this.clock.nowMs() >= invoice.overdueAtMs ? INVOICE_STATUS.overdue : INVOICE_STATUS.failed;
  }

  /**
   * Runs `fn` after `ms` of the emulator's time unless the emulator is reset or closed first:
   * on a timer, or at once when `advanceClock` moves past it.
   */
  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#tasks.delete(timer);
      fn();
    }, ms);
    timer.unref?.();
    this.#tasks.set(timer, { dueMs: this.clock.nowMs() + ms, fn });
  }

  #runDueTasks(): void {
    const nowMs = this.clock.nowMs();
    const due = [...this.#tasks].filter(([, task]) => task.dueMs <= nowMs).sort((a, b) => a[1].dueMs - b[1].dueMs);
    for (const [timer, task] of due) {
      clearTimeout(timer);
      this.#tasks.delete(timer);
      task.fn();
    }
  }

  clear(): void {
    for (const t of this.#tasks.keys()) clearTimeout(t);
    this.#tasks.clear();
    this.#dueQueue = [];
    this.#dueHead = 0;
    this.clock.reset();
    this.invoices.clear();
    this.#children.clear();
    this.cardTokens.clear();
    this.transactions.clear();
    this.refunds.clear();
  }
}
