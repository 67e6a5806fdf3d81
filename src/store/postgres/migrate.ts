// Numbered migrations of the PostgreSQL engine: migrations/NNN_name.sql, the pending ones
// applied in order in one transaction (PostgreSQL's DDL is transactional), recorded in
// schema_migrations. Several processes
// may start at once: an advisory lock lets one migrate while the others wait, then find
// nothing left to do.

import { readdirSync, readFileSync } from 'node:fs';
import { rows, tx, type Db, type Tx } from './db.js';
import { paperWordsArgs } from './words.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
/** What the application does right after a migration, in its transaction: data SQL cannot compute. */
const AFTER: Record<number, (c: Tx) => Promise<void>> = { 3: fillWordVectors, 7: fillWordVectors };

/** Any fixed number; the same in every process. */
const MIGRATION_LOCK = 7_244_901;

export async function migrate(db: Db): Promise<string[]> {
  return tx(db, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await c.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)`);
    const applied = new Set((await rows<{ version: number }>(c, 'SELECT version FROM schema_migrations')).map((r) => r.version));
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
    const done: string[] = [];
    for (const file of files) {
      const version = Number.parseInt(file, 10);
      if (applied.has(version)) continue;
      await c.query(readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8'));
      await AFTER[version]?.(c);
      await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [version, file, new Date().toISOString()]);
      done.push(file);
    }
    return done;
  });
}

/** The word vector of every paper stored before migration 003 (and again after 007, which changed it), a page at a time. */
async function fillWordVectors(c: Tx): Promise<void> {
  for (let after = 0; ;) {
    const page = await rows<{ pk: number; title: string; author_names: string; abstract: string }>(c,
      'SELECT pk, title, author_names, abstract FROM papers WHERE pk > $1 ORDER BY pk LIMIT 2000', [after]);
    if (!page.length) break;
    const folded = page.map((r) => paperWordsArgs(r.title, r.author_names, r.abstract));
    await c.query('UPDATE papers p SET words = paper_words(u.t, u.a, u.x) FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS u(pk, t, a, x) WHERE p.pk = u.pk',
      [page.map((r) => r.pk), ...[0, 1, 2].map((i) => folded.map((f) => f[i]))]);
    after = page.at(-1)!.pk;
  }
  await c.query('ALTER TABLE papers ALTER COLUMN words SET NOT NULL');
}
