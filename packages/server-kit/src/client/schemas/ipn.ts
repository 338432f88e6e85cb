import { z } from 'zod';
import { AnswerAmount, AnswerCode, AnswerId } from './common.ts';

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
    status: AnswerCode.optional(),
    metadata: z.unknown().optional(),
  }),
  transaction: z.looseObject({
    id: PaydoId,
    state: AnswerCode,
    // Payop's demo app sends a numeric order id; Paydo echoes what it got.
    order: z.looseObject({ id: AnswerId.pipe(z.string().min(1)) }),
    error: z
      .looseObject({
        message: z.string().nullish(),
        code: AnswerId.nullish(),
      })
      .nullish(),
  }),
});
export type IpnPayload = z.output<typeof IpnPayload>;

/**
 * The refund IPN (Payop's IPN and refund pages): the refund as `transaction`
 * with its `refundId`, and the refunded `sourceTransaction`. Unsigned like the
 * payment IPN: confirm it by looking the refund up before acting.
 */
export const RefundIpnPayload = z.looseObject({
  transaction: z.looseObject({
    refundId: PaydoId,
    state: AnswerCode,
    amount: AnswerAmount.nullish(),
    currency: z.string().nullish(),
    metadata: z.unknown().optional(),
    error: z
      .looseObject({
        message: z.string().nullish(),
        code: AnswerId.nullish(),
      })
      .nullish(),
  }),
  sourceTransaction: z.looseObject({ id: PaydoId, state: AnswerCode.nullish() }),
});
export type RefundIpnPayload = z.output<typeof RefundIpnPayload>;

/** Paydo's published IPN source addresses (current pages). Configuration, not a rule. */
export const PAYDO_IPN_SOURCE_ADDRESSES: readonly string[] = [
  '18.199.249.46',
  '35.158.36.143',
  '3.125.109.58',
  '3.127.103.117',
];
