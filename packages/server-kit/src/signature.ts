import { createHash } from 'node:crypto';

/**
 * Paydo's invoice signature: SHA-256 (lowercase hex) of
 * `amount:currency:orderId:secretKey`. The amount is signed exactly as sent,
 * so "2" and "2.00" give different signatures.
 */
export function signInvoice(amount: string, currency: string, orderId: string, secretKey: string): string {
  return createHash('sha256').update(`${amount}:${currency}:${orderId}:${secretKey}`).digest('hex');
}
