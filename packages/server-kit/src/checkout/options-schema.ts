/**
 * The plugin's options as a zod schema: every option is checked when the plugin is
 * registered, so a mistake stops the app at start-up with a sentence naming the option,
 * instead of a 500 at the first Pay. Each message is written for the merchant who reads it.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { PaydoClient } from '../client/client.ts';
import { compileTrustProxy } from './client-address.ts';

/** The order the options are reported in (the order a merchant writes them in). */
export const OPTION_ORDER = [
  'resolveOrder',
  'onPaymentUpdate',
  'checkoutPageUrl',
  'onRefundUpdate',
  'onIpn',
  'client',
  'publicKey',
  'secretKey',
  'jwt',
  'projectId',
  'baseUrl',
  'prefix',
] as const;

const fn = (name: string, when = 'must be a function') =>
  z.unknown().refine((v) => typeof v === 'function', { error: `\`${name}\` ${when}` });

const count = (name: string) =>
  z.number({ error: `\`${name}\` must be a number ≥ 0` }).min(0, { error: `\`${name}\` must be a number ≥ 0` });

const isOrigin = (value: unknown) => typeof value === 'string' && URL.canParse(value);
const origin = (name: string) =>
  z.unknown().refine(isOrigin, {
    error: (issue) =>
      `\`${name}\` has ${JSON.stringify(issue.input)}, which is not an origin like https://shop.example`,
  });
const origins = (name: string) => z.array(origin(name), { error: `\`${name}\` must be a list of origins` });

const window = (name: string) =>
  z.object(
    {
      max: z.int({ error: `\`${name}.max\` must be a whole number above 0` }).positive({
        error: `\`${name}.max\` must be a whole number above 0`,
      }),
      timeWindowMs: z.number({ error: `\`${name}.timeWindowMs\` must be a number of milliseconds above 0` }).positive({
        error: `\`${name}.timeWindowMs\` must be a number of milliseconds above 0`,
      }),
    },
    { error: `\`${name}\` must be {max, timeWindowMs}` },
  );

const key = (name: string) => z.string({ error: `\`${name}\` must be text` }).optional();

const PREFIX = '`prefix` must start with "/" and not end with one, e.g. "/paydo"';

/** An example order reference the page URL is built for at registration (a UUID, as recommended). */
const SAMPLE_REF = '00000000-0000-4000-8000-000000000000';

/** Each option on its own. */
export const PluginOptionsSchema = z.object({
  prefix: z
    .string({ error: PREFIX })
    .regex(/^(\/[\w\-/]*[^/])?$/, { error: PREFIX })
    .optional(),
  publicKey: key('publicKey'),
  secretKey: key('secretKey'),
  jwt: key('jwt'),
  projectId: key('projectId'),
  baseUrl: key('baseUrl'),
  client: z
    .unknown()
    .refine((v) => v instanceof PaydoClient, { error: '`client` must be a PaydoClient' })
    .optional(),
  resolveOrder: fn('resolveOrder'),
  onPaymentUpdate: fn('onPaymentUpdate'),
  onRefundUpdate: fn('onRefundUpdate', 'must be a function when given').optional(),
  onIpn: fn('onIpn', 'must be a function when given').optional(),
  checkoutPageUrl: fn('checkoutPageUrl'),
  store: z
    .unknown()
    .refine(
      (v) =>
        typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>).claimIdempotencyKey === 'function',
      { error: '`store` must be a PaydoStore (MemoryStore, SqliteStore, PostgresStore or your own)' },
    )
    .optional(),
  hostedPageOrigin: origin('hostedPageOrigin').optional(),
  ipnSourceAddresses: z
    .array(
      z.unknown().refine((v) => typeof v === 'string' && isIP(v) !== 0, {
        error: (issue) => `\`ipnSourceAddresses\` has ${JSON.stringify(issue.input)}, which is not an IP address`,
      }),
      { error: '`ipnSourceAddresses` must be a list of IP addresses' },
    )
    .optional(),
  trustProxy: z.unknown().optional(),
  allowedOrigins: origins('allowedOrigins').optional(),
  allowedRedirectOrigins: origins('allowedRedirectOrigins').optional(),
  methodsCacheTtlMs: count('methodsCacheTtlMs').optional(),
  pollIntervalMs: count('pollIntervalMs').optional(),
  statusCacheMs: count('statusCacheMs').optional(),
  // `false` turns the limits off; anything else must be the object.
  rateLimit: z
    .preprocess(
      (v) => (v === false ? undefined : v),
      z
        .object(
          {
            perIp: window('rateLimit.perIp').optional(),
            perOrder: window('rateLimit.perOrder').optional(),
            perIpReads: window('rateLimit.perIpReads').optional(),
            redis: z
              .unknown()
              .refine(
                (v) =>
                  typeof v === 'object' &&
                  v !== null &&
                  typeof (v as Record<string, unknown>).defineCommand === 'function',
                { error: '`rateLimit.redis` must be an ioredis client' },
              )
              .optional(),
            redisPrefix: z.string({ error: '`rateLimit.redisPrefix` must be text' }).optional(),
          },
          { error: '`rateLimit` must be false or {perIp, perOrder, perIpReads, redis, redisPrefix}' },
        )
        .optional(),
    )
    .optional(),
  cardPayments: z
    .enum(['auto', 'direct', 'hosted'], { error: '`cardPayments` must be "auto", "direct" or "hosted"' })
    .optional(),
  bodyLimit: count('bodyLimit').optional(),
  ipnBodyLimit: count('ipnBodyLimit').optional(),
  orderLockLeaseMs: count('orderLockLeaseMs').optional(),
  claimLeaseMs: count('claimLeaseMs').optional(),
  refundDuplicateCharges: z.boolean({ error: '`refundDuplicateCharges` must be true or false' }).optional(),
  reconcileIntervalMs: count('reconcileIntervalMs').optional(),
});

/** Rules across options, checked on their own so that they are listed even when a field above failed. */
const CrossOptionRules = z.looseObject({}).superRefine((o, ctx) => {
  const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (!o.client) {
    if (!o.publicKey) problem('publicKey', '`publicKey` is required');
    if (!o.secretKey) problem('secretKey', '`secretKey` is required');
    if (!o.jwt) problem('jwt', '`jwt` is required (IPNs are confirmed with it)');
  }
  if (typeof o.checkoutPageUrl === 'function') {
    const problemOf = checkoutPageUrlProblem(o.checkoutPageUrl as (orderRef: string) => unknown);
    if (problemOf) problem('checkoutPageUrl', problemOf);
  }
  if (o.trustProxy === true) {
    problem(
      'trustProxy',
      '`trustProxy` must name your proxies (addresses, CIDRs or a hop count), never `true`: then anyone could pick the address the IPN allowlist and the rate limits see',
    );
  } else {
    try {
      compileTrustProxy(o.trustProxy as Parameters<typeof compileTrustProxy>[0]);
    } catch (error) {
      problem('trustProxy', `\`trustProxy\`: ${(error as Error).message}`);
    }
  }
});

/** Every problem with the options, one sentence each, in the order a merchant writes them. */
export function pluginOptionProblems(options: unknown): string[] {
  const issues = [PluginOptionsSchema, CrossOptionRules].flatMap((schema) => {
    const parsed = schema.safeParse(options ?? {});
    return parsed.success ? [] : parsed.error.issues;
  });
  const rank = (key: PropertyKey | undefined) => {
    const i = (OPTION_ORDER as readonly PropertyKey[]).indexOf(key ?? '');
    return i === -1 ? OPTION_ORDER.length : i;
  };
  return issues.sort((a, b) => rank(a.path[0]) - rank(b.path[0])).map((issue) => issue.message);
}

/**
 * The payer comes back to this page from 3-D Secure and redirects, through Paydo: it must be
 * an absolute http(s) URL. Asked once, for an example reference, when the plugin is registered.
 */
function checkoutPageUrlProblem(checkoutPageUrl: (orderRef: string) => unknown): string | null {
  let url: unknown;
  try {
    url = checkoutPageUrl(SAMPLE_REF);
  } catch (error) {
    return `\`checkoutPageUrl\` threw when called with an order reference: ${(error as Error)?.message ?? error}`;
  }
  const parsed = typeof url === 'string' && URL.canParse(url) ? new URL(url) : null;
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    return `\`checkoutPageUrl\` must return an absolute http(s) URL, e.g. "https://shop.example/checkout/<orderRef>"; it returned ${JSON.stringify(url)} (build it from your public origin, known before the plugin is registered)`;
  }
  return null;
}
