/**
 * The Paydo emulator's test cards (`@paydo-checkout/sandbox`), by what they do there. Any future
 * expiry and any CVC work with each. A test of this package checks that these are exactly the
 * emulator's cards, so a card added or changed there fails the build until it is named here.
 */
export const testCards = {
  /** Visa, accepted at once (no 3-D Secure). */
  visa: '4242424242424242',
  /** Mastercard, accepted at once (no 3-D Secure). */
  mastercard: '5555555555554444',
  /** Visa with a 3-D Secure challenge: Approve or Decline on the emulator's bank page. */
  threeDSecure: '4000000000003220',
  /** Declined by the issuer (`card_declined`; Paydo's words "Card declined by the issuer" reach only the server). */
  declined: '4000000000000002',
  /** Declined for insufficient funds (`insufficient_funds`). */
  insufficientFunds: '4000000000009995',
  /** Pending for the emulator's `pendingMs`, then accepted. */
  pending: '4000000000000119',
} as const;

export type TestCardName = keyof typeof testCards;
