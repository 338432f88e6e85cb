import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { SANDBOX_METHODS } from '../test-data.ts';
import { MESSAGES, refuseUnauthorized, sendData, sendError } from './common.ts';

export function paymentMethodRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.get<{ Params: { projectId: string } }>(
    '/instrument-settings/payment-methods/available-for-application/:projectId',
    { config: { endpoint: 'methods.list' } },
    async (request, reply) => {
      if (refuseUnauthorized(request, reply, ctx.options.project)) return reply;
      if (request.params.projectId !== ctx.options.project.projectId) {
        return sendError(reply, 403, MESSAGES.forbidden);
      }
      const origin = ctx.origin();
      const { methodRows, methodFormType } = ctx.options.variants;
      const rows = SANDBOX_METHODS.filter((m) => m.enabled).map((m) => ({
        identifier: m.identifier,
        type: m.type,
        ...(methodFormType === 'present' ? { formType: m.formType } : {}),
        title: m.title,
        logo: origin + m.logoPath,
        parentIdentifier: null,
        pmIdentifier: uuidFor(m.identifier),
        isCheckoutBetweenWalletSupported: false,
        currencies: m.currencies,
        countries: m.countries,
        config: { fields: m.fields },
      }));
      return sendData(
        reply,
        methodRows === 'wrapped' ? rows.map((row) => ({ paymentMethod: { ...row, isEnabled: true } })) : rows,
      );
    },
  );
}

function uuidFor(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}
