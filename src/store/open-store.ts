// Picks the engine from the configured database: a postgres:// URL or a SQLite path.

import type { Config } from '../config.js';
import { PaperboyError } from '../errors.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export async function openStore(config: Pick<Config, 'database'>): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(config.database)) {
    throw new PaperboyError('bad_config', 'The PostgreSQL engine is not available yet; use a SQLite file path for the database.');
  }
  const file = config.database.replace(/^sqlite:(\/\/)?/, '');
  const store = openSqliteStore(file);
  await store.migrate();
  return store;
}
