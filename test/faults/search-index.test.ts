// The search index under the faults of this suite: a damaged saved index is rebuilt and
// says so in the log (an operator should know why a start took minutes), and a paper
// written by another process whose clock is behind is still found once committed (the
// index follows the store's change sequence, not writers' clocks).

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Logger } from '../../src/logger.js';
import { emptyRecord } from '../../src/papers/paper.js';
import { createSearchEngine, search } from '../../src/search/search.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

function listening(): Logger & { said: { level: string; msg: string; fields?: object }[] } {
  const said: { level: string; msg: string; fields?: object }[] = [];
  const note = (level: string) => (msg: string, fields?: object) => { said.push({ level, msg, fields }); };
  const logger: Logger & { said: typeof said } = { said, debug: note('debug'), info: note('info'), warn: note('warn'), error: note('error'), child: () => logger };
  return logger;
}

const paper = (id: string, title: string) => ({ ...emptyRecord(id, title, `${title}: an abstract.`), categories: ['cs.LG'], announcedAt: '2026-06-30' });

test('a damaged saved index is rebuilt with a warning naming the file and why', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-damaged-index-'));
  const store = openSqliteStore(path.join(dir, 'paperboy.db'));
  await store.migrate();
  await store.ingest({ papers: [paper('2606.00001', 'Spin glass replicas')] });
  const indexFile = path.join(dir, 'paperboy.db.search-index');
  writeFileSync(indexFile, 'PBLEX001\u0000\u0000\u0000\u0010{"truncated":');
  const logger = listening();
  const engine = createSearchEngine(store, { logger, indexFile });
  const r = await search(engine, 'spin glass');
  assert.deepEqual(r.hits.map((h) => h.paper.id), ['2606.00001'], 'rebuilt and searchable');
  const warning = logger.said.find((l) => l.level === 'warn' && /cannot be used; rebuilding/.test(l.msg));
  assert.ok(warning, JSON.stringify(logger.said));
  assert.deepEqual(Object.keys(warning.fields ?? {}).sort(), ['file', 'reason']);
  await engine.lexical.saved();
  await store.close();
});

test('a paper committed by a writer whose clock is behind is found by an index that is already current', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-clocks-'));
  const file = path.join(dir, 'paperboy.db');
  const ahead = openSqliteStore(file, { now: () => new Date('2026-07-01T12:00:00Z') });
  await ahead.migrate();
  const behind = openSqliteStore(file, { now: () => new Date('2026-07-01T11:00:00Z') });
  await ahead.ingest({ papers: [paper('2606.00001', 'Spin glass replicas'), paper('2606.00002', 'Graph neural networks')] });
  const engine = createSearchEngine(ahead);
  assert.equal((await search(engine, 'graph')).hits.length, 1, 'the index is built and current');
  // The other writer changes a paper the index already has; its stamp sorts before the index's last one.
  await behind.ingest({ papers: [{ ...paper('2606.00002', 'Graph transformers for molecules'), versions: [{ version: 2, submittedAt: '2026-06-30T00:00:00Z' }] }] });
  assert.deepEqual((await search(engine, 'molecules')).hits.map((h) => h.paper.id), ['2606.00002'], 'the change is found');
  await behind.close();
  await ahead.close();
});
