import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.ts';
import { createSandbox, type Sandbox } from '../src/index.ts';
import { STATE_FILE } from '../src/persistence.ts';
import { caller, ipnReceiver, payByCard } from './helpers.ts';

// `dataDir` / `--data-dir`: what was paid before a restart can be looked up and refunded after
// it, with its IPN history, and the dashboard still lists it.
const dirs: string[] = [];
const open: Sandbox[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'paydo-sandbox-state-'));
  dirs.push(dir);
  return dir;
};
async function start(dataDir: string, ipnUrl?: string) {
  const sandbox = await createSandbox({ dataDir, pendingMs: 100, refundAcceptMs: 20, ipnUrl });
  open.push(sandbox);
  return sandbox;
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the sandbox keeps its state in a directory', () => {
  it('a transaction paid before a restart is found, refunded and on the dashboard after it; IPN history kept', async () => {
    const dir = tempDir();
    const receiver = await ipnReceiver();
    try {
      const first = await start(dir, receiver.url);
      const { txid, invoiceId } = await payByCard(first, '4242424242424242');
      await first.control.ipnIdle();
      expect(first.control.ipnAttempts(txid)).toHaveLength(1);
      await first.close();
      open.pop();
      // The file never holds the card number or CVV, and only its owner may read it.
      const text = readFileSync(join(dir, STATE_FILE), 'utf8');
      expect(text).not.toContain('4242424242424242');
      expect(text).not.toMatch(/"cvv"/);
      expect(statSync(join(dir, STATE_FILE)).mode & 0o077).toBe(0);

      const second = await start(dir, receiver.url);
      const api = caller(second);
      const status = await api('GET', `/checkout/check-transaction-status/${txid}`);
      expect(status.status).toBe(200);
      expect(status.body.data).toMatchObject({ status: 'success', txid });
      const invoice = await api('GET', `/invoices/${invoiceId}`);
      expect(invoice.status).toBe(200);
      expect(second.control.ipnAttempts(txid)).toHaveLength(1);
      const refund = await api('POST', '/refunds/create', { body: { transactionIdentifier: txid, refundType: 1 } });
      expect(refund.status).toBe(200);
      await expect.poll(() => second.control.snapshot().refunds.map((r) => r.status), { timeout: 5_000 }).toEqual([2]);
      const dashboard = await (await fetch(second.dashboardUrl)).text();
      expect(dashboard).toContain(txid);
      // A second full refund is refused: what was refunded is remembered too, across another restart.
      await second.close();
      open.pop();
      const third = await start(dir);
      const again = await caller(third)('POST', '/refunds/create', {
        body: { transactionIdentifier: txid, refundType: 1 },
      });
      expect(again.status).toBe(422);
      expect(third.control.snapshot().refunds).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('without dataDir nothing is written; a file that is not a saved state stops the start with a sentence', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, STATE_FILE), '{"version": 1, "invoices": ');
    await expect(createSandbox({ dataDir: dir })).rejects.toThrow(/is not a saved sandbox state.*move it away/);
    writeFileSync(join(dir, STATE_FILE), '{"version": 99}');
    await expect(createSandbox({ dataDir: dir })).rejects.toThrow(/not a saved sandbox state of version 1/);
    // Left as it was: never emptied.
    expect(readFileSync(join(dir, STATE_FILE), 'utf8')).toBe('{"version": 99}');
    await expect(createSandbox({ dataDir: dir, seed: 1 })).rejects.toThrow(/seed and data dir cannot be used together/);
  });

  it('--data-dir is parsed, and the CLI says where the state is kept', async () => {
    expect(parseCli(['--data-dir', '/tmp/x'], {}).dataDir).toBe('/tmp/x');
    expect(() => parseCli(['--data-dir', ''], {})).toThrow('--data-dir needs a directory path.');
    const dir = tempDir();
    const bin = fileURLToPath(new URL('../bin/paydo-sandbox.js', import.meta.url));
    const child = spawn(process.execPath, [bin, '--port', '0', '--data-dir', dir]);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<string>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        if (/Pending for a while.*\n/.test(stdout)) child.kill('SIGTERM');
      });
      child.on('exit', (c, signal) => resolve(`${c} ${signal}`));
    });
    expect(code, stderr).toBe('0 null');
    expect(stdout).toContain(`State:         kept in ${dir}`);
    expect(JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')).version).toBe(1);
  });
});
