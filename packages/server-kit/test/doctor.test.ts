import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoctorEnv, runDoctor } from '../src/doctor/doctor.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.close());

const envFor = (s: Sandbox, over: Partial<DoctorEnv> = {}): DoctorEnv => ({
  PAYDO_PUBLIC_KEY: s.project.publicKey,
  PAYDO_SECRET_KEY: s.project.secretKey,
  PAYDO_JWT: s.project.jwt,
  PAYDO_BASE_URL: s.apiUrl,
  PUBLIC_URL: 'https://shop.example',
  ...over,
});
const row = (rows: Awaited<ReturnType<typeof runDoctor>>, check: string) => rows.find((r) => r.check === check);

describe('paydo-doctor against the emulator', () => {
  it('a good setup with direct tokenization: every check passes, auto would use the card fields', async () => {
    const rows = await runDoctor(envFor(sandbox));
    expect(rows.filter((r) => r.verdict === 'fail')).toEqual([]);
    expect(row(rows, 'keys')?.verdict).toBe('ok');
    expect(row(rows, 'card mode')?.detail).toMatch(/direct tokenization is allowed/);
    expect(row(rows, 'payment methods')?.detail).toContain('200001 Bank card (cards; EUR/USD/UAH)');
    expect(row(rows, 'IPN URL')?.detail).toContain('https://shop.example/paydo/ipn');
    // One small unpaid invoice is all it made.
    expect(sandbox.control.snapshot().invoices.at(-1)).toMatchObject({ amount: 1, status: 0 });
    expect(sandbox.control.snapshot().transactions).toHaveLength(0);
  });

  it('a project without direct tokenization: auto would use Paydo’s card page; no card data was sent', async () => {
    const other = await createSandbox({ cardTokenization: false });
    try {
      const rows = await runDoctor(envFor(other));
      expect(row(rows, 'card mode')).toMatchObject({ verdict: 'ok', detail: expect.stringMatching(/not allowed/) });
      expect(other.control.snapshot().transactions).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('broken keys, JWT and IPN URL each get a failing line that says what to fix', async () => {
    const wrongSecret = await runDoctor(envFor(sandbox, { PAYDO_SECRET_KEY: 'not-the-secret' }));
    expect(row(wrongSecret, 'keys')).toMatchObject({
      verdict: 'fail',
      detail: expect.stringMatching(/Wrong signature/),
    });
    const wrongJwt = await runDoctor(envFor(sandbox, { PAYDO_JWT: 'a.b.c' }));
    expect(row(wrongJwt, 'JWT')).toMatchObject({ verdict: 'fail', detail: expect.stringMatching(/401/) });
    const expired = `x.${Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) - 86_400 * 3 })).toString('base64url')}.y`;
    expect(row(await runDoctor(envFor(sandbox, { PAYDO_JWT: expired })), 'JWT expiry')?.verdict).toBe('fail');
    const local = await runDoctor(envFor(sandbox, { PUBLIC_URL: 'http://localhost:3000' }));
    expect(row(local, 'IPN URL')?.verdict).toBe('fail');
    const privateNet = await runDoctor(envFor(sandbox, { PUBLIC_URL: 'https://192.168.1.5' }));
    expect(row(privateNet, 'IPN URL')?.verdict).toBe('fail');
    expect(row(await runDoctor({}), 'settings')?.verdict).toBe('fail');
  });

  it('the command prints the table and exits 1 on a failed check, 0 when ready', async () => {
    const run = (env: DoctorEnv) =>
      promisify(execFile)(process.execPath, [fileURLToPath(new URL('../bin/paydo-doctor.js', import.meta.url))], {
        env: { ...process.env, ...env },
      }).then(
        (r) => ({ code: 0, stdout: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
      );
    const good = await run(envFor(sandbox));
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^ok +keys/m);
    expect(good.stdout).toContain('Ready for Paydo.');
    const bad = await run(envFor(sandbox, { PAYDO_SECRET_KEY: 'wrong' }));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL +keys/m);
  });
});
