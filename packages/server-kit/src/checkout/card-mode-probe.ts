/**
 * The card mode learned before any payer types a card. With `cardPayments: 'auto'` the plugin asks
 * Paydo at startup (and once a day after) whether this project may tokenize cards, the way
 * `paydo-doctor` does: a small unpaid invoice and an empty card, so no card data is sent. Until a
 * process has Paydo's answer, its cards go to Paydo's page (`CardModes`); a refusal is stored for
 * every instance (as a 403 at pay time is), and so is the time of the last answer.
 */
import type { PaydoClient } from '../client/client.ts';
import type { PaymentMethod } from '../client/schemas/payment-methods.ts';
import type { PaydoStore } from '../store/store.ts';
import { FormType } from '../vocabulary.ts';
import type { CardModes } from './card-mode.ts';
import type { CheckoutLogger } from './logger.ts';
import type { MethodCatalog } from './methods.ts';

/** What the check reads and writes. */
export interface CardModeCheckDeps {
  cardPayments: 'auto' | 'direct' | 'hosted';
  client: PaydoClient;
  store: PaydoStore;
  methods: MethodCatalog;
  cardModes: CardModes;
}

/** When Paydo last answered the probe (milliseconds since the epoch), in the store. */
export const CARD_MODE_CHECKED_AT = 'cardModeCheckedAt';
/** How often the answer is asked again; a switch to hosted (a 403 at pay time) is not waited for. */
export const CARD_MODE_CHECK_EVERY_MS = 24 * 60 * 60_000;
/** Startup waits this long at most for the first answer; a slower Paydo is not a reason to stay down. */
const STARTUP_WAIT_MS = 5_000;

/** The method that takes cards (Paydo's `formType: "cards"`), if the project has one. */
export function cardMethod(methods: readonly PaymentMethod[]): PaymentMethod | undefined {
  return methods.find((m) => m.formType === FormType.cards);
}

export interface TokenizationAnswer {
  /** `hosted`: Paydo refuses direct tokenization (403); `direct`: it would tokenize; `unknown`: no telling. */
  mode: 'direct' | 'hosted' | 'unknown';
  status: number;
}

/**
 * Asks `card-token/create` with an empty card for `invoiceId`: 403 means not allowed (no PCI DSS on
 * file); 2xx, 400 or 422 (the empty card refused) mean allowed. No card data is sent.
 */
export async function probeTokenization(client: PaydoClient, invoiceId: string): Promise<TokenizationAnswer> {
  const res = await fetch(`${client.baseUrl}/payment-tools/card-token/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ invoiceIdentifier: invoiceId, pan: '', expirationDate: '', cvv: '', holderName: '' }),
    signal: AbortSignal.timeout(15_000),
  });
  await res.body?.cancel();
  const { status } = res;
  const mode =
    status === 403
      ? 'hosted'
      : status === 400 || status === 422 || (status >= 200 && status < 300)
        ? 'direct'
        : 'unknown';
  return { mode, status };
}

/** One unpaid invoice for the card method, the probe's subject (never paid, as the doctor's). */
export async function probeInvoice(client: PaydoClient, card: PaymentMethod, label: string): Promise<string> {
  const { invoiceId } = await client.invoices.create({
    order: {
      id: `${label}-${Date.now()}`,
      amount: '1.00',
      currency: card.currencies[0] ?? 'EUR',
      description: `${label} check (never paid)`,
      items: [],
    },
    payer: { email: `${label}@example.com` },
    language: 'en',
    resultUrl: `https://example.com/${label}`,
    failPath: `https://example.com/${label}`,
    paymentMethod: card.identifier,
  });
  return invoiceId;
}

/** Asks Paydo unless the store already knows (hosted for good, or direct asked less than a day ago). */
export async function checkCardMode(deps: CardModeCheckDeps, log: CheckoutLogger): Promise<void> {
  const { cardPayments, client, store, methods, cardModes } = deps;
  // Asked at every start (the keys, the project or Paydo's permission may have changed since a
  // reading another process stored): until this process has the answer, cards go to Paydo's page.
  if (cardPayments !== 'auto') return;
  const card = cardMethod(await methods.list());
  if (!card) return;
  const { mode, status } = await probeTokenization(client, await probeInvoice(client, card, 'paydo-card-mode'));
  if (mode === 'unknown') {
    log.info({ status }, 'paydo: could not tell whether Paydo tokenizes cards here; asking again later');
    return;
  }
  if (mode === 'hosted') await cardModes.switchToHosted(log);
  else await cardModes.confirmDirect();
  await store.saveSetting(CARD_MODE_CHECKED_AT, String(Date.now()));
}

/**
 * Checks at startup, waiting at most a few seconds (the first checkout then already knows), and
 * once a day after. A failure is logged and changes nothing: `auto` still switches at the first 403.
 */
export function watchCardMode(deps: CardModeCheckDeps, log: CheckoutLogger): { started: Promise<void>; stop(): void } {
  const check = () =>
    checkCardMode(deps, log).catch((error: unknown) =>
      log.warn({ err: error }, 'paydo: the card mode check failed; asking again later'),
    );
  const timer = setInterval(check, CARD_MODE_CHECK_EVERY_MS).unref();
  let wait: ReturnType<typeof setTimeout> | undefined;
  const started = Promise.race([
    check(),
    new Promise<void>((resolve) => {
      wait = setTimeout(resolve, STARTUP_WAIT_MS).unref();
    }),
  ]).finally(() => clearTimeout(wait));
  return { started, stop: () => clearInterval(timer) };
}
