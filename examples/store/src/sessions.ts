// Back-office sessions, kept server-side in the store's database (SQLite or PostgreSQL).
// The cookie carries only a random id; the table holds its SHA-256, so neither a copy of
// the cookie after sign-out nor a copy of the table opens the back office.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StoreDb } from './db.ts';

export interface SessionTimes {
  /** A session unused this long ends (default 30 minutes). */
  idleMs: number;
  /** A session ends this long after sign-in however busy (default 8 hours). */
  maxAgeMs: number;
  /** The clock (tests move it instead of waiting). */
  now?: () => number;
}

export const DEFAULT_SESSION_TIMES: SessionTimes = { idleMs: 30 * 60 * 1000, maxAgeMs: 8 * 60 * 60 * 1000 };

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

export class AdminSessions {
  readonly #db: StoreDb;
  readonly #password: string;
  readonly #times: SessionTimes;
  readonly #now: () => number;

  constructor(db: StoreDb, password: string, times: SessionTimes = DEFAULT_SESSION_TIMES) {
    this.#db = db;
    this.#password = password;
    this.#times = times;
    this.#now = times.now ?? Date.now;
  }

  /** The session's tag binds it to the password it was opened with: a new ADMIN_PASSWORD ends every session. */
  #tag(id: string): string {
    return createHmac('sha256', this.#password).update(id).digest('hex');
  }

  /** Opens a new session (the old one, if any, is ended: ids are rotated at every sign-in). */
  async start(previousId?: string): Promise<string> {
    if (previousId) await this.end(previousId);
    const id = randomBytes(32).toString('base64url');
    const now = this.#now();
    await this.#db.createSession({ idHash: hashOf(id), tag: this.#tag(id), createdAt: now, lastSeenAt: now });
    // Sessions nobody signs out of are forgotten here, at sign-in (bounded table, no timer).
    await this.#db.deleteIdleSessions(now - this.#times.idleMs);
    return id;
  }

  /** Whether `id` names a live session of this password; refreshes its idle clock. */
  async check(id: string | undefined): Promise<boolean> {
    if (!id || !/^[\w-]{43}$/.test(id)) return false;
    const idHash = hashOf(id);
    const row = await this.#db.findSession(idHash);
    if (!row) return false;
    const now = this.#now();
    const tag = Buffer.from(this.#tag(id));
    const samePassword = row.tag.length === tag.length && timingSafeEqual(Buffer.from(row.tag), tag);
    if (!samePassword || now - row.lastSeenAt > this.#times.idleMs || now - row.createdAt > this.#times.maxAgeMs) {
      await this.#db.deleteSession(idHash);
      return false;
    }
    // One write per few seconds of activity, not one per request.
    if (now - row.lastSeenAt > Math.min(5_000, this.#times.idleMs / 10)) await this.#db.touchSession(idHash, now);
    return true;
  }

  async end(id: string | undefined): Promise<void> {
    if (id) await this.#db.deleteSession(hashOf(id));
  }

  /** For the cookie's Max-Age: the browser may drop it when the server would refuse it anyway. */
  get maxAgeSeconds(): number {
    return Math.floor(this.#times.maxAgeMs / 1000);
  }
}
