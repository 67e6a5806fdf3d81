// The saved search index: a restart loads it instead of rebuilding, papers added since
// it was saved are found at once, and a file from another database, a damaged file or
// a missing one only means a rebuild, never wrong results or a crash.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Logger } from '../src/logger.js';
import { emptyRecord, type PaperRecord } from '../src/papers/paper.js';
import { createSearchEngine, search } from '../src/search/search.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-index-file-'));
const WORDS = ['graph', 'neural', 'spin', 'glass', 'transformer', 'attention', 'quantum', 'protein', 'fold', 'robot'];

function paper(i: number): PaperRecord {
  const w = (k: number) => WORDS[(i * 7 + k * 3) % WORDS.length]!;
  return {
    ...emptyRecord(`2501.${String(10000 + i)}`, `${w(0)} ${w(1)} study ${i}`, `We relate ${w(2)} to ${w(3)} and ${w(4)}; case ${i}.`),
    authors: [{ name: `Author ${i % 13}` }], categories: [i % 2 ? 'cs.LG' : 'cs.CV'], announcedAt: `2025-01-${String(1 + (i % 28)).padStart(2, '0')}`,
  };
}

/** Records what the searcher said, to tell a load from a build. */
function listening(): Logger & { said: string[] } {
  const said: string[] = [];
  const note = (m: string) => { said.push(m); };
  const logger: Logger & { said: string[] } = { said, debug: note, info: note, warn: note, error: note, child: () => logger };
  return logger;
}

async function openWith(db: string, indexFile: string) {
  const store = openSqliteStore(db);
  await store.migrate();
  const logger = listening();
  const engine = createSearchEngine(store, { logger, indexFile });
  return { store, engine, logger };
}

// The last three are answered by the index's postings (a title word, a prefix, an excluded word).
const queries = ['graph neural', 'spin glass transformer attention quantum protein', 'robot', 'cat:cs.LG fold', 'since:2025-01-10 quantum',
  'title:robot attention', 'quant* sort:newest', 'fold -protein'];
const resultsOf = async (engine: ReturnType<typeof createSearchEngine>) =>
  Promise.all(queries.map(async (q) => (await search(engine, q, { limit: 50 })).hits.map((h) => `${h.paper.id}:${h.score.toFixed(6)}`)));

test('a restart loads the saved index and answers exactly as the built one did', async () => {
  const db = path.join(dir, 'a.db');
  const file = `${db}.search-index`;
  const first = await openWith(db, file);
  await first.store.ingest({ papers: Array.from({ length: 300 }, (_, i) => paper(i)) });
  const built = await resultsOf(first.engine);
  await first.engine.lexical.saved();
  assert.ok(first.logger.said.includes('search index built'));
  await first.store.close();

  const second = await openWith(db, file);
  assert.deepEqual(await resultsOf(second.engine), built);
  assert.ok(second.logger.said.includes('search index loaded'), second.logger.said.join(', '));
  assert.ok(!second.logger.said.includes('search index built'));

  // Papers that arrived after the save are folded in, not missed.
  await second.store.ingest({ papers: [{ ...paper(999), title: 'Zebrafish regeneration atlas' }] });
  assert.deepEqual((await search(second.engine, 'zebrafish')).hits.map((h) => h.paper.id), ['2501.10999']);
  await second.store.close();
});

test('an index saved from another database, or a damaged one, is rebuilt rather than used', async () => {
  const dbA = path.join(dir, 'b.db');
  const fileA = `${dbA}.search-index`;
  const a = await openWith(dbA, fileA);
  await a.store.ingest({ papers: Array.from({ length: 50 }, (_, i) => paper(i)) });
  await search(a.engine, 'graph');
  await a.engine.lexical.saved();
  await a.store.close();

  // Another database with more papers but a different history: the saved file must not be trusted.
  const dbB = path.join(dir, 'c.db');
  const fileB = `${dbB}.search-index`;
  copyFileSync(fileA, fileB);
  const b = await openWith(dbB, fileB);
  await b.store.ingest({ papers: Array.from({ length: 80 }, (_, i) => ({ ...paper(i + 500), title: `robot arm ${i}` })) });
  assert.equal((await search(b.engine, 'robot arm', { limit: 100 })).total, 80);
  assert.ok(b.logger.said.includes('search index built'), b.logger.said.join(', '));
  await b.engine.lexical.saved();
  await b.store.close();

  for (const damage of [(buf: Buffer) => buf.subarray(0, Math.floor(buf.length / 2)), () => Buffer.from('not an index'), (buf: Buffer) => {
    const copy = Buffer.from(buf);
    copy.write('{"broken', 12, 'latin1');
    return copy;
  }]) {
    writeFileSync(fileA, damage(readFileSync(fileB)));
    const again = await openWith(dbA, fileA);
    assert.equal((await search(again.engine, 'graph', { limit: 100 })).hits.length > 0, true);
    assert.ok(again.logger.said.includes('search index built'), again.logger.said.join(', '));
    await again.engine.lexical.saved();
    await again.store.close();
  }
});

test('`paperboy index` leaves both saved indexes beside the database, so a server starts without building', async () => {
  const db = path.join(dir, 'cli.db');
  const store = openSqliteStore(db);
  await store.migrate();
  await store.ingest({ papers: Array.from({ length: 300 }, (_, i) => paper(i)) });
  await store.close();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--db', db, 'index'],
    { cwd: path.resolve(import.meta.dirname, '..'), encoding: 'utf8', env: { ...process.env, LOG_FORMAT: 'text', LOG_LEVEL: 'info' } });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!/could not save/.test(r.stderr), r.stderr);
  assert.ok(existsSync(`${db}.search-index`), 'the word index is saved');
  assert.ok(existsSync(`${db}.search-vectors`), 'the vector index is saved before the command closes the database');
});
