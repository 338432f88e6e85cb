/**
 * Generated payment histories: the test that proves one order is charged once.
 *
 * A seeded generator (generator.ts) plays histories against the emulator and two instances
 * sharing one store (world.ts; A the Fastify plugin, B by seed the plugin, the Express router
 * or the fetch handler): card payments with every test card, the hosted
 * fallback, `cardPayments: 'hosted'` and `'auto'`, several tabs paying on Paydo's pages,
 * 3-D Secure approved or declined in any order and late, `replacePending`, polls (also
 * crafted ones naming another order), forged IPNs (one order's transaction under another
 * order's invoice), IPNs lost, repeated, held back and reordered, or
 * delivered to either instance or both at once, Paydo faults, an instance restarted or
 * stopped mid-payment. Each history then settles (faults end, the bank answers pending
 * cards, Paydo's IPN retries run out, one `app.paydoCheckout.reconcile()` sweep), and the
 * invariants are checked for every order, Paydo's truth being the emulator's snapshot and
 * the merchant's view what `onPaymentUpdate` was given by either instance:
 *
 *   I1  at most one accepted charge kept: every other accepted transaction of the order is
 *       refunded in full, once (refundDuplicateCharges on);
 *   I2  exactly one `paid` update if Paydo accepted anything, naming an accepted transaction;
 *       none otherwise;
 *   I3  every other accepted transaction reported as `status: 'duplicate'` of the paid one
 *       (and refunded when refundDuplicateCharges is on); the paying one never refunded;
 *   I4  nothing reported paid (or duplicate, or in any state) that Paydo does not hold;
 *   I5  each (transaction, final state) reported at most once across both instances;
 *   I6  no transaction of another order or shop applied to this one.
 *
 * (packages/server-kit/docs/invariants.md says the same for merchants.)
 *
 * Run:   npx vitest run packages/server-kit/test/histories/histories.test.ts
 * More:  PAYDO_HISTORIES=5000 (per store; default 200 on MemoryStore, 60 on the others; PAYDO_HISTORY_LANES=4 play at once)
 * Replay one seed, with its steps, the instances' warnings and a shrunk history:
 *        PAYDO_HISTORY_SEED=1234 npx vitest run packages/server-kit/test/histories/histories.test.ts
 * Only one store: PAYDO_HISTORY_STORE=sqlite. First seed of a run: PAYDO_HISTORY_FIRST=10000.
 * A replay without shrinking: PAYDO_HISTORY_SHRINK=0; with the instances' info logs: PAYDO_HISTORY_LOG=info.
 */
import type { Sandbox } from '@paydo-checkout/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaydoStore } from '../../src/fastify/index.ts';
import { STORE_KINDS, type StoreKind } from '../services/stores.ts';
import { describeHistory, describeStep, generateHistory, type History } from './generator.ts';
import type { Violation } from './invariants.ts';
import { type PlayResult, playHistory } from './play.ts';
import { startSandbox } from './world.ts';

const env = process.env;
const ONLY_SEED = env.PAYDO_HISTORY_SEED ? Number(env.PAYDO_HISTORY_SEED) : null;
const FIRST = Number(env.PAYDO_HISTORY_FIRST ?? 1);
const COUNT = (kind: StoreKind['name']) =>
  env.PAYDO_HISTORIES ? Number(env.PAYDO_HISTORIES) : kind === 'memory' ? 200 : 60;
const KINDS = STORE_KINDS.filter((k) => !env.PAYDO_HISTORY_STORE || env.PAYDO_HISTORY_STORE === k.name);
const TEST_FILE = 'packages/server-kit/test/histories/histories.test.ts';

/** One history's store: a MemoryStore object shared by both instances; one file or schema, a store object each. */
function storeOpener(kind: StoreKind): () => PaydoStore {
  const place = kind.place();
  if (kind.name === 'memory') {
    const shared = place.open();
    return () => shared;
  }
  return () => place.open();
}

export const replayCommand = (seed: number, kind: string) =>
  `PAYDO_HISTORY_SEED=${seed} PAYDO_HISTORY_STORE=${kind} npx vitest run ${TEST_FILE}`;

/**
 * The violation is a result nobody applied, and no instance was ever told of its transactions
 * in their final state (every IPN lost, no poll after the end): what reconcile() is for.
 */
function onlyForLackOfReconcile(v: Violation, result: PlayResult): boolean {
  if (result.reconciled || v.txids.length === 0) return false;
  if (!/heard no paid update|never reported|not refunded|charges kept/.test(v.message)) return false;
  return v.txids.every((txid) => !(result.heard.get(txid) ?? []).some((h) => /\b(200|4\d\d) @(2|3|5|15)$/.test(h)));
}

/** `t1: ipn 422×5, poll 404` for the transactions the violations name: the first clue to a cause. */
function heardSummary(f: Failure): string {
  const txids = [...new Set(f.violations.flatMap((v) => v.txids))];
  return txids
    .map((txid) => {
      const counts = new Map<string, number>();
      for (const h of f.result.heard.get(txid) ?? []) {
        const what = h.replace(/ [AB] /, ' ').replace(/ @\d+$/, '');
        counts.set(what, (counts.get(what) ?? 0) + 1);
      }
      const said = [...counts].map(([what, n]) => (n > 1 ? `${what}×${n}` : what)).join(', ');
      return `${f.result.tag(txid)}: ${said || 'nothing'}`;
    })
    .join('; ');
}

interface Failure {
  seed: number;
  violations: Violation[];
  lackOfReconcile: boolean;
  result: PlayResult;
}

/**
 * Drops steps one at a time while the same invariants still fail, and for the same kind of
 * reason (a failure that needs reconcile() is not a shrunk form of one that does not).
 */
async function shrink(sandbox: Sandbox, kind: StoreKind, history: History, failure: Failure) {
  const invariants = new Set(failure.violations.map((v) => v.invariant));
  let steps = history.steps;
  for (let i = steps.length - 1; i >= 0; i--) {
    const shorter = { ...history, steps: steps.filter((_, j) => j !== i) };
    const result = await playHistory(sandbox, storeOpener(kind), shorter);
    const same = result.violations.filter((v) => invariants.has(v.invariant));
    if (same.length && same.every((v) => onlyForLackOfReconcile(v, result)) === failure.lackOfReconcile) {
      steps = shorter.steps;
    }
  }
  return { ...history, steps };
}

/**
 * Histories wait on timers far more than they compute (IPN retries, leases, polls): several play at
 * once, each lane with its own emulator, so one history never sees another's. Each history is
 * still played alone on its lane, from its seed alone.
 */
const LANES = Math.max(1, Number(env.PAYDO_HISTORY_LANES ?? 4));

describe.each(KINDS)('generated histories on $name', (kind) => {
  const sandboxes: Sandbox[] = [];
  beforeAll(async () => {
    if (kind.skip !== null) return;
    const lanes = ONLY_SEED !== null ? 1 : LANES;
    for (let i = 0; i < lanes; i++) sandboxes.push(await startSandbox());
  });
  afterAll(async () => {
    await Promise.all(sandboxes.map((s) => s.close()));
  });

  const seeds = ONLY_SEED !== null ? [ONLY_SEED] : Array.from({ length: COUNT(kind.name) }, (_, i) => FIRST + i);
  it.skipIf(kind.skip !== null)(
    `${seeds.length === 1 ? `seed ${seeds[0]}` : `${seeds.length} histories`} keep the invariants`,
    async () => {
      const failures: Failure[] = [];
      const started = Date.now();
      const slowest: [number, number][] = [];
      const queue = [...seeds];
      const lane = async (sandbox: Sandbox) => {
        for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
          const history = generateHistory(seed);
          const t0 = Date.now();
          const result = await playHistory(sandbox, storeOpener(kind), history);
          slowest.push([Date.now() - t0, seed]);
          if (ONLY_SEED !== null && !result.violations.length) {
            console.info([describeHistory(history), 'as played:', ...result.narration.map((l) => `  ${l}`)].join('\n'));
          }
          if (result.violations.length) {
            failures.push({
              seed,
              violations: result.violations,
              lackOfReconcile: result.violations.every((v) => onlyForLackOfReconcile(v, result)),
              result,
            });
          }
        }
      };
      await Promise.all(sandboxes.map(lane));
      failures.sort((a, b) => a.seed - b.seed);
      const sandbox = sandboxes[0]!;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      slowest.sort((a, b) => b[0] - a[0]);
      console.info(
        `[histories] ${kind.name}: ${seeds.length} histories in ${seconds} s, ${failures.length} failing; slowest: ${slowest
          .slice(0, 5)
          .map(([ms, seed]) => `seed ${seed} ${ms} ms`)
          .join(', ')}`,
      );
      if (!failures.length) return;

      const lines: string[] = [];
      for (const f of failures) {
        const tag = f.result.tag;
        lines.push(
          `seed ${f.seed}${f.lackOfReconcile ? ' (only for lack of reconcile())' : ''}: ${f.violations
            .map((v) => `${v.invariant} ${v.message}`)
            .join('; ')}`,
          `  what the instances answered: ${heardSummary(f)}`,
          `  replay: ${replayCommand(f.seed, kind.name)}`,
        );
        if (ONLY_SEED !== null) {
          lines.push(
            describeHistory(generateHistory(f.seed)),
            'as played:',
            ...f.result.narration.map((l) => `  ${l}`),
          );
          for (const [txid, heard] of f.result.heard) lines.push(`  ${tag(txid)} heard: ${heard.join(', ')}`);
          if (f.result.logs.length) lines.push('instances logged:', ...f.result.logs.slice(0, 30).map((l) => `  ${l}`));
          if (env.PAYDO_HISTORY_SHRINK === '0') continue;
          const invariants = new Set(f.violations.map((v) => v.invariant));
          const shrunk = await shrink(sandbox, kind, generateHistory(f.seed), f);
          lines.push(
            `shrunk to ${shrunk.steps.length} step(s) still breaking ${[...invariants].join(', ')}:`,
            ...shrunk.steps.map((s, i) => `  ${i + 1}. ${describeStep(s)}`),
          );
          const again = await playHistory(sandbox, storeOpener(kind), shrunk);
          lines.push('shrunk, as played:', ...again.narration.map((l) => `  ${l}`));
        }
      }
      const summary = `${failures.length} of ${seeds.length} histories broke an invariant on ${kind.name} (${
        failures.filter((f) => f.lackOfReconcile).length
      } only for lack of reconcile()):`;
      console.error([summary, ...lines].join('\n'));
      expect.fail(
        `${summary}\n${failures
          .slice(0, 10)
          .map((f) => `  seed ${f.seed}: ${f.violations[0]!.invariant} ${f.violations[0]!.message}`)
          .join('\n')}\nreplay one: ${replayCommand(failures[0]!.seed, kind.name)}`,
      );
    },
    600_000,
  );
});
