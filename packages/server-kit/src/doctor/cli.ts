import { DOCTOR_ENV, DoctorConfigError, doctorConfigFromEnv } from './config.ts';
import { type DoctorReport, runDoctor } from './doctor.ts';

const HELP = `paydo-doctor — checks a Paydo setup before the first real payment

Usage: npx paydo-doctor

Reads the same variables as your server (and the example store):
  PAYDO_PUBLIC_KEY, PAYDO_SECRET_KEY, PAYDO_JWT   the project's keys (required)
  PAYDO_PROJECT_ID      the project id, when it is not the public key without "application-"
  PAYDO_BASE_URL        the API (default https://paydo.com/v1; the sandbox prints its own)
  PUBLIC_URL            where your shop is reached; the IPN URL is PUBLIC_URL/paydo/ipn
  PAYDO_IPN_URL         the IPN URL, when it is elsewhere
  PAYDO_IPN_SOURCE_ADDRESSES  IPN sender allowlist (comma-separated; "+a,b" adds to Paydo's list)
  PAYDO_CARD_PAYMENTS   auto (default), direct or hosted

It only reads, except one unpaid invoice of 1.00 (Paydo marks it overdue after 24 hours).
Exit status: 0 ready (warnings allowed), 1 a blocking problem, 2 bad settings.
`;

interface Out {
  write(text: string): unknown;
}

/** Runs the checks and prints the table; answers the exit status. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  stdout: Out,
  stderr: Out,
): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    stdout.write(HELP);
    return 0;
  }
  if (argv.length) {
    stderr.write(
      `paydo-doctor: takes no arguments (got "${argv.join(' ')}"); it reads ${DOCTOR_ENV[0]} and the others.\n`,
    );
    return 2;
  }
  let config: ReturnType<typeof doctorConfigFromEnv>;
  try {
    config = doctorConfigFromEnv(env);
  } catch (error) {
    if (!(error instanceof DoctorConfigError)) throw error;
    stderr.write(`paydo-doctor: the settings need attention:\n${error.message}\n`);
    return 2;
  }
  const report = await runDoctor(config);
  stdout.write(formatReport(report));
  return report.blocking ? 1 : 0;
}

const MARK = { ok: 'ok', warn: 'WARN', fail: 'FAIL', skip: '-' } as const;

/** The verdict table: one line per check, then the overall verdict. */
export function formatReport(report: DoctorReport): string {
  const width = Math.max(...report.lines.map((l) => l.check.length), 5);
  const rows = report.lines.map((l) => `${l.check.padEnd(width)}  ${MARK[l.verdict].padEnd(4)}  ${l.detail}`);
  const fails = report.lines.filter((l) => l.verdict === 'fail').length;
  const warns = report.lines.filter((l) => l.verdict === 'warn').length;
  const verdict = fails
    ? `${fails} blocking problem${fails === 1 ? '' : 's'}: fix the FAIL lines before taking payments.`
    : `Ready to take payments${warns ? ` (${warns} warning${warns === 1 ? '' : 's'})` : ''}.`;
  return [
    `paydo-doctor: ${report.baseUrl}, project ${report.projectId}`,
    '',
    `${'check'.padEnd(width)}  ${'    '}  detail`,
    ...rows,
    '',
    verdict,
    '',
  ].join('\n');
}
