// Numbered migrations of the PostgreSQL engine: migrations/NNN_name.sql, the pending ones
// applied in order in one transaction (PostgreSQL's DDL is transactional), recorded in
// schema_migrations. Several processes
// may start at once: an advisory lock lets one migrate while the others wait, then find
// nothing left to do.

import { readdirSync, readFileSync } from 'node:fs';
import { rows, tx, type Db } from './db.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
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
      await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [version, file, new Date().toISOString()]);
      done.push(file);
    }
    return done;
  });
}
