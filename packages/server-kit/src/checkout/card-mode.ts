import { PaydoForbiddenError } from '../errors.ts';
import type { CardMode } from '../protocol.ts';
import type { PaydoStore } from '../store/store.ts';
import type { CheckoutLogger } from './logger.ts';

const SETTING = 'cardMode';
/** How long a "direct" reading is trusted before the store is asked again (another instance may have switched). */
const DIRECT_RECHECK_MS = 5_000;

/** Paydo's answer for a project without direct card tokenization (no PCI DSS certificate on file). */
export function isTokenizationRefused(error: unknown): boolean {
  return error instanceof PaydoForbiddenError && /tokeni[sz]ation/i.test(error.message);
}

/**
 * Where payers enter their card. `auto` is hosted (Paydo's card page) until this process has seen
 * Paydo accept direct tokenization for the project (the card mode check at start, `confirmDirect`):
 * a card number never reaches this server on an assumption. A refusal (the check, or a 403 at pay
 * time) makes it hosted in the store, so every instance agrees; the last reading is this module's
 * own cache.
 */
export class CardModes {
  readonly #setting: 'auto' | 'direct' | 'hosted';
  readonly #store: PaydoStore;
  #seen: { hosted: boolean; readAt: number } | null = null;
  /** This process saw Paydo accept direct tokenization (the check's answer), since its last refusal. */
  #directConfirmed = false;

  constructor(setting: 'auto' | 'direct' | 'hosted', store: PaydoStore) {
    this.#setting = setting;
    this.#store = store;
  }

  async current(): Promise<CardMode> {
    if (this.#setting !== 'auto') return this.#setting;
    if (!this.#directConfirmed) return 'hosted';
    // The switch only ever goes to hosted, so a hosted reading never expires; a direct one is
    // read again every few seconds rather than on every checkout (one store round trip less).
    const seen = this.#seen;
    if (seen && (seen.hosted || Date.now() - seen.readAt < DIRECT_RECHECK_MS)) return seen.hosted ? 'hosted' : 'direct';
    const hosted = (await this.#store.readSetting(SETTING)) === 'hosted';
    this.#seen = { hosted, readAt: Date.now() };
    return hosted ? 'hosted' : 'direct';
  }

  /** `auto` may switch to hosted on a refusal (a `direct` or `hosted` setting never changes). */
  get switchable(): boolean {
    return this.#setting === 'auto';
  }

  /** Paydo accepts direct tokenization for the project now (the check's answer): the widget's card fields. */
  async confirmDirect(): Promise<void> {
    await this.#store.saveSetting(SETTING, 'direct');
    this.#seen = { hosted: false, readAt: Date.now() };
    this.#directConfirmed = true;
  }

  /** Remembers that cards go to Paydo's page; the instance that made the change says so, once. */
  async switchToHosted(log: CheckoutLogger): Promise<void> {
    this.#directConfirmed = false;
    const changed = await this.#store.saveSetting(SETTING, 'hosted');
    this.#seen = { hosted: true, readAt: Date.now() };
    if (changed) {
      log.warn(
        'paydo: Paydo does not allow direct card tokenization for this project (it needs a PCI DSS certificate). ' +
          'Card payments now continue on Paydo’s own card page (cardPayments "auto" → hosted); no card data reaches ' +
          'this server. To silence this, set cardPayments: "hosted"; to use your own card fields, ask Paydo to ' +
          'enable direct tokenization and set cardPayments: "direct".',
      );
    }
  }
}
