/** Amounts as exact integers of 1e-8 units, so "10" and "10.00" compare equal and sums never drift. */
const SCALE = 8;

export function toUnits(amount: string | number): bigint {
  const text = typeof amount === 'number' ? amount.toFixed(SCALE) : amount.trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new RangeError(`not a decimal amount: ${text}`);
  const frac = (m[2] ?? '').slice(0, SCALE).padEnd(SCALE, '0');
  return BigInt(m[1] ?? '0') * 10n ** BigInt(SCALE) + BigInt(frac);
}

export function fromUnits(units: bigint): string {
  const whole = units / 10n ** BigInt(SCALE);
  const frac = (units % 10n ** BigInt(SCALE)).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac.padEnd(2, '0')}` : `${whole}.00`;
}

export function isDecimalText(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,15}(\.\d{1,8})?$/.test(value);
}
