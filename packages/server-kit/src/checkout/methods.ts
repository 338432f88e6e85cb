import type { PaydoClient } from '../client/client.ts';
import type { PaymentMethod } from '../client/schemas/payment-methods.ts';
import type { CheckoutMethod, CheckoutResponse } from '../protocol.ts';
import { SingleFlight } from './single-flight.ts';

const TOP_LEVEL = new Set(['email', 'name', 'phone']);

/** A method as the widget needs it: fields with their patterns, nothing Paydo-internal. */
export function checkoutMethod(m: PaymentMethod): CheckoutMethod {
  return {
    id: m.identifier,
    title: m.title,
    logo: m.logo ?? null,
    type: m.type,
    formType: m.formType,
    fields: m.config.fields.map((f) => ({
      name: f.name,
      type: f.type,
      required: f.required,
      title: f.title ?? null,
      pattern: f.regexp ?? null,
      placement: TOP_LEVEL.has(f.name) ? 'payer' : 'extra',
    })),
  };
}

export function methodsForCurrency(methods: PaymentMethod[], currency: string): PaymentMethod[] {
  return methods.filter((m) => m.currencies.length === 0 || m.currencies.includes(currency));
}

/**
 * The project's payment methods: one upstream call per TTL however many checkouts load, and the
 * list each currency offers serialized once per list (the same for every order in a currency).
 */
export class MethodCatalog {
  readonly #client: PaydoClient;
  readonly #flight: SingleFlight<PaymentMethod[]>;
  readonly #offeredByList = new WeakMap<PaymentMethod[], Map<string, string>>();

  constructor(client: PaydoClient, ttlMs: number) {
    this.#client = client;
    this.#flight = new SingleFlight<PaymentMethod[]>(ttlMs);
  }

  list(): Promise<PaymentMethod[]> {
    return this.#flight.run('methods', () => this.#client.paymentMethods.listAvailable());
  }

  /** The method `identifier` if an order in `currency` may use it. */
  async find(identifier: number, currency: string): Promise<PaymentMethod | undefined> {
    return methodsForCurrency(await this.list(), currency).find((m) => m.identifier === identifier);
  }

  /** The methods a currency can use, as the widget gets them, in JSON. */
  offeredJson(methods: PaymentMethod[], currency: string): string {
    let byCurrency = this.#offeredByList.get(methods);
    if (!byCurrency) {
      byCurrency = new Map();
      this.#offeredByList.set(methods, byCurrency);
    }
    let json = byCurrency.get(currency);
    if (json === undefined) {
      const offered: CheckoutResponse['methods'] = methodsForCurrency(methods, currency).map(checkoutMethod);
      json = JSON.stringify(offered);
      byCurrency.set(currency, json);
    }
    return json;
  }
}
