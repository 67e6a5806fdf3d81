// SQLite-specific guarantees: the FTS5 index follows the papers table, migrations are
// idempotent, and the file is in WAL mode with foreign keys on.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
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
  assert.equal(store.db.prepare("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')").run().changes >= 0, true);
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
