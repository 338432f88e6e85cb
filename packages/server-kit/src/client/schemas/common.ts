import { z } from 'zod';

/** Paydo's success envelope. `data` may be an object, an array, a string, or `""`. */
export const SuccessEnvelope = z.looseObject({
  data: z.unknown(),
  status: z.lazy(() => AnswerCode).nullish(),
  /** Paydo's createRefund example puts the new refund's id here, beside `data`. */
  identifier: z.lazy(() => AnswerId).optional(),
});

/** Paydo's error envelope: a sentence, a field map, or `{isSuccess: false, message}`. */
export const ErrorEnvelope = z.looseObject({
  // A sentence; `{isSuccess: false, message}`; or a field map, possibly nested
  // (`{"payer": {"email": ["…"]}}`), flattened by the request sender.
  message: z.union([z.string(), z.record(z.string(), z.unknown())]),
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

//// liberal answer shapes ////
// Paydo's PHP side serializes an empty associative array as `[]`, writes ids as
// numbers on some pages and states as digit strings on others. These helpers
// accept each documented form and hand callers one shape.

/** `[]` where an object was expected (PHP's empty array) becomes `{}`. */
export function emptyArrayAsObject<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (Array.isArray(v) && v.length === 0 ? {} : v), schema);
}

// THE place where Paydo's "number or numeric string" is decided, used by every enum-like field
// of every answer schema: Paydo's and Payop's pages (and the official clients) write the same
// state, status, type or id as a number on one page and as text on another.

/** An id: a string, or a number written as one (`134666` → `"134666"`). */
export const AnswerId = z.union([z.string(), z.number().int().transform(String)]);

/** A small integer code (state, status, type, method id): a number or a string of digits (`"2"` → `2`). */
export const AnswerCode = z.union([z.number().int(), z.string().trim().regex(/^\d+$/).transform(Number)]);

/** Arbitrary merchant data as the docs show it: an object, or a list of objects (Paydo's example), or `[]`. */
export const Metadata = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]);
