// Picks the engine from the configured database: a postgres:// URL or a SQLite path.

import path from 'node:path';
import type { Config } from '../config.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export async function openStore(config: Pick<Config, 'database'>): Promise<Store> {
  const file = sqliteFileOf(config);
  const store = file === null ? openPostgresStore(config.database) : openSqliteStore(file);
  try {
    await store.migrate();
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
  return store;
}

/** The SQLite file the configuration names; null for a server database. */
export function sqliteFileOf(config: Pick<Config, 'database'>): string | null {
  return /^postgres(ql)?:\/\//.test(config.database) ? null : config.database.replace(/^sqlite:(\/\/)?/, '');
}

/** Where the search index of this database is saved between runs: beside its SQLite file. */
export function searchIndexFileOf(config: Pick<Config, 'database' | 'dataDir'>): string | undefined {
  const file = sqliteFileOf(config);
  if (file === ':memory:') return undefined;
  return file ? `${file}.search-index` : path.join(config.dataDir, 'search-index');
}
