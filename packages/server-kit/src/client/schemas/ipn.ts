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

/**
 * Every IPN source address Paydo's and Payop's pages publish, each with its page. Paydo's own
 * pages (every IPN page of PaydoW/paydo-api-doc, e.g. `Checkout/ipn.md`) list two; Payop's pages
 * (`5.IPN/ipn.md`, `4.Refund/refund.md` of Payop/payop-api-doc) list four others. The default
 * allow-list is their union: every IPN is confirmed with Paydo (JWT) before anything is applied,
 * so a wider list costs nothing in safety, and a missing address would refuse genuine IPNs.
 */
export const DOCUMENTED_IPN_SOURCES: readonly { address: string; source: string }[] = [
  { address: '52.49.204.201', source: 'PaydoW/paydo-api-doc Checkout/ipn.md' },
  { address: '54.229.170.212', source: 'PaydoW/paydo-api-doc Checkout/ipn.md' },
  { address: '18.199.249.46', source: 'Payop/payop-api-doc 5.IPN/ipn.md, 4.Refund/refund.md' },
  { address: '35.158.36.143', source: 'Payop/payop-api-doc 5.IPN/ipn.md, 4.Refund/refund.md' },
  { address: '3.125.109.58', source: 'Payop/payop-api-doc 5.IPN/ipn.md, 4.Refund/refund.md' },
  { address: '3.127.103.117', source: 'Payop/payop-api-doc 5.IPN/ipn.md, 4.Refund/refund.md' },
];

/** The default `ipnSourceAddresses`: every documented address (configuration, not a rule). */
export const PAYDO_IPN_SOURCE_ADDRESSES: readonly string[] = DOCUMENTED_IPN_SOURCES.map((s) => s.address);
