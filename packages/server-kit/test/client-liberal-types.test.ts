/**
 * Paydo's sources disagree about the JSON type of enum-like fields (official clients compare some
 * as numbers, others as strings). Every documented answer is parsed as recorded and again with
 * each enum-like field (state, status, type, code, ids) written the other way — a number as its
 * digits, digits as a number — one field at a time: the parsed result must be the same (codes
 * come out as numbers, ids as strings). Merchant data (`items`, `metadata`) and detail lists the
 * kit does not read (`commission`, `exchange`, `schedules`, `attributes`) keep their types as sent.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { SuccessEnvelope } from '../src/client/schemas/common.ts';
import {
  CardToken,
  CheckoutTransactionResult,
  Invoice,
  IpnPayload,
  PaymentMethodList,
  RefundIpnPayload,
  RefundList,
  Transaction,
  TransactionStatus,
} from '../src/index.ts';
import {
  cardTokenAnswers,
  createCheckoutAnswers,
  createInvoiceAnswers,
  createRefundAnswers,
  filterAnswers,
  getInvoiceAnswers,
  getRefundAnswers,
  listRefundAnswers,
  methodsAnswers,
  paymentIpnExamples,
  type RecordedAnswer,
  refundIpnExample,
  statusAnswers,
  transactionAnswers,
  voidAnswers,
} from './fixtures/documented-answers.ts';

const ENUM_LIKE = new Set([
  'status',
  'state',
  'type',
  'code',
  'refundType',
  'identifier',
  'id',
  'txid',
  'refundId',
  'userIdentifier',
  'parentIdentifier',
  'applicationIdentifier',
  'walletIdentifier',
  'paymentMethodIdentifier',
  'transactionIdentifier',
  'orderId',
  'orderIdentifier',
  'pid',
]);
const FREE_FORM = new Set(['items', 'metadata', 'commission', 'exchange', 'schedules', 'attributes', 'extraFields']);

type Path = (string | number)[];

/** Paths of enum-like fields holding an integer or a string of digits. */
function flippable(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => flippable(v, [...path, i]));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => {
    if (FREE_FORM.has(key)) return [];
    const here = [...path, key];
    if (
      ENUM_LIKE.has(key) &&
      ((typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^\d+$/.test(v)))
    )
      return [here];
    return flippable(v, here);
  });
}

/** A copy with the value at `path` written the other way. */
function flipped(value: unknown, path: Path): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  const v = at[last];
  at[last] = typeof v === 'number' ? String(v) : Number(v);
  return copy;
}

const answers = (list: RecordedAnswer[]) =>
  list.filter((a) => a.statusCode < 300).map((a) => [a.source, a.body] as const);
const data = (schema: z.ZodType) => (body: unknown) => schema.parse((body as { data: unknown }).data);
const whole = (schema: z.ZodType) => (body: unknown) => schema.parse(body);

const CASES: [string, (body: unknown) => unknown, (readonly [string, unknown])[]][] = [
  ['envelope', whole(SuccessEnvelope), answers([...createInvoiceAnswers, ...createRefundAnswers, ...cardTokenAnswers])],
  ['payment methods', data(PaymentMethodList), answers(methodsAnswers)],
  ['invoice', data(Invoice), answers(getInvoiceAnswers)],
  ['card token', data(CardToken), answers(cardTokenAnswers)],
  ['checkout transaction', data(CheckoutTransactionResult), answers([...createCheckoutAnswers, ...voidAnswers])],
  ['transaction status', data(TransactionStatus), answers(statusAnswers)],
  ['transaction', data(Transaction), answers(transactionAnswers)],
  ['transaction filter', data(Transaction.array()), answers(filterAnswers)],
  ['refunds', data(RefundList), answers([...getRefundAnswers, ...listRefundAnswers])],
  ['payment IPN', whole(IpnPayload), paymentIpnExamples.map((b, i) => [`payment IPN example ${i + 1}`, b] as const)],
  ['refund IPN', whole(RefundIpnPayload), [['refund IPN example', refundIpnExample] as const]],
];

describe('every enum-like field of every documented answer, as a number and as a string', () => {
  for (const [name, parse, bodies] of CASES) {
    it.each(bodies.map(([source, body]) => [source, body] as const))(`${name}: %s`, (_source, body) => {
      const expected = parse(body);
      const paths = flippable(body);
      const refused: string[] = [];
      const different: string[] = [];
      for (const path of paths) {
        const label = path.join('.');
        let got: unknown;
        try {
          got = parse(flipped(body, path));
        } catch {
          refused.push(label);
          continue;
        }
        try {
          expect(got).toEqual(expected);
        } catch {
          different.push(label);
        }
      }
      expect({ refused, notNormalised: different }).toEqual({ refused: [], notNormalised: [] });
    });
  }
});
