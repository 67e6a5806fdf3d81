// The content version on PostgreSQL, kept between searches. Every search asks first
// whether papers changed (Store.contentVersion); read from the server each time, that is
// a round trip of its own before the query's real work. Kept, it is read again only after
// a change this process was told of:
// - by PostgreSQL: a connection of its own LISTENs on the notice the change sequence's
//   trigger sends at every commit that changes papers (migration 012);
// - by this process's own writes, once they commit (their notice may arrive after the
//   next search).
// Without a listening connection (not yet connected, or lost), every ask reads. A kept
// version is also read again once it is a few seconds old: where notices cannot arrive (a
// pooler such as PgBouncer in transaction mode holds no session for LISTEN), another
// process's change still shows within that time.

import pg from 'pg';
import type { ContentVersion } from '../store.js';

const CHANNEL = 'paperboy_papers_changed';
/** After a lost or refused listening connection, asks read the server until a new one is tried this long after. */
const RETRY_MS = 5000;
/** A kept version is read again after this long even when no change was told. */
const MAX_AGE_MS = 2000;

export interface ContentVersionCache {
  /** The version: the one last read if `cached` and no change was told since, else read now. */
  get(cached: boolean): Promise<ContentVersion>;
  /** This process committed a change to papers. */
  changed(): void;
  close(): Promise<void>;
}

export function contentVersionCache(url: string, read: () => Promise<ContentVersion>): ContentVersionCache {
  // Every change told moves the generation; a version is kept with the generation it was read in.
  let generation = 0;
  let kept: { version: ContentVersion; generation: number; at: number } | null = null;
  let listener: pg.Client | null = null;
  let connecting = false;
  let retryAt = 0;
  let closed = false;

  const lost = (client: pg.Client) => {
    if (listener === client) listener = null;
    retryAt = Date.now() + RETRY_MS;
    client.end().catch(() => {});
  };

  const listen = async () => {
    connecting = true;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    client.on('error', () => lost(client));
    client.on('end', () => lost(client));
    client.on('notification', () => generation++);
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (closed) return void (await client.end());
      listener = client;
      // A version read before the LISTEN took effect may have missed a notice.
      generation++;
    } catch {
      lost(client);
    } finally {
      connecting = false;
    }
  };

  return {
    async get(cached) {
      const now = Date.now();
      if (cached && listener && kept?.generation === generation && now - kept.at < MAX_AGE_MS) return kept.version;
      if (cached && !listener && !connecting && !closed && now >= retryAt) void listen();
      const seen = generation;
      const version = await read();
      kept = { version, generation: seen, at: now };
      return version;
    },
    changed() {
      generation++;
    },
    async close() {
      closed = true;
      const client = listener;
      listener = null;
      await client?.end().catch(() => {});
    },
  };
}
