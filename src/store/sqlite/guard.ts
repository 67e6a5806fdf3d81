// Many processes share one SQLite file (serve, cron's `digest run`, an import): this is
// how a store call waits for another writer instead of failing with "database is
// locked", and how what SQLite cannot do (a lock held too long, a full disk, a damaged
// file) reaches the rest of Paperboy as the catalogue's `store_failure`.
//
// Waiting happens in two layers. SQLite's busy handler waits a short while inside the
// call (it blocks the thread, so it is kept short: a server must go on answering);
// then the call is retried after an asynchronous pause, until `lockWaitMs` have passed.
// Retrying the whole call is safe because every writer is one transaction that either
// committed or left nothing behind, and writers take the write lock first (BEGIN
// IMMEDIATE), so a busy lock is met before any of the call's work is done.

import { PaperboyError } from '../../errors.js';

export interface GuardOptions {
  /** The database file, named in messages. */
  file: string;
  /** How long a call waits in all for other writers before giving up with store_failure. */
  lockWaitMs: number;
}

/** Seconds a client is told to wait before trying again after a store failure. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** The SQLite result code of an error from better-sqlite3, e.g. "SQLITE_BUSY_SNAPSHOT". */
function sqliteCode(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

/** Another connection holds the lock (or, in WAL, committed since this transaction's snapshot). */
export function isBusy(e: unknown): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test(sqliteCode(e) ?? '');
}

// What each failing result code means for the person reading the message. Codes not
// listed (a constraint, a misuse) are bugs or bad input and are left as they are.
const FAILURES: [RegExp, string][] = [
  [/^SQLITE_(BUSY|LOCKED)/, 'is locked by another process'],
  [/^SQLITE_FULL/, 'cannot grow: the disk is full'],
  [/^SQLITE_IOERR/, 'could not be read or written (disk error)'],
  [/^SQLITE_(CORRUPT|NOTADB)/, 'is damaged or not a database'],
  [/^SQLITE_READONLY/, 'cannot be written (read-only file or directory)'],
  [/^SQLITE_CANTOPEN/, 'cannot be opened'],
  [/^SQLITE_PERM|^SQLITE_AUTH/, 'cannot be accessed (permission denied)'],
  [/^SQLITE_NOMEM/, 'ran out of memory'],
  [/^SQLITE_PROTOCOL/, 'is in use by a process that does not follow the locking protocol'],
];

/** The error as a store_failure when SQLite could not do its part; other errors unchanged. */
export function asStoreFailure(e: unknown, file: string): unknown {
  if (e instanceof PaperboyError) return e;
  const code = sqliteCode(e);
  const known = code && FAILURES.find(([re]) => re.test(code));
  if (!known) return e;
  return new PaperboyError('store_failure', `The database ${file} ${known[1]} (${code}); try again later.`,
    { sqliteCode: code, retryAfterSeconds: STORE_RETRY_AFTER_SECONDS }, { cause: e });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn`, again after a pause each time another writer holds the lock, until `lockWaitMs`; then store_failure. */
export async function patiently<T>(fn: () => T | Promise<T>, o: GuardOptions): Promise<T> {
  const deadline = Date.now() + o.lockWaitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isBusy(e) || Date.now() >= deadline) {
        if (isBusy(e)) {
          throw new PaperboyError('store_failure',
            `The database ${o.file} stayed locked by another process for ${Math.round(o.lockWaitMs / 1000)} s; try again later.`,
            { sqliteCode: sqliteCode(e), retryAfterSeconds: STORE_RETRY_AFTER_SECONDS }, { cause: e });
        }
        throw asStoreFailure(e, o.file);
      }
      // Short, growing, jittered pauses: several waiters do not retry in lockstep.
      await sleep(Math.min(100, 4 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
    }
  }
}

/**
 * The store with every method guarded: calls wait for other writers and fail only with
 * store_failure. Streams (async generators) are not retried (a half-read stream cannot
 * be replayed), only their errors are translated; they only read, and readers of a WAL
 * database do not wait for writers.
 */
export function guardStore<S extends object>(store: S, o: GuardOptions, streams: ReadonlySet<string>): S {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(store)) {
    if (typeof value !== 'function') {
      out[name] = value;
    } else if (streams.has(name)) {
      out[name] = async function* (...args: unknown[]) {
        try {
          yield* (value as (...a: unknown[]) => AsyncIterable<unknown>)(...args);
        } catch (e) {
          throw asStoreFailure(e, o.file);
        }
      };
    } else {
      out[name] = (...args: unknown[]) => patiently(() => (value as (...a: unknown[]) => unknown)(...args), o);
    }
  }
  return out as S;
}
