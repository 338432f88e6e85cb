/** Spawns `instance.ts` processes and reads their markers. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Sandbox } from '@paydo-checkout/sandbox';

export interface Instance {
  url: string;
  process: ChildProcess;
  /** Resolves when the instance prints `AT <point>`. */
  reached(point: string): Promise<void>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

const script = new URL('./instance.ts', import.meta.url).pathname;

export async function spawnInstance(sandbox: Sandbox, env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      PAYDO_API_URL: sandbox.apiUrl,
      PAYDO_PUBLIC_KEY: sandbox.project.publicKey,
      PAYDO_SECRET_KEY: sandbox.project.secretKey,
      PAYDO_JWT: sandbox.project.jwt,
      PAYDO_PROJECT_ID: sandbox.project.projectId,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      if (out.includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.includes(text)) return resolve();
      waiters.push({ text, resolve });
      void exited.then(() => reject(new Error(`instance exited before "${text}":\n${err}`)));
    });
  await waitFor('READY ');
  const url = /READY (\S+)/.exec(out)?.[1] as string;
  return {
    url,
    process: child,
    reached: (point) => waitFor(`AT ${point}\n`),
    kill9: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface UpdateLine {
  txid: string;
  state: number;
  status: string;
  source: string;
  pid: number;
}

export function readUpdates(file: string): UpdateLine[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as UpdateLine);
}

export async function postPay(url: string, ref: string, key: string, body: unknown) {
  const res = await fetch(`${url}/paydo/checkout/${ref}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** Pays the way the widget retries: the same key again while the answer says `retryable`. */
export async function payUntilFinal(url: string, ref: string, key: string, body: unknown, deadlineMs = 20_000) {
  const deadline = Date.now() + deadlineMs;
  const seen: number[] = [];
  for (;;) {
    const res = await postPay(url, ref, key, body);
    seen.push(res.status);
    const parsed = JSON.parse(res.text) as { retryable?: boolean };
    if (!parsed.retryable || Date.now() > deadline) return { ...res, body: JSON.parse(res.text), seen };
    await new Promise((r) => setTimeout(r, 100)); // the widget's retry pause, not a wait for luck
  }
}
