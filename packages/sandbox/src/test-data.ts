/**
 * The emulator's test data: cards with their outcomes and the payment methods
 * it offers. Documented in the package README; change both together. The test driver's
 * `testCards` (`@paydo-checkout/widget/testing`) names each card; a widget test holds them equal.
 */

export type CardScenario =
  | { kind: 'accept' }
  | { kind: 'three-ds' }
  | { kind: 'decline'; message: string; errorCode: string }
  | { kind: 'pending' };

export interface TestCard {
  pan: string;
  brand: string;
  scenario: CardScenario;
  description: string;
}

export const TEST_CARDS: readonly TestCard[] = [
  { pan: '4242424242424242', brand: 'VISA', scenario: { kind: 'accept' }, description: 'Accepted, no 3-D Secure' },
  {
    pan: '5555555555554444',
    brand: 'MASTERCARD',
    scenario: { kind: 'accept' },
    description: 'Accepted, no 3-D Secure',
  },
  {
    pan: '4000000000003220',
    brand: 'VISA',
    scenario: { kind: 'three-ds' },
    description: '3-D Secure challenge: approve or decline on the ACS page',
  },
  {
    pan: '4000000000000002',
    brand: 'VISA',
    scenario: { kind: 'decline', message: 'Card declined by the issuer', errorCode: 'card_declined' },
    description: 'Declined',
  },
  {
    pan: '4000000000009995',
    brand: 'VISA',
    scenario: { kind: 'decline', message: 'Insufficient funds', errorCode: 'insufficient_funds' },
    description: 'Declined: insufficient funds',
  },
  {
    pan: '4000000000000119',
    brand: 'VISA',
    scenario: { kind: 'pending' },
    description: 'Pending for a while (`pendingMs`), then accepted',
  },
];

/** Any other card that passes the Luhn check is accepted. */
export function scenarioForPan(pan: string): { scenario: CardScenario; brand: string } {
  const card = TEST_CARDS.find((c) => c.pan === pan);
  if (card) return { scenario: card.scenario, brand: card.brand };
  const brand = pan.startsWith('4') ? 'VISA' : /^(5[1-5]|2[2-7])/.test(pan) ? 'MASTERCARD' : 'UNKNOWN';
  return { scenario: { kind: 'accept' }, brand };
}

export interface MethodField {
  name: string;
  type: string;
  required: boolean;
  title?: string;
  regexp?: string;
}

export type MethodBehaviour =
  | 'card' // needs a card token; outcome by test card
  | 'bank-transfer' // accepted at once; national id 0000000000 is declined
  | 'ewallet-redirect' // GET redirect to the emulator's wallet page
  | 'hosted-only'; // answers code 100001: the payer must authenticate with Paydo

export interface SandboxMethod {
  identifier: number;
  type: string;
  formType: string;
  title: string;
  logoPath: string;
  currencies: string[];
  countries: string[];
  fields: MethodField[];
  behaviour: MethodBehaviour;
  /** Minimum and maximum amount, in the invoice currency. */
  minAmount: string;
  maxAmount: string;
  enabled: boolean;
}

export const SANDBOX_METHODS: readonly SandboxMethod[] = [
  {
    identifier: 200001,
    type: 'cards_international',
    formType: 'cards',
    title: 'Bank card',
    logoPath: '/_sandbox/assets/card.svg',
    currencies: ['EUR', 'USD', 'UAH'],
    countries: [],
    fields: [
      { name: 'email', type: 'email', required: true, title: 'E-mail' },
      { name: 'name', type: 'text', required: true, title: 'Full name' },
    ],
    behaviour: 'card',
    minAmount: '0.50',
    maxAmount: '10000',
    enabled: true,
  },
  {
    identifier: 200002,
    type: 'banks',
    formType: 'standard',
    title: 'Bank transfer',
    logoPath: '/_sandbox/assets/bank.svg',
    currencies: ['EUR', 'UAH'],
    countries: ['DE', 'UA'],
    fields: [
      { name: 'email', type: 'email', required: true, title: 'E-mail' },
      { name: 'name', type: 'text', required: true, title: 'Full name' },
      { name: 'nationalid', type: 'text', required: true, title: 'National ID (10 digits)', regexp: '^\\d{10}$' },
    ],
    behaviour: 'bank-transfer',
    minAmount: '1.00',
    maxAmount: '50000',
    enabled: true,
  },
  {
    identifier: 200003,
    type: 'ewallet',
    formType: 'standard',
    title: 'Sandbox Wallet',
    logoPath: '/_sandbox/assets/wallet.svg',
    currencies: ['EUR', 'USD'],
    countries: [],
    fields: [{ name: 'email', type: 'email', required: true, title: 'E-mail' }],
    behaviour: 'ewallet-redirect',
    minAmount: '1.00',
    maxAmount: '2000',
    enabled: true,
  },
  {
    identifier: 200004,
    type: 'ewallet',
    formType: 'standard',
    title: 'Paydo account',
    logoPath: '/_sandbox/assets/paydo.svg',
    currencies: ['EUR', 'USD', 'UAH'],
    countries: [],
    fields: [{ name: 'email', type: 'email', required: true, title: 'E-mail' }],
    behaviour: 'hosted-only',
    minAmount: '0.50',
    maxAmount: '10000',
    enabled: true,
  },
  {
    identifier: 200009,
    type: 'banks',
    formType: 'standard',
    title: 'Disabled method',
    logoPath: '/_sandbox/assets/bank.svg',
    currencies: ['EUR'],
    countries: [],
    fields: [{ name: 'email', type: 'email', required: true }],
    behaviour: 'bank-transfer',
    minAmount: '1.00',
    maxAmount: '100',
    enabled: false,
  },
];

export function findMethod(id: unknown): SandboxMethod | undefined {
  const n = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id;
  return SANDBOX_METHODS.find((m) => m.identifier === n);
}

/** Where `email`, `phone`, `name` live; every other field is an extra field. */
export const PAYER_TOP_LEVEL_FIELDS = new Set(['email', 'phone', 'name']);
