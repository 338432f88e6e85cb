import { PaydoClient } from '../client/client.ts';
import { HOSTED_PAGE_LANGUAGES, type InvoiceLanguage } from '../client/schemas/invoices.ts';
import { PAYDO_IPN_SOURCE_ADDRESSES } from '../client/schemas/ipn.ts';
import type { Refund } from '../client/schemas/refunds.ts';
import type { Transaction } from '../client/schemas/transactions.ts';
import type { DeclineCode, IpnErrorCode } from '../error-catalogue.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { PaydoStore } from '../store/store.ts';
import { compileTrustProxy, normalizeIp, type TrustFn, type TrustProxy } from './client-address.ts';
import { CheckoutHttpError } from './http-error.ts';
import type { CheckoutLogger } from './logger.ts';
import { pluginOptionProblems } from './options-schema.ts';

/** The order as the merchant's own records have it. The browser never sets any of this. */
export interface PaydoOrder {
  /** Your order id; sent to Paydo as `order.id` and checked against every IPN. */
  id: string;
  /** Decimal text, e.g. "12.50": signed exactly as written. */
  amount: string;
  /** ISO 4217, e.g. "EUR". */
  currency: string;
  description?: string;
  items?: Record<string, unknown>[];
  /** Prefills the payer fields. */
  payer?: { email?: string; name?: string; phone?: string };
  /**
   * The order's language for Paydo's hosted page (`en` when left out): one of `en ru es it pt de fr
   * sv fi tr pl nl`, the languages Paydo's page speaks. The widget sends the payer's own, which wins.
   */
  language?: InvoiceLanguage;
  /** True when your records already say the order is paid. */
  paid?: boolean;
  /** Sent with the invoice; Paydo echoes it in the IPN. */
  metadata?: Record<string, unknown>;
}

/** A verified payment result, given to `onPaymentUpdate` once per transaction and state. */
export interface PaymentUpdate {
  orderRef: string;
  orderId: string;
  invoiceId: string;
  txid: string;
  /** Paydo transaction state: 2 accepted; 3, 5, 15 failed. */
  state: number;
  /**
   * `paid`: the order is paid by this transaction. `failed`: this attempt failed.
   * `duplicate`: an accepted transaction for an order another transaction
   * (`duplicateOf`) already paid — never mark the order paid again; with
   * `refundDuplicateCharges` (default) it has been refunded in full (`refundId`).
   */
  status: 'paid' | 'failed' | 'duplicate';
  /** For `status: 'duplicate'`: the transaction that paid the order first. */
  duplicateOf?: string;
  /** For `status: 'duplicate'`: Paydo's id of the full refund the kit made, or null when it made none. */
  refundId?: string | null;
  /**
   * For `status: 'duplicate'`: why Paydo refused the kit's refund (e.g. the charge was already
   * refunded by hand). Then `refundId` is null: check the charge and refund it yourself.
   */
  refundError?: string;
  amount: string;
  currency: string;
  /** Why it failed, in Paydo's words, verbatim (for you and your logs; never show it to the payer). */
  errorMessage: string | null;
  /**
   * `status: 'failed'`: why, as a code of the error catalogue (docs/errors.md) recognised from
   * Paydo's words (`insufficient_funds`, `three_d_secure_failed`, …; `payment_declined` when
   * they say nothing the kit knows). The payer saw this code's message. Null otherwise.
   */
  errorCode: DeclineCode | null;
  /** What told the kit: the IPN, a status check while the payer waited, or the kit's own sweep. */
  source: 'ipn' | 'status-check' | 'reconciliation';
  transaction: Transaction;
  /**
   * The OpenTelemetry trace this result was applied in (pay's, a poll's, the IPN's — linked to the
   * payment's — or the sweep's), when a provider records it: keep it with the order to find the trace.
   */
  traceId?: string | undefined;
}

/** A refund Paydo confirmed, given to `onRefundUpdate` once per refund and status. */
export interface RefundUpdate {
  orderRef: string;
  invoiceId: string;
  /** The refunded transaction. */
  txid: string;
  refundId: string;
  /** Paydo's refund status (1 waiting for acceptance, 2 accepted in the examples). */
  status: number;
  /** `status === 2`: the money went back to the payer. */
  accepted: boolean;
  /** In the transaction's currency, as Paydo's refund lookup gives it. */
  amount: string;
  currency: string;
  refund: Refund;
}

export type IpnOutcome = 'applied' | 'duplicate' | 'ignored' | 'rejected' | 'failed';

/** One IPN as the receiver handled it (for an audit trail, e.g. an admin page). */
export interface IpnRecord {
  at: Date;
  outcome: IpnOutcome;
  /** Why it was rejected, ignored or failed. */
  reason: string | null;
  /** The code of the route's error answer (docs/errors.md), null when it answered 200. */
  code: IpnErrorCode | null;
  sourceIp: string;
  /** A payment IPN, or a refund IPN (then `refundId` is set and `txid` is the refunded transaction). */
  kind: 'payment' | 'refund';
  refundId: string | null;
  txid: string | null;
  invoiceId: string | null;
  orderRef: string | null;
  /** The state the IPN claimed, and the state Paydo confirmed. */
  claimedState: number | null;
  verifiedState: number | null;
}

/** What the rate limits need of a Redis client (a Lua command of their own): an `ioredis` instance has it. */
export interface RateLimitRedis {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
}

export interface RateLimitWindow {
  max: number;
  timeWindowMs: number;
}

/**
 * The checkout's options, whichever framework serves it. `R` is the framework's request, handed
 * to `resolveOrder` as it is (a Fastify request in the plugin).
 */
export interface PaydoPluginOptions<R = any> {
  /** Where the routes are mounted. Default `/paydo`. */
  prefix?: string;
  publicKey: string;
  /** Signs invoices. Never sent to the browser. */
  secretKey: string;
  /** Needed to confirm IPNs and payment results with Paydo. Never sent to the browser. */
  jwt: string;
  projectId?: string | undefined;
  /** Paydo's API (default `https://paydo.com/v1`), or the sandbox's `/v1`. */
  baseUrl?: string | undefined;
  /** Your own client instance (its keys are then used). */
  client?: PaydoClient | undefined;
  /**
   * Looks the order up in your records; `null` when there is no such order. `request` is the
   * request that asked (a payer's, or Paydo's IPN), and `null` when the kit asks on its own
   * (reconciliation): do not make the answer depend on it.
   */
  resolveOrder: (orderRef: string, request: R | null) => Promise<PaydoOrder | null>;
  /**
   * Applies a verified result to your order. Called once per transaction and
   * state; throw to have it retried (the IPN answers 5xx and Paydo delivers again).
   */
  onPaymentUpdate: (update: PaymentUpdate) => Promise<void>;
  /**
   * A refund IPN confirmed with Paydo (a refund of one of this shop's
   * transactions waited for acceptance and was accepted, or changed status).
   * Called once per refund and status; throw to have it retried.
   */
  onRefundUpdate?: ((update: RefundUpdate) => Promise<void>) | undefined;
  /** The page with `<paydo-checkout>` for an order: where the payer comes back after 3-D Secure or a redirect. */
  checkoutPageUrl: (orderRef: string) => string;
  /** Default: in memory (lost on restart). Use `SqliteStore` for one machine. */
  store?: PaydoStore | undefined;
  /** Paydo's hosted payment page origin. Default `https://checkout.paydo.com`, or the sandbox's origin. */
  hostedPageOrigin?: string | undefined;
  /**
   * Addresses IPNs may come from. Default: every address Paydo's and Payop's pages publish
   * (`DOCUMENTED_IPN_SOURCES`), plus loopback when `baseUrl` is local.
   */
  ipnSourceAddresses?: readonly string[] | undefined;
  /**
   * The proxies in front of this server, whose `X-Forwarded-For` names the client (for the
   * IPN allowlist, the per-address rate limits and the payer address sent to Paydo): their
   * addresses or CIDRs (`['10.0.0.2']`, `'10.0.0.0/8'`, `'loopback'`), or a hop count when
   * nothing reaches the server around them. Default: none (the peer is the client). The
   * plugin does not follow the app's own `trustProxy`, and never trusts every peer.
   */
  trustProxy?: TrustProxy | undefined;
  /** Browser origins allowed to call the routes besides your own (CORS). */
  allowedOrigins?: readonly string[] | undefined;
  /** Origins a 3-D Secure or redirect URL may have besides `https:` ones (the sandbox's origin is added for you). */
  allowedRedirectOrigins?: readonly string[] | undefined;
  /** How long the method list is cached. Default 5 minutes. */
  methodsCacheTtlMs?: number | undefined;
  /** How long the widget waits between status polls. Default 5000 (Paydo advises 5–10 s). */
  pollIntervalMs?: number | undefined;
  /** How long one status answer serves all pollers of a transaction. Default 1000. */
  statusCacheMs?: number | undefined;
  /**
   * Rate limits. `perIp` and `perOrder` count payment attempts (card testing);
   * `perIpReads` counts order loads and status polls. `false` turns them off.
   */
  rateLimit?:
    | {
        perIp?: RateLimitWindow;
        perOrder?: RateLimitWindow;
        perIpReads?: RateLimitWindow;
        /**
         * An `ioredis` client: the counters live in Redis, shared by every
         * instance (without it each process counts alone). Create it with
         * `maxRetriesPerRequest: 1, enableOfflineQueue: false` so that a Redis
         * outage answers 503 at once instead of holding requests.
         */
        redis?: RateLimitRedis | undefined;
        /** Prefix of the Redis keys. Default `paydo-rate-limit:`. */
        redisPrefix?: string | undefined;
      }
    | false
    | undefined;
  /**
   * Where payers enter their card. `direct`: the widget's card fields, tokenized from your
   * server (Paydo enables this only for merchants with a PCI DSS certificate). `hosted`:
   * Paydo's own page for the card method (no card data touches your server). `auto`
   * (default): direct until Paydo answers that tokenization is not available, then hosted
   * for good (remembered in the store).
   */
  cardPayments?: 'auto' | 'direct' | 'hosted' | undefined;
  /** Largest accepted request body of the browser routes. Default 16 KiB. */
  bodyLimit?: number | undefined;
  /**
   * Largest accepted IPN body. Paydo echoes the invoice's metadata (up to 800 kB) in
   * every IPN, so this route alone takes more. Default 1 MiB.
   */
  ipnBodyLimit?: number | undefined;
  /**
   * How long one payment attempt holds its order's lock before another may take it,
   * should this process die. Renewed while the attempt is in flight. Default 60 s.
   */
  orderLockLeaseMs?: number | undefined;
  /**
   * How long a claim an instance makes (a payment attempt's Idempotency-Key, a
   * payment result being applied) stays with it, should it die, before another
   * instance takes over and resumes. Default 60 s.
   */
  claimLeaseMs?: number | undefined;
  /**
   * When a second accepted transaction arrives for an order that is already paid
   * (a payer who also paid in another tab), refund it in full through Paydo.
   * Default true. Either way `onPaymentUpdate` gets it with `status: 'duplicate'`.
   */
  refundDuplicateCharges?: boolean | undefined;
  /** Hears every IPN and what became of it. */
  onIpn?: ((record: IpnRecord) => void | Promise<void>) | undefined;
  /**
   * How often the kit asks Paydo by itself about the invoices it created that are not final
   * (and paid ones young enough to receive a second charge), so that a payment whose IPN never
   * arrives is still applied. One instance at a time sweeps (a lease in the store). Default
   * 5 minutes; `0` turns the timer off (`paydoCheckout.reconcile()` still runs a sweep).
   */
  reconcileIntervalMs?: number | undefined;
}

export interface ResolvedPluginOptions {
  prefix: string;
  reconcileIntervalMs: number;
  client: PaydoClient;
  ownsClient: boolean;
  store: PaydoStore;
  /** The merchant's `resolveOrder`, its answer checked (`orderProblem`); `log` hears a bad one. */
  resolveOrder: (orderRef: string, request: unknown, log: CheckoutLogger) => Promise<PaydoOrder | null>;
  onPaymentUpdate: PaydoPluginOptions['onPaymentUpdate'];
  onRefundUpdate: PaydoPluginOptions['onRefundUpdate'];
  checkoutPageUrl: PaydoPluginOptions['checkoutPageUrl'];
  hostedPageOrigin: string;
  ipnSourceAddresses: ReadonlySet<string>;
  trustProxy: TrustFn;
  allowedOrigins: readonly string[];
  allowedRedirectOrigins: ReadonlySet<string>;
  methodsCacheTtlMs: number;
  pollIntervalMs: number;
  statusCacheMs: number;
  rateLimit:
    | {
        perIp: RateLimitWindow;
        perOrder: RateLimitWindow;
        perIpReads: RateLimitWindow;
        redis: RateLimitRedis | undefined;
        redisPrefix: string;
      }
    | false;
  cardPayments: 'auto' | 'direct' | 'hosted';
  bodyLimit: number;
  ipnBodyLimit: number;
  orderLockLeaseMs: number;
  claimLeaseMs: number;
  refundDuplicateCharges: boolean;
  onIpn: PaydoPluginOptions['onIpn'];
}

const NAME = '@paydo-checkout/server-kit';
const LOOPBACK = ['127.0.0.1', '::1'];

/** Validates the options at registration (`PluginOptionsSchema`): one TypeError listing every problem. */
export function resolvePluginOptions(options: PaydoPluginOptions): ResolvedPluginOptions {
  const o = options ?? ({} as PaydoPluginOptions);
  const problems = pluginOptionProblems(o);
  const invalid = () => new TypeError(`${NAME}: invalid options: ${problems.join('; ')}.`);
  if (problems.length) throw invalid();

  const prefix = o.prefix ?? '/paydo';
  const methodsCacheTtlMs = o.methodsCacheTtlMs ?? 300_000;
  const pollIntervalMs = o.pollIntervalMs ?? 5_000;
  const statusCacheMs = o.statusCacheMs ?? 1_000;
  const bodyLimit = o.bodyLimit ?? 16_384;
  const ipnBodyLimit = o.ipnBodyLimit ?? 1_048_576;
  const orderLockLeaseMs = o.orderLockLeaseMs ?? 60_000;
  const claimLeaseMs = o.claimLeaseMs ?? 60_000;
  const allowedOrigins = (o.allowedOrigins ?? []).map((value) => new URL(value).origin);
  const allowedRedirectOrigins = new Set((o.allowedRedirectOrigins ?? []).map((value) => new URL(value).origin));
  const trustProxy: TrustFn = compileTrustProxy(o.trustProxy);

  let client: PaydoClient | undefined = o.client;
  if (!client) {
    try {
      client = new PaydoClient({
        publicKey: o.publicKey,
        secretKey: o.secretKey,
        jwt: o.jwt,
        projectId: o.projectId,
        baseUrl: o.baseUrl,
      });
    } catch (error) {
      problems.push((error as Error).message.replace(/^paydo-checkout: invalid client options: /, ''));
    }
  }
  if (problems.length || !client) throw invalid();

  const api = new URL(client.baseUrl);
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(api.hostname);
  // The sandbox serves its 3-D Secure, wallet and hosted pages on its own origin.
  if (api.protocol === 'http:') allowedRedirectOrigins.add(api.origin);
  const ipn = new Set((o.ipnSourceAddresses ?? PAYDO_IPN_SOURCE_ADDRESSES).map(normalizeIp));
  if (local && o.ipnSourceAddresses === undefined) for (const a of LOOPBACK) ipn.add(a);
  const defaultRate = {
    perIp: { max: 10, timeWindowMs: 60_000 },
    perOrder: { max: 20, timeWindowMs: 600_000 },
    // A widget polls every 5 s; a few tabs behind one address stay well inside this.
    perIpReads: { max: 120, timeWindowMs: 60_000 },
  };

  return {
    prefix,
    reconcileIntervalMs: o.reconcileIntervalMs ?? 300_000,
    client,
    ownsClient: !o.client,
    store: o.store ?? new MemoryStore(),
    resolveOrder: checkedResolveOrder(o.resolveOrder),
    onPaymentUpdate: o.onPaymentUpdate,
    onRefundUpdate: o.onRefundUpdate,
    checkoutPageUrl: o.checkoutPageUrl,
    hostedPageOrigin: new URL(
      o.hostedPageOrigin ??
        (api.hostname.endsWith('paydo.com') || api.hostname.endsWith('payop.com')
          ? 'https://checkout.paydo.com'
          : api.origin),
    ).origin,
    ipnSourceAddresses: ipn,
    trustProxy,
    allowedOrigins,
    allowedRedirectOrigins,
    methodsCacheTtlMs,
    pollIntervalMs,
    statusCacheMs,
    rateLimit:
      o.rateLimit === false
        ? false
        : { ...defaultRate, redis: undefined, redisPrefix: 'paydo-rate-limit:', ...definedOnly(o.rateLimit ?? {}) },
    cardPayments: o.cardPayments ?? 'auto',
    bodyLimit,
    ipnBodyLimit,
    orderLockLeaseMs,
    claimLeaseMs,
    refundDuplicateCharges: o.refundDuplicateCharges ?? true,
    onIpn: o.onIpn,
  };
}

/**
 * Checks what the merchant's `resolveOrder` returns, every time: a mistake there (a number
 * amount, "eur") would otherwise surface as a confusing shopper error or a wrong charge. The
 * merchant gets one log line naming the field and the fix; the shopper a neutral message.
 */
function checkedResolveOrder(resolve: PaydoPluginOptions['resolveOrder']): ResolvedPluginOptions['resolveOrder'] {
  return async (orderRef, request, log) => {
    const order = await resolve(orderRef, request);
    if (order === null || order === undefined) return null;
    const problem = orderProblem(order);
    if (problem) {
      log.error(`${NAME}: resolveOrder("${orderRef}") returned ${problem}`);
      throw new CheckoutHttpError('order_invalid', 'This order cannot be paid right now. Please contact the shop.');
    }
    return order;
  };
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** What is wrong with a resolved order and how to fix it, or null. */
export function orderProblem(order: PaydoOrder): string | null {
  const o = order as unknown as Record<string, unknown>;
  if (typeof o !== 'object') return `${JSON.stringify(order)}: return an order object or null`;
  if (typeof o.id !== 'string' || !o.id) return `id ${JSON.stringify(o.id)}: give your order id as a non-empty string`;
  if (typeof o.amount !== 'string' || !/^\d+(\.\d{1,8})?$/.test(o.amount) || !(Number(o.amount) > 0)) {
    return `amount ${JSON.stringify(o.amount)} (${typeof o.amount}): give it as decimal text above zero, e.g. "19.90"`;
  }
  if (typeof o.currency !== 'string' || !/^[A-Z]{3}$/.test(o.currency) || !CURRENCIES.has(o.currency)) {
    const upper = typeof o.currency === 'string' ? o.currency.toUpperCase() : '';
    const hint = CURRENCIES.has(upper) ? `, e.g. "${upper}"` : ', e.g. "EUR"';
    return `currency ${JSON.stringify(o.currency)}: give an ISO 4217 code in capitals${hint}`;
  }
  if (o.language !== undefined && !(HOSTED_PAGE_LANGUAGES as readonly unknown[]).includes(o.language)) {
    return `language ${JSON.stringify(o.language)}: give one of ${HOSTED_PAGE_LANGUAGES.join(', ')} (lowercase), or leave it out`;
  }
  if (o.description !== undefined && typeof o.description !== 'string') {
    return `description ${JSON.stringify(o.description)}: give text, or leave it out`;
  }
  return null;
}

/** Drops `undefined` members, so that `{ perIp: undefined }` keeps the default. */
function definedOnly<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
