// Each engine as one side of a copy: rows of a table read a page at a time by key,
// written without touching rows already there, counted; and what the engine must
// redo after rows arrive behind its back (full-text entries, id counters).

import Database from 'better-sqlite3';
import { migrate as migrateSqlite } from '../sqlite/migrate.js';
import { openPool, rows, type Db } from '../postgres/db.js';
import { migrate as migratePg } from '../postgres/migrate.js';
import { paperWordsArgs } from '../postgres/words.js';
import type { TableSpec } from './tables.js';

export type Row = unknown[];

/** Tables whose ids a counter hands out, never reused (SQLite AUTOINCREMENT, PostgreSQL identity/serial). */
const COUNTERS = [['papers', 'pk'], ['subscribers', 'id'], ['digest_editions', 'id'], ['digest_outbox', 'id']] as const;

export interface Side {
  /** Up to `limit` rows after `after` (a key), in key order, columns as in the spec. */
  page(t: TableSpec, after: Row | null, limit: number): Promise<Row[]>;
  count(t: TableSpec): Promise<number>;
  /** Writes rows that are not there yet (or replaces them, for `replace` tables). */
  write(t: TableSpec, rows: Row[]): Promise<void>;
  /** The highest id each id counter has handed out (ids of removed rows included: they are never given again). */
  counters(): Promise<Record<string, number>>;
  /** After every table: counters continue after the copied ids and the source's counters. */
  finish(counters: Record<string, number>): Promise<void>;
  close(): Promise<void>;
}

const keyAfter = (t: TableSpec, after: Row | null, param: (i: number) => string) =>
  after ? `WHERE (${t.key.join(', ')}) > (${t.key.map((_, i) => param(i)).join(', ')})` : '';

export function sqliteSide(file: string): Side {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrateSqlite(db);
  return {
    async page(t, after, limit) {
      const keyIdx = t.key.map((k) => t.columns.indexOf(k));
      return db.prepare(`SELECT ${t.columns.join(', ')} FROM ${t.name} ${keyAfter(t, after, () => '?')} ORDER BY ${t.key.join(', ')} LIMIT ?`)
        .raw().all(...(after ? keyIdx.map((i) => after[i]) : []), limit) as Row[];
    },
    async count(t) {
      return db.prepare(`SELECT count(*) FROM ${t.name}`).pluck().get() as number;
    },
    async write(t, batch) {
      const insert = db.prepare(`INSERT OR ${t.replace ? 'REPLACE' : 'IGNORE'} INTO ${t.name} (${t.columns.join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`);
      // New papers reach FTS5 from the store's own insert, not a trigger (migration 001): so here too.
      const fts = db.prepare('INSERT INTO papers_fts (rowid, title, author_names, abstract) VALUES (?, ?, ?, ?)');
      const c = (n: string) => t.columns.indexOf(n);
      db.transaction(() => {
        for (const r of batch) {
          const done = insert.run(...r.map((v) => (typeof v === 'boolean' ? Number(v) : v))).changes;
          if (done && t.name === 'papers') fts.run(r[c('pk')], r[c('title')], r[c('author_names')], r[c('abstract')]);
        }
      }).immediate();
    },
    async counters() {
      return Object.fromEntries(db.prepare('SELECT name, seq FROM sqlite_sequence').raw().all() as [string, number][]);
    },
    async finish(counters) {
      // AUTOINCREMENT's counters live in sqlite_sequence, which inserts above already moved to their highest id.
      for (const [table] of COUNTERS) {
        const seq = counters[table] ?? 0;
        if (!db.prepare('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?').run(seq, table).changes && seq > 0) {
          db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(table, seq);
        }
      }
    },
    async close() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

export async function postgresSide(url: string): Promise<Side> {
  const db: Db = openPool(url, 2);
  await migratePg(db);
  return {
    async page(t, after, limit) {
      const keyIdx = t.key.map((k) => t.columns.indexOf(k));
      const params = after ? keyIdx.map((i) => after[i]) : [];
      const r = await db.query({ text: `SELECT ${t.columns.join(', ')} FROM ${t.name} ${keyAfter(t, after, (i) => `$${i + 1}`)} ORDER BY ${t.key.join(', ')} LIMIT $${params.length + 1}`,
        values: [...params, limit], rowMode: 'array' });
      return r.rows as Row[];
    },
    async count(t) {
      return (await rows<{ n: number }>(db, `SELECT count(*) AS n FROM ${t.name}`))[0]!.n;
    },
    async write(t, batch) {
      if (!batch.length) return;
      const c = (n: string) => t.columns.indexOf(n);
      const params: unknown[] = [];
      const param = (v: unknown) => `$${params.push(v)}`;
      const tuples = batch.map((r) => `(${r.map(param).join(', ')})`);
      const conflict = t.replace
        ? `ON CONFLICT (${t.key.join(', ')}) DO UPDATE SET ${t.columns.filter((x) => !t.key.includes(x)).map((x) => `${x} = excluded.${x}`).join(', ')}`
        : 'ON CONFLICT DO NOTHING';
      const insert = `INSERT INTO ${t.name} (${t.columns.join(', ')}) VALUES ${tuples.join(', ')} ${conflict}`;
      if (t.name !== 'papers') {
        await db.query(insert, params);
        return;
      }
      // Papers also get their word vector (paper_word_vectors, migration 008), as the engine's own writes make it; those already there keep theirs.
      const vectors = batch.map((r) => `(${param(r[c('pk')])}::bigint, paper_words(${paperWordsArgs(r[c('title')] as string, r[c('author_names')] as string, r[c('abstract')] as string).map(param).join(', ')}))`);
      await db.query(`WITH added AS (${insert} RETURNING pk)
        INSERT INTO paper_word_vectors (pk, words) SELECT v.pk, v.words
        FROM (VALUES ${vectors.join(', ')}) AS v(pk, words) JOIN added ON added.pk = v.pk`, params);
    },
    async counters() {
      const out: Record<string, number> = {};
      for (const [table, col] of COUNTERS) {
        const seq = (await rows<{ s: string }>(db, `SELECT pg_get_serial_sequence('${table}', '${col}') AS s`))[0]!.s;
        out[table] = (await rows<{ n: number }>(db, `SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS n FROM ${seq}`))[0]!.n;
      }
      return out;
    },
    async finish(counters) {
      // Rows came with their ids: counters continue after them, and after the source's own.
      for (const [table, col] of COUNTERS) {
        await db.query(`SELECT setval(pg_get_serial_sequence('${table}', '${col}'), greatest(coalesce((SELECT max(${col}) FROM ${table}), 0), $1::bigint) + 1, false)`, [counters[table] ?? 0]);
      }
    },
    async close() {
      await db.end();
    },
  };
}
