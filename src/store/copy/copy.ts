// Copies one Paperboy database into another, SQLite into PostgreSQL or back: every table
// a page at a time in key order, rows already in the target left alone, so a copy that
// was stopped resumes (tables already complete are skipped, a partial one is read again
// and only its missing rows written). Then both are compared table by table, by count
// and by a checksum of their rows that does not depend on order (the engines sort text
// differently), so a copy that differs in any value is reported, never silently kept.

import { createHash } from 'node:crypto';
import { PaperboyError } from '../../errors.js';
import { sqliteFileOf } from '../open-store.js';
import { postgresSide, sqliteSide, type Row, type Side } from './sides.js';
import { TABLES, type TableSpec } from './tables.js';

const PAGE = 1000;

export interface CopyProgress {
  table: string;
  /** Rows copied (or found already there) across all tables, and their total in the source. */
  done: number;
  total: number;
}

export interface CopySummary {
  tables: { table: string; rows: number; checksum: string }[];
  rows: number;
}

export async function openSide(database: string): Promise<Side> {
  const file = sqliteFileOf({ database });
  return file === null ? postgresSide(database) : sqliteSide(file);
}

export async function copyDatabase(from: Side, to: Side, onProgress: (p: CopyProgress) => void = () => {}): Promise<CopySummary> {
  const counts = new Map<string, number>();
  for (const t of TABLES) counts.set(t.name, await from.count(t));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  let done = 0;
  for (const t of TABLES) {
    const n = counts.get(t.name)!;
    // A table that already holds as many rows is one an earlier run finished (verification checks it).
    if (!t.replace && !t.derived && (await to.count(t)) === n) {
      done += n;
      onProgress({ table: t.name, done, total });
      continue;
    }
    let after: Row | null = null;
    for (;;) {
      const page = await from.page(t, after, PAGE);
      if (!page.length) break;
      await to.write(t, page);
      done += page.length;
      onProgress({ table: t.name, done, total });
      after = page.at(-1)!;
    }
  }
  await to.finish(await from.counters());
  return verify(from, to);
}

/** Compares every table but derived ones; throws naming the tables that differ. */
export async function verify(from: Side, to: Side): Promise<CopySummary> {
  const tables: CopySummary['tables'] = [];
  const differ: string[] = [];
  for (const t of TABLES.filter((x) => !x.derived)) {
    const [a, b] = [await checksum(from, t), await checksum(to, t)];
    if (a.rows !== b.rows || a.sum !== b.sum) differ.push(`${t.name} (${a.rows} rows, copy has ${b.rows}${a.rows === b.rows ? ' with other values' : ''})`);
    tables.push({ table: t.name, rows: a.rows, checksum: a.sum });
  }
  if (differ.length) throw new PaperboyError('store_failure', `The copy differs from the source in ${differ.join(', ')}; run the same command again to resume it.`);
  return { tables, rows: tables.reduce((n, t) => n + t.rows, 0) };
}

/** The count of a table's rows and the sum (mod 2^64) of a hash of each: the same whatever order the engine reads them in. */
async function checksum(side: Side, t: TableSpec): Promise<{ rows: number; sum: string }> {
  let sum = 0n;
  let n = 0;
  let after: Row | null = null;
  for (;;) {
    const page = await side.page(t, after, 5000);
    if (!page.length) break;
    for (const r of page) {
      const h = createHash('sha256').update(JSON.stringify(r.map(canonical))).digest();
      sum = (sum + h.readBigUInt64BE(0)) & 0xffff_ffff_ffff_ffffn;
      n++;
    }
    after = page.at(-1)!;
  }
  return { rows: n, sum: sum.toString(16).padStart(16, '0') };
}

/** A value as both engines give it: numbers as numbers, bytes as hex. */
function canonical(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return `bytes:${v.toString('hex')}`;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return Number(v);
  return v;
}
