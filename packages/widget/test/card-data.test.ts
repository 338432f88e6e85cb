import { expect } from '@open-wc/testing';
import {
  checkCardNumber,
  checkCvv,
  checkExpiry,
  detectBrand,
  digitsOnly,
  formatCardNumber,
  formatExpiry,
  luhnValid,
} from '../src/card/card-data.ts';

describe('card data rules (in Chromium)', () => {
  it('accepts the sandbox test cards by Luhn', () => {
    for (const pan of [
      '4242424242424242',
      '5555555555554444',
      '4000000000003220',
      '4000000000000002',
      '4000000000009995',
      '4000000000000119',
    ]) {
      expect(luhnValid(pan), pan).to.equal(true);
    }
    expect(luhnValid('4242424242424241')).to.equal(false);
  });

  it('detects brands with their CVV length', () => {
    expect(detectBrand('4242').brand).to.equal('visa');
    expect(detectBrand('5555').brand).to.equal('mastercard');
    expect(detectBrand('2221000000000009').brand).to.equal('mastercard');
    expect(detectBrand('378282246310005')).to.include({ brand: 'amex', cvvLength: 4 });
    expect(detectBrand('2200123').brand).to.equal('mir');
    expect(detectBrand('9').brand).to.equal('unknown');
  });

  it('groups digits as printed on the card, including a pasted spaced number', () => {
    expect(formatCardNumber(digitsOnly('4242 4242-4242 4242'))).to.equal('4242 4242 4242 4242');
    expect(formatCardNumber('378282246310005')).to.equal('3782 822463 10005');
    expect(formatCardNumber('42424')).to.equal('4242 4');
    expect(formatCardNumber('42424242424242424242424')).to.equal('4242 4242 4242 4242 424');
  });

  it('explains what is wrong with a number', () => {
    expect(checkCardNumber('')).to.equal('required');
    expect(checkCardNumber('424242')).to.equal('incomplete');
    expect(checkCardNumber('4242424242424241')).to.equal('invalid');
    expect(checkCardNumber('4242424242424242')).to.equal(null);
  });

  it('formats and checks the expiry', () => {
    expect(formatExpiry('4')).to.equal('04/');
    expect(formatExpiry('1')).to.equal('1');
    expect(formatExpiry('1230')).to.equal('12/30');
    const now = new Date(2026, 10, 25);
    expect(checkExpiry('11/26', now)).to.equal(null);
    expect(checkExpiry('10/26', now)).to.equal('past');
    expect(checkExpiry('13/26', now)).to.equal('month');
    expect(checkExpiry('00/26', now)).to.equal('month');
    expect(checkExpiry('1/26', now)).to.equal('format');
    expect(checkExpiry('12/2029', now)).to.equal(null);
    expect(formatExpiry('12/2029')).to.equal('12/29');
    expect(formatExpiry('12/202')).to.equal('12/2');
    expect(checkExpiry('', now)).to.equal('required');
  });

  it('checks CVV length by brand', () => {
    expect(checkCvv('123', detectBrand('4242'))).to.equal(null);
    expect(checkCvv('123', detectBrand('3782'))).to.equal('length');
    expect(checkCvv('1234', detectBrand('3782'))).to.equal(null);
    expect(checkCvv('', detectBrand('4242'))).to.equal('required');
  });
});
