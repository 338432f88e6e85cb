import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { paydo } from '../../src/fastify/index.ts';
import { addOrder, cardBody, type Harness, startHarness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('merchant mistakes fail early and say how to fix them', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'a number amount',
      { amount: 19.9 },
      /amount 19\.9 \(number\): give it as decimal text above zero, e\.g\. "19\.90"/,
    ],
    ['a lowercase currency', { currency: 'eur' }, /currency "eur": give an ISO 4217 code in capitals, e\.g\. "EUR"/],
    ['an unknown currency', { currency: 'XYZ' }, /currency "XYZ": give an ISO 4217 code in capitals, e\.g\. "EUR"/],
    ['a zero amount', { amount: '0.00' }, /amount "0\.00" \(string\)/],
    [
      "a language Paydo's page does not speak",
      { language: 'pt-BR' },
      /language "pt-BR": give one of en, ru, es, it, pt, de, fr, sv, fi, tr, pl, nl \(lowercase\), or leave it out/,
    ],
  ];
  for (const [label, change, logged] of cases) {
    it(`${label} from resolveOrder: one log line naming the field and the fix; the shopper a neutral message`, async () => {
      h = await startHarness({ plugin: { rateLimit: false } });
      const ref = addOrder(h, change as never);
      for (const answer of [
        await h.app.inject({ method: 'GET', url: `/paydo/checkout/${ref}` }),
        await h.app.inject({
          method: 'POST',
          url: `/paydo/checkout/${ref}/pay`,
          headers: { 'idempotency-key': `key-${Math.random().toString(36).slice(2)}` },
          payload: cardBody('4242424242424242'),
        }),
      ]) {
        expect(answer.statusCode).toBe(500);
        expect(answer.json()).toEqual({
          error: 'order_invalid',
          message: 'This order cannot be paid right now. Please contact the shop.',
        });
      }
      const lines = h.logs
        .map((l) => (JSON.parse(l) as { msg?: string }).msg ?? '')
        .filter((m) => m.includes(`resolveOrder("${ref}")`));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(logged);
    });
  }
});

describe('plugin options are checked at registration, not at the first Pay', () => {
  const base = {
    publicKey: 'application-1',
    secretKey: 'secret',
    jwt: 'jwt',
    resolveOrder: async () => null,
    onPaymentUpdate: async () => {},
  };
  const register = async (options: Record<string, unknown>) => {
    const app = Fastify();
    try {
      await app.register(paydo, {
        ...base,
        checkoutPageUrl: (ref: string) => `https://shop.example/checkout/${ref}`,
        ...options,
      });
      await app.ready();
      return app;
    } finally {
      await app.close();
    }
  };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'a relative checkoutPageUrl',
      { checkoutPageUrl: (ref: string) => `/checkout/${ref}` },
      /`checkoutPageUrl` must return an absolute http\(s\) URL, e\.g\. "https:\/\/shop\.example\/checkout\/<orderRef>"; it returned "\/checkout\/[^"]+"/,
    ],
    [
      'a checkoutPageUrl that throws',
      {
        checkoutPageUrl: () => {
          throw new Error('no base URL yet');
        },
      },
      /`checkoutPageUrl` threw when called with an order reference: no base URL yet/,
    ],
    ['a string where a number goes', { pollIntervalMs: '5000' }, /`pollIntervalMs` must be a number ≥ 0/],
    [
      'a rate limit window without max',
      { rateLimit: { perIp: { timeWindowMs: 60_000 } } },
      /`rateLimit.perIp.max` must be a whole number above 0/,
    ],
    ['a store that is not one', { store: 'sqlite' }, /`store` must be a PaydoStore/],
    ['an unknown card mode', { cardPayments: 'iframe' }, /`cardPayments` must be "auto", "direct" or "hosted"/],
  ];
  for (const [label, options, message] of cases) {
    it(`refuses ${label} with one message naming the option`, async () => {
      await expect(register(options)).rejects.toThrow(message);
    });
  }

  it('accepts a complete set of options', async () => {
    await expect(register({ rateLimit: { perIp: { max: 5, timeWindowMs: 1000 } } })).resolves.toBeDefined();
  });
});
