import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.ts';

const BIN = fileURLToPath(new URL('../bin/paydo-sandbox.js', import.meta.url));

function runCli(args: string[], until?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, PAYDO_JWT: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (until?.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('paydo-sandbox CLI', () => {
  it('parses every flag, and the four key settings from the environment', () => {
    const options = parseCli(
      [
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--ipn-url',
        'http://127.0.0.1:3000/paydo/ipn',
        '--public-key',
        'application-abc',
        '--ipn-schedule',
        '10,20',
        '--ipn-duplicates',
        '2',
        '--faults',
        'checkout.create:error=503:rate=0.5',
        '--seed',
        '7',
        '--pending-ms',
        '100',
      ],
      { PAYDO_SECRET_KEY: 'from-env', PAYDO_JWT: 'jwt-env', PAYDO_PROJECT_ID: 'pid' },
    );
    expect(options).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      ipnUrl: 'http://127.0.0.1:3000/paydo/ipn',
      project: { publicKey: 'application-abc', secretKey: 'from-env', jwt: 'jwt-env', projectId: 'pid' },
      ipnSchedule: [10, 20],
      ipnDuplicates: 2,
      faults: [{ endpoint: 'checkout.create', kind: 'error', value: 503, rate: 0.5 }],
      seed: 7,
      pendingMs: 100,
    });
  });

  it('switches direct card tokenization off by flag or environment', () => {
    expect(parseCli([], {}).cardTokenization).toBeUndefined();
    expect(parseCli(['--no-card-tokenization'], {}).cardTokenization).toBe(false);
    expect(parseCli([], { PAYDO_CARD_TOKENIZATION: 'false' }).cardTokenization).toBe(false);
    expect(parseCli([], { PAYDO_CARD_TOKENIZATION: 'true' }).cardTokenization).toBeUndefined();
    expect(() => parseCli([], { PAYDO_CARD_TOKENIZATION: 'nope' })).toThrow(
      /PAYDO_CARD_TOKENIZATION must be true or false/,
    );
  });

  it.each([
    [['--port', 'abc'], /--port must be a whole number/],
    [['--ipn-schedule', 'often'], /--ipn-schedule must be/],
    [['--faults', 'x:y'], /--faults: Unknown endpoint/],
    [['--nope'], /Unknown option '--nope'/],
  ])('rejects %j with a clear message', (args, message) => {
    expect(() => parseCli(args, {})).toThrow(message);
  });

  it('starts, prints its URL, keys and dashboard, and stops on SIGTERM', async () => {
    const { stdout } = await runCli(['--port', '0', '--seed', '1'], /Test cards/);
    expect(stdout).toMatch(/Paydo sandbox running at http:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toMatch(/Dashboard: +http:\/\/127\.0\.0\.1:\d+\/_sandbox/);
    expect(stdout).toContain('Public key:    application-');
    expect(stdout).toContain('4000 0000 0000 3220');
  });

  it('exits 2 with a message for a bad flag, and prints help', async () => {
    const bad = await runCli(['--port', '99999']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port must be a whole number from 0 to 65535');
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--ipn-url <url>');
  });
});
