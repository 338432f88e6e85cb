/**
 * The seeded generator: a history is a plain list of steps drawn from one seed,
 * so a failing seed replays exactly, prints readably, and shrinks by dropping
 * steps. Steps name things by pick numbers resolved when played (the n-th open
 * 3-D Secure session, the n-th Paydo page tab): a step whose target does not
 * exist (yet, or after shrinking) does nothing.
 */

/** mulberry32: small, fast, and the same sequence on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A number in [0, 1) that depends only on its inputs (for decisions taken while a history plays). */
export function hashUnit(...parts: (string | number)[]): number {
  let h = 2166136261;
  for (const ch of parts.join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619);
  }
  return prng(h >>> 0)();
}

/** The emulator's test cards (packages/sandbox/src/test-data.ts), by what they do. */
export const CARDS = {
  visa: '4242424242424242',
  mastercard: '5555555555554444',
  threeDs: '4000000000003220',
  declined: '4000000000000002',
  noFunds: '4000000000009995',
  pending: '4000000000000119',
} as const;
export type CardName = keyof typeof CARDS;
const CARD_NAMES = Object.keys(CARDS) as CardName[];

export type CardMode = 'direct' | 'hosted' | 'auto';
/** How IPNs travel in this history (see the router in world.ts). */
export type Weather = 'reliable' | 'lossy' | 'all-lost' | 'chaotic';

export type FaultEndpoint =
  | 'invoices.create'
  | 'invoices.get'
  | 'card-token.create'
  | 'checkout.create'
  | 'checkout.status'
  | 'transactions.get'
  | 'refunds.create';
const FAULT_ENDPOINTS: FaultEndpoint[] = [
  'invoices.create',
  'invoices.get',
  'card-token.create',
  'checkout.create',
  'checkout.status',
  'transactions.get',
  'refunds.create',
];

export type Step =
  /** The widget's card form (or, in hosted mode, the way to Paydo's card page) through instance `slot`. */
  | { kind: 'pay'; order: number; slot: number; card: CardName; replacePending: boolean }
  /** The same request again with the same Idempotency-Key (the widget retries after a 5xx or a lost answer). */
  | { kind: 'retryPay'; pick: number; slot: number }
  /** The hosted fallback: `POST /checkout/:ref/hosted`; its page opens in a new tab. */
  | { kind: 'hosted'; order: number; slot: number }
  /** A payer's tab on one of Paydo's pages pays (a card on the card page; Pay or Cancel on the plain one). */
  | { kind: 'pagePay'; page: number; card: CardName; cancel: boolean }
  /** The bank's 3-D Secure page: approve or decline (late, in any order). */
  | { kind: 'acs'; pick: number; approve: boolean }
  /** The bank answers a pending card (the "pending, then paid" test card). */
  | { kind: 'bank'; pick: number }
  /** The widget polls `GET /transactions/:txid/next?order=` (or a crafted link naming another order). */
  | { kind: 'poll'; slot: number; pick: number; wrongOrder: boolean }
  /** A forged IPN: one order's transaction under another order's invoice, posted to `slot`. */
  | { kind: 'forgeIpn'; pick: number; slot: number }
  /** Paydo sends a transaction's IPN again. */
  | { kind: 'resendIpn'; pick: number }
  /** IPNs the router held back are delivered now (reordered). */
  | { kind: 'release'; reverse: boolean }
  | {
      kind: 'fault';
      endpoint: FaultEndpoint;
      fault: 'error' | 'reset';
      phase: 'before' | 'after';
      times: number;
    }
  | { kind: 'clearFaults' }
  /** The instance stops (its store connection closes) and a new one starts on the same store. */
  | { kind: 'restart'; slot: number }
  /** A card payment on `slot`, whose instance stops once Paydo has made the transaction. */
  | { kind: 'crashMidPay'; order: number; slot: number; card: CardName }
  /** `app.paydoCheckout.reconcile()` on `slot` (when the plugin has it). */
  | { kind: 'reconcile'; slot: number };

export interface History {
  seed: number;
  orders: number;
  cardMode: CardMode;
  /** Paydo allows card tokenization for the project (otherwise `auto` goes hosted). */
  tokenization: boolean;
  refundDuplicateCharges: boolean;
  weather: Weather;
  steps: Step[];
}

export function generateHistory(seed: number, maxSteps = 14): History {
  const r = prng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chance = (p: number) => r() < p;
  const orders = chance(0.7) ? 1 : 2;
  const cardMode = pick<CardMode>(['direct', 'direct', 'hosted', 'hosted', 'auto']);
  const tokenization = cardMode === 'direct' ? true : chance(0.5);
  const refundDuplicateCharges = chance(0.85);
  const weather = pick<Weather>(['reliable', 'lossy', 'lossy', 'all-lost', 'chaotic', 'chaotic']);
  const card = (): CardName => pick(CARD_NAMES);
  const steps: Step[] = [];
  const length = 3 + int(maxSteps - 2);
  for (let i = 0; i < length; i++) {
    // Every history starts with a payment: a step with nothing to act on teaches nothing.
    const roll = i === 0 ? r() * 0.3 : r();
    const order = int(orders);
    const slot = int(2);
    if (roll < 0.22) steps.push({ kind: 'pay', order, slot, card: card(), replacePending: chance(0.25) });
    else if (roll < 0.3) steps.push({ kind: 'hosted', order, slot });
    else if (roll < 0.5) steps.push({ kind: 'pagePay', page: int(1000), card: card(), cancel: chance(0.15) });
    else if (roll < 0.6) steps.push({ kind: 'acs', pick: int(1000), approve: chance(0.65) });
    else if (roll < 0.65) steps.push({ kind: 'bank', pick: int(1000) });
    else if (roll < 0.75) steps.push({ kind: 'poll', slot, pick: int(1000), wrongOrder: chance(0.15) });
    else if (roll < 0.77) steps.push({ kind: 'resendIpn', pick: int(1000) });
    else if (roll < 0.79) steps.push({ kind: 'forgeIpn', pick: int(1000), slot });
    else if (roll < 0.83) steps.push({ kind: 'release', reverse: chance(0.5) });
    else if (roll < 0.88) {
      steps.push({
        kind: 'fault',
        endpoint: pick(FAULT_ENDPOINTS),
        fault: chance(0.6) ? 'error' : 'reset',
        phase: chance(0.5) ? 'before' : 'after',
        times: 1 + int(3),
      });
    } else if (roll < 0.9) steps.push({ kind: 'clearFaults' });
    else if (roll < 0.93) steps.push({ kind: 'retryPay', pick: int(1000), slot });
    else if (roll < 0.96) steps.push({ kind: 'restart', slot });
    else if (roll < 0.98) steps.push({ kind: 'crashMidPay', order, slot, card: card() });
    else steps.push({ kind: 'reconcile', slot });
  }
  return { seed, orders, cardMode, tokenization, refundDuplicateCharges, weather, steps };
}

const SLOT = ['A', 'B'];

/** One line per step, as a person would say it. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'pay':
      return `pay order ${step.order} with ${step.card} via ${SLOT[step.slot]}${step.replacePending ? ' (replacePending)' : ''}`;
    case 'retryPay':
      return `retry pay attempt #${step.pick} (same Idempotency-Key) via ${SLOT[step.slot]}`;
    case 'hosted':
      return `hosted fallback for order ${step.order} via ${SLOT[step.slot]}`;
    case 'pagePay':
      return `Paydo page tab #${step.page} pays ${step.cancel ? '(cancel)' : `with ${step.card}`}`;
    case 'acs':
      return `3-D Secure #${step.pick}: ${step.approve ? 'approve' : 'decline'}`;
    case 'bank':
      return `bank accepts pending card #${step.pick}`;
    case 'poll':
      return `poll tx #${step.pick} via ${SLOT[step.slot]}${step.wrongOrder ? ' naming another order' : ''}`;
    case 'forgeIpn':
      return `forged IPN: tx #${step.pick} under another order's invoice, to ${SLOT[step.slot]}`;
    case 'resendIpn':
      return `Paydo resends the IPN of tx #${step.pick}`;
    case 'release':
      return `deliver held IPNs${step.reverse ? ' newest first' : ''}`;
    case 'fault':
      return `fault: ${step.endpoint} ${step.fault} ${step.phase} ×${step.times}`;
    case 'clearFaults':
      return 'clear faults';
    case 'restart':
      return `restart instance ${SLOT[step.slot]}`;
    case 'crashMidPay':
      return `pay order ${step.order} with ${step.card} via ${SLOT[step.slot]}, instance stops mid-payment`;
    case 'reconcile':
      return `reconcile() on ${SLOT[step.slot]}`;
  }
}

export function describeHistory(h: History): string {
  return [
    `seed ${h.seed}: ${h.orders} order(s), cardPayments ${h.cardMode}, tokenization ${h.tokenization ? 'on' : 'off'}, refundDuplicateCharges ${h.refundDuplicateCharges}, IPNs ${h.weather}`,
    ...h.steps.map((s, i) => `  ${String(i + 1).padStart(2)}. ${describeStep(s)}`),
  ].join('\n');
}
