// SQLite-specific guarantees: the FTS5 index follows the papers table, migrations are
// idempotent, the file is in WAL mode with foreign keys on, a call waits for another
// connection's write lock without blocking the process, and what SQLite cannot do
// (a lock held too long, a full disk, a damaged file) is the catalogue's store_failure.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { PaperboyError } from '../../errors.js';
import { emptyRecord } from '../../papers/paper.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-sqlite-'));

test('the full-text index stays in sync with papers', async () => {
  const store = openSqliteStore(path.join(dir, 'fts.db'));
  await store.migrate();
  const match = (q: string) => store.db.prepare('SELECT p.id FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid WHERE papers_fts MATCH ? ORDER BY p.id').pluck().all(q);
  await store.ingest({ papers: [
    { ...emptyRecord('2503.00001', 'Spin glasses and replicas', 'We study Sherrington–Kirkpatrick models.'), authors: [{ name: 'Giorgio Parisi' }] },
    { ...emptyRecord('2503.00002', 'Équivariance douce', 'Soft equivariance under mixed symmetries.') },
  ] });
  assert.deepEqual(match('glass'), ['2503.00001'], 'porter stemming: glass ~ glasses');
  assert.deepEqual(match('author_names:parisi'), ['2503.00001']);
  assert.deepEqual(match('equivariance'), ['2503.00002'], 'diacritics folded');
  await store.ingest({ papers: [{ ...emptyRecord('2503.00001', 'Neural networks', 'Nothing about the old topic.'), versions: [{ version: 2, submittedAt: '2025-05-01T00:00:00Z' }] }] });
  assert.deepEqual(match('glass'), [], 'old text leaves the index on update');
  assert.deepEqual(match('neural'), ['2503.00001']);
  // rank = 1: also compare the index with the papers table (throws SQLITE_CORRUPT_VTAB when they differ).
  const integrity = store.db.prepare("INSERT INTO papers_fts (papers_fts, rank) VALUES ('integrity-check', 1)");
  assert.equal(integrity.run().changes, 1);
  // The check can fail: a paper written behind the index's back.
  store.db.prepare(`INSERT INTO papers (id, title, abstract, authors, author_names, categories, ingested_at, modified_at)
    VALUES ('2503.00009', 'Hidden', 'Not indexed', '[]', '', '', 'x', 'x')`).run();
  assert.throws(() => integrity.run(), { code: 'SQLITE_CORRUPT_VTAB' });
  await store.close();
});

test('migrations run once and the pragmas are set', async () => {
  const file = path.join(dir, 'pragmas.db');
  const first = openSqliteStore(file);
  await first.migrate();
  await first.migrate();
  assert.equal(first.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(first.db.pragma('foreign_keys', { simple: true }), 1);
  const versions = first.db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
  // Each numbered file once, whatever migrations other features add.
  const numbered = readdirSync(new URL('./migrations/', import.meta.url)).filter((f) => /^\d+_.+\.sql$/.test(f)).map((f) => Number.parseInt(f, 10));
  assert.deepEqual(versions, numbered.sort((a, b) => a - b));
  assert.ok(numbered.length >= 4);
  await first.close();
});

test('a read-only store reads the secrets a writer created (and cannot create one)', async () => {
  const file = path.join(dir, 'secrets.db');
  const writer = openSqliteStore(file);
  await writer.migrate();
  const key = await writer.secret('index-store-id');
  await writer.close();
  const reader = openSqliteStore(file, { readonly: true });
  assert.equal(await reader.secret('index-store-id'), key);
  await assert.rejects(reader.secret('never-created'));
  await reader.close();
});

const isStoreFailure = (pattern: RegExp) => (e: unknown) => e instanceof PaperboyError && e.code === 'store_failure' && pattern.test(e.message);

test('a writer waits for another connection\'s write lock, and the process goes on meanwhile', async () => {
  const file = path.join(dir, 'wait.db');
  const a = openSqliteStore(file);
  await a.migrate();
  const b = openSqliteStore(file);
  await a.ingest({ papers: [emptyRecord('2503.00001', 'First', 'One.')] });
  a.db.exec('BEGIN IMMEDIATE'); // another process in the middle of a write
  let ticks = 0;
  const ticking = setInterval(() => ticks++, 10);
  const release = setTimeout(() => a.db.exec('COMMIT'), 300);
  let result;
  try {
    // Reads first, then writes: a deferred transaction would fail at once (or block the whole process).
    result = await b.ingest({ papers: [emptyRecord('2503.00001', 'First, revised', 'One.'), emptyRecord('2503.00002', 'Second', 'Two.')] });
  } finally {
    clearInterval(ticking);
    clearTimeout(release);
    if (a.db.inTransaction) a.db.exec('ROLLBACK');
  }
  assert.deepEqual([result.inserted, result.updated], [1, 1]);
  assert.ok(ticks >= 3, `the event loop ran while waiting (${ticks} ticks)`);
  assert.equal((await a.getPaper('2503.00001'))?.title, 'First, revised');
  await b.close();
  await a.close();
});

test('a lock held longer than the wait is a store_failure, and nothing is half-written', async () => {
  const file = path.join(dir, 'held.db');
  const a = openSqliteStore(file);
  await a.migrate();
  const b = openSqliteStore(file, { lockWaitMs: 200 });
  a.db.exec('BEGIN IMMEDIATE');
  try {
    await assert.rejects(b.ingest({ papers: [emptyRecord('2503.00003', 'Third', 'Three.')] }), isStoreFailure(/locked by another process/));
    await assert.rejects(b.changeSubscriber({ email: 'a@example.org' }, () => ({ result: null })), isStoreFailure(/locked/));
  } finally {
    a.db.exec('ROLLBACK');
  }
  assert.equal(await b.getPaper('2503.00003'), null);
  await b.close();
  await a.close();
});

test('a full disk and a damaged file are store_failures that say so', async () => {
  const full = openSqliteStore(path.join(dir, 'full.db'));
  await full.migrate();
  // No room for one more page: what a full disk looks like to SQLite.
  full.db.pragma(`max_page_count = ${full.db.pragma('page_count', { simple: true }) as number}`);
  const big = Array.from({ length: 50 }, (_, i) => emptyRecord(`2503.${String(100 + i).padStart(5, '0')}`, `Paper ${i}`, 'words '.repeat(2000)));
  await assert.rejects(full.ingest({ papers: big }), isStoreFailure(/disk is full/));
  assert.equal((await full.stats()).papers, 0, 'the batch left nothing behind');
  await full.close();

  const damaged = path.join(dir, 'damaged.db');
  writeFileSync(damaged, 'this is not a database, just text that happens to be long enough to look like a header '.repeat(20));
  assert.throws(() => openSqliteStore(damaged), isStoreFailure(/damaged or not a database/));
});
