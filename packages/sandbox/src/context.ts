import type { SandboxClock } from './clock.ts';
import type { FaultInjector } from './faults.ts';
import type { IpnDelivery } from './ipn/delivery.ts';
import type { ResolvedOptions } from './options.ts';
import type { Random } from './random.ts';
import type { SandboxState } from './state.ts';

/** What every route of the emulator works with. */
export interface SandboxContext {
  options: ResolvedOptions;
  state: SandboxState;
  ipn: IpnDelivery;
  faults: FaultInjector;
  random: Random;
  /** The emulator's time (the one source of "now"; `control.advanceClock` moves it). */
  clock: SandboxClock;
  /** The emulator's own origin, for its ACS, wallet and hosted pages. */
  origin(): string;
}
