import { PaydoError, PaydoUpstreamError } from '../errors.ts';

export interface RetryPolicy {
  /** Retries after the first attempt. 0 turns retrying off. */
  maxRetries: number;
  /** Base of the exponential backoff. */
  minDelayMs: number;
  /** Cap of one wait, also of a `Retry-After` Paydo sends. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 2, minDelayMs: 250, maxDelayMs: 4_000 };

export interface RetryContext {
  /** GETs are idempotent; creations are not. */
  idempotent: boolean;
  signal?: AbortSignal | undefined;
}

/**
 * Retries only what cannot duplicate anything. A create call (invoice, card
 * token, transaction, refund) is retried only when the request provably never
 * left this process (refused connection, connect timeout): after that, Paydo
 * may have acted on it, and a blind retry could create a second transaction.
 */
export function isSafeToRetry(error: unknown, idempotent: boolean): boolean {
  if (!(error instanceof PaydoError) || !error.retryable) return false;
  return idempotent || !error.requestSent;
}

/** Full-jitter exponential backoff (AWS architecture blog), honouring Retry-After. */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** attempt);
  return Math.round(Math.random() * ceiling);
}

export async function withRetry<T>(policy: RetryPolicy, context: RetryContext, attempt: () => Promise<T>): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= policy.maxRetries || !isSafeToRetry(error, context.idempotent)) throw error;
      const retryAfterMs = error instanceof PaydoUpstreamError ? error.retryAfterMs : undefined;
      await sleep(backoffDelay(n, policy, retryAfterMs), context.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
