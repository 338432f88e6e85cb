import { z } from 'zod';

/** Paydo's success envelope. `data` may be an object, an array, a string, or `""`. */
export const SuccessEnvelope = z.looseObject({
  data: z.unknown(),
  status: z.union([z.number(), z.string()]).optional(),
});

/** Paydo's error envelope: a sentence, a field map, or `{isSuccess: false, message}`. */
export const ErrorEnvelope = z.looseObject({
  message: z.union([
    z.string(),
    z.record(z.string(), z.union([z.array(z.string()), z.string()])),
    z.looseObject({ isSuccess: z.literal(false).optional(), message: z.string() }),
  ]),
});

/** A decimal amount as text, exactly as it is signed: "12.50", "100". */
export const DecimalAmount = z
  .string()
  .regex(/^\d{1,15}(\.\d{1,8})?$/, 'must be a decimal number written as text, e.g. "12.50"');

export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code, e.g. "EUR"');

/** Unix seconds; Paydo sends numbers, sometimes numeric strings, sometimes null. */
export const UnixSeconds = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

/** A Paydo amount in an answer: a number or a numeric string. */
export const AnswerAmount = z.union([z.number(), z.string()]).transform((v) => String(v));
