import type { PaymentMethod } from '../client/schemas/payment-methods.ts';
import type { TransactionStatus } from '../client/schemas/transactions.ts';
import type { StoredResponse } from '../store/store.ts';
import type { ResolvedPluginOptions } from './options.ts';
import { SingleFlight } from './single-flight.ts';

/** What the routes share: options, caches, and attempts running in this process. */
export interface PluginContext {
  options: ResolvedPluginOptions;
  /** The method list, one upstream call per TTL however many checkouts load. */
  methods: () => Promise<PaymentMethod[]>;
  /** Status checks coalesced per txid. */
  statuses: SingleFlight<TransactionStatus>;
  /**
   * Per order: which transaction each of its invoices has at Paydo (txid → invoice id),
   * read once per few seconds however many unknown txids are asked about.
   */
  invoiceTransactions: SingleFlight<{ byTxid: Map<string, string>; readAt: number }>;
  /** `orderRef txid` → when a txid no invoice of the order had was first asked about. */
  unknownTxids: Map<string, number>;
  /** Pay attempts running here, by Idempotency-Key: concurrent twins wait for the first. */
  inFlight: Map<string, Promise<StoredResponse>>;
  /**
   * txid → its order and invoice, as saved in the store. A transaction's binding never changes once
   * saved, so polls of a known transaction do not ask the store again (bounded; oldest dropped).
   */
  transactionBindings: Map<string, { orderRef: string; invoiceId: string }>;
  /**
   * `invoiceId txid state` → order, for results applied (or found applied) here. Applied stays
   * applied, and an invoice's order and a transaction's invoice never change, so a repeat IPN of
   * one of these is answered without the store (bounded; oldest dropped).
   */
  appliedResults: Map<string, string>;
  /** `auto` card mode as last read from the store (hosted is for good; direct is read again after a few seconds). */
  cardModeSeen: { hosted: boolean; readAt: number } | null;
}

export function createContext(options: ResolvedPluginOptions): PluginContext {
  const methodsFlight = new SingleFlight<PaymentMethod[]>(options.methodsCacheTtlMs);
  return {
    options,
    methods: () => methodsFlight.run('methods', () => options.client.paymentMethods.listAvailable()),
    // A form (3-D Secure, redirect) is never reused: the payer may complete it any second.
    statuses: new SingleFlight<TransactionStatus>(options.statusCacheMs, {
      cacheable: (status) => status.form === null,
    }),
    // One read per poll interval: a payer back from Paydo's page waits at most one poll.
    invoiceTransactions: new SingleFlight<{ byTxid: Map<string, string>; readAt: number }>(
      Math.min(5_000, options.pollIntervalMs),
    ),
    unknownTxids: new Map(),
    inFlight: new Map(),
    cardModeSeen: null,
    transactionBindings: new Map(),
    appliedResults: new Map(),
  };
}

/** Adds to one of the context's bounded maps: past `max` entries, the oldest goes. */
export function remember<V>(map: Map<string, V>, key: string, value: V, max = 10_000): void {
  if (map.size >= max && !map.has(key)) map.delete(map.keys().next().value as string);
  map.set(key, value);
}
