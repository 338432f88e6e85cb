import { describe, expect, it } from 'vitest';
import { methodTitle } from '../src/checkout/method-types.ts';
import { keep, readKept } from '../src/checkout/storage.ts';
import { named, patternMessage, payerFields, validate } from '../src/checkout/validation.ts';
import { en } from '../src/translations/en.ts';
import type { Strings } from '../src/translations/localize.ts';
import { BANK_METHOD, CARD_METHOD } from '../test/fake-server.ts';

const card = CARD_METHOD;
const bank = BANK_METHOD;

describe('validation (pure: no DOM)', () => {
  it('shows the e-mail always, and no second name beside the name on the card', () => {
    expect(payerFields(card, true).map((f) => f.name)).toEqual(['email']);
    expect(payerFields(card, false).map((f) => f.name)).toEqual(['email', 'name']);
    expect(payerFields(bank, false).map((f) => f.name)).toEqual(['email', 'nationalid']);
    expect(payerFields({ ...bank, fields: bank.fields.slice(1) }, false).map((f) => f.name)).toEqual([
      'email',
      'nationalid',
    ]);
    expect(named(card, true)).toEqual(['email', 'card.pan', 'card.expirationDate', 'card.cvv', 'card.holderName']);
  });

  it('says every problem in the payer’s words, by field', () => {
    const values = {
      email: 'ada@',
      'card.pan': '4242 4242 4242 4241',
      'card.expirationDate': '13/30',
      'card.cvv': '12',
      'card.holderName': '',
    };
    expect(validate(card, values, true, en)).toEqual({
      email: en.invalidEmail,
      'card.pan': en.cardInvalid,
      'card.expirationDate': en.expiryMonth,
      'card.cvv': en.cvvLength(3),
      'card.holderName': en.required,
    });
    const fine = { email: 'ada@example.com', 'card.pan': '4242424242424242', 'card.expirationDate': '12/39' };
    expect(validate(card, { ...fine, 'card.cvv': '123', 'card.holderName': 'Ada' }, true, en)).toEqual({});
    // Hosted card mode: no card field is checked (none is shown).
    expect(validate(card, { email: 'ada@example.com', name: 'Ada' }, false, en)).toEqual({});
  });

  it("says what a method's pattern needs when it says it plainly", () => {
    expect(patternMessage('^\\d{10}$', en)).toBe('Enter 10 digits.');
    expect(patternMessage('^[0-9]{8,12}$', en)).toBe('Enter 8–12 digits.');
    expect(patternMessage('^[A-Z]{2}\\d+$', en)).toBe(en.invalidFormat);
    expect(validate(bank, { email: 'a@b.co', nationalid: '12ab' }, false, en)).toEqual({
      nationalid: 'Enter 10 digits.',
    });
    // A pattern the browser cannot read is left to the server.
    const broken = { ...bank, fields: bank.fields.map((f) => (f.pattern ? { ...f, pattern: '(' } : f)) };
    expect(validate(broken, { email: 'a@b.co', nationalid: 'x' }, false, en)).toEqual({});
  });

  it("translates a generic method name by its type; a brand's name stays", () => {
    const ru = { ...en, bankCard: 'Банковская карта', bankTransfer: 'Банковский перевод' } as Strings;
    expect(methodTitle(card, ru)).toBe('Банковская карта');
    expect(methodTitle(bank, ru)).toBe('Банковский перевод');
    expect(methodTitle({ ...card, title: 'Visa / Mastercard' }, ru)).toBe('Visa / Mastercard');
    expect(methodTitle({ ...bank, type: 'ewallet', title: 'Sandbox Wallet' }, ru)).toBe('Sandbox Wallet');
  });
});

describe('storage without sessionStorage (Node, as in a sandboxed frame where it throws)', () => {
  it('reads nothing and writes nothing, never throwing', () => {
    expect(typeof (globalThis as { sessionStorage?: unknown }).sessionStorage).toBe('undefined');
    expect(readKept('paydo:r1')).toEqual({});
    expect(() => keep('paydo:r1', { email: 'a@b.co' })).not.toThrow();
    expect(() => keep('paydo:r1', null)).not.toThrow();
  });
});
