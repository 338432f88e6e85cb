/**
 * A fake merchant server inside the browser: `window.fetch` answers from
 * scripted handlers, and every request is recorded. It reaches the states
 * that are hard to produce with the real stack (offline, 429, give-up…).
 */
import type { CheckoutResponse } from '@paydo-checkout/server-kit/protocol';

export interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: recorded request bodies are asserted literally
  body: any;
}

type Handler = (req: Recorded) => Response | Promise<Response> | 'offline';

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export class FakeServer {
  readonly requests: Recorded[] = [];
  readonly #routes: { method: string; path: RegExp; handlers: Handler[] }[] = [];
  readonly #original = window.fetch;

  constructor() {
    window.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), location.href);
      const method = (init?.method ?? 'GET').toUpperCase();
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const req: Recorded = {
        method,
        url: url.pathname,
        headers,
        body: init?.body ? JSON.parse(String(init.body)) : undefined,
      };
      this.requests.push(req);
      const route = this.#routes.find((r) => r.method === method && r.path.test(url.pathname));
      if (!route) return json({ error: 'route_not_found', message: 'No such route' }, 404);
      const handler = route.handlers.length > 1 ? (route.handlers.shift() as Handler) : (route.handlers[0] as Handler);
      const answer = await handler(req);
      if (answer === 'offline') throw new TypeError('Failed to fetch');
      return answer;
    }) as typeof fetch;
  }

  /** Handlers answer in turn; the last one keeps answering. */
  on(method: string, path: RegExp, ...handlers: Handler[]): this {
    this.#routes.unshift({ method, path, handlers });
    return this;
  }

  calls(method: string, path: RegExp): Recorded[] {
    return this.requests.filter((r) => r.method === method && path.test(r.url));
  }

  restore(): void {
    window.fetch = this.#original;
  }
}

export const CARD_METHOD = {
  id: 200001,
  title: 'Bank card',
  logo: null,
  type: 'cards_international',
  formType: 'cards',
  fields: [
    { name: 'email', type: 'email', required: true, title: 'E-mail', pattern: null, placement: 'payer' as const },
    { name: 'name', type: 'text', required: true, title: 'Full name', pattern: null, placement: 'payer' as const },
  ],
};

export const BANK_METHOD = {
  id: 200002,
  title: 'Bank transfer',
  logo: null,
  type: 'banks',
  formType: 'standard',
  fields: [
    { name: 'email', type: 'email', required: true, title: 'E-mail', pattern: null, placement: 'payer' as const },
    {
      name: 'nationalid',
      type: 'text',
      required: true,
      title: 'National ID (10 digits)',
      pattern: '^\\d{10}$',
      placement: 'extra' as const,
    },
  ],
};

export function checkout(overrides: Partial<CheckoutResponse> = {}): CheckoutResponse {
  return {
    order: { ref: 'r1', amount: '12.50', currency: 'EUR', description: 'Two mugs', items: [] },
    methods: [CARD_METHOD, BANK_METHOD],
    payer: { email: 'ada@example.com', name: 'Ada Lovelace' },
    language: 'en',
    status: 'open',
    txid: null,
    hostedUrl: null,
    cardMode: 'direct',
    ...overrides,
  };
}
