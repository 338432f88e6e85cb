import type { FaultRule } from './faults.ts';
import { DEFAULT_INVOICE_LIFETIME_MS } from './state.ts';
import { resolveVariants, type SandboxVariants } from './variants.ts';

export interface SandboxProject {
  publicKey: string;
  secretKey: string;
  /** The application id; the methods path uses it. */
  projectId: string;
  jwt: string;
}

export type IpnScheduleName = 'compressed' | 'paydo';

export interface SandboxOptions {
  /** Default 0 (any free port) for `createSandbox`; the CLI defaults to 8099. */
  port?: number;
  host?: string;
  project?: Partial<SandboxProject>;
  /** Where IPNs are posted. Without it, none are sent (they are still recorded as undeliverable). */
  ipnUrl?: string | undefined;
  /** `compressed` (milliseconds, for tests), `paydo` (about 24 hours) or explicit delays in ms. */
  ipnSchedule?: IpnScheduleName | number[];
  /** Extra copies of every delivered IPN, on purpose (receivers must apply once). */
  ipnDuplicates?: number;
  /** Also send an IPN when a transaction becomes pending (state 4). */
  ipnOnPending?: boolean;
  /** How long the pending test card stays pending. */
  pendingMs?: number;
  /**
   * How long an unpaid invoice can be paid, in the emulator's time, before it becomes overdue
   * (status 2, `isOverdue: true`). Default 24 hours, as Paydo's docs say.
   */
  invoiceLifetimeMs?: number;
  /** Card tokenization enabled for the project (403 when not). */
  cardTokenization?: boolean;
  /**
   * How long a new refund waits before it is accepted (then its refund IPN is
   * sent). `null`: only when accepted through the control API. Default 300 ms.
   */
  refundAcceptMs?: number | null;
  /** Answer shapes where Paydo's sources disagree; see `VARIANT_CHOICES`. Default: the current Paydo pages. */
  variants?: Partial<SandboxVariants>;
  faults?: FaultRule[];
  /** Seed for deterministic ids and fault decisions. */
  seed?: number | undefined;
  /** Origin the emulator's own pages are reached at, when not its listen address. */
  publicOrigin?: string | undefined;
  /** Fastify logging: off by default. */
  logger?: boolean;
  /**
   * What the emulator keeps, so a long test run or a long-lived dev sandbox
   * stays bounded: the newest `maxInvoices` invoices (default 10,000) younger
   * than `ttlMs` (default 24 hours), each with its card tokens, transactions
   * and refunds; at least the newest `maxIpnAttempts` IPN attempts (default
   * 10,000; trimmed in batches, so at most twice as many).
   * A forgotten invoice is answered as an unknown one.
   */
  retain?: { maxInvoices?: number; ttlMs?: number; maxIpnAttempts?: number };
}

export interface Retention {
  maxInvoices: number;
  ttlMs: number;
  maxIpnAttempts: number;
}

export const DEFAULT_PROJECT: SandboxProject = {
  publicKey: 'application-6f1b1b5a-5b8e-4c1e-9a57-5a6e0d2f0001',
  secretKey: 'sandbox-secret-key',
  projectId: '6f1b1b5a-5b8e-4c1e-9a57-5a6e0d2f0001',
  jwt: 'sandbox.jwt.token',
};

export const IPN_SCHEDULES: Record<IpnScheduleName, number[]> = {
  // Retries within a few seconds, so tests see the whole schedule.
  compressed: [50, 100, 200, 400, 800, 1_600],
  // About Paydo's: retries for up to 24 hours.
  paydo: [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 28_800_000],
};

export interface ResolvedOptions {
  port: number;
  host: string;
  project: SandboxProject;
  ipnUrl: string | undefined;
  ipnSchedule: number[];
  ipnDuplicates: number;
  ipnOnPending: boolean;
  pendingMs: number;
  invoiceLifetimeMs: number;
  cardTokenization: boolean;
  refundAcceptMs: number | null;
  variants: SandboxVariants;
  faults: FaultRule[];
  seed: number | undefined;
  publicOrigin: string | undefined;
  logger: boolean;
  retain: Retention;
}

export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  const problems: string[] = [];
  const project = { ...DEFAULT_PROJECT, ...stripUndefined(options.project ?? {}) };
  if (options.project?.publicKey && !options.project.projectId) {
    project.projectId = options.project.publicKey.replace(/^application-/, '');
  }
  if (!/^application-[\w-]+$/.test(project.publicKey)) problems.push('public key must look like application-<uuid>');
  for (const key of ['secretKey', 'projectId', 'jwt'] as const) {
    if (!project[key]) problems.push(`${key} must not be empty`);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('port must be 0–65535');
  if (options.ipnUrl !== undefined) checkUrl(options.ipnUrl, 'ipn url', problems);
  if (options.publicOrigin !== undefined) checkUrl(options.publicOrigin, 'public origin', problems);
  const schedule = Array.isArray(options.ipnSchedule)
    ? options.ipnSchedule
    : IPN_SCHEDULES[options.ipnSchedule ?? 'compressed'];
  if (!schedule || schedule.some((n) => !Number.isFinite(n) || n < 0)) {
    problems.push('ipn schedule must be "compressed", "paydo" or a list of non-negative delays in ms');
  }
  const duplicates = options.ipnDuplicates ?? 0;
  if (!Number.isInteger(duplicates) || duplicates < 0 || duplicates > 100)
    problems.push('ipn duplicates must be 0–100');
  const pendingMs = options.pendingMs ?? 1_500;
  if (!Number.isFinite(pendingMs) || pendingMs < 0) problems.push('pending ms must be ≥ 0');
  const invoiceLifetimeMs = options.invoiceLifetimeMs ?? DEFAULT_INVOICE_LIFETIME_MS;
  if (!Number.isInteger(invoiceLifetimeMs) || invoiceLifetimeMs < 1)
    problems.push('invoice lifetime ms must be a whole number ≥ 1');
  const refundAcceptMs = options.refundAcceptMs === undefined ? 300 : options.refundAcceptMs;
  if (refundAcceptMs !== null && (!Number.isFinite(refundAcceptMs) || refundAcceptMs < 0))
    problems.push('refund accept ms must be ≥ 0 or null');
  const retain: Retention = {
    maxInvoices: options.retain?.maxInvoices ?? 10_000,
    ttlMs: options.retain?.ttlMs ?? 24 * 60 * 60 * 1000,
    maxIpnAttempts: options.retain?.maxIpnAttempts ?? 10_000,
  };
  for (const [name, value] of Object.entries(retain)) {
    if (!Number.isInteger(value) || value < 1) problems.push(`retain.${name} must be a whole number ≥ 1`);
  }
  if (problems.length) throw new TypeError(`paydo-sandbox: invalid options: ${problems.join('; ')}.`);
  return {
    port,
    host: options.host ?? '127.0.0.1',
    project,
    ipnUrl: options.ipnUrl,
    ipnSchedule: schedule ?? [],
    ipnDuplicates: duplicates,
    ipnOnPending: options.ipnOnPending ?? false,
    pendingMs,
    invoiceLifetimeMs,
    cardTokenization: options.cardTokenization ?? true,
    refundAcceptMs,
    variants: resolveVariants(options.variants),
    faults: options.faults ?? [],
    seed: options.seed,
    publicOrigin: options.publicOrigin?.replace(/\/+$/, ''),
    logger: options.logger ?? false,
    retain,
  };
}

function checkUrl(value: string, name: string, problems: string[]): void {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`${name} must be http(s)`);
  } catch {
    problems.push(`${name} is not a URL`);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
