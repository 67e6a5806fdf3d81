// The content version a PostgreSQL store keeps between searches (content-version.ts):
// read again after a notice of another process's change, and, where notices cannot arrive
// (a pooler that holds no session for LISTEN), once it is a few seconds old.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { record } from './contract/fixtures.js';
import { testPostgres } from './support/postgres.js';

const server = await testPostgres();
after(() => ('skip' in server ? undefined : server.stop()));
const skip = 'skip' in server ? server.skip : false;

/** How long until a kept version shows the change another store wrote. */
async function shownAfter(reader: ReturnType<typeof openPostgresStore>, writer: ReturnType<typeof openPostgresStore>, id: string): Promise<number> {
  await reader.contentVersion({ cached: true });
  const t0 = Date.now();
  await writer.ingest({ papers: [record(id)] });
  const written = (await writer.contentVersion()).changeSeq;
  while ((await reader.contentVersion({ cached: true })).changeSeq !== written) {
    if (Date.now() - t0 > 10_000) return Infinity;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - t0;
}

test('another process\'s change shows in moments with notices, and within seconds without them', { skip }, async () => {
  if ('skip' in server) return;
  const url = await server.freshDatabase();
  const reader = openPostgresStore(url);
  await reader.migrate();
  const writer = openPostgresStore(url);
  // Until the reader listens, every ask reads; a first change makes sure it listens.
  assert.ok(await shownAfter(reader, writer, '2503.00001') < 10_000);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const told = await shownAfter(reader, writer, '2503.00002');
  assert.ok(told < 1000, `with notices: ${told} ms`);

  // Notices stop (as behind a pooler in transaction mode): the kept version still expires.
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('ALTER TABLE store_sequences DISABLE TRIGGER papers_changed_notice');
  await admin.end();
  const untold = await shownAfter(reader, writer, '2503.00003');
  assert.ok(untold < 5000, `without notices: ${untold} ms`);
  assert.ok(untold >= 300, `without notices, the kept version was used for a while (${untold} ms)`);
  await writer.close();
  await reader.close();
});
