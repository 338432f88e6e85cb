import { isIP } from 'node:net';
import { StoreUnavailableError } from '../store/store.ts';
import { CheckoutHttpError } from './http-error.ts';
import type { RateLimitRedis, RateLimitWindow, ResolvedPluginOptions } from './options.ts';

/** Which windows a route counts against: payment attempts, or reads (order loads, status polls). */
export type RateLimitGroup = 'pay' | 'read';

/** What a request is counted by: the client's address, and the order it names (when it names one). */
export interface RateLimitKeys {
  ip: string;
  orderRef?: string | undefined;
}

/** One count: how many requests the window has seen, and in how many ms it starts again. */
interface Count {
  current: number;
  ttlMs: number;
}

interface CounterStore {
  incr(key: string, window: RateLimitWindow): Promise<Count>;
}

// A fixed window per key; the oldest keys go first past `maxKeys` (a flood of addresses cannot grow it unbounded).
class MemoryCounter implements CounterStore {
  readonly #counts = new Map<string, { current: number; resetAt: number }>();
  readonly #maxKeys: number;
  constructor(maxKeys = 10_000) {
    this.#maxKeys = maxKeys;
  }
  async incr(key: string, window: RateLimitWindow): Promise<Count> {
    const now = Date.now();
    let entry = this.#counts.get(key);
    if (!entry || entry.resetAt <= now) {
      this.#counts.delete(key);
      entry = { current: 0, resetAt: now + window.timeWindowMs };
      if (this.#counts.size >= this.#maxKeys) {
        const oldest = this.#counts.keys().next().value;
        if (oldest !== undefined) this.#counts.delete(oldest);
      }
      this.#counts.set(key, entry);
    }
    entry.current++;
    return { current: entry.current, ttlMs: entry.resetAt - now };
  }
}

// INCR and the window's expiry in one step, so instances sharing the Redis never lose a count.
const INCR_LUA = `
local current = redis.call('INCR', KEYS[1])
local ttl = tonumber(ARGV[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ttl) else ttl = redis.call('PTTL', KEYS[1]) end
return {current, ttl}`;
const COMMAND = 'paydoRateLimitIncr';

type RedisWithCommand = RateLimitRedis & Record<string, unknown>;

class RedisCounter implements CounterStore {
  readonly #redis: RedisWithCommand;
  readonly #keyPrefix: string;
  constructor(redis: RateLimitRedis, keyPrefix: string) {
    this.#redis = redis as RedisWithCommand;
    this.#keyPrefix = keyPrefix;
    if (typeof this.#redis[COMMAND] !== 'function') redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: INCR_LUA });
  }
  async incr(key: string, window: RateLimitWindow): Promise<Count> {
    const command = this.#redis[COMMAND] as (key: string, ttl: number) => Promise<[number, number]>;
    const [current, ttl] = await command.call(this.#redis, this.#keyPrefix + key, window.timeWindowMs);
    // A key left without expiry (-1) or gone between the two calls (-2) still gets a full window.
    return { current, ttlMs: ttl > 0 ? ttl : window.timeWindowMs };
  }
}

interface Limit {
  name: string;
  window: RateLimitWindow;
  store: CounterStore;
  keyOf(keys: RateLimitKeys): string;
}

/** The rate-limit headers of an answer (`x-ratelimit-*`, and `retry-after` on a 429). */
export type RateLimitHeaders = Record<string, string>;

/** A refused request: the catalogue's `rate_limited` answer, with the headers that say when to come back. */
export class RateLimitedError extends CheckoutHttpError {
  readonly headers: RateLimitHeaders;
  constructor(retryAfterSeconds: number, headers: RateLimitHeaders) {
    super('rate_limited', `Too many requests. Try again in ${describeSeconds(retryAfterSeconds)}.`);
    this.headers = headers;
  }
}

/**
 * The checkout's rate limits, with no web framework in them: each route names its group, the
 * adapter passes the client's address and the order, and gets the headers to send (or a
 * `RateLimitedError`). Counters are per process, or in Redis when the options give one; a Redis
 * that cannot count refuses the request with 503 rather than let card testers through.
 */
export class RateLimits {
  readonly #groups: Record<RateLimitGroup, Limit[]> = { pay: [], read: [] };

  constructor(options: Pick<ResolvedPluginOptions, 'rateLimit' | 'prefix'>) {
    const config = options.rateLimit;
    if (!config) return;
    const { redis, redisPrefix } = config;
    const storeFor = (name: string): CounterStore =>
      // One namespace per window, so two windows never share a counter.
      redis ? new RedisCounter(redis, `${redisPrefix}${options.prefix}:${name}:`) : new MemoryCounter();
    const byIp = (k: RateLimitKeys) => `ip:${addressBlock(k.ip)}`;
    const byOrder = (k: RateLimitKeys) => `order:${k.orderRef ?? ''}`;
    const limit = (name: string, window: RateLimitWindow, keyOf: Limit['keyOf']): Limit => ({
      name,
      window,
      store: storeFor(name),
      keyOf,
    });
    this.#groups.pay.push(limit('pay-ip', config.perIp, byIp), limit('pay-order', config.perOrder, byOrder));
    // Reading an order or polling a payment is cheap for a payer and costly to scrape or to
    // flood with made-up txids: a wider window, still per address.
    this.#groups.read.push(limit('read-ip', config.perIpReads, byIp));
  }

  /** Whether any window applies to this group (no work at all per request when not). */
  applies(group: RateLimitGroup | null): group is RateLimitGroup {
    return group !== null && this.#groups[group].length > 0;
  }

  /**
   * Counts one request against every window of its group. Resolves to the headers of the
   * tightest window; rejects with `RateLimitedError` (429) when one is used up, or with a
   * `StoreUnavailableError` (503) when the counters cannot be reached.
   */
  async check(group: RateLimitGroup, keys: RateLimitKeys): Promise<RateLimitHeaders> {
    let tightest: { limit: Limit; count: Count } | undefined;
    for (const limit of this.#groups[group]) {
      let count: Count;
      try {
        count = await limit.store.incr(limit.keyOf(keys), limit.window);
      } catch (error) {
        throw new StoreUnavailableError('The rate-limit store is not reachable right now.', { cause: error });
      }
      if (count.current > limit.window.max) {
        const seconds = Math.max(1, Math.ceil(count.ttlMs / 1000));
        throw new RateLimitedError(seconds, {
          ...headersOf(limit.window.max, 0, seconds),
          'retry-after': String(seconds),
        });
      }
      const left = limit.window.max - count.current;
      if (!tightest || left < tightest.limit.window.max - tightest.count.current) tightest = { limit, count };
    }
    if (!tightest) return {};
    const { limit, count } = tightest;
    return headersOf(limit.window.max, limit.window.max - count.current, Math.ceil(count.ttlMs / 1000));
  }
}

function headersOf(max: number, remaining: number, resetSeconds: number): RateLimitHeaders {
  return {
    'x-ratelimit-limit': String(max),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(resetSeconds),
  };
}

function describeSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/**
 * The block a client's address counts in: an IPv4 address alone, an IPv6 address by its /64 (one
 * subscriber's network: every host and VPS gets a whole /64, so counting single addresses would let
 * one machine pay from a new address each time).
 */
export function addressBlock(ip: string): string {
  if (!ip.includes(':') || isIP(ip) !== 6) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An IPv4 tail (::ffff:1.2.3.4) is in the last 32 bits, outside the /64.
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}
