import { z } from 'zod';
import { RefundType } from '../../vocabulary.ts';
import {
  AnswerAmount,
  AnswerCode,
  AnswerId,
  DecimalAmount,
  emptyArrayAsObject,
  Metadata,
  UnixSeconds,
} from './common.ts';
import { TransactionFields } from './transactions.ts';

export { RefundStatus, RefundType } from '../../vocabulary.ts';

export const CreateRefundParams = z.object({
  transactionIdentifier: z.string().min(1),
  refundType: z.union([z.literal(RefundType.full), z.literal(RefundType.partial)]),
  /** In the parent transaction's currency. */
  amount: z.union([DecimalAmount, z.number().positive().transform(String)]),
  metadata: Metadata.default({}),
});
export type CreateRefundParams = z.input<typeof CreateRefundParams>;

export const Refund = z
  .looseObject({
    identifier: AnswerId,
    /** The examples show 1 (new, waiting for acceptance) and 2 (accepted); no page lists them all. */
    status: AnswerCode.nullish(),
    state: AnswerCode.nullish(),
    type: AnswerCode.nullish(),
    amount: AnswerAmount.nullish(),
    currency: z.string().nullish(),
    transactionIdentifier: AnswerId.nullish(),
    /** The refunded transaction (the examples carry it here, not in `transactionIdentifier`). */
    sourceTransaction: emptyArrayAsObject(z.looseObject(TransactionFields).partial()).nullish(),
    userIdentifier: AnswerId.nullish(),
    metadata: Metadata.nullish(),
    createdAt: UnixSeconds.nullish(),
    updatedAt: UnixSeconds.nullish(),
  })
  // The documented answers name the refunded transaction only in `sourceTransaction`.
  .transform((r) => ({
    ...r,
    transactionIdentifier: r.transactionIdentifier ?? r.sourceTransaction?.identifier ?? null,
  }));
export type Refund = z.output<typeof Refund>;

export const RefundList = z.array(Refund);
