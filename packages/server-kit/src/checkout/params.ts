import { z } from 'zod';
import { orderNotFound } from './http-error.ts';

// Order references are the merchant's own; anything longer or with control characters is no order of theirs.
// (A NUL would also be refused by PostgreSQL as text: it must never reach a store.)
export const OrderRef = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^\p{Cc}]+$/u);
const OrderParams = z.object({ orderRef: OrderRef });

/** The route's `:orderRef`, checked by its schema; an impossible one is an unknown order. */
export function orderRefFrom(params: unknown): string {
  const parsed = OrderParams.safeParse(params);
  if (!parsed.success) throw orderNotFound();
  return parsed.data.orderRef;
}
