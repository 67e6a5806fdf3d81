// The connection pool of the PostgreSQL engine, its transactions and how its failures
// reach the rest of Paperboy. Transactions are READ COMMITTED, PostgreSQL's default:
// every method that decides from what it read locks those rows first (SELECT … FOR
// UPDATE), so a concurrent writer waits instead of both deciding from the same state.
// Where two processes may both insert the same new row (a subscriber's address), the
// loser gets a unique violation and its transaction is run again, and then finds the
// winner's row; deadlocks and serialization failures are retried the same way.

import pg from 'pg';
import { PaperboyError } from '../../errors.js';
import { STORE_RETRY_AFTER_SECONDS } from '../sqlite/guard.js';

// Counts and bigint keys as numbers: keys stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Db = pg.Pool;
export type Tx = pg.PoolClient;
/** A pool or a client in a transaction: anything that runs a query. */
export type Queryable = pg.Pool | pg.PoolClient;

export function openPool(url: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 10_000 });
  // An idle connection the server drops (restart, admin) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

/** Rows of one query. */
export async function rows<T>(q: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await q.query(sql, params)).rows as T[];
}

/** The first column of the first row, or null. */
export async function one<T>(q: Queryable, sql: string, params: unknown[] = []): Promise<T | null> {
  const r = await q.query({ text: sql, values: params, rowMode: 'array' });
  return r.rows.length ? ((r.rows[0] as unknown[])[0] as T) : null;
}

const RETRIED = new Set(['23505', '40001', '40P01']); // unique violation, serialization failure, deadlock

/** Runs `fn` in one transaction, again (up to a few times) when it lost a race with another writer. */
export async function tx<T>(db: Db, fn: (c: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const c = await db.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      if (attempt >= 5 || !RETRIED.has(codeOf(e) ?? '')) throw e;
      await new Promise((r) => setTimeout(r, 5 * 2 ** attempt * Math.random()));
    } finally {
      c.release();
    }
  }
}

const codeOf = (e: unknown) => (e as { code?: string } | null)?.code;

// What a failing server or connection means for the person reading the message. Other
// errors (a constraint, a bug) are left as they are.
const FAILURES: [RegExp, string][] = [
  [/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EPIPE)$/, 'cannot be reached'],
  [/^08/, 'lost the connection'],
  [/^57P0[1-3]$/, 'is shutting down or starting up'],
  [/^53/, 'ran out of resources (disk, memory or connections)'],
  [/^28/, 'refused the credentials'],
  [/^3D000$/, 'does not exist'],
  [/^55P03$/, 'stayed locked by another process'],
];

/** The error as a store_failure when the server could not do its part; other errors unchanged. */
export function asStoreFailure(e: unknown, where: string): unknown {
  if (e instanceof PaperboyError) return e;
  const code = codeOf(e) ?? '';
  const message = (e as Error | null)?.message ?? '';
  const known = FAILURES.find(([re]) => re.test(code)) ?? (/Connection terminated|timeout exceeded when trying to connect/.test(message) ? [null, 'lost the connection'] : null);
  if (!known) return e;
  return new PaperboyError('store_failure', `The database ${where} ${known[1]} (${code || message}); try again later.`,
    { pgCode: code, retryAfterSeconds: STORE_RETRY_AFTER_SECONDS }, { cause: e });
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return /^postgres/.test(url) ? 'postgres://…' : url;
  }
}

/** The store with every method's failures translated (streams' too); nothing else changes. */
export function guardPgStore<S extends object>(store: S, where: string, streams: ReadonlySet<string>): S {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(store)) {
    if (typeof value !== 'function') out[name] = value;
    else if (streams.has(name)) {
      out[name] = async function* (...args: unknown[]) {
        try {
          yield* (value as (...a: unknown[]) => AsyncIterable<unknown>)(...args);
        } catch (e) {
          throw asStoreFailure(e, where);
        }
      };
    } else {
      out[name] = async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => unknown)(...args);
        } catch (e) {
          throw asStoreFailure(e, where);
        }
      };
    }
  }
  return out as S;
}
