import { isIP } from 'node:net';
/**
 * The store's settings from the environment. Without Paydo keys it runs on the
 * embedded emulator; with them, against Paydo. Any problem is reported in one
 * message that lists everything wrong.
 */
export interface StoreConfig {
  port: number;
  host: string;
  /** Where the shop is reached from outside (IPN and return URLs). */
  publicUrl: string | undefined;
  dataDir: string;
  /** DATABASE_URL: the kit's state in PostgreSQL, shared by several instances. Unset: SQLite in `dataDir`. */
  databaseUrl: string | undefined;
  /** REDIS_URL: rate limits counted in Redis, shared by several instances. Unset: per process. */
  redisUrl: string | undefined;
  /** The back office's password; null means "generate one and print it" (sandbox only). */
  adminPassword: string | null;
  /** Where payers type the card: `auto` (default), `direct` or `hosted`. */
  cardPayments: 'auto' | 'direct' | 'hosted';
  /** Sandbox only: whether the emulated project may tokenize cards directly (PAYDO_CARD_TOKENIZATION). */
  sandboxCardTokenization: boolean;
  /** Addresses IPNs are accepted from (PAYDO_IPN_SOURCES, comma-separated); every documented list (Paydo's and Payop's) when not set. */
  ipnSourceAddresses: string[] | undefined;
  /** Signs the cart and session cookies; set it so sessions survive restarts. */
  cookieSecret: string | undefined;
  paydo:
    | { mode: 'sandbox'; sandboxPort: number }
    | {
        mode: 'paydo';
        publicKey: string;
        secretKey: string;
        projectId: string | undefined;
        jwt: string;
        baseUrl: string | undefined;
      };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const KEYS = ['PAYDO_PUBLIC_KEY', 'PAYDO_SECRET_KEY', 'PAYDO_JWT'] as const;

export function loadConfig(env: Record<string, string | undefined> = process.env): StoreConfig {
  const problems: string[] = [];
  const port = portFrom(env.PORT, 'PORT', 3000, problems);
  const sandboxPort = portFrom(env.SANDBOX_PORT, 'SANDBOX_PORT', 8099, problems);
  const url = (name: string, value: string | undefined) => {
    if (value === undefined || value === '') return undefined;
    try {
      const u = new URL(value);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
      return value.replace(/\/+$/, '');
    } catch {
      problems.push(`${name} must be an http(s) URL, e.g. https://shop.example (got "${value}")`);
      return undefined;
    }
  };
  const publicUrl = url('PUBLIC_URL', env.PUBLIC_URL);
  const baseUrl = url('PAYDO_BASE_URL', env.PAYDO_BASE_URL);
  const given = KEYS.filter((k) => env[k]);
  let paydo: StoreConfig['paydo'] = { mode: 'sandbox', sandboxPort };
  if (given.length > 0 || env.PAYDO_PROJECT_ID) {
    for (const key of KEYS)
      if (!env[key])
        problems.push(`${key} is missing (set all of ${KEYS.join(', ')} to use Paydo, or none for the sandbox)`);
    if (env.PAYDO_PUBLIC_KEY && !/^application-[\w-]+$/.test(env.PAYDO_PUBLIC_KEY)) {
      problems.push('PAYDO_PUBLIC_KEY must look like application-<uuid> (from the Paydo account)');
    }
    if (env.PAYDO_JWT && env.PAYDO_JWT.split('.').length !== 3)
      problems.push('PAYDO_JWT must be the JWT from the Paydo account (three dot-separated parts)');
    if (!publicUrl)
      problems.push(
        'PUBLIC_URL is required with real Paydo keys: Paydo must reach your IPN URL and return the payer there',
      );
    paydo = {
      mode: 'paydo',
      publicKey: env.PAYDO_PUBLIC_KEY ?? '',
      secretKey: env.PAYDO_SECRET_KEY ?? '',
      projectId: env.PAYDO_PROJECT_ID || undefined,
      jwt: env.PAYDO_JWT ?? '',
      baseUrl,
    };
  }
  const adminPassword = env.ADMIN_PASSWORD || null;
  if (adminPassword !== null && adminPassword.length < 12)
    problems.push('ADMIN_PASSWORD must be at least 12 characters');
  if (paydo.mode === 'paydo' && adminPassword === null)
    problems.push('ADMIN_PASSWORD is required with real Paydo keys: the Orders page can refund money');
  const cardPayments = (env.PAYDO_CARD_PAYMENTS || 'auto') as StoreConfig['cardPayments'];
  if (!['auto', 'direct', 'hosted'].includes(cardPayments))
    problems.push(`PAYDO_CARD_PAYMENTS must be auto, direct or hosted (got "${env.PAYDO_CARD_PAYMENTS}")`);
  const tokenization = env.PAYDO_CARD_TOKENIZATION || 'true';
  if (!/^(true|false)$/.test(tokenization))
    problems.push(`PAYDO_CARD_TOKENIZATION must be true or false (got "${tokenization}")`);
  // The same variable paydo-doctor reads, so the doctor reports the list the store uses.
  const sources = env.PAYDO_IPN_SOURCES?.split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  for (const a of sources ?? [])
    if (!isIP(a)) problems.push(`PAYDO_IPN_SOURCES has "${a}", which is not an IP address`);
  const ipnSourceAddresses = sources?.length ? sources : undefined;
  const cookieSecret = env.COOKIE_SECRET || undefined;
  if (cookieSecret !== undefined && cookieSecret.length < 32)
    problems.push('COOKIE_SECRET must be at least 32 characters');
  const serviceUrl = (name: string, value: string | undefined, schemes: string[], example: string) => {
    if (!value) return undefined;
    let ok = false;
    try {
      ok = schemes.includes(new URL(value).protocol);
    } catch {}
    if (!ok) problems.push(`${name} must be a URL like ${example}`);
    return value;
  };
  const databaseUrl = serviceUrl(
    'DATABASE_URL',
    env.DATABASE_URL,
    ['postgres:', 'postgresql:'],
    'postgres://user:password@db.internal:5432/shop',
  );
  const redisUrl = serviceUrl('REDIS_URL', env.REDIS_URL, ['redis:', 'rediss:'], 'redis://redis.internal:6379');
  if (problems.length)
    throw new ConfigError(`The store's settings need attention:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    publicUrl,
    dataDir: env.DATA_DIR ?? '.data',
    databaseUrl,
    redisUrl,
    adminPassword,
    cookieSecret,
    cardPayments,
    ipnSourceAddresses,
    sandboxCardTokenization: tokenization === 'true',
    paydo,
  };
}

function portFrom(value: string | undefined, name: string, fallback: number, problems: string[]): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    problems.push(`${name} must be a port number 0–65535 (got "${value}")`);
    return fallback;
  }
  return n;
}
