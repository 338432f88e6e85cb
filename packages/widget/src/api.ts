import type {
  CheckoutError,
  CheckoutResponse,
  HostedRequest,
  NextResponse,
  PayRequest,
  PayResponse,
  WidgetErrorCode,
} from '@paydo-checkout/server-kit/protocol';

/** A failed call to the merchant's server: the protocol's error code, or `offline`. */
export class ApiError extends Error {
  readonly code: WidgetErrorCode;
  readonly status: number;
  readonly body: CheckoutError | undefined;
  /** Seconds from the answer's `Retry-After` (rate limits), else 0. */
  readonly retryAfter: number;
  constructor(code: WidgetErrorCode, status: number, body?: CheckoutError, retryAfter = 0) {
    super(body?.message ?? code);
    this.code = code;
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
  }
  get retryable(): boolean {
    return this.code === 'offline' || this.body?.retryable === true;
  }
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    // Cookies go with it: fetch's default credentials are `same-origin`.
    response = await fetch(url, {
      ...init,
      headers: { accept: 'application/json', ...init?.headers },
    });
  } catch {
    throw new ApiError('offline', 0);
  }
  const body = await response.json().catch(() => undefined);
  if (response.ok) return body as T;
  const error = body as CheckoutError | undefined;
  throw new ApiError(
    error?.error ?? 'internal',
    response.status,
    error,
    Number(response.headers.get('retry-after')) || 0,
  );
}

const join = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;

export const api = {
  checkout: (base: string, orderRef: string) =>
    call<CheckoutResponse>(join(base, `/checkout/${encodeURIComponent(orderRef)}`)),
  pay: (base: string, orderRef: string, key: string, body: PayRequest) =>
    call<PayResponse>(join(base, `/checkout/${encodeURIComponent(orderRef)}/pay`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    }),
  hosted: (base: string, orderRef: string, body: HostedRequest) =>
    call<PayResponse>(join(base, `/checkout/${encodeURIComponent(orderRef)}/hosted`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  next: (base: string, txid: string, orderRef: string, signal: AbortSignal | null = null) =>
    call<NextResponse>(
      join(base, `/transactions/${encodeURIComponent(txid)}/next?order=${encodeURIComponent(orderRef)}`),
      { signal },
    ),
};
