// When the database cannot do its part the answer is the catalogue's store_failure, said
// clearly: a 503 with Retry-After on the web (never a 500, never the file's path), exit
// 74 on the command line (never "unexpected error"). And processes starting on a new
// database at once all migrate it without tripping over each other.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { openMailer } from '../../src/mail/open-mailer.js';
import { createSearchEngine } from '../../src/search/search.js';
import { emptyRecord } from '../../src/papers/paper.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { createSubscriptions } from '../../src/subscriptions/service.js';
import { createApp } from '../../src/web/app.js';
import { formPost } from '../support/digest-world.js';
import { cli } from './support.js';

test('a subscription while another process holds the database too long: the same answer, and the request is applied once the database is free', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-busy-'));
  const file = path.join(dir, 'paperboy.db');
  const config = loadConfig({ cwd: dir, env: {}, flags: { dataDir: dir, database: file, digest: { subscribesPerHourPerIp: 1000 } } });
  const store = openSqliteStore(file, { lockWaitMs: 300 });
  await store.migrate();
  const mailer = openMailer(config);
  const subscriptions = createSubscriptions({ store, mailer, config, logger: silentLogger });
  const app = createApp({ store, search: createSearchEngine(store), logger: silentLogger, subscriptions });

  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE'); // e.g. an import's long batch
  // The answer cannot depend on the database (it would tell known addresses from new ones):
  // it is the usual one, and the decision waits for the database.
  const res = await formPost(app, '/subscribe', { email: 'busy@example.org', hour: '7', tz: 'UTC' });
  const page = await res.text();
  assert.equal(res.status, 200, page);
  assert.ok(!page.includes(file) && !page.includes(dir), 'the database path stays private');
  await new Promise((resolve) => setTimeout(resolve, 800)); // the store gives up once (lockWaitMs 300), the service waits
  assert.equal(await store.findSubscriber('busy@example.org'), null, 'nothing is decided while the database is held');
  other.exec('ROLLBACK');
  other.close();
  await subscriptions.idle();
  assert.equal((await store.findSubscriber('busy@example.org'))?.status, 'pending', 'nothing was lost');
  await store.close();
});

test('a vote while another process holds the database too long: 503 with Retry-After, nothing half-written, then it works', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-busy-vote-'));
  const file = path.join(dir, 'paperboy.db');
  const store = openSqliteStore(file, { lockWaitMs: 300 });
  await store.migrate();
  await store.ingest({ papers: [{ ...emptyRecord('2503.00001', 'A paper', 'An abstract.'), announcedAt: '2025-03-18' }] });
  const app = createApp({ store, search: createSearchEngine(store), logger: silentLogger });
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  let res = await formPost(app, '/papers/2503.00001/upvote', {});
  const page = await res.text();
  assert.equal(res.status, 503, page);
  assert.match(res.headers.get('retry-after') ?? '', /^\d+$/);
  assert.match(page, /busy; nothing was lost/);
  assert.ok(!page.includes(file) && !page.includes(dir), 'the database path stays private');
  other.exec('ROLLBACK');
  other.close();
  assert.equal((await store.voteSummaries(['2503.00001'], null)).get('2503.00001')?.local ?? 0, 0);
  res = await formPost(app, '/papers/2503.00001/upvote', {});
  assert.ok(res.status < 400, String(res.status));
  assert.equal((await store.voteSummaries(['2503.00001'], null)).get('2503.00001')?.local, 1);
  await store.close();
});

test('the command line on a damaged database: exit 74 and what is wrong', { timeout: 20_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-damaged-'));
  const file = path.join(dir, 'paperboy.db');
  writeFileSync(file, 'not a database at all, '.repeat(100));
  const r = await cli(file, ['stats']).exited;
  assert.equal(r.code, 74, r.err);
  assert.match(r.err, /damaged or not a database/);
  assert.doesNotMatch(r.err, /unexpected error/);
});

test('three processes starting on a new database at once all migrate it', { timeout: 90_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-fresh-'));
  const file = path.join(dir, 'paperboy.db');
  const runs = await Promise.all([1, 2, 3].map(() => cli(file, ['migrate']).exited));
  assert.deepEqual(runs.map((r) => r.code), [0, 0, 0], runs.map((r) => r.err).join('\n'));
  const db = new Database(file, { readonly: true });
  const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[];
  db.close();
  assert.deepEqual(versions, [...new Set(versions)], 'each migration applied once');
});
