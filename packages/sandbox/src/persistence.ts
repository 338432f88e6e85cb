// The emulator's state in a directory (`dataDir` / `--data-dir`), so a restart keeps what
// was paid: invoices, card tokens (never a full number or CVV: see CardRecord), transactions,
// refunds and the IPN history. One JSON file, written whole to a temporary name and renamed
// over the old one, so a crash mid-write leaves the previous state, never half of one.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from './context.ts';
import type { IpnAttempt } from './ipn/delivery.ts';
import type { CardTokenRecord, InvoiceRecord, RefundRecord, TransactionRecord } from './state.ts';

export const STATE_FILE = 'sandbox-state.json';
const VERSION = 1;
/** Changes are written at most this often (and always when the emulator closes). */
const SAVE_EVERY_MS = 200;

interface SavedState {
  version: typeof VERSION;
  savedAt: string;
  invoices: InvoiceRecord[];
  cardTokens: CardTokenRecord[];
  transactions: (Omit<TransactionRecord, 'refundedUnits'> & { refundedUnits: string })[];
  refunds: RefundRecord[];
  ipnAttempts: IpnAttempt[];
  /** The emulator's clock (`advanceClock`): how far it runs ahead of the machine's. */
  clockOffsetMs?: number;
}

export class PersistenceError extends Error {
  override name = 'PersistenceError';
}

/** Reads the saved state of `dataDir` (none yet: null). A file that is not one is an error, never emptied. */
export function readSavedState(dataDir: string): SavedState | null {
  const file = join(dataDir, STATE_FILE);
  if (!existsSync(file)) return null;
  let saved: SavedState;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as SavedState;
  } catch (error) {
    throw new PersistenceError(
      `paydo-sandbox: ${file} is not a saved sandbox state (${(error as Error).message}); move it away to start empty.`,
    );
  }
  const lists = ['invoices', 'cardTokens', 'transactions', 'refunds', 'ipnAttempts'] as const;
  if (saved?.version !== VERSION || lists.some((k) => !Array.isArray(saved[k])))
    throw new PersistenceError(
      `paydo-sandbox: ${file} is not a saved sandbox state of version ${VERSION}; move it away to start empty.`,
    );
  return saved;
}

function snapshotOf(ctx: SandboxContext): SavedState {
  const { state, ipn } = ctx;
  return {
    version: VERSION,
    savedAt: new Date().toISOString(),
    invoices: [...state.invoices.values()],
    cardTokens: [...state.cardTokens.values()],
    transactions: [...state.transactions.values()].map((t) => ({ ...t, refundedUnits: t.refundedUnits.toString() })),
    refunds: [...state.refunds.values()],
    ipnAttempts: ipn.attempts,
    clockOffsetMs: state.clock.data.offsetMs,
  };
}

/**
 * Loads `dataDir`'s saved state into the emulator, then saves every change: after each
 * request, each state change and each timer (a pending card settling, a refund accepted), and
 * once more when the app closes. Timers that were running at shutdown are not resumed: a
 * payment left pending stays pending (settle it from the dashboard), and IPN retries stop.
 */
export function attachPersistence(app: FastifyInstance, ctx: SandboxContext, dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, STATE_FILE);
  const saved = readSavedState(dataDir);
  if (saved) {
    ctx.state.restore({
      invoices: saved.invoices,
      cardTokens: saved.cardTokens,
      transactions: saved.transactions.map((t) => ({ ...t, refundedUnits: BigInt(t.refundedUnits) })),
      refunds: saved.refunds,
    });
    ctx.ipn.attempts.push(...saved.ipnAttempts);
    ctx.state.clock.data.offsetMs = saved.clockOffsetMs ?? 0;
  }

  let dirty = false;
  let attemptsSeen = ctx.ipn.attempts.length;
  const save = () => {
    dirty = false;
    attemptsSeen = ctx.ipn.attempts.length;
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(snapshotOf(ctx)), { mode: 0o600 });
    renameSync(temporary, file);
  };
  if (!saved) save();
  else chmodSync(file, 0o600);
  const markDirty = () => {
    dirty = true;
  };
  ctx.state.onStateChange(markDirty);
  ctx.state.onTimer(markDirty);
  app.addHook('onResponse', async () => markDirty());
  const timer = setInterval(() => {
    // An IPN attempt is recorded by the delivery's own timers: its log growing is a change too.
    if (dirty || ctx.ipn.attempts.length !== attemptsSeen) {
      try {
        save();
      } catch (error) {
        app.log.error({ err: error }, 'paydo-sandbox: could not save the state');
      }
    }
  }, SAVE_EVERY_MS);
  timer.unref();
  // preClose: before the app's onClose hooks forget the state.
  app.addHook('preClose', async () => {
    clearInterval(timer);
    save();
  });
}
