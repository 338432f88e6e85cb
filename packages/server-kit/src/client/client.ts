import { Agent, type Dispatcher } from 'undici';
import { z } from 'zod';
import { type FieldErrors, PaydoNotFoundError, PaydoUnexpectedResponseError, PaydoValidationError } from '../errors.ts';
import { signInvoice } from '../signature.ts';
import { type CallOptions, type PaydoAnswer, parseAnswer, RequestSender } from './request-sender.ts';
import { defaultRetryPolicy, type RetryPolicy } from './retry.ts';
import { CardToken, CreateCardTokenParams } from './schemas/card-tokens.ts';
import { CreateInvoiceParams, Invoice } from './schemas/invoices.ts';
import { PaymentMethodList } from './schemas/payment-methods.ts';
import { CreateRefundParams, Refund, RefundList } from './schemas/refunds.ts';
import {
  CheckoutTransactionResult,
  CreateCheckoutTransactionParams,
  Transaction,
  TransactionStatus,
} from './schemas/transactions.ts';

export const PAYDO_BASE_URL = 'https://paydo.com/v1';

export interface PaydoClientOptions {
  /** `application-<uuid>` from the Paydo account. */
  publicKey: string;
  /** Signs invoices. Never leaves the server. */
  secretKey: string;
  /** Bearer token for the calls that need it (methods, transactions, refunds). Never leaves the server. */
  jwt?: string | undefined;
  /** Defaults to the public key without its `application-` prefix. */
  projectId?: string | undefined;
  /** `https://paydo.com/v1` unless you point it at the emulator. */
  baseUrl?: string | undefined;
  /** Your own undici dispatcher (a MockAgent in tests). Default: a keep-alive Agent. */
  dispatcher?: Dispatcher | undefined;
  connectTimeoutMs?: number | undefined;
  headersTimeoutMs?: number | undefined;
  bodyTimeoutMs?: number | undefined;
  /** Retries of safe calls; `false` turns them off. */
  retry?: Partial<RetryPolicy> | false | undefined;
  /**
   * Which "get transaction" endpoint `transactions.retrieve` calls: `v1` (`GET /v1/transactions/{id}`,
   * Paydo's pages; the default) or `v2` (`GET /v2/transactions/{id}`, the only one on Payop's current
   * page). Both answer the same object. `v2` needs a `baseUrl` ending in `/v1` (the v2 URL is derived from it).
   */
  transactionLookup?: 'v1' | 'v2' | undefined;
}

export interface CreatedInvoice {
  invoiceId: string;
  /** The signature that was sent, for your audit log (it is not secret). */
  signature: string;
}

export interface CreatedRefund {
  refundId: string;
}

/**
 * Paydo's server-to-server API, typed. Usable without Fastify.
 *
 * ```ts
 * const paydo = new PaydoClient({ publicKey, secretKey, jwt });
 * const { invoiceId } = await paydo.invoices.create({ ... });
 * ```
 */
export class PaydoClient {
  readonly projectId: string;
  readonly baseUrl: string;
  readonly #publicKey: string;
  readonly #secretKey: string;
  readonly #sender: RequestSender;
  readonly #ownedDispatcher: Agent | undefined;
  /** Set when `transactionLookup` is `v2`: the API root of `GET /v2/transactions/{id}`. */
  readonly #v2BaseUrl: string | undefined;

  constructor(options: PaydoClientOptions) {
    const o = validateClientOptions(options);
    this.#publicKey = o.publicKey;
    this.#secretKey = o.secretKey;
    this.projectId = o.projectId ?? o.publicKey.replace(/^application-/, '');
    this.baseUrl = (o.baseUrl ?? PAYDO_BASE_URL).replace(/\/+$/, '');
    this.#v2BaseUrl = o.transactionLookup === 'v2' ? this.baseUrl.replace(/\/v1$/, '/v2') : undefined;
    this.#ownedDispatcher = o.dispatcher
      ? undefined
      : new Agent({
          connect: { timeout: o.connectTimeoutMs ?? 5_000 },
          keepAliveTimeout: 10_000,
          connections: 32,
        });
    this.#sender = new RequestSender({
      baseUrl: this.baseUrl,
      dispatcher: o.dispatcher ?? (this.#ownedDispatcher as Agent),
      jwt: o.jwt,
      headersTimeoutMs: o.headersTimeoutMs ?? 20_000,
      bodyTimeoutMs: o.bodyTimeoutMs ?? 20_000,
      retry: o.retry === false ? { ...defaultRetryPolicy, maxRetries: 0 } : { ...defaultRetryPolicy, ...o.retry },
      userAgent: 'paydo-checkout-server-kit/0.1',
      secrets: [o.secretKey, ...(o.jwt ? [o.jwt] : [])],
    });
  }

  /** Closes the client's own connection pool (not a dispatcher you passed in). */
  async close(): Promise<void> {
    await this.#ownedDispatcher?.close();
  }

  readonly paymentMethods = {
    /** The project's available payment methods (needs the JWT). */
    listAvailable: async (options: CallOptions = {}) => {
      const answer = await this.#sender.send({
        method: 'GET',
        path: `/instrument-settings/payment-methods/available-for-application/${encodeURIComponent(this.projectId)}`,
        auth: true,
        ...options,
      });
      return parseAnswer(PaymentMethodList, answer.data, 'payment methods');
    },
  };

  readonly invoices = {
    /** Creates a signed invoice. Not retried: a repeat would create a second invoice. */
    create: async (params: z.input<typeof CreateInvoiceParams>, options: CallOptions = {}): Promise<CreatedInvoice> => {
      const p = validateParams(CreateInvoiceParams, params);
      const signature = signInvoice(p.order.amount, p.order.currency, p.order.id, this.#secretKey);
      const answer = await this.#sender.send({
        method: 'POST',
        path: '/invoices/create',
        body: { publicKey: this.#publicKey, ...p, signature },
        ...options,
      });
      return { invoiceId: createdId(answer, 'invoice creation'), signature };
    },
    retrieve: async (invoiceId: string, options: CallOptions = {}) => {
      const answer = await this.#sender.send({ method: 'GET', path: `/invoices/${encodeId(invoiceId)}`, ...options });
      return parseAnswer(Invoice, answer.data, 'get invoice');
    },
  };

  readonly cardTokens = {
    /** Tokenizes card data for one invoice. The card data is not kept anywhere. */
    create: async (params: z.input<typeof CreateCardTokenParams>, options: CallOptions = {}) => {
      const p = validateParams(CreateCardTokenParams, params);
      const answer = await this.#sender.send({
        method: 'POST',
        path: '/payment-tools/card-token/create',
        body: p,
        ...options,
      });
      return parseAnswer(CardToken, answer.data, 'card token creation');
    },
  };

  readonly transactions = {
    /** Creates the checkout transaction for an invoice. Never retried after it was sent. */
    create: async (params: z.input<typeof CreateCheckoutTransactionParams>, options: CallOptions = {}) => {
      const p = validateParams(CreateCheckoutTransactionParams, params);
      const answer = await this.#sender.send({ method: 'POST', path: '/checkout/create', body: p, ...options });
      const result = parseAnswer(CheckoutTransactionResult, answer.data, 'checkout transaction creation');
      return { ...result, txid: answer.identifier ?? result.txid ?? null };
    },
    /** What to do next for a transaction: form to submit, wait, or final url. */
    checkStatus: async (txid: string, options: CallOptions = {}) => {
      const answer = await this.#sender.send({
        method: 'GET',
        path: `/checkout/check-transaction-status/${encodeId(txid)}`,
        ...options,
      });
      return parseAnswer(TransactionStatus, answer.data, 'check transaction status');
    },
    /** The same decision keyed by invoice. */
    checkInvoiceStatus: async (invoiceId: string, options: CallOptions = {}) => {
      const answer = await this.#sender.send({
        method: 'GET',
        path: `/checkout/check-invoice-status/${encodeId(invoiceId)}`,
        ...options,
      });
      return parseAnswer(TransactionStatus, answer.data, 'check invoice status');
    },
    /** The transaction with its state and amounts (needs the JWT). The authority an IPN is checked against. */
    retrieve: async (txid: string, options: CallOptions = {}) => {
      const answer = await this.#sender.send({
        method: 'GET',
        path: `/transactions/${encodeId(txid)}`,
        ...(this.#v2BaseUrl && { baseUrl: this.#v2BaseUrl }),
        auth: true,
        ...options,
      });
      return parseAnswer(Transaction, answer.data, 'get transaction');
    },
    /** Several transactions by id (`transactions/filter`, needs the JWT); unknown ids are simply absent. */
    filter: async (txids: readonly string[], options: CallOptions = {}) => {
      if (txids.length === 0) return [];
      const ids = txids.map((id) => encodeId(id)).join(',');
      const answer = await this.#sender.send({
        method: 'GET',
        path: `/transactions/filter?query[identifiers]=${ids}`,
        auth: true,
        ...options,
      });
      return parseAnswer(z.array(Transaction), answer.data, 'filter transactions');
    },
    /**
     * Cancels the invoice's pending transaction (`checkout/void`), so the payer can
     * start again on a fresh invoice. Not retried.
     */
    void: async (invoiceIdentifier: string, options: CallOptions = {}) => {
      encodeId(invoiceIdentifier);
      const answer = await this.#sender.send({
        method: 'POST',
        path: '/checkout/void',
        body: { invoiceIdentifier },
        ...options,
      });
      return parseAnswer(CheckoutTransactionResult, answer.data, 'void transaction');
    },
  };

  readonly refunds = {
    /** Full (1) or partial (2) refund in the transaction's currency (needs the JWT). */
    create: async (params: z.input<typeof CreateRefundParams>, options: CallOptions = {}): Promise<CreatedRefund> => {
      const p = validateParams(CreateRefundParams, params);
      const answer = await this.#sender.send({
        method: 'POST',
        path: '/refunds/create',
        body: p,
        auth: true,
        ...options,
      });
      return { refundId: createdId(answer, 'refund creation') };
    },
    /** The refund, or null when Paydo knows none by that id (an empty list, or its 422 "Transaction not found"). */
    retrieve: async (refundId: string, options: CallOptions = {}) => {
      let answer: PaydoAnswer;
      try {
        answer = await this.#sender.send({
          method: 'GET',
          path: `/refunds/user-refunds?query[identifier]=${encodeURIComponent(refundId)}`,
          auth: true,
          ...options,
        });
      } catch (error) {
        if (error instanceof PaydoNotFoundError) return null;
        throw error;
      }
      // One refund comes as a list of one (or the object itself on older answers).
      const list = parseAnswer(RefundList.or(Refund.transform((r) => [r])), answer.data, 'get refund');
      return list.find((r) => r.identifier === refundId) ?? null;
    },
    list: async (options: CallOptions = {}) => {
      const answer = await this.#sender.send({ method: 'GET', path: '/refunds/user-refunds', auth: true, ...options });
      return parseAnswer(RefundList, answer.data, 'list refunds');
    },
  };
}

function encodeId(id: string): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) {
    throw new PaydoValidationError(
      'The id must be a non-empty string.',
      { id: ['must be a non-empty string'] },
      {
        requestSent: false,
      },
    );
  }
  return encodeURIComponent(id);
}

/**
 * The `identifier` header first; then an `identifier` beside `data` (Paydo's
 * createRefund example) or a string `data` (invoice creation).
 */
function createdId(answer: PaydoAnswer, what: string): string {
  if (answer.identifier) return answer.identifier;
  if (answer.bodyIdentifier) return answer.bodyIdentifier;
  if (typeof answer.data === 'string' && answer.data !== '') return answer.data;
  throw new PaydoUnexpectedResponseError(
    `Paydo's answer to ${what} has no id (no identifier header, empty data).`,
    'identifier',
    { statusCode: answer.statusCode },
  );
}

/** Checks a call's params before anything is sent; never echoes the values. */
export function validateParams<S extends z.ZodType>(schema: S, params: unknown): z.output<S> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.') || '(root)';
    fields[key] = [...(fields[key] ?? []), issue.message];
  }
  const summary = Object.entries(fields)
    .map(([f, m]) => `${f} ${m.join(', ')}`)
    .join('; ');
  throw new PaydoValidationError(`Invalid parameters: ${summary}.`, fields, { requestSent: false });
}

function validateClientOptions(options: PaydoClientOptions): PaydoClientOptions {
  const problems: string[] = [];
  if (!options || typeof options !== 'object') throw new TypeError('paydo-checkout: client options are required.');
  if (typeof options.publicKey !== 'string' || !/^application-[\w-]+$/.test(options.publicKey)) {
    problems.push('`publicKey` must look like "application-<uuid>"');
  }
  if (typeof options.secretKey !== 'string' || options.secretKey.length === 0) {
    problems.push('`secretKey` is required');
  }
  if (options.jwt !== undefined && (typeof options.jwt !== 'string' || options.jwt.length === 0)) {
    problems.push('`jwt` must be a non-empty string when given');
  }
  if (options.baseUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(options.baseUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      problems.push('`baseUrl` must be an http(s) URL such as https://paydo.com/v1');
    }
  }
  if (options.transactionLookup !== undefined && options.transactionLookup !== 'v1') {
    if (options.transactionLookup !== 'v2') problems.push('`transactionLookup` must be "v1" or "v2"');
    else if (!/\/v1\/*$/.test(options.baseUrl ?? PAYDO_BASE_URL)) {
      problems.push('`transactionLookup: "v2"` needs a `baseUrl` ending in /v1 (the v2 URL is derived from it)');
    }
  }
  for (const key of ['connectTimeoutMs', 'headersTimeoutMs', 'bodyTimeoutMs'] as const) {
    const v = options[key];
    if (v !== undefined && (!Number.isFinite(v) || v <= 0)) problems.push(`\`${key}\` must be a positive number`);
  }
  if (problems.length) throw new TypeError(`paydo-checkout: invalid client options: ${problems.join('; ')}.`);
  return options;
}
