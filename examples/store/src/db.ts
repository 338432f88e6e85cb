/**
 * The shop's own records (orders, the payment history it was told, IPN log,
 * refunds). Two implementations: SQLite in a file (zero-config, one process)
 * and PostgreSQL (DATABASE_URL, shared by several instances).
 */
export type OrderStatus = 'awaiting_payment' | 'paid' | 'payment_failed' | 'partially_refunded' | 'refunded';

export interface OrderLine {
  productId: string;
  name: string;
  price: string;
  quantity: number;
}

export interface Order {
  ref: string;
  number: number;
  lines: OrderLine[];
  amount: string;
  currency: string;
  email: string | null;
  status: OrderStatus;
  txid: string | null;
  invoiceId: string | null;
  /** The language the order was placed in (its pages default to it); null for older orders. */
  lang: string | null;
  /** How it was paid, from the confirmed transaction (for the receipt). */
  payment: { method: string | null; cardBrand: string | null; cardLast4: string | null };
  createdAt: string;
  updatedAt: string;
}

export interface IpnEntry {
  /** A payment IPN, or a refund's (then the states are the refund's). */
  kind: 'payment' | 'refund';
  at: string;
  outcome: string;
  reason: string | null;
  txid: string | null;
  claimedState: number | null;
  verifiedState: number | null;
  sourceIp: string;
}

export interface RefundEntry {
  refundId: string;
  orderRef: string;
  txid: string;
  amount: string;
  kind: 'full' | 'partial';
  status: string;
  createdAt: string;
}

export interface PaymentEvent {
  txid: string;
  state: number;
  status: string;
  source: string;
  message: string | null;
  at: string;
  /** The OpenTelemetry trace the result was applied in (when the store exports traces). */
  traceId: string | null;
}

/** A verified payment result, as the kit's `onPaymentUpdate` reports it. */
export interface PaymentApplied {
  txid: string;
  invoiceId: string;
  state: number;
  /** `duplicate`: a second charge for a paid order (recorded, never applied to the order). */
  status: 'paid' | 'failed' | 'duplicate';
  source: string;
  message: string | null;
  /** Method and card of a paid one, for the receipt. */
  payment?: Order['payment'] | undefined;
  /** The OpenTelemetry trace it was applied in, if any. */
  traceId?: string | null | undefined;
}

export interface StoreDb {
  createOrder(lines: OrderLine[], amount: string, currency: string, lang?: string): Promise<Order>;
  findOrder(ref: string): Promise<Order | null>;
  listOrders(): Promise<Order[]>;
  /**
   * Records a verified payment result and applies it to the order. A paid order
   * never goes back to failed (a late failure of another attempt must not undo a payment).
   */
  applyPayment(ref: string, update: PaymentApplied): Promise<void>;
  paymentEvents(ref: string): Promise<PaymentEvent[]>;
  logIpn(ref: string | null, entry: IpnEntry): Promise<void>;
  ipnLog(ref: string): Promise<IpnEntry[]>;
  /** Cents refunded or being refunded for the order. */
  refundedCents(ref: string): Promise<number>;
  /**
   * Holds `amount` of the order for a refund about to be asked of Paydo, if that
   * much is still refundable. The check and the hold are one transaction, so two
   * refunds at once (two tabs, two admins, two instances) cannot both pass.
   * Answers the hold's id, or null when the amount is no longer available.
   */
  reserveRefund(
    ref: string,
    txid: string,
    amount: string,
    kind: 'full' | 'partial',
    orderCents: number,
  ): Promise<string | null>;
  /** Paydo took the refund: the hold becomes the refund, and the order says how much is refunded. */
  confirmRefund(hold: string, refundId: string, orderCents: number): Promise<void>;
  /** Paydo refused or could not be reached: the held amount is refundable again. */
  cancelRefund(hold: string): Promise<void>;
  setRefundStatus(refundId: string, status: string): Promise<void>;
  refunds(ref: string): Promise<RefundEntry[]>;
  /** Back-office sessions (see sessions.ts): stored by the hash of their id, never the id itself. */
  createSession(session: AdminSessionRow): Promise<void>;
  findSession(idHash: string): Promise<AdminSessionRow | null>;
  touchSession(idHash: string, lastSeenAt: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Forgets sessions idle since before `lastSeenAt` (ms); answers how many. */
  deleteIdleSessions(lastSeenAt: number): Promise<number>;
  close(): Promise<void>;
}

export interface AdminSessionRow {
  /** SHA-256 of the session id (hex): a copy of the table opens no session. */
  idHash: string;
  /** HMAC of the id keyed with the admin password it was opened with: another password ends it. */
  tag: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  lastSeenAt: number;
}

/** Cents of a decimal amount string ("12.50" → 1250). */
export const amountCents = (amount: string): number => Math.round(Number(amount) * 100);
