/**
 * Card number, expiry and CVV rules used by the card form. Pure functions, no
 * DOM: they run the same in the browser, in tests and during SSR.
 */

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'mir' | 'maestro' | 'unknown';

export interface CardBrandInfo {
  brand: CardBrand;
  /** Valid total lengths of the number. */
  lengths: readonly number[];
  /** Digits in the CVV/CVC. */
  cvvLength: number;
  /** Where a space goes while typing (digit indexes). */
  gaps: readonly number[];
}

const GAPS_4 = [4, 8, 12, 16] as const;

// Order matters: the first prefix that matches wins (Maestro after the more specific ones).
// Brands seldom seen by Paydo's merchants (JCB, Diners, Discover, UnionPay) count as unknown: 16 digits in fours.
const BRANDS: readonly (CardBrandInfo & { test: (d: string) => boolean })[] = [
  { brand: 'amex', lengths: [15], cvvLength: 4, gaps: [4, 10], test: (d) => /^3[47]/.test(d) },
  { brand: 'mir', lengths: [16, 17, 18, 19], cvvLength: 3, gaps: GAPS_4, test: (d) => inRange(d, 2200, 2204, 4) },
  {
    brand: 'mastercard',
    lengths: [16],
    cvvLength: 3,
    gaps: GAPS_4,
    test: (d) => /^5[1-5]/.test(d) || inRange(d, 2221, 2720, 4),
  },
  { brand: 'visa', lengths: [13, 16, 19], cvvLength: 3, gaps: GAPS_4, test: (d) => d.startsWith('4') },
  {
    brand: 'maestro',
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
    cvvLength: 3,
    gaps: GAPS_4,
    test: (d) => /^(5[06-9]|6)/.test(d),
  },
];

const UNKNOWN: CardBrandInfo = {
  brand: 'unknown',
  lengths: [12, 13, 14, 15, 16, 17, 18, 19],
  cvvLength: 3,
  gaps: GAPS_4,
};

function inRange(digits: string, min: number, max: number, width: number): boolean {
  if (digits.length < width) return false;
  const n = Number(digits.slice(0, width));
  return n >= min && n <= max;
}

/** Keeps the digits only: a pasted "4242 4242-4242 4242" becomes "4242424242424242". */
export function digitsOnly(value: string): string {
  return value.replace(/\D/g, '');
}

export function detectBrand(digits: string): CardBrandInfo {
  const match = BRANDS.find((b) => b.test(digits));
  if (!match) return UNKNOWN;
  const { test: _test, ...info } = match;
  return info;
}

/** Groups the digits as printed on the card: "4242 4242 4242 4242", Amex "3782 822463 10005". */
export function formatCardNumber(digits: string): string {
  const { gaps, lengths } = detectBrand(digits);
  const max = Math.max(...lengths);
  const clipped = digits.slice(0, max);
  let out = '';
  for (let i = 0; i < clipped.length; i++) {
    if (i > 0 && gaps.includes(i)) out += ' ';
    out += clipped[i];
  }
  return out;
}

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export type CardNumberProblem = 'required' | 'incomplete' | 'invalid';

export function checkCardNumber(digits: string): CardNumberProblem | null {
  if (digits.length === 0) return 'required';
  const { lengths } = detectBrand(digits);
  if (!lengths.includes(digits.length)) return digits.length < Math.max(...lengths) ? 'incomplete' : 'invalid';
  return luhnValid(digits) ? null : 'invalid';
}

/**
 * Live formatting of the expiry input: "1" → "1", "12" → "12/", "1230" → "12/30", "4" → "04/";
 * a four-digit year as printed on some cards ("12/2029") becomes "12/29".
 */
export function formatExpiry(raw: string): string {
  let d = digitsOnly(raw);
  if (d.length > 4 && d.slice(2, 4) === '20') d = d.slice(0, 2) + d.slice(4);
  d = d.slice(0, 4);
  if (d.length === 1 && Number(d) > 1) d = `0${d}`;
  if (d.length >= 2) return `${d.slice(0, 2)}/${d.slice(2)}`;
  return d;
}

export type ExpiryProblem = 'required' | 'format' | 'month' | 'past';

/** Checks "MM/YY" (or "MM/YYYY"); a card is valid through the last day of its month. */
export function checkExpiry(value: string, now: Date = new Date()): ExpiryProblem | null {
  if (value.trim() === '') return 'required';
  const m = /^(\d\d)\/(?:20)?(\d\d)$/.exec(value.trim());
  if (!m) return 'format';
  if (!(Number(m[1]) >= 1 && Number(m[1]) <= 12)) return 'month';
  const month = Number(m[1]);
  const year = 2000 + Number(m[2]);
  const thisYear = now.getFullYear();
  const thisMonth = now.getMonth() + 1;
  if (year < thisYear || (year === thisYear && month < thisMonth)) return 'past';
  return null;
}

export type CvvProblem = 'required' | 'length';

export function checkCvv(value: string, brand: CardBrandInfo): CvvProblem | null {
  if (value === '') return 'required';
  return new RegExp(`^\\d{${brand.cvvLength}}$`).test(value) ? null : 'length';
}
