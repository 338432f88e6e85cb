import { parseArgs } from 'node:util';
import { type FaultSpecError, parseFaults } from './faults.ts';
import { createSandbox } from './index.ts';
import type { SandboxOptions, SandboxProject } from './options.ts';
import { TEST_CARDS } from './test-data.ts';
import { parseVariantList, resolveVariants, VARIANT_CHOICES } from './variants.ts';

const VARIANT_HELP = Object.entries(VARIANT_CHOICES)
  .map(([name, values]) => `                         ${name}: ${values.join(' | ')}`)
  .join('\n');

const HELP = `paydo-sandbox — a local Paydo emulator

Usage: paydo-sandbox [options]

  --port <n>             Port to listen on (default 8099; 0 = any free port)
  --host <addr>          Address to bind (default 127.0.0.1)
  --ipn-url <url>        Where to POST IPNs (none: deliveries are recorded as undeliverable)
  --public-key <key>     Project public key, application-<uuid>   (env PAYDO_PUBLIC_KEY)
  --secret-key <key>     Project secret key, signs invoices        (env PAYDO_SECRET_KEY)
  --project-id <id>      Project (application) id                  (env PAYDO_PROJECT_ID)
  --jwt <token>          JWT for authenticated calls               (env PAYDO_JWT)
  --ipn-schedule <s>     compressed (default), paydo (about 24 h), or delays in ms: 100,500,2000
  --ipn-duplicates <n>   Deliver every IPN n extra times on purpose (default 0)
  --ipn-on-pending       Also send an IPN when a transaction becomes pending
  --pending-ms <n>       How long the pending test card stays pending (default 1500)
  --invoice-lifetime-ms <n>
                         An unpaid invoice becomes overdue after n ms of the emulator's time
                         (default 86400000, Paydo's 24 hours); the dashboard's clock moves time on
  --no-card-tokenization Direct card tokenization off for the project, as Paydo has it for merchants
                         without PCI DSS: card-token/create answers 403; cards go to the hosted page
                         (env PAYDO_CARD_TOKENIZATION=false)
  --faults <spec>        Fault rules: endpoint:kind[=value][:rate=R][:after][:times=N], comma-separated
                         kinds: latency=ms, error=5xx, timeout, reset; endpoint * for all
                         e.g. --faults "checkout.create:error=503:rate=0.3,*:latency=200"
  --refund-accept-ms <n> A new refund is accepted after n ms (default 300), then its IPN is sent;
                         "manual": only through the control API
  --variant <name=value> Answer like one source where Paydo's sources disagree (repeatable,
                         or comma-separated; env PAYDO_SANDBOX_VARIANTS); first value is the default:
${VARIANT_HELP}
  --seed <n>             Seed for deterministic ids and fault decisions
  --public-origin <url>  Origin the emulator's pages are reached at (behind a proxy)
  --log                  Log every request
  -h, --help             Show this help
`;

export async function main(argv: string[]): Promise<void> {
  let options: SandboxOptions;
  try {
    options = parseCli(argv);
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(HELP);
      return;
    }
    process.stderr.write(`paydo-sandbox: ${(error as Error).message}\nRun "paydo-sandbox --help" for the options.\n`);
    process.exitCode = 2;
    return;
  }
  const sandbox = await createSandbox(options).catch((error: NodeJS.ErrnoException) => {
    const reason =
      error.code === 'EADDRINUSE' ? `port ${options.port} is already in use (try --port 0)` : error.message;
    process.stderr.write(`paydo-sandbox: cannot start: ${reason}\n`);
    process.exitCode = 1;
    return undefined;
  });
  if (!sandbox) return;
  const p = sandbox.project;
  process.stdout.write(
    [
      `Paydo sandbox running at ${sandbox.url}`,
      `  API base URL:  ${sandbox.apiUrl}`,
      `  Dashboard:     ${sandbox.dashboardUrl}`,
      `  Public key:    ${p.publicKey}`,
      `  Secret key:    ${p.secretKey}`,
      `  Project id:    ${p.projectId}`,
      `  JWT:           ${p.jwt}`,
      `  IPN URL:       ${options.ipnUrl ?? '(none: set --ipn-url)'}`,
      '  Test cards (any future expiry, any CVV):',
      ...TEST_CARDS.map((c) => `    ${c.pan.replace(/(\d{4})(?=\d)/g, '$1 ')}  ${c.description}`),
      '',
    ].join('\n'),
  );
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

class HelpRequested extends Error {}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): SandboxOptions {
  const { values } = parseArgs({
    // `pnpm sandbox -- --help` hands the `--` on (pnpm 10+): a leading one separates nothing here.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'ipn-url': { type: 'string' },
      'public-key': { type: 'string' },
      'secret-key': { type: 'string' },
      'project-id': { type: 'string' },
      jwt: { type: 'string' },
      'ipn-schedule': { type: 'string' },
      'ipn-duplicates': { type: 'string' },
      'ipn-on-pending': { type: 'boolean' },
      'no-card-tokenization': { type: 'boolean' },
      'pending-ms': { type: 'string' },
      'invoice-lifetime-ms': { type: 'string' },
      faults: { type: 'string' },
      seed: { type: 'string' },
      'refund-accept-ms': { type: 'string' },
      variant: { type: 'string', multiple: true },
      'public-origin': { type: 'string' },
      log: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new HelpRequested();
  const int = (name: string, value: string | undefined, min: number, max: number) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${value}".`);
    return n;
  };
  let ipnSchedule: SandboxOptions['ipnSchedule'];
  const schedule = values['ipn-schedule'];
  if (schedule === 'compressed' || schedule === 'paydo') ipnSchedule = schedule;
  else if (schedule !== undefined) {
    const delays = schedule.split(',').map((s) => Number(s.trim()));
    if (delays.some((n) => !Number.isFinite(n) || n < 0)) {
      throw new Error(`--ipn-schedule must be compressed, paydo or comma-separated delays in ms, got "${schedule}".`);
    }
    ipnSchedule = delays;
  }
  let faults: SandboxOptions['faults'];
  if (values.faults !== undefined) {
    try {
      faults = parseFaults(values.faults);
    } catch (error) {
      throw new Error(`--faults: ${(error as FaultSpecError).message}`);
    }
  }
  const options: SandboxOptions = {
    port: int('port', values.port, 0, 65535) ?? 8099,
    project: projectFrom(values, env),
    logger: values.log ?? false,
  };
  if (values.host !== undefined) options.host = values.host;
  if (values['ipn-url'] !== undefined) options.ipnUrl = values['ipn-url'];
  if (ipnSchedule !== undefined) options.ipnSchedule = ipnSchedule;
  const duplicates = int('ipn-duplicates', values['ipn-duplicates'], 0, 100);
  if (duplicates !== undefined) options.ipnDuplicates = duplicates;
  if (values['ipn-on-pending']) options.ipnOnPending = true;
  const pendingMs = int('pending-ms', values['pending-ms'], 0, 86_400_000);
  if (pendingMs !== undefined) options.pendingMs = pendingMs;
  const lifetime = int('invoice-lifetime-ms', values['invoice-lifetime-ms'], 1, 30 * 86_400_000);
  if (lifetime !== undefined) options.invoiceLifetimeMs = lifetime;
  if (faults !== undefined) options.faults = faults;
  const seed = int('seed', values.seed, 0, 2 ** 32 - 1);
  if (seed !== undefined) options.seed = seed;
  if (values['public-origin'] !== undefined) options.publicOrigin = values['public-origin'];
  const refundAccept = values['refund-accept-ms'];
  if (refundAccept === 'manual') options.refundAcceptMs = null;
  else if (refundAccept !== undefined)
    options.refundAcceptMs = int('refund-accept-ms', refundAccept, 0, 86_400_000) ?? null;
  const variantText = [env.PAYDO_SANDBOX_VARIANTS ?? '', ...(values.variant ?? [])].join(',');
  if (variantText.replaceAll(',', '').trim() !== '') {
    try {
      options.variants = resolveVariants(parseVariantList(variantText));
    } catch (error) {
      throw new Error(`--variant: ${(error as Error).message.replace(/^paydo-sandbox: /, '')}`);
    }
  }
  const tokenizationEnv = env.PAYDO_CARD_TOKENIZATION;
  if (tokenizationEnv !== undefined && tokenizationEnv !== '' && !/^(true|false|1|0)$/.test(tokenizationEnv)) {
    throw new Error(`PAYDO_CARD_TOKENIZATION must be true or false, got "${tokenizationEnv}".`);
  }
  if (values['no-card-tokenization'] || /^(false|0)$/.test(tokenizationEnv ?? '')) options.cardTokenization = false;
  return options;
}

function projectFrom(
  values: { 'public-key'?: string; 'secret-key'?: string; 'project-id'?: string; jwt?: string },
  env: NodeJS.ProcessEnv,
): Partial<SandboxProject> {
  const project: Partial<SandboxProject> = {};
  const set = (key: keyof SandboxProject, flag: string | undefined, fromEnv: string | undefined) => {
    const value = pick(flag, fromEnv);
    if (value !== undefined) project[key] = value;
  };
  set('publicKey', values['public-key'], env.PAYDO_PUBLIC_KEY);
  set('secretKey', values['secret-key'], env.PAYDO_SECRET_KEY);
  set('projectId', values['project-id'], env.PAYDO_PROJECT_ID);
  set('jwt', values.jwt, env.PAYDO_JWT);
  return project;
}

function pick(flag: string | undefined, env: string | undefined): string | undefined {
  return flag ?? (env === '' ? undefined : env);
}
