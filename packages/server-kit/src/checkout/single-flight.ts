/**
 * One upstream call per key at a time, and its answer reused for `ttlMs`:
 * 100 widgets polling one transaction make one call per interval, not 100.
 */
export class SingleFlight<V> {
  readonly #entries = new Map<string, { promise: Promise<V>; expires: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #cacheable: (value: V) => boolean;
  #lastSweep = 0;

  /** `cacheable` says which answers may be reused for `ttlMs` (others serve only the calls already waiting). */
  constructor(ttlMs: number, options: { maxEntries?: number; cacheable?: (value: V) => boolean } = {}) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#cacheable = options.cacheable ?? (() => true);
  }

  run(key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit && hit.expires > now) return hit.promise;
    // Expired answers are dropped at least once per TTL, not only when the map is full: a busy
    // shop would otherwise keep up to `maxEntries` stale answers alive (about 2 KB each).
    if (this.#entries.size >= this.#maxEntries || now - this.#lastSweep >= Math.max(this.#ttlMs, 1_000)) {
      this.#sweep(now);
    }
    const promise = load();
    // While loading the entry never expires; once settled it lives for ttlMs (failures are not cached).
    const entry = { promise, expires: Number.POSITIVE_INFINITY };
    this.#entries.set(key, entry);
    promise.then(
      (value) => {
        if (this.#cacheable(value)) entry.expires = Date.now() + this.#ttlMs;
        else if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    return promise;
  }

  forget(key: string): void {
    this.#entries.delete(key);
  }

  #sweep(now: number): void {
    this.#lastSweep = now;
    for (const [key, entry] of this.#entries) if (entry.expires <= now) this.#entries.delete(key);
  }
}
