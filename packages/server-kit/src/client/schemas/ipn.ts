import { z } from 'zod';

/**
 * The IPN body exactly as Paydo posts it. It has no signature: a receiver
 * checks the source address and confirms by fetching the transaction.
 */
// Paydo's ids are uuids; anything that could not be an id is refused outright (400, not a retry).
const PaydoId = z.string().regex(/^[\w-]{1,128}$/, 'is not a Paydo id');

export const IpnPayload = z.looseObject({
  invoice: z.looseObject({
    id: PaydoId,
    txid: PaydoId,
    status: z.union([z.number(), z.string()]).optional(),
    metadata: z.unknown().optional(),
  }),
  transaction: z.looseObject({
    id: PaydoId,
    state: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
    order: z.looseObject({ id: z.string().min(1) }),
    error: z
      .looseObject({
        message: z.string().nullish(),
        code: z.union([z.string(), z.number()]).nullish(),
      })
      .nullish(),
  }),
});
export type IpnPayload = z.output<typeof IpnPayload>;

/** Paydo's published IPN source addresses (current pages). Configuration, not a rule. */
export const PAYDO_IPN_SOURCE_ADDRESSES: readonly string[] = [
  '18.199.249.46',
  '35.158.36.143',
  '3.125.109.58',
  '3.127.103.117',
];
