// `npx paydo-doctor`: reads the same PAYDO_* variables as the example store (and PUBLIC_URL),
// prints one line per check, exits 1 when a check failed.
import { existsSync } from 'node:fs';
import { formatRows, runDoctor } from './doctor.ts';

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // The same settings file as the example store: `.env` in this folder, the real environment winning.
  if (env === process.env && existsSync('.env')) {
    const before = { ...process.env };
    process.loadEnvFile('.env');
    for (const [name, value] of Object.entries(before)) process.env[name] = value;
    process.stdout.write('paydo-doctor: read .env\n');
  }
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`paydo-doctor — checks your Paydo setup (read-only, but for one small unpaid invoice)

Reads: PAYDO_PUBLIC_KEY, PAYDO_SECRET_KEY, PAYDO_JWT, and optionally PAYDO_PROJECT_ID, PAYDO_BASE_URL,
PUBLIC_URL (or PAYDO_IPN_URL), PAYDO_IPN_SOURCES (comma-separated), PAYDO_CARD_PAYMENTS, from the
environment or a .env file in this folder (the environment wins). Exits 1 when a check fails.
`);
    return 0;
  }
  const rows = await runDoctor(env);
  process.stdout.write(`${formatRows(rows)}\n`);
  const failed = rows.filter((r) => r.verdict === 'fail').length;
  process.stdout.write(failed ? `\n${failed} check(s) failed.\n` : '\nReady for Paydo.\n');
  return failed ? 1 : 0;
}
