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

const now = () => Math.floor(Date.now() / 1000);

export class SandboxState {
  readonly invoices = new Map<string, InvoiceRecord>();
  readonly cardTokens = new Map<string, CardTokenRecord>();
  readonly transactions = new Map<string, TransactionRecord>();
  readonly refunds = new Map<string, RefundRecord>();
  readonly #random: Random;
  readonly #listeners: StateChangeListener[] = [];
  readonly #timerListeners: (() => void)[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #retain: Pick<Retention, 'maxInvoices' | 'ttlMs'>;
  /** What hangs off each invoice, so forgetting the invoice forgets it all. */
  readonly #children = new Map<string, { tokens: string[]; txids: string[]; refunds: string[] }>();

  constructor(
    random: Random,
    retain: Pick<Retention, 'maxInvoices' | 'ttlMs'> = { maxInvoices: 10_000, ttlMs: 86_400_000 },
  ) {
    this.#random = random;
    this.#retain = retain;
  }

  #childrenOf(invoiceId: string) {
    let children = this.#children.get(invoiceId);
    if (!children) {
      children = { tokens: [], txids: [], refunds: [] };
      this.#children.set(invoiceId, children);
    }
    return children;
  }

  /** Forgets the oldest invoices beyond `maxInvoices` or older than `ttlMs` (Maps keep insertion order). */
  #evict(): void {
    const oldest = now() - this.#retain.ttlMs / 1000;
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
    invoice: Omit<InvoiceRecord, 'identifier' | 'createdAt' | 'updatedAt' | 'status' | 'transactionIdentifier'>,
  ) {
    const record: InvoiceRecord = {
      ...invoice,
      identifier: this.newId(),
      status: INVOICE_STATUS.new,
      createdAt: now(),
      updatedAt: null,
      transactionIdentifier: null,
    };
    this.invoices.set(record.identifier, record);
    this.#evict();
    return record;
  }

  addTransaction(
    tx: Omit<
      TransactionRecord,
      'identifier' | 'createdAt' | 'updatedAt' | 'refundedUnits' | 'history' | 'state' | 'error'
    >,
  ) {
    const at = now();
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
    tx.updatedAt = now();
    tx.history.push({ state, at: tx.updatedAt });
    if (FINAL_STATES.has(state)) tx.pendingAction = null;
    const invoice = this.invoices.get(tx.invoiceIdentifier);
    if (invoice && invoice.transactionIdentifier === tx.identifier) {
      invoice.status =
        state === TX_STATE.accepted
          ? INVOICE_STATUS.paid
          : FINAL_STATES.has(state)
            ? INVOICE_STATUS.failed
            : INVOICE_STATUS.pending;
      invoice.updatedAt = tx.updatedAt;
    }
    for (const listener of this.#listeners) listener(tx, previous);
  }

  /** Runs `fn` after `ms` unless the emulator is reset or closed first. */
  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
      for (const listener of this.#timerListeners) listener();
    }, ms);
    timer.unref?.();
    this.#timers.add(timer);
  }

  /** Called after each `later` callback ran (persistence.ts saves what it changed). */
  onTimer(listener: () => void): void {
    this.#timerListeners.push(listener);
  }

  /** Puts saved records back (persistence.ts), with what hangs off each invoice. */
  restore(saved: {
    invoices: InvoiceRecord[];
    cardTokens: CardTokenRecord[];
    transactions: TransactionRecord[];
    refunds: RefundRecord[];
  }): void {
    for (const invoice of saved.invoices) this.invoices.set(invoice.identifier, invoice);
    for (const token of saved.cardTokens) this.addCardToken(token);
    for (const tx of saved.transactions) {
      this.transactions.set(tx.identifier, tx);
      this.#childrenOf(tx.invoiceIdentifier).txids.push(tx.identifier);
    }
    for (const refund of saved.refunds) this.addRefund(refund);
  }

  clear(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.invoices.clear();
    this.#children.clear();
    this.cardTokens.clear();
    this.transactions.clear();
    this.refunds.clear();
  }
}
