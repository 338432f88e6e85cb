import { describe, expect, it } from 'vitest';
import { signInvoice } from '../src/index.ts';

describe('signInvoice', () => {
  it('matches the first published vector', () => {
    expect(signInvoice('1.2000', 'USD', 'Test-Order-354', 'supersecretkey')).toBe(
      '3445000c1f55f447b853fe068529c23fc4188e36aa4984e37836538d95f8e015',
    );
  });

  it('matches the second published vector', () => {
    expect(signInvoice('0.4500', 'EUR', 'FK-288-SDC', 'fantastic_supersecretkey')).toBe(
      '15c4c6ee83285dd82e1d7d29984a718cc527f218b8a0bb7e9b951b08ea1f30cd',
    );
  });

  it('signs the amount exactly as written', () => {
    expect(signInvoice('2', 'EUR', 'o', 'k')).not.toBe(signInvoice('2.00', 'EUR', 'o', 'k'));
  });
});
