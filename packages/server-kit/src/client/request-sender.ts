import { type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import {
  type FieldErrors,
  PaydoAbortedError,
  PaydoAuthenticationError,
  PaydoBusinessError,
  PaydoError,
  PaydoForbiddenError,
  PaydoNetworkError,
  PaydoNotFoundError,
  PaydoRequestError,
  PaydoTimeoutError,
  PaydoUnexpectedResponseError,
  PaydoUpstreamError,
  PaydoValidationError,
  redact,
} from '../errors.ts';
import { type PaydoCallTelemetry, paydoCallTelemetry } from '../telemetry.ts';
import { type RetryPolicy, withRetry } from './retry.ts';
import { ErrorEnvelope, SuccessEnvelope } from './schemas/common.ts';

/** Per-call options every client method takes. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** Overrides the client's `headersTimeoutMs` for this call. */
  timeoutMs?: number | undefined;
}

export interface SenderConfig {
  baseUrl: string;
  dispatcher: Dispatcher;
  jwt: string | undefined;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  retry: RetryPolicy;
  userAgent: string;
  /** Strings that must never appear in an error message. */
  secrets: string[];
}

export interface SendRequest extends CallOptions {
  method: 'GET' | 'POST';
  path: string;
  /** The path with its ids as `{name}` (`/invoices/{invoiceId}`): the span's `url.template`. */
  template: string;
  /** Another API root than the client's for this call (`/v2` endpoints). */
  baseUrl?: string | undefined;
  body?: unknown;
  /** Sends `Authorization: Bearer <JWT>`. */
  auth?: boolean;
}

export interface PaydoAnswer {
  statusCode: number;
  /** The `identifier` header, where Paydo puts the id of what it created. */
  identifier: string | undefined;
  /** An `identifier` beside `data` in the body (Paydo's createRefund example). */
  bodyIdentifier: string | undefined;
  data: unknown;
}

// System error codes that mean the connection was never made: nothing was sent.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** When Paydo last answered (any status below 500 but 429) and when a call last failed to get such an answer. */
export interface PaydoReachability {
  answeredAt: number | null;
  failedAt: number | null;
}

export class RequestSender {
  readonly #config: SenderConfig;
  readonly #telemetry: PaydoCallTelemetry = paydoCallTelemetry();
  readonly #urls = new Map<string, URL>();
  readonly reachability: PaydoReachability = { answeredAt: null, failedAt: null };

  constructor(config: SenderConfig) {
    this.#config = config;
  }

  send(req: SendRequest): Promise<PaydoAnswer> {
    return withRetry(this.#config.retry, { idempotent: req.method === 'GET', signal: req.signal }, () =>
      this.#sendTraced(req),
    );
  }

  /** One attempt, as its own CLIENT span (a retry is another span, as the HTTP conventions say). */
  #sendTraced(req: SendRequest): Promise<PaydoAnswer> {
    const base = req.baseUrl ?? this.#config.baseUrl;
    let url = this.#urls.get(base);
    if (!url) {
      url = new URL(base);
      this.#urls.set(base, url);
    }
    const template = url.pathname.replace(/\/+$/, '') + req.template;
    return this.#telemetry.call(req.method, template, url, async (done) => {
      try {
        const answer = await this.#sendOnce(req, done);
        this.reachability.answeredAt = Date.now();
        return answer;
      } catch (error) {
        const status = done.statusCode;
        if (status !== undefined && status < 500 && status !== 429) this.reachability.answeredAt = Date.now();
        else if (!(error instanceof PaydoAuthenticationError && status === undefined))
          this.reachability.failedAt = Date.now();
        throw error;
      }
    });
  }

  async #sendOnce(req: SendRequest, done: { statusCode?: number }): Promise<PaydoAnswer> {
    const config = this.#config;
    if (req.auth && !config.jwt) {
      throw new PaydoAuthenticationError('This call needs the JWT from your Paydo account: pass `jwt` to the client.', {
        requestSent: false,
      });
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': config.userAgent,
    };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    if (req.auth && config.jwt) headers.authorization = `Bearer ${config.jwt}`;

    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await request((req.baseUrl ?? config.baseUrl) + req.path, {
        method: req.method,
        headers,
        body: req.body === undefined ? null : JSON.stringify(req.body),
        dispatcher: config.dispatcher,
        headersTimeout: req.timeoutMs ?? config.headersTimeoutMs,
        bodyTimeout: config.bodyTimeoutMs,
        signal: req.signal ?? null,
      });
      text = await response.body.text();
    } catch (error) {
      throw this.#transportError(error, req.signal);
    }

    const statusCode = response.statusCode;
    done.statusCode = statusCode;
    const body = parseJson(text);
    const identifierHeader = response.headers.identifier;
    const identifier = Array.isArray(identifierHeader) ? identifierHeader[0] : identifierHeader;

    if (statusCode >= 200 && statusCode < 300) {
      const envelope = SuccessEnvelope.safeParse(body);
      if (!envelope.success) {
        throw new PaydoUnexpectedResponseError(
          `Paydo answered ${statusCode} ${req.method} ${req.path} without the {data} envelope.`,
          'data',
          { statusCode },
        );
      }
      return {
        statusCode,
        identifier: identifier || undefined,
        bodyIdentifier: envelope.data.identifier || undefined,
        data: envelope.data.data,
      };
    }
    throw this.#answerError(statusCode, body, response.headers['retry-after']);
  }

  #answerError(statusCode: number, body: unknown, retryAfter: unknown): PaydoError {
    const clean = (s: string) => redact(s, this.#config.secrets);
    const envelope = ErrorEnvelope.safeParse(body);
    const message = envelope.success ? envelope.data.message : undefined;
    const sentence =
      typeof message === 'string'
        ? clean(message)
        : message && 'message' in message && typeof message.message === 'string'
          ? clean(message.message)
          : undefined;
    const options = { statusCode };

    if (statusCode === 401) {
      return new PaydoAuthenticationError(
        sentence ?? 'Paydo refused the JWT: it is missing, wrong or expired.',
        options,
      );
    }
    if (statusCode === 403) return new PaydoForbiddenError(sentence ?? 'Access denied.', options);
    if (statusCode === 404) return new PaydoNotFoundError(sentence ?? 'Not found.', options);
    if (statusCode === 422) {
      if (message && typeof message === 'object' && !('message' in message && typeof message.message === 'string')) {
        const fields = fieldErrorsOf(message, clean);
        const summary = Object.entries(fields)
          .map(([f, m]) => `${f}: ${m.join(' ')}`)
          .join('; ');
        return new PaydoValidationError(`Paydo rejected the request: ${summary}`, fields, options);
      }
      if (sentence && /not found/i.test(sentence)) return new PaydoNotFoundError(sentence, options);
      return new PaydoBusinessError(sentence ?? 'Paydo refused the request.', options);
    }
    if (statusCode === 429 || statusCode >= 500) {
      const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
      return new PaydoUpstreamError(sentence ?? `Paydo is unavailable (HTTP ${statusCode}); try again later.`, {
        ...options,
        retryAfterMs: retryAfter != null && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined,
      });
    }
    return new PaydoRequestError(sentence ?? `Paydo refused the request (HTTP ${statusCode}).`, options);
  }

  #transportError(error: unknown, signal: AbortSignal | undefined): PaydoError {
    if (error instanceof PaydoError) return error;
    const code = (error as { code?: unknown }).code;
    if (signal?.aborted) {
      return new PaydoAbortedError('The call to Paydo was aborted.', { cause: error });
    }
    switch (code) {
      case 'UND_ERR_CONNECT_TIMEOUT':
        return new PaydoTimeoutError('connect', { cause: error });
      case 'UND_ERR_HEADERS_TIMEOUT':
        return new PaydoTimeoutError('headers', { cause: error });
      case 'UND_ERR_BODY_TIMEOUT':
        return new PaydoTimeoutError('body', { cause: error });
    }
    const notSent = typeof code === 'string' && NOT_SENT_CODES.has(code);
    return new PaydoNetworkError(`Could not reach Paydo (${typeof code === 'string' ? code : 'connection failed'}).`, {
      cause: error,
      requestSent: !notSent,
    });
  }
}

/**
 * A 422 field map, flat (`{"pan": ["…"]}`) or nested (`{"payer": {"email": ["…"]}}`,
 * lists of objects too), as dotted field paths → sentences.
 */
export function fieldErrorsOf(message: object, clean: (s: string) => string = (s) => s): FieldErrors {
  const fields: FieldErrors = {};
  const add = (path: string, sentence: string) => {
    const key = path || '(root)';
    fields[key] = [...(fields[key] ?? []), clean(sentence)];
  };
  const walk = (value: unknown, path: string, depth: number): void => {
    if (value == null) return;
    if (typeof value !== 'object') {
      add(path, String(value));
      return;
    }
    if (depth > 8) {
      add(path, JSON.stringify(value));
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, item !== null && typeof item === 'object' ? `${path}.${i}` : path, depth + 1);
      });
      return;
    }
    for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key, depth + 1);
  };
  walk(message, '', 0);
  return fields;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Parses an answer's `data`; a mismatch names the field it found wrong. */
export function parseAnswer<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.length ? issue.path.join('.') : '(root)';
  throw new PaydoUnexpectedResponseError(
    `Paydo's answer to ${what} is not what the kit relies on: field "${path}" ${issue?.message ?? 'is invalid'}.`,
    path,
  );
}
