import { isStoreUnavailable } from '../store/store.ts';
import { logIdsOf } from '../telemetry.ts';
import { CheckoutHttpError, internalError, storeUnavailable } from './http-error.ts';
import type { CheckoutLogger } from './logger.ts';
import { RateLimitedError } from './rate-limits.ts';

/**
 * What every adapter (Fastify, Express, fetch) answers besides the engine's own bodies, with no
 * framework in it: the error → {status, body} mapping, JSON-only bodies with their limits, CORS
 * for `allowedOrigins`, the foreign-origin refusal and the unknown route. One place, so the three
 * adapters answer byte for byte alike.
 */
export interface HttpAnswer {
  status: number;
  /** A JSON value, or JSON text already serialized (the checkout answer). */
  body: unknown;
  headers: Record<string, string>;
}

export const unsupportedMediaType = () =>
  new CheckoutHttpError('unsupported_media_type', 'Send JSON (Content-Type: application/json).');
export const bodyTooLarge = () =>
  new CheckoutHttpError('validation', 'The request body is too large.', { status: 413 });
export const invalidJson = () =>
  new CheckoutHttpError('validation', 'The request body is not valid JSON.', { status: 400 });
export const routeNotFound = () => new CheckoutHttpError('route_not_found', 'No such Paydo route.');
export const originNotAllowed = () =>
  new CheckoutHttpError('origin_not_allowed', 'Requests from this site are not allowed.');

/**
 * Any error a route threw → the protocol's answer. Catalogue errors answer as they are (logged
 * with their code and the merchant-only detail); a store that is down answers 503; anything
 * else is logged and answered `internal`, never echoed (it could carry request data).
 */
export function errorAnswer(error: unknown, log: CheckoutLogger): HttpAnswer {
  if (error instanceof CheckoutHttpError) {
    const level = error.statusCode >= 500 ? 'error' : 'info';
    // The log line carries the same catalogue code as the answer, what only the merchant may read,
    // and the payment's ids (order ref, invoice, transaction, trace id) the engine attached.
    log[level](
      { ...logIdsOf(error), code: error.body.error, status: error.statusCode, detail: error.detail },
      `paydo: ${error.body.error}`,
    );
    const headers = error instanceof RateLimitedError ? { ...error.headers } : {};
    return { status: error.statusCode, body: error.body, headers };
  }
  if (isStoreUnavailable(error)) {
    log.warn({ ...logIdsOf(error), err: error }, 'paydo: the store is unavailable');
    return errorAnswer(storeUnavailable(), log);
  }
  log.error({ ...logIdsOf(error), err: error, code: 'internal' }, 'paydo: unexpected error');
  return { status: 500, body: internalError().body, headers: {} };
}

/** Whether a Content-Type names JSON (`application/json`, any parameters). */
export function isJsonMediaType(contentType: string | null | undefined): boolean {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';
}

/**
 * Checks a request's body headers before any byte is read (the rules the Fastify plugin
 * follows): no Content-Type and no body → no body; a Content-Type other than JSON, or a body
 * without one → 415; a declared length over `limit` → 413. Returns whether a body is to be read.
 */
export function expectJsonBody(
  headers: { contentType: string | null | undefined; contentLength: string | null | undefined; chunked: boolean },
  limit: number,
): boolean {
  const length = headers.contentLength == null ? null : Number(headers.contentLength);
  const hasBody = headers.chunked || (length !== null && length > 0);
  if (!headers.contentType) {
    if (!hasBody) return false;
    throw unsupportedMediaType();
  }
  if (!isJsonMediaType(headers.contentType)) throw unsupportedMediaType();
  if (length !== null && length > limit) throw bodyTooLarge();
  return true;
}

/** JSON text → value; empty or broken JSON is a 400, and so is a prototype-poisoning key (as Fastify's parser). */
export function parseJsonText(text: string): unknown {
  if (text.trim() === '') throw invalidJson();
  try {
    return JSON.parse(text, (key, value) => {
      if (key === '__proto__' || (key === 'constructor' && value && typeof value === 'object' && 'prototype' in value))
        throw invalidJson();
      return value;
    });
  } catch {
    throw invalidJson();
  }
}

/**
 * Reads a body stream (Node's request, or a Web stream) up to `limit` bytes: one byte more is a
 * 413 and the rest is not read. A Node stream is read through its events (its async iterator
 * costs a promise per chunk, measurable per request).
 */
export async function readLimited(
  chunks: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  limit: number,
): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  const take = (chunk: Uint8Array) => {
    size += chunk.byteLength;
    if (size > limit) throw bodyTooLarge();
    parts.push(chunk);
  };
  if ('on' in chunks && typeof chunks.on === 'function') {
    const stream = chunks;
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Uint8Array) => {
        try {
          take(chunk);
        } catch (error) {
          stream.removeListener('data', onData);
          stream.pause();
          reject(error);
        }
      };
      stream.on('data', onData);
      stream.once('end', resolve);
      stream.once('error', reject);
    });
  } else {
    for await (const chunk of chunks as AsyncIterable<Uint8Array>) take(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** CORS headers for a request from `origin` (none at all when no origin is allowed). */
export function corsHeaders(allowedOrigins: readonly string[], origin: string | null | undefined) {
  if (!allowedOrigins.length) return {};
  const headers: Record<string, string> = { vary: 'Origin' };
  if (origin && allowedOrigins.includes(origin)) headers['access-control-allow-origin'] = origin;
  return headers;
}

/** The answer to a CORS preflight (`OPTIONS` with Origin and Access-Control-Request-Method) on a route. */
export function preflightAnswer(allowedOrigins: readonly string[], origin: string | null | undefined): HttpAnswer {
  return {
    status: 204,
    body: undefined,
    headers: {
      ...corsHeaders(allowedOrigins, origin),
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type, idempotency-key',
      'content-length': '0',
    },
  };
}

/**
 * A browser POST from a foreign origin is refused (the IPN has no Origin header). Same origin is
 * the request's own Host; `allowedOrigins` are the merchant's other sites.
 */
export function assertOriginAllowed(
  method: string,
  origin: string | null | undefined,
  host: string | null | undefined,
  allowedOrigins: readonly string[],
): void {
  if (method !== 'POST' || !origin || origin === 'null' || allowedOrigins.includes(origin)) return;
  try {
    if (new URL(origin).host === host) return;
  } catch {
    // an Origin that is no URL is no site of the merchant's
  }
  throw originNotAllowed();
}
