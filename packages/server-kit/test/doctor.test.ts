// paydo-doctor against the emulator: both card modes, broken keys, an expiring JWT, the IPN URL,
// the contract drift check, and the CLI's table and exit status.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSandbox, type Sandbox } from '@paydo-checkout/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PaymentMethodList } from '../src/client/schemas/payment-methods.ts';
import { type DoctorConfig, doctorConfigFromEnv } from '../src/doctor/config.ts';
import { type DoctorReport, ipnUrlVerdict, runDoctor } from '../src/doctor/doctor.ts';
import { driftOf } from '../src/doctor/drift.ts';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const jwtWith = (claims: object) =>
  `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJl`;

async function start(options: Parameters<typeof createSandbox>[0] = {}): Promise<Sandbox> {
  sandbox = await createSandbox(options);
  return sandbox;
}

const configFor = (s: Sandbox, over: Partial<DoctorConfig> = {}): DoctorConfig => ({
  ...s.project,
  baseUrl: s.apiUrl,
  ipnUrl: 'https://shop.example.com/paydo/ipn',
  cardPayments: 'auto',
  ...over,
});

const verdicts = (r: DoctorReport) => Object.fromEntries(r.lines.map((l) => [l.check, l.verdict]));
const detail = (r: DoctorReport, check: string) => r.lines.find((l) => l.check === check)?.detail ?? '';

describe('paydo-doctor', () => {
  it('a healthy project with direct tokenization: every line ok, auto uses direct, one unpaid invoice', async () => {
    const s = await start();
    const report = await runDoctor(configFor(s));
    expect(verdicts(report)).toEqual({
      JWT: 'ok',
      'public key': 'ok',
      'secret key': 'ok',
      'project id': 'ok',
      'payment methods': 'ok',
      'card payments': 'ok',
      'IPN URL': 'ok',
      'IPN allowlist': 'ok',
      contract: 'ok',
      'test invoice': 'ok',
    });
    expect(report.blocking).toBe(false);
    expect(report.autoCardMode).toBe('direct');
    expect(detail(report, 'card payments')).toContain('auto uses your card fields (direct)');
    expect(detail(report, 'payment methods')).toContain('Bank card [200001] (EUR, USD, UAH)');
    // Read-only but for one unpaid invoice: no transaction (the tokenization probe carries no card).
    const state = s.control.snapshot();
    expect(state.invoices.map((i) => [i.identifier, i.status])).toEqual([[report.invoiceId, 0]]);
    expect(state.transactions).toHaveLength(0);
  });

  it('tokenization off: auto will use Paydo’s card page (not blocking); PAYDO_CARD_PAYMENTS=direct is blocking', async () => {
    const s = await start({ cardTokenization: false });
    const auto = await runDoctor(configFor(s));
    expect(auto.autoCardMode).toBe('hosted');
    expect(auto.blocking).toBe(false);
    expect(detail(auto, 'card payments')).toMatch(/not allowed .*auto uses Paydo’s card page \(hosted\)/);
    const direct = await runDoctor(configFor(s, { cardPayments: 'direct' }));
    expect(verdicts(direct)['card payments']).toBe('fail');
    expect(direct.blocking).toBe(true);
  });

  it('broken keys: each wrong key is named, and it is blocking', async () => {
    const s = await start();
    const secret = await runDoctor(configFor(s, { secretKey: 'not-the-secret' }));
    expect(verdicts(secret)).toMatchObject({ 'public key': 'ok', 'secret key': 'fail' });
    expect(detail(secret, 'secret key')).toContain('Wrong signature');
    expect(secret.blocking).toBe(true);

    const publicKey = await runDoctor(configFor(s, { publicKey: 'application-00000000-0000-0000-0000-000000000000' }));
    expect(verdicts(publicKey)['public key']).toBe('fail');
    expect(detail(publicKey, 'public key')).toContain('Application not found');

    const jwt = await runDoctor(configFor(s, { jwt: 'wrong.jwt.token' }));
    expect(verdicts(jwt)).toMatchObject({ JWT: 'fail', 'payment methods': 'skip' });

    const project = await runDoctor(configFor(s, { projectId: '11111111-2222-3333-4444-555555555555' }));
    expect(verdicts(project)['project id']).toBe('fail');

    // No secret ever printed, whatever failed.
    for (const r of [secret, publicKey, jwt, project]) {
      expect(JSON.stringify(r)).not.toContain(s.project.secretKey);
      expect(JSON.stringify(r)).not.toContain('not-the-secret');
    }
  });

  it('reads the JWT’s expiry: expired is blocking, close is a warning', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const exp = (days: number) => Math.floor(now.getTime() / 1000) + days * 86_400;
    const expired = jwtWith({ exp: exp(-1) });
    const s = await start({ project: { jwt: expired } });
    const r1 = await runDoctor(configFor(s, { jwt: expired }), { now });
    expect(verdicts(r1).JWT).toBe('fail');
    expect(detail(r1, 'JWT')).toContain('expired on 2029-12-31');
    await s.close();
    const soon = jwtWith({ exp: exp(5) });
    const s2 = await start({ project: { jwt: soon } });
    const r2 = await runDoctor(configFor(s2, { jwt: soon }), { now });
    expect(verdicts(r2).JWT).toBe('warn');
    expect(r2.blocking).toBe(false);
  });

  it('an unreachable API is one blocking line, not a crash', async () => {
    const s = await start();
    const url = s.apiUrl;
    await s.close();
    sandbox = undefined;
    const report = await runDoctor({ ...DEFAULTS, baseUrl: url });
    expect(verdicts(report)['Paydo API']).toBe('fail');
    expect(report.blocking).toBe(true);
  });

  it('the IPN URL must be https and public', () => {
    expect(ipnUrlVerdict(undefined)[0]).toBe('fail');
    expect(ipnUrlVerdict('http://shop.example.com/paydo/ipn')[0]).toBe('fail');
    for (const host of ['localhost:3000', '127.0.0.1', '192.168.1.5', '10.0.0.2', '[::1]', 'shop.local', 'shopbox']) {
      expect(ipnUrlVerdict(`https://${host}/paydo/ipn`)[0]).toBe('fail');
    }
    expect(ipnUrlVerdict('https://shop.example.com/paydo/ipn')).toEqual(['ok', 'https://shop.example.com/paydo/ipn']);
  });

  it('contract drift: a field the kit relies on is named; new fields are listed', () => {
    const row = {
      identifier: 1,
      type: 'banks',
      formType: 'standard',
      title: 'X',
      currencies: ['EUR'],
      config: { fields: [] },
    };
    expect(driftOf(PaymentMethodList, [row])).toEqual({ problems: [], newFields: [] });
    expect(driftOf(PaymentMethodList, [{ ...row, currencies: 'EUR', settlement: 'T+1' }])).toEqual({
      problems: ['0.currencies: Invalid input: expected array, received string'],
      newFields: ['[].settlement'],
    });
    // Wrapped rows (Paydo's plugin reads these) are unwrapped before comparing.
    expect(driftOf(PaymentMethodList, [{ paymentMethod: { ...row, feeModel: 1 } }]).newFields).toEqual(['[].feeModel']);
    expect(
      driftOf(z.looseObject({ a: z.object({ b: z.string() }).nullish() }), { a: { b: 'x', c: 1 } }).newFields,
    ).toEqual(['a.c']);
  });

  it('settings come from the store’s PAYDO_* variables; one message lists every problem', () => {
    expect(() => doctorConfigFromEnv({ PAYDO_CARD_PAYMENTS: 'sometimes', PAYDO_IPN_SOURCE_ADDRESSES: 'x' })).toThrow(
      /PAYDO_PUBLIC_KEY[\s\S]*PAYDO_SECRET_KEY[\s\S]*PAYDO_JWT[\s\S]*PAYDO_CARD_PAYMENTS[\s\S]*"x"/,
    );
    const c = doctorConfigFromEnv({
      PAYDO_PUBLIC_KEY: 'application-1',
      PAYDO_SECRET_KEY: 's',
      PAYDO_JWT: 'a.b.c',
      PUBLIC_URL: 'https://shop.example.com/',
      PAYDO_IPN_SOURCE_ADDRESSES: '+203.0.113.7',
    });
    expect(c.ipnUrl).toBe('https://shop.example.com/paydo/ipn');
    expect(c.cardPayments).toBe('auto');
    expect(c.ipnSourceAddresses).toContain('203.0.113.7');
    expect(c.ipnSourceAddresses?.length).toBeGreaterThan(1);
  });

  it('npx paydo-doctor: prints the table and exits 1 on a blocking problem, 0 when ready, 2 on bad settings', async () => {
    const s = await start({ cardTokenization: false });
    const env = {
      PAYDO_PUBLIC_KEY: s.project.publicKey,
      PAYDO_SECRET_KEY: s.project.secretKey,
      PAYDO_JWT: s.project.jwt,
      PAYDO_PROJECT_ID: s.project.projectId,
      PAYDO_BASE_URL: s.apiUrl,
      PUBLIC_URL: 'https://shop.example.com',
    };
    const ready = await runCli(env);
    expect(ready.code).toBe(0);
    expect(ready.stdout).toMatch(/card payments\s+ok\s+direct tokenization not allowed/);
    expect(ready.stdout).toContain('Ready to take payments.');
    const broken = await runCli({ ...env, PAYDO_SECRET_KEY: 'nope', PUBLIC_URL: 'http://localhost:3000' });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/secret key\s+FAIL/);
    expect(broken.stdout).toMatch(/IPN URL\s+FAIL/);
    expect(broken.stdout).toContain('2 blocking problems');
    const bad = await runCli({});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('PAYDO_PUBLIC_KEY is not set');
  });
});

const DEFAULTS: DoctorConfig = {
  publicKey: 'application-6f1b1b5a-5b8e-4c1e-9a57-5a6e0d2f0001',
  secretKey: 'sandbox-secret-key',
  jwt: 'sandbox.jwt.token',
  ipnUrl: 'https://shop.example.com/paydo/ipn',
  cardPayments: 'auto',
};

const BIN = fileURLToPath(new URL('../bin/paydo-doctor.js', import.meta.url));

function runCli(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
