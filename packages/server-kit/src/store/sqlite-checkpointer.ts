import { Worker } from 'node:worker_threads';

// Runs in its own thread, on its own connection to the same file. A PASSIVE checkpoint never
// blocks a writer, and its fsyncs wait here instead of on the event loop of the app.
//
// But a PASSIVE checkpoint alone never empties the WAL under sustained writes: SQLite starts the
// WAL over only when a commit finds every frame copied, and a commit made while the checkpoint
// ran always finds some left. The WAL then only grows (2.6 GB after 22,000 payments in
// bench/sqlite-scaling.ts), every commit appends to the file (new page-cache pages and new disk
// blocks, on the app's thread), and the larger the database the longer each checkpoint takes, so
// the less often the WAL happens to start over: writes at 20,000 payments cost 2x those at 1,000.
// So when the WAL still holds RESTART_AFTER_FRAMES frames or more after the PASSIVE copy, a
// RESTART checkpoint copies the few frames written meanwhile and makes the next commit write
// from the WAL's start again. It holds the write lock while it copies those few frames, and waits
// for readers at most RESTART_WAIT_MS (busy: tried again next time).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
const db = new DatabaseSync(workerData.path);
db.exec('PRAGMA busy_timeout = 5000');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
const checkpoint = () => {
  try {
    const { log } = passive.get();
    if (log < workerData.restartAfterFrames) return;
    db.exec('PRAGMA busy_timeout = ' + workerData.restartWaitMs);
    try {
      restart.get();
    } finally {
      db.exec('PRAGMA busy_timeout = 5000');
    }
  } catch (error) {
    parentPort.postMessage({ failed: String(error && error.message) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;
/** WAL frames (pages) left after a PASSIVE checkpoint from which a RESTART one follows (SQLite's own autocheckpoint size). */
export const RESTART_AFTER_FRAMES = 1000;
/** How long a RESTART checkpoint waits for the write lock and for readers before it gives up until the next time. */
export const RESTART_WAIT_MS = 20;

/**
 * Moves SQLite's WAL checkpoints off the app's thread. With the default
 * automatic checkpoint, every thousandth page written makes one commit copy
 * the WAL into the database and wait for two fsyncs, on the event loop: about
 * two thirds of what an average write costs here (bench: 67 µs → 24 µs per
 * insert without it). The writing connection turns automatic checkpoints off;
 * a worker thread checkpoints every `everyMs` (PASSIVE, then RESTART once the
 * WAL holds RESTART_AFTER_FRAMES pages, so it starts over even while writes
 * never pause). If the worker ever stops, the writing connection takes
 * automatic checkpoints back, so the WAL never grows without bound.
 */
export class SqliteCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  #stopping = false;

  constructor(path: string, everyMs: number, fallBack: () => void) {
    this.#worker = new Worker(WORKER, {
      eval: true,
      workerData: { path, everyMs, restartAfterFrames: RESTART_AFTER_FRAMES, restartWaitMs: RESTART_WAIT_MS },
    });
    this.#worker.unref(); // never what keeps a process alive
    this.#worker.on('error', () => {});
    // A checkpoint that fails (the file gone, a disk error) would let the WAL grow: the writing
    // connection takes automatic checkpoints back, and the worker ends.
    this.#worker.on('message', (message: { failed?: string }) => {
      if (message.failed === undefined || this.#stopping) return;
      fallBack();
      void this.stop();
    });
    // Remembered, not awaited later: a worker that died long ago emits 'exit' only once.
    this.#exited = new Promise<void>((resolve) =>
      this.#worker.once('exit', () => {
        if (!this.#stopping) fallBack();
        resolve();
      }),
    );
  }

  /** Checkpoints once more and ends the worker (at once if it has ended already). */
  async stop(): Promise<void> {
    if (this.#stopping) return this.#exited;
    this.#stopping = true;
    this.#worker.postMessage('stop');
    const timeout = setTimeout(() => void this.#worker.terminate(), 5_000);
    await this.#exited;
    clearTimeout(timeout);
  }
}
