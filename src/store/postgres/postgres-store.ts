// The server engine: PostgreSQL behind the Store interface, through a pool of
// connections (node-postgres). Several processes, on several machines, may share one
// database; how each kind of write stays correct among them is said where it is done
// (db.ts: transactions and retries; 001_schema.sql: the change sequence and trending marks).

import type { Store } from '../store.js';
import { contentVersionCache } from './content-version.js';
import { guardPgStore, openPool, redactUrl } from './db.js';
import { pgAlerts } from './alerts.js';
import { pgExtras } from './extras.js';
import { pgLeases } from './leases.js';
import { migrate } from './migrate.js';
import { pgPapers, readContentVersion } from './papers.js';
import { pgPersonal } from './personal.js';
import { pgDigests } from './digests.js';
import { pgSubscribers } from './subscribers.js';
import { papersMeeting } from './text-search.js';
import { pgTrending } from './trending.js';
import { pgVectors } from './vectors.js';
import { pgVotes } from './votes.js';

export interface PostgresStoreOptions {
  /** Connections in the pool. */
  poolSize?: number;
  now?: () => Date;
}

export function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Store {
  const db = openPool(url, opts.poolSize ?? 10);
  const now = opts.now ?? (() => new Date());
  const versions = contentVersionCache(url, () => readContentVersion(db));
  const store: Store = {
    engine: 'postgres',
    ...pgPapers(db, now, versions),
    ...pgSubscribers(db),
    ...pgDigests(db),
    ...pgTrending(db, now),
    ...pgVotes(db, now),
    ...pgExtras(db, now, versions),
    ...pgVectors(db),
    ...pgLeases(db),
    ...pgPersonal(db),
    ...pgAlerts(db),
    async migrate() {
      await migrate(db);
    },
    async papersMeeting(c, keys) {
      return papersMeeting(db, c, keys);
    },
    // A given paper's vector is found by its key and matched: 8-25 µs of CPU, against 5-10
    // µs a paper with the words when the GIN index proposes them all and each vector is read
    // back (1.1-2.7 times at 74,728 papers, 2.5 at a million; bench:engines).
    givenPaperCost: 2,
    async close() {
      await versions.close();
      await db.end();
    },
  };
  return guardPgStore(store, `at ${redactUrl(url)}`, new Set(['searchDocuments', 'paperVectors']));
}
