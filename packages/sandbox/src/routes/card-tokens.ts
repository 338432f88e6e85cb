import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { scenarioForPan } from '../test-data.ts';
import { asObject, createdStatus, FieldErrors, MESSAGES, sendData, sendError } from './common.ts';
import { sendInvoiceNotFound } from './invoices.ts';

const TOKEN_TTL_SECONDS = 15 * 60;

export function cardTokenRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.post(
    '/payment-tools/card-token/create',
    { config: { endpoint: 'card-token.create' } },
    async (request, reply) => {
      if (!ctx.options.cardTokenization) return sendError(reply, 403, MESSAGES.tokenizationForbidden);
      const body = asObject(request.body) ?? {};
      const errors = new FieldErrors();
      const invoiceId = errors.requireString('invoiceIdentifier', body.invoiceIdentifier);
      const pan = errors.requireString('pan', body.pan)?.replace(/\s+/g, '');
      if (pan !== undefined && !(/^\d{12,19}$/.test(pan) && luhn(pan))) errors.add('pan', 'Invalid card number.');
      const expiry = errors.requireString('expirationDate', body.expirationDate);
      if (expiry !== undefined) {
        const problem = expiryProblem(expiry);
        if (problem) errors.add('expirationDate', problem);
      }
      const cvv = errors.requireString('cvv', body.cvv);
      if (cvv !== undefined) {
        if (cvv.length > 4) errors.add('cvv', 'This value is too long. It should have 4 characters or less.');
        else if (cvv.length < 3) errors.add('cvv', 'This value is too short. It should have 3 characters or more.');
        else if (!/^\d+$/.test(cvv)) errors.add('cvv', MESSAGES.invalid);
      }
      const holderName = errors.requireString('holderName', body.holderName);
      if (errors.any) return sendError(reply, 422, errors.map);

      const invoice = ctx.state.invoices.get(invoiceId as string);
      if (!invoice) return sendInvoiceNotFound(reply, ctx, invoiceId as string, 'card tokenization');

      const { scenario, brand } = scenarioForPan(pan as string);
      const token = ctx.state.newId();
      const expiresAt = ctx.state.now() + TOKEN_TTL_SECONDS;
      // Only what a real token vault would let the merchant see: never the full number or the CVV.
      ctx.state.addCardToken({
        token,
        invoiceIdentifier: invoice.identifier,
        expiresAt,
        used: false,
        card: {
          bin: (pan as string).slice(0, 6),
          lastDigits: (pan as string).slice(-4),
          brand,
          holderName: holderName as string,
          scenario,
        },
      });
      return sendData(reply, { token, expired_at: expiresAt }, { status: createdStatus(ctx) });
    },
  );
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function expiryProblem(value: string, now = new Date()): string | null {
  const m = /^(0[1-9]|1[0-2])\/(\d{2})$/.exec(value);
  if (!m) return 'Invalid expiration date. Use the MM/YY format.';
  const month = Number(m[1]);
  const year = 2000 + Number(m[2]);
  if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1)) {
    return 'Card is expired.';
  }
  return null;
}
