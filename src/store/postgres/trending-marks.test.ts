// A signal written while trending recomputes the same paper must leave the paper marked,
// or the recomputation (which read the signals before it) would hide it until the next
// change. On SQLite the write lock orders the two; here the mark waits for the
// recomputation's row lock and lands after its delete (001_schema.sql, trending_dirty).

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pg from 'pg';
import { record } from '../../../test/contract/fixtures.js';
import { testPostgres, type TestPostgres } from '../../../test/support/postgres.js';
import { openPostgresStore } from './postgres-store.js';

const server = await testPostgres();
after(async () => { if (!('skip' in server)) await server.stop(); });

test('a mark added during a recomputation of the same paper survives it', { skip: 'skip' in server ? server.skip : false }, async () => {
  const url = await (server as TestPostgres).freshDatabase();
  const store = openPostgresStore(url);
  await store.migrate();
  const drain = async (seen: string[] = []) => {
    for (;;) if ((await store.recomputeFeatures('k', (i) => { seen.push(`${i.paperId}:${i.signals.length}`); return null; }, 10)).done) return seen;
  };
  await store.ingest({ papers: [record('2503.00001')] });
  await drain();
  await store.ingest({ signals: [{ paperId: '2503.00001', kind: 'upvotes', source: 'hf-daily', observedAt: '2025-03-18T00:00:00.000Z', value: 1 }] });
  const recompute = new pg.Client(url);
  await recompute.connect();
  // What recomputeFeatures does: lock the marked rows, read the signals, delete the marks.
  await recompute.query('BEGIN');
  const locked = await recompute.query('SELECT paper_id FROM trending_dirty FOR UPDATE SKIP LOCKED');
  assert.equal(locked.rowCount, 1);
  const seen = await recompute.query('SELECT count(*)::int AS n FROM signals');
  // Meanwhile another process adds a signal: its mark has to wait for the lock.
  const writing = store.ingest({ signals: [{ paperId: '2503.00001', kind: 'upvotes', source: 'hf-daily', observedAt: '2025-03-19T00:00:00.000Z', value: 5 }] });
  await new Promise((r) => setTimeout(r, 200));
  await recompute.query(`DELETE FROM trending_dirty WHERE paper_id = '2503.00001'`);
  await recompute.query('COMMIT');
  await writing;
  await recompute.end();
  assert.equal(seen.rows[0].n, 1, 'the recomputation did not see the new signal');
  const marks = await drain();
  assert.ok(marks.includes('2503.00001:2'), `the paper is still marked and recomputed with both signals (${marks.join(', ')})`);
  await store.close();
});
