import { isIP } from 'node:net';
import { PAYDO_IPN_SOURCE_ADDRESSES } from '../client/schemas/ipn.ts';

export type CardPaymentsSetting = 'auto' | 'direct' | 'hosted';

/** What `paydo-doctor` checks: the same settings the store (and your server) runs with. */
export interface DoctorConfig {
  publicKey: string;
  secretKey: string;
  jwt: string;
  /** Defaults to the public key without `application-`. */
  projectId?: string | undefined;
  baseUrl?: string | undefined;
  /** Where Paydo posts IPNs; from `PAYDO_IPN_URL`, else `PUBLIC_URL` + `/paydo/ipn`. */
  ipnUrl?: string | undefined;
  /** Where the test invoice's payer would return; from `PUBLIC_URL`. */
  publicUrl?: string | undefined;
  /** The addresses IPNs are accepted from; Paydo's published list when not set. */
  ipnSourceAddresses?: readonly string[] | undefined;
  cardPayments: CardPaymentsSetting;
}

export class DoctorConfigError extends Error {
  override name = 'DoctorConfigError';
}

export const DOCTOR_ENV = [
  'PAYDO_PUBLIC_KEY',
  'PAYDO_SECRET_KEY',
  'PAYDO_JWT',
  'PAYDO_PROJECT_ID',
  'PAYDO_BASE_URL',
  'PUBLIC_URL',
  'PAYDO_IPN_URL',
  'PAYDO_IPN_SOURCE_ADDRESSES',
  'PAYDO_CARD_PAYMENTS',
] as const;

/** Reads the `PAYDO_*` variables (and `PUBLIC_URL`); one error lists everything missing or malformed. */
export function doctorConfigFromEnv(env: Record<string, string | undefined>): DoctorConfig {
  const problems: string[] = [];
  for (const key of ['PAYDO_PUBLIC_KEY', 'PAYDO_SECRET_KEY', 'PAYDO_JWT'] as const) {
    if (!env[key]) problems.push(`${key} is not set (copy it from the Paydo account)`);
  }
  const cardPayments = (env.PAYDO_CARD_PAYMENTS || 'auto') as CardPaymentsSetting;
  if (!['auto', 'direct', 'hosted'].includes(cardPayments)) {
    problems.push(`PAYDO_CARD_PAYMENTS must be auto, direct or hosted (got "${env.PAYDO_CARD_PAYMENTS}")`);
  }
  const publicUrl = env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : undefined;
  const ipnSourceAddresses = parseIpnSourceAddresses(env.PAYDO_IPN_SOURCE_ADDRESSES, problems);
  if (problems.length) throw new DoctorConfigError(problems.map((p) => `  - ${p}`).join('\n'));
  return {
    publicKey: env.PAYDO_PUBLIC_KEY as string,
    secretKey: env.PAYDO_SECRET_KEY as string,
    jwt: env.PAYDO_JWT as string,
    projectId: env.PAYDO_PROJECT_ID || undefined,
    baseUrl: env.PAYDO_BASE_URL || undefined,
    ipnUrl: env.PAYDO_IPN_URL || (publicUrl ? `${publicUrl}/paydo/ipn` : undefined),
    publicUrl,
    ipnSourceAddresses,
    cardPayments,
  };
}

/**
 * `PAYDO_IPN_SOURCE_ADDRESSES`: comma-separated IPs, `+` in front to add to
 * Paydo's published list instead of replacing it. Unset: Paydo's list.
 */
export function parseIpnSourceAddresses(value: string | undefined, problems: string[]): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const add = value.trim().startsWith('+');
  const given = value
    .replace(/^\s*\+/, '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  for (const a of given) {
    if (!isIP(a)) problems.push(`PAYDO_IPN_SOURCE_ADDRESSES has "${a}", which is not an IP address`);
  }
  return add ? [...PAYDO_IPN_SOURCE_ADDRESSES, ...given] : given;
}
