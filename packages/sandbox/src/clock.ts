/**
 * The emulator's "now": the machine's clock plus an offset that only grows.
 * `control.advanceClock(ms)` moves it, so a test (or a developer at the
 * dashboard) can reach what Paydo does after hours without waiting: an unpaid
 * invoice becomes overdue after 24 hours. The offset is plain data
 * (`ClockData`) kept with the rest of the state, so it can be saved and
 * restored with it.
 */
export interface ClockData {
  /** How far the emulator's time is ahead of the machine's, in ms (never negative). */
  offsetMs: number;
}

export class SandboxClock {
  readonly data: ClockData;
  readonly #listeners: (() => void)[] = [];

  constructor(data: ClockData = { offsetMs: 0 }) {
    this.data = data;
  }

  /** Milliseconds since the epoch, in the emulator's time. */
  nowMs(): number {
    return Date.now() + this.data.offsetMs;
  }

  /** Whole seconds since the epoch (Paydo's timestamps), in the emulator's time. */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** Moves the emulator's time forward; listeners (overdue invoices, due timers) run at once. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || !Number.isInteger(ms) || ms < 0) {
      throw new RangeError('The clock moves forward by a whole number of milliseconds ≥ 0.');
    }
    this.data.offsetMs += ms;
    for (const listener of this.#listeners) listener();
  }

  /** Back to the machine's time (a reset of the emulator). */
  reset(): void {
    this.data.offsetMs = 0;
  }

  onAdvance(listener: () => void): void {
    this.#listeners.push(listener);
  }
}
