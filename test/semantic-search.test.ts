// Search by meaning end to end over a real SQLite store: the built-in model learns from
// titles and abstracts that one vocabulary means another, so a query finds papers that
// share none of its words; filters, exclusions and similar:ID apply to vectors as to
// words; an external model's vectors are stored, reused after a restart, re-embedded only
// for changed papers, and never mixed with another model's.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { emptyRecord, type PaperRecord } from '../src/papers/paper.js';
import { normalize, type Embedder } from '../src/search/embedders/embedder.js';
import { mulberry32 } from '../src/random.js';
import { createSearchEngine, search } from '../src/search/search.js';
import { createSemanticSearcher } from '../src/search/semantic/searcher.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createLogger } from '../src/logger.js';

// Three topics. Titles speak one vocabulary, abstracts another: only training can tell
// that "rotation invariant" and "equivariant spherical harmonics" are about one thing.
const TOPICS = [
  { title: ['rotation', 'invariant', 'shape', 'pose'], abstract: ['equivariant', 'spherical', 'harmonics', 'group', 'convolution', 'mesh'] },
  { title: ['translate', 'language', 'multilingual', 'bilingual'], abstract: ['parallel', 'corpus', 'decoder', 'bleu', 'tokens', 'alignment'] },
  { title: ['protein', 'fold', 'molecule', 'drug'], abstract: ['residue', 'binding', 'ligand', 'docking', 'amino', 'chain'] },
];
const FILLER = ['method', 'results', 'propose', 'study', 'approach', 'experiments', 'show', 'performance'];
const random = mulberry32(7);
const pick = (words: string[], n: number) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]!).join(' ');

const records: PaperRecord[] = [];
for (let i = 0; i < 600; i++) {
  const t = i % 3;
  records.push({
    // Three papers in ten have a title without their topic's title words.
    ...emptyRecord(`2501.${String(10000 + i)}`, i % 10 < 3 ? `A study ${pick(FILLER, 2)}` : `${pick(TOPICS[t]!.title, 3)} ${pick(FILLER, 1)}`, `${pick(TOPICS[t]!.abstract, 12)} ${pick(FILLER, 6)}.`),
    categories: [i % 2 ? 'cs.CV' : 'cs.LG'], announcedAt: `2025-01-${String(1 + (i % 28)).padStart(2, '0')}`,
  });
}
const topicOf = (id: string) => (Number(id.split('.')[1]) - 10000) % 3;

const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-semantic-'));
const store = openSqliteStore(path.join(dir, 'semantic.db'));
await store.migrate();
await store.ingest({ papers: records });
const modelFile = path.join(dir, 'semantic.db.search-model');
const training = { epochs: 8, batchSize: 64, minDf: 2 };
const semantic = createSemanticSearcher(store, { modelFile, training });
const engine = createSearchEngine(store, { semantic, waitForVectors: true });

test('a query finds papers that share none of its words, which words alone cannot', async () => {
  const query = 'rotation invariant';
  const words = await search(engine, query, { mode: 'lexical', limit: 100 });
  const meaning = await search(engine, query, { mode: 'semantic', limit: 60 });
  assert.equal(meaning.mode, 'semantic');
  assert.equal(meaning.hits.length, 60);
  assert.ok(meaning.hits.every((h) => topicOf(h.paper.id) === 0), 'every paper found by meaning is on the topic');
  const lexicalIds = new Set(words.hits.map((h) => h.paper.id));
  const unseen = meaning.hits.filter((h) => !/rotation|invariant/.test(`${h.paper.title} ${h.paper.abstract}`));
  assert.ok(unseen.length > 0 && unseen.every((h) => !lexicalIds.has(h.paper.id)), 'some have neither word, and words alone miss them');
  const hybrid = await search(engine, query, { limit: 10 });
  assert.equal(hybrid.mode, 'hybrid', 'hybrid is the default once vectors are ready');
  assert.ok(hybrid.hits.every((h) => topicOf(h.paper.id) === 0));
});

test('filters and exclusions apply to the vector list as to words', async () => {
  const cv = await search(engine, 'protein fold cat:cs.CV since:2025-01-10 before:2025-01-20', { mode: 'semantic', limit: 20 });
  assert.ok(cv.hits.length > 0);
  assert.ok(cv.hits.every((h) => h.paper.categories.includes('cs.CV') && h.paper.announcedAt! >= '2025-01-10' && h.paper.announcedAt! < '2025-01-20'));
  const without = await search(engine, 'protein fold -docking', { mode: 'hybrid', limit: 30 });
  assert.ok(without.hits.length > 0 && without.hits.every((h) => !/docking/.test(h.paper.abstract)));
});

test('a phrase holds for every paper found by meaning, the store asked about the best papers or for all', async () => {
  const truth = records.filter((r) => /residue binding/.test(r.abstract)).length;
  assert.ok(truth > 30, `${truth} papers have the phrase`);
  for (const [how, s] of [['as the engine chooses', store], ['the best papers asked about', { ...store, givenPaperCost: 0 }]] as const) {
    const e = createSearchEngine(s, { semantic, waitForVectors: true });
    for (const mode of ['semantic', 'hybrid'] as const) {
      const r = await search(e, 'protein "residue binding"', { mode, limit: 30 });
      assert.equal(r.hits.length, 30, `${how}, ${mode}`);
      assert.ok(r.hits.every((h) => /residue binding/.test(h.paper.abstract)), `${how}, ${mode}: every paper has the phrase`);
    }
  }
});

test('similar:ID lists vector neighbours without the paper itself, and an unknown id says so', async () => {
  const id = records[4]!.id; // topic 1
  const similar = await search(engine, `similar:${id}`, { limit: 8 });
  assert.equal(similar.mode, 'semantic');
  assert.equal(similar.hits.length, 8);
  assert.ok(!similar.hits.some((h) => h.paper.id === id));
  assert.ok(similar.hits.every((h) => topicOf(h.paper.id) === 1));
  const missing = await search(engine, 'similar:2512.99999');
  assert.equal(missing.total, 0);
  assert.match(missing.notes.join(' '), /not in this collection/);
});

test('the trained model is saved beside the database and loaded, not retrained, at the next start', async () => {
  const first = await semantic.current();
  assert.ok(existsSync(modelFile));
  const again = await createSemanticSearcher(store, { modelFile, training }).current();
  assert.equal(again!.embedder.name, first!.embedder.name);
});

test('papers added later are embedded at the next query', async () => {
  await store.ingest({ papers: [{ ...emptyRecord('2502.00001', 'Notes', `${TOPICS[2]!.abstract.join(' ')} binding ligand docking`), categories: ['cs.LG'], announcedAt: '2025-02-01' }] });
  const hits = await search(engine, 'similar:2502.00001', { limit: 5 });
  assert.ok(hits.hits.length === 5 && hits.hits.every((h) => topicOf(h.paper.id) === 2));
  const found = await search(engine, 'drug molecule since:2025-02-01', { mode: 'semantic', limit: 5 });
  assert.deepEqual(found.hits.map((h) => h.paper.id), ['2502.00001']);
});

/** A small real embedder for the storage path: hashed words, counting what it embeds. */
function hashingEmbedder(name: string): Embedder & { embedded: number } {
  const e = {
    name, dimensions: 64, embedded: 0,
    async embedDocuments(texts: string[]) { e.embedded += texts.length; return texts.map(vectorOf); },
    async embedQuery(text: string) { return vectorOf(text); },
  };
  return e;
}
function vectorOf(text: string): Float32Array {
  const v = new Float32Array(64);
  for (const w of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    let h = 0;
    for (const c of w) h = (h * 31 + c.charCodeAt(0)) | 0;
    v[Math.abs(h) % 64]! += 1;
  }
  return normalize(v);
}

test('an external model\'s vectors are stored once, reused after a restart, and never mixed with another model\'s', async () => {
  const s2 = openSqliteStore(path.join(dir, 'external.db'));
  await s2.migrate();
  await s2.ingest({ papers: records.slice(0, 100) });
  const a = hashingEmbedder('test:a');
  await createSemanticSearcher(s2, { embedder: a }).current();
  assert.equal(a.embedded, 100);
  const restarted = hashingEmbedder('test:a');
  const state = await createSemanticSearcher(s2, { embedder: restarted }).current();
  assert.equal(restarted.embedded, 0, 'stored vectors are reused');
  assert.equal(state!.index.size, 100);
  // A changed abstract is embedded again; the others are not.
  await s2.ingest({ papers: [{ ...records[3]!, abstract: 'An entirely new abstract about something else.' }] });
  const afterChange = hashingEmbedder('test:a');
  await createSemanticSearcher(s2, { embedder: afterChange }).current();
  assert.equal(afterChange.embedded, 1);
  // Another model embeds everything itself; both sets are kept apart until one is dropped.
  const b = hashingEmbedder('test:b');
  await createSemanticSearcher(s2, { embedder: b }).current();
  assert.equal(b.embedded, 100);
  assert.deepEqual(await s2.paperVectorModels(), [{ model: 'test:a', papers: 100 }, { model: 'test:b', papers: 100 }]);
  assert.equal(await s2.dropPaperVectorsExcept('test:b'), 100);
  assert.deepEqual(await s2.paperVectorModels(), [{ model: 'test:b', papers: 100 }]);
  await s2.close();
});

test('the vector index is saved beside the database and loaded at the next start, then follows new papers', async () => {
  const indexFile = path.join(dir, 'semantic.db.search-vectors');
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', format: 'text', write: (l) => lines.push(l) });
  const built = await createSemanticSearcher(store, { modelFile, indexFile, training, logger }).current();
  for (let i = 0; i < 100 && !existsSync(indexFile); i++) await new Promise((r) => setTimeout(r, 20)); // saved in the background
  assert.ok(existsSync(indexFile));
  lines.length = 0;
  const loaded = await createSemanticSearcher(store, { modelFile, indexFile, training, logger }).current();
  assert.ok(lines.some((l) => l.includes('vector index loaded')), lines.join('\n'));
  assert.ok(!lines.some((l) => l.includes('vector index built')));
  assert.equal(loaded!.index.size, built!.index.size);
  const q = await loaded!.embedder.embedQuery('protein fold');
  assert.deepEqual(loaded!.index.search(q, { limit: 5 }).map((h) => h.id), built!.index.search(q, { limit: 5 }).map((h) => h.id));
  // A damaged file is not used: the index is rebuilt, and says why.
  writeFileSync(indexFile, '{"format":"paperboy-vectors"}\nxx');
  lines.length = 0;
  const rebuilt = await createSemanticSearcher(store, { modelFile, indexFile, training, logger }).current();
  assert.ok(lines.some((l) => l.includes('damaged')), lines.join('\n'));
  assert.equal(rebuilt!.index.size, built!.index.size);
});
