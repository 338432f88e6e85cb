import type { FastifyBaseLogger } from 'fastify';
import { PaydoForbiddenError } from '../errors.ts';
import type { CardMode } from '../protocol.ts';
import type { PluginContext } from './context.ts';

const SETTING = 'cardMode';
/** How long a "direct" reading is trusted before the store is asked again (another instance may have switched). */
const DIRECT_RECHECK_MS = 5_000;

/**
 * Where payers enter their card now. `auto` starts direct and stays hosted once
 * Paydo has refused tokenization for the project (the store remembers it, so
 * every instance and restart agrees).
 */
export async function cardMode(ctx: PluginContext): Promise<CardMode> {
  const { cardPayments, store } = ctx.options;
  if (cardPayments !== 'auto') return cardPayments;
  // The switch only ever goes to hosted, so a hosted reading never expires; a direct one is
  // read again every few seconds rather than on every checkout (one store round trip less).
  const seen = ctx.cardModeSeen;
  if (seen && (seen.hosted || Date.now() - seen.readAt < DIRECT_RECHECK_MS)) return seen.hosted ? 'hosted' : 'direct';
  const hosted = (await store.readSetting(SETTING)) === 'hosted';
  ctx.cardModeSeen = { hosted, readAt: Date.now() };
  return hosted ? 'hosted' : 'direct';
}

/** Paydo's answer for a project without direct card tokenization (no PCI DSS certificate on file). */
export function isTokenizationRefused(error: unknown): boolean {
  return error instanceof PaydoForbiddenError && /tokeni[sz]ation/i.test(error.message);
}

/** Remembers that cards go to Paydo's page; the instance that made the change says so, once. */
export async function switchToHostedCards(ctx: PluginContext, log: FastifyBaseLogger): Promise<void> {
  const changed = await ctx.options.store.saveSetting(SETTING, 'hosted');
  ctx.cardModeSeen = { hosted: true, readAt: Date.now() };
  if (changed) {
    log.warn(
      'paydo: Paydo does not allow direct card tokenization for this project (it needs a PCI DSS certificate). ' +
        'Card payments now continue on Paydo’s own card page (cardPayments "auto" → hosted); no card data reaches ' +
        'this server. To silence this, set cardPayments: "hosted"; to use your own card fields, ask Paydo to ' +
        'enable direct tokenization and set cardPayments: "direct".',
    );
  }
}
