import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('PAYDO_CARD_PAYMENTS=direct on a project without direct tokenization is a failing line (every card payment would fail)', async () => {
    const other = await createSandbox({ cardTokenization: false });
    try {
      const direct = await runDoctor(envFor(other, { PAYDO_CARD_PAYMENTS: 'direct' }));
      expect(row(direct, 'card mode')).toMatchObject({
        verdict: 'fail',
        detail: expect.stringContaining('use auto or hosted'),
      });
      const hosted = await runDoctor(envFor(other, { PAYDO_CARD_PAYMENTS: 'hosted' }));
      expect(row(hosted, 'card mode')).toMatchObject({
        verdict: 'ok',
        detail: expect.stringContaining('PAYDO_CARD_PAYMENTS=hosted'),
      });
      // Allowed: direct is fine.
      expect(row(await runDoctor(envFor(sandbox, { PAYDO_CARD_PAYMENTS: 'direct' })), 'card mode')?.verdict).toBe('ok');
      expect(row(await runDoctor(envFor(sandbox, { PAYDO_CARD_PAYMENTS: 'sometimes' })), 'settings')?.verdict).toBe(
        'fail',
      );
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
    const wrongJwt = await runDoctor(envFor(sandbox, { PAYDO_JWT: 'not-the-jwt' }));
    expect(row(wrongJwt, 'JWT')).toMatchObject({ verdict: 'fail', detail: expect.stringMatching(/401/) });
    const damagedJwt = await runDoctor(envFor(sandbox, { PAYDO_JWT: 'a.b.c' }));
    expect(row(damagedJwt, 'JWT')).toMatchObject({ verdict: 'fail', detail: expect.stringMatching(/422.*damaged/) });
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

  it('a refused JWT is one failing line: no findings that only follow from it', async () => {
    const rows = await runDoctor(envFor(sandbox, { PAYDO_JWT: 'not-the-jwt' }));
    expect(row(rows, 'JWT')?.verdict).toBe('fail');
    expect(rows.filter((r) => r.verdict === 'fail').map((r) => r.check)).toEqual(['JWT']);
    expect(row(rows, 'card mode')).toBeUndefined();
    expect(row(rows, 'payment methods')).toBeUndefined();
    expect(row(rows, 'keys')?.verdict).toBe('ok'); // the keys do not need the JWT
  });

  it('the IPN sources in force: the documented list, or a warning naming what PAYDO_IPN_SOURCES misses', async () => {
    const rows = await runDoctor(envFor(sandbox));
    expect(row(rows, 'IPN sources')).toMatchObject({ verdict: 'ok', detail: expect.stringContaining('52.49.204.201') });
    const narrow = await runDoctor(
      envFor(sandbox, { PAYDO_IPN_SOURCES: '18.199.249.46,35.158.36.143,3.125.109.58,3.127.103.117' }),
    );
    expect(row(narrow, 'IPN sources')).toMatchObject({
      verdict: 'warn',
      detail: expect.stringMatching(
        /missing 52\.49\.204\.201 \(PaydoW\/paydo-api-doc Checkout\/ipn\.md\).*54\.229\.170\.212/,
      ),
    });
  });
});

describe('paydo-doctor names an unreachable or wrong API in one line, and stops', () => {
  const only = (rows: Awaited<ReturnType<typeof runDoctor>>) => {
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ check: 'API', verdict: 'fail' });
    return rows[0]?.detail;
  };

  it('a closed port', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const detail = only(await runDoctor(envFor(sandbox, { PAYDO_BASE_URL: `http://127.0.0.1:${port}/v1` })));
    expect(detail).toBe(
      `nothing answers at 127.0.0.1:${port} (connection refused): check PAYDO_BASE_URL and that the server is up`,
    );
  });

  it('a host that does not resolve', async () => {
    const detail = only(await runDoctor(envFor(sandbox, { PAYDO_BASE_URL: 'https://paydo-doctor-test.invalid/v1' })));
    expect(detail).toMatch(/^the host paydo-doctor-test\.invalid is not found \(DNS E(NOTFOUND|AI_AGAIN)\)/);
  });

  it('TLS that fails (https to a port speaking http)', async () => {
    const url = new URL(sandbox.apiUrl);
    const detail = only(await runDoctor(envFor(sandbox, { PAYDO_BASE_URL: `https://${url.host}/v1` })));
    expect(detail).toMatch(/^TLS: /);
  });

  it('a base URL without /v1', async () => {
    const detail = only(await runDoctor(envFor(sandbox, { PAYDO_BASE_URL: sandbox.url })));
    expect(detail).toBe(
      `PAYDO_BASE_URL ${sandbox.url} lacks /v1: Paydo's API is at https://paydo.com/v1 (try ${sandbox.url}/v1)`,
    );
  });

  it("a URL that answers as something that is not Paydo's API", async () => {
    const web = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Shop</h1>'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(web.address() as AddressInfo).port}/v1`;
      expect(only(await runDoctor(envFor(sandbox, { PAYDO_BASE_URL: base })))).toBe(
        `${base} answers as something that is not Paydo's API (HTTP 200, text/html to an invoice lookup): check PAYDO_BASE_URL`,
      );
    } finally {
      await new Promise<void>((r) => web.close(() => r()));
    }
  });
});
