import { z } from 'zod';
import { AnswerAmount, DecimalAmount, UnixSeconds } from './common.ts';

export const RefundType = { full: 1, partial: 2 } as const;

export const CreateRefundParams = z.object({
  transactionIdentifier: z.string().min(1),
  refundType: z.union([z.literal(1), z.literal(2)]),
  /** In the parent transaction's currency. */
  amount: z.union([DecimalAmount, z.number().positive().transform(String)]),
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type CreateRefundParams = z.input<typeof CreateRefundParams>;

export const Refund = z.looseObject({
  identifier: z.string(),
  status: z.union([z.number(), z.string()]).nullish(),
  state: z.union([z.number(), z.string()]).nullish(),
  type: z.union([z.number(), z.string()]).nullish(),
  amount: AnswerAmount.nullish(),
  currency: z.string().nullish(),
  transactionIdentifier: z.string().nullish(),
  createdAt: UnixSeconds.nullish(),
  updatedAt: UnixSeconds.nullish(),
});
export type Refund = z.infer<typeof Refund>;

export const RefundList = z.array(Refund);
