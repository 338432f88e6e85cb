import { z } from 'zod';
import { UnixSeconds } from './common.ts';

/**
 * Card data for tokenization. The client checks shape only; Paydo does the
 * real check (Luhn, expiry). These values are never logged or echoed.
 */
export const CreateCardTokenParams = z.object({
  invoiceIdentifier: z.string().min(1),
  pan: z
    .string()
    .transform((v) => v.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^\d{12,19}$/, 'must be 12 to 19 digits')),
  expirationDate: z.string().regex(/^(0[1-9]|1[0-2])\/\d{2}$/, 'must be MM/YY'),
  cvv: z.string().regex(/^\d{3,4}$/, 'must be 3 or 4 digits'),
  holderName: z.string().min(1).max(255),
});
export type CreateCardTokenParams = z.input<typeof CreateCardTokenParams>;

export const CardToken = z
  .looseObject({ token: z.string().min(1), expired_at: UnixSeconds })
  .transform((t) => ({ token: t.token, expiresAt: t.expired_at }));
export type CardToken = z.output<typeof CardToken>;
