/**
 * SqliteStore under sustained writes: the cost of each store call with 20,000
 * stored payments ÷ with 1,000, both stores measured in one run, round by round
 * (each round makes the same fresh payments, step by step, on both stores, the
 * order of the two swapped every round), so both sides share the machine's load.
 *
 *   node --conditions=source packages/server-kit/bench/sqlite-scaling.ts [--small=1000] [--big=20000] [--ops=2000] [--trace]
 *
 * `--checkpoint-every-ms=N` passes that option to both stores. `--trace` also prints the WAL's size over the run and each table's and index's pages and depth.
 * `pnpm bench --only=sqlite-scaling` runs it as a row of the benchmark table.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';
import { SqliteStore, type SqliteStoreOptions } from '../src/store/sqlite-store.ts';

const CARD = 200001;
const ACCEPTED = 2;
const LEASE_MS = 60_000;
// About what the plugin stores as a pay answer (a 3-D Secure step or a final status with its ids).
const ANSWER = {
  statusCode: 200,
  body: {
    status: 'pending',
    next: { kind: 'redirect', url: `https://pay.example/3ds/${'x'.repeat(160)}`, method: 'GET' },
    txid: '',
    invoiceId: '',
  },
};

interface Payment {
  key: string;
  ref: string;
  owner: string;
  invoiceId: string;
  txid: string;
}
const newPayment = (): Payment => ({
  key: randomUUID(),
  ref: `order-${randomUUID()}`,
  owner: randomUUID(),
  invoiceId: randomUUID(),
  txid: randomUUID(),
});

/** One card payment's store calls, in the plugin's order, each a step that can be timed on its own. */
const STEPS: [string, (s: SqliteStore, p: Payment) => Promise<unknown>][] = [
  ['claimIdempotencyKey', (s, p) => s.claimIdempotencyKey(p.key, `fp-${p.ref}`, LEASE_MS)],
  ['acquireOrderLock', (s, p) => s.acquireOrderLock(p.ref, p.owner, LEASE_MS)],
  ['saveInvoice', (s, p) => s.saveInvoice(`${p.ref}|${CARD}|12.50|EUR`, p.ref, p.invoiceId)],
  [
    'saveAttemptProgress',
    (s, p) =>
      s.saveAttemptProgress(p.key, { invoiceId: p.invoiceId, transactionBefore: null, transactionRequested: true }),
  ],
  ['saveTransaction', (s, p) => s.saveTransaction({ txid: p.txid, orderRef: p.ref, invoiceId: p.invoiceId })],
  ['claimPaymentUpdate', (s, p) => s.claimPaymentUpdate(p.txid, ACCEPTED, LEASE_MS)],
  ['completePaymentUpdate', (s, p) => s.completePaymentUpdate(p.txid, ACCEPTED)],
  ['claimOrderPayment', (s, p) => s.claimOrderPayment(p.ref, p.txid)],
  [
    'completeIdempotencyKey',
    (s, p) =>
      s.completeIdempotencyKey(p.key, { ...ANSWER, body: { ...ANSWER.body, txid: p.txid, invoiceId: p.invoiceId } }),
  ],
  ['releaseOrderLock', (s, p) => s.releaseOrderLock(p.ref, p.owner)],
];
/** Reads of earlier payments picked at random (a poll, an IPN, a checkout). */
const READS: [string, (s: SqliteStore, p: Payment) => Promise<unknown>][] = [
  ['readOrder', (s, p) => s.readOrder(p.ref)],
  ['findTransaction', (s, p) => s.findTransaction(p.txid)],
  ['readIdempotencyKey', (s, p) => s.readIdempotencyKey(p.key, `fp-${p.ref}`)],
];
export const SCALING_WRITES = STEPS.map(([name]) => name);

async function pay(store: SqliteStore, p: Payment): Promise<void> {
  for (const [, step] of STEPS) await step(store, p);
}

export interface ScalingResult {
  /**
   * Per store call: µs per call at `small` and at `big` stored payments (each round's mean, the
   * median over rounds) and big ÷ small; and the same for the median single call.
   */
  ops: {
    name: string;
    write: boolean;
    smallUs: number;
    bigUs: number;
    ratio: number;
    smallMedianUs: number;
    bigMedianUs: number;
    medianRatio: number;
  }[];
  /** The largest WAL file seen while measuring, bytes. */
  walMax: { small: number; big: number };
  /** Geometric mean of the writes' ratios, and the largest one. */
  writeRatio: number;
  worstWrite: { name: string; ratio: number };
  load: string;
  trace: string[];
}

export interface ScalingOptions {
  small?: number;
  big?: number;
  /** Fresh payments made on each store while measuring (each makes one call of every write). */
  ops?: number;
  /** Payments per round and store. */
  perRound?: number;
  trace?: boolean;
  store?: SqliteStoreOptions;
  log?: (line: string) => void;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Pages and depth of every table and index (the `dbstat` virtual table), and the WAL's size. */
function describe(file: string): string {
  const db = new DatabaseSync(file, { readOnly: true });
  const rows = db
    .prepare(
      `SELECT name, COUNT(*) AS pages, SUM(pagetype = 'leaf') AS leaves, MAX(LENGTH(path) - LENGTH(REPLACE(path, '/', ''))) AS depth
       FROM dbstat GROUP BY name ORDER BY pages DESC`,
    )
    .all() as { name: string; pages: number; leaves: number; depth: number }[];
  const pageCount = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
  db.close();
  const wal = walSize(file);
  return `${pageCount} pages (${((pageCount * 4096) / 1e6).toFixed(1)} MB), WAL ${(wal / 1e6).toFixed(1)} MB; ${rows
    .map((r) => `${r.name} ${r.pages}p d${r.depth + 1}`)
    .join(', ')}`;
}
function walSize(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

export async function sqliteScaling(options: ScalingOptions = {}): Promise<ScalingResult> {
  const small = options.small ?? 1_000;
  const big = options.big ?? 20_000;
  const ops = options.ops ?? 2_000;
  const perRound = options.perRound ?? 50;
  const log = options.log ?? (() => {});
  const trace: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'paydo-sqlite-scaling-'));
  const sides = [
    { name: 'small', n: small, file: join(dir, 'small.sqlite') },
    { name: 'big', n: big, file: join(dir, 'big.sqlite') },
  ].map((side) => ({ ...side, store: new SqliteStore(side.file, options.store), made: [] as Payment[] }));
  try {
    // Filled through the store's own calls, as payments leave them (random keys, the WAL, the checkpoints).
    for (const side of sides) {
      const t = performance.now();
      for (let i = 0; i < side.n; i++) {
        const p = newPayment();
        await pay(side.store, p);
        side.made.push(p);
      }
      log(`filled ${side.name} with ${side.n} payments in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      if (options.trace) trace.push(`${side.name} after fill: ${describe(side.file)}`);
    }
    const names = [...STEPS.map(([n]) => n), ...READS.map(([n]) => n)];
    // Per store and call: each round's mean (µs per call over the batch: the cost, slow calls
    // included), and every single call (µs). The median single call is shown beside it: on a loaded
    // machine other processes preempt whole batches, which moves the means of one side at random.
    const perOp = new Map(sides.map((s) => [s.name, new Map(names.map((n) => [n, [] as number[]]))]));
    const perCall = new Map(sides.map((s) => [s.name, new Map(names.map((n) => [n, [] as number[]]))]));
    // Single calls that took over 1 ms (the machine's load, or a write waiting for a checkpoint's lock).
    const stalls = new Map(sides.map((s) => [s.name, { over1ms: 0, maxMs: 0 }]));
    const walMax = new Map(sides.map((s) => [s.name, 0]));
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(', ');
    const rounds = Math.ceil(ops / perRound);
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? [sides[1], sides[0]] : [sides[0], sides[1]];
      const batch = new Map(sides.map((s) => [s.name, Array.from({ length: perRound }, newPayment)]));
      // Step by step, both stores in turn: one step's calls on one store, then on the other.
      for (const [name, step] of STEPS) {
        for (const side of order) {
          if (!side) continue;
          const payments = batch.get(side.name) as Payment[];
          const t = performance.now();
          for (const p of payments) {
            const t1 = performance.now();
            await step(side.store, p);
            const ms = performance.now() - t1;
            perCall
              .get(side.name)
              ?.get(name)
              ?.push(ms * 1000);
            const stall = stalls.get(side.name) as { over1ms: number; maxMs: number };
            if (ms > 1) stall.over1ms++;
            stall.maxMs = Math.max(stall.maxMs, ms);
          }
          perOp
            .get(side.name)
            ?.get(name)
            ?.push(((performance.now() - t) * 1000) / perRound);
        }
      }
      for (const [name, read] of READS) {
        for (const side of order) {
          if (!side) continue;
          const picks = Array.from(
            { length: perRound },
            () => side.made[Math.floor(Math.random() * side.made.length)] as Payment,
          );
          const t = performance.now();
          for (const p of picks) {
            const t1 = performance.now();
            await read(side.store, p);
            perCall
              .get(side.name)
              ?.get(name)
              ?.push((performance.now() - t1) * 1000);
          }
          perOp
            .get(side.name)
            ?.get(name)
            ?.push(((performance.now() - t) * 1000) / perRound);
        }
      }
      for (const side of sides) {
        side.made.push(...(batch.get(side.name) as Payment[]));
        walMax.set(side.name, Math.max(walMax.get(side.name) ?? 0, walSize(side.file)));
      }
      if (options.trace && round % Math.max(1, Math.floor(rounds / 8)) === 0) {
        trace.push(
          `round ${round}: WAL ${sides.map((s) => `${s.name} ${(walSize(s.file) / 1e6).toFixed(1)} MB`).join(', ')}`,
        );
      }
    }
    if (options.trace) {
      for (const side of sides) {
        const stall = stalls.get(side.name) as { over1ms: number; maxMs: number };
        trace.push(
          `${side.name}: ${stall.over1ms} of ${rounds * perRound * STEPS.length} writes took over 1 ms, the longest ${stall.maxMs.toFixed(1)} ms`,
        );
        trace.push(
          `${side.name} at the end: ${describe(side.file)}; largest WAL seen ${((walMax.get(side.name) ?? 0) / 1e6).toFixed(1)} MB`,
        );
      }
    }
    const result = names.map((name) => {
      const smallUs = median(perOp.get('small')?.get(name) ?? []);
      const bigUs = median(perOp.get('big')?.get(name) ?? []);
      const smallMedianUs = median(perCall.get('small')?.get(name) ?? []);
      const bigMedianUs = median(perCall.get('big')?.get(name) ?? []);
      return {
        name,
        write: SCALING_WRITES.includes(name),
        smallUs,
        bigUs,
        ratio: bigUs / smallUs,
        smallMedianUs,
        bigMedianUs,
        medianRatio: bigMedianUs / smallMedianUs,
      };
    });
    const writes = result.filter((r) => r.write);
    const writeRatio = Math.exp(writes.reduce((sum, r) => sum + Math.log(r.ratio), 0) / writes.length);
    const worst = writes.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    const walMaxOut = { small: walMax.get('small') ?? 0, big: walMax.get('big') ?? 0 };
    return {
      ops: result,
      walMax: walMaxOut,
      writeRatio,
      worstWrite: { name: worst.name, ratio: worst.ratio },
      load,
      trace,
    };
  } finally {
    for (const side of sides) await side.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const options: ScalingOptions = {};
  for (const name of ['small', 'big', 'ops'] as const) {
    const value = arg(name);
    if (value !== undefined) options[name] = Number(value);
  }
  const checkpoint = arg('checkpoint-every-ms');
  if (checkpoint !== undefined) options.store = { checkpointEveryMs: Number(checkpoint) };
  const r = await sqliteScaling({
    ...options,
    trace: process.argv.includes('--trace'),
    log: (line) => console.log(line),
  });
  console.log(`load average while measuring: ${r.load}`);
  for (const line of r.trace) console.log(line);
  console.log('                        µs per call (round means)     median single call, µs');
  console.log('call                      small     big  big÷small     small     big  big÷small');
  for (const o of r.ops) {
    console.log(
      `${(o.write ? '' : '(read) ') + o.name}`.padEnd(24) +
        [o.smallUs, o.bigUs].map((n) => n.toFixed(1).padStart(8)).join('') +
        o.ratio.toFixed(2).padStart(11) +
        [o.smallMedianUs, o.bigMedianUs].map((n) => n.toFixed(1).padStart(10)).join('') +
        o.medianRatio.toFixed(2).padStart(11),
    );
  }
  console.log(
    `writes: geometric mean ${r.writeRatio.toFixed(2)}, worst ${r.worstWrite.name} ${r.worstWrite.ratio.toFixed(2)}`,
  );
}
