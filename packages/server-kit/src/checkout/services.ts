import type { CardModes } from './card-mode.ts';
import type { Ledger } from './ledger.ts';
import type { MethodCatalog } from './methods.ts';
import type { ResolvedPluginOptions } from './options.ts';
import type { TransactionStatuses } from './transaction-status.ts';
import type { TransactionSteps } from './transaction-steps.ts';

/**
 * The checkout's parts, each owning its own cache: the steps of a payment call each other
 * through this, never through a route.
 */
export interface CheckoutServices {
  options: ResolvedPluginOptions;
  methods: MethodCatalog;
  cardModes: CardModes;
  statuses: TransactionStatuses;
  ledger: Ledger;
  steps: TransactionSteps;
}
