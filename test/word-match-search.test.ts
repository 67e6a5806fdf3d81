// Hybrid search re-orders its best papers by a word-by-word meaning match: with a built-in
// model whose word vectors say that "orientation" means "rotation" and "geometry" means
// "shape", a paper that answers each idea of the query in its own words rises above a paper
// that shares one word with the query and is about something else. A real SQLite store,
// the real search(); the model is made by hand so that the test says exactly what it means.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { emptyRecord } from '../src/papers/paper.js';
import { modelOf } from '../src/search/embedders/builtin/model.js';
import { analyze } from '../src/search/lexical/analyze.js';
import { createSearchEngine, FULL_TRUST_PAPERS, search } from '../src/search/search.js';
import { createSemanticSearcher } from '../src/search/semantic/searcher.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

// Eight ideas, one direction each; a word near another idea's word leans a little off it.
const WORDS: Record<string, number[]> = {
  rotation: [1, 0, 0, 0, 0, 0, 0, 0], orientation: [0.95, 0.05, 0, 0, 0, 0, 0, 0],
  shape: [0, 1, 0, 0, 0, 0, 0, 0], geometry: [0.05, 0.95, 0, 0, 0, 0, 0, 0],
  unchanged: [0, 0, 1, 0, 0, 0, 0, 0], invariant: [0, 0.05, 0.95, 0, 0, 0, 0, 0],
  language: [0, 0, 0, 1, 0, 0, 0, 0], translation: [0, 0, 0, 0.9, 0.1, 0, 0, 0],
  protein: [0, 0, 0, 0, 0, 1, 0, 0], folding: [0, 0, 0, 0, 0, 0.9, 0.1, 0],
  market: [0, 0, 0, 0, 0, 0, 0, 1], prices: [0, 0, 0, 0, 0, 0, 0.1, 0.9],
};
const terms = Object.keys(WORDS).map((w) => analyze(w)[0]!);
// Learnt, as far as search knows, from enough papers to be trusted fully.
const model = modelOf({ ids: new Map(terms.map((t, i) => [t, i])), idf: new Float32Array(terms.length).fill(1), documents: FULL_TRUST_PAPERS },
  new Float32Array(Object.values(WORDS).flat()), 8, FULL_TRUST_PAPERS);

const ANSWERS = '2501.00001';
const SHARES_ONE_WORD = '2501.00002';
const papers = [
  emptyRecord(ANSWERS, 'Orientation invariant geometry', 'Geometry that stays invariant under any orientation.'),
  emptyRecord(SHARES_ONE_WORD, 'Rotation of language translation', 'Language translation with rotation of prices in a market.'),
  emptyRecord('2501.00003', 'Protein folding', 'Protein folding in a market of prices.'),
  emptyRecord('2501.00004', 'Market prices', 'Market prices and language.'),
  emptyRecord('2501.00005', 'Language translation', 'Translation of language.'),
];

const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-word-match-'));
const store = openSqliteStore(path.join(dir, 'papers.db'));
await store.migrate();
await store.ingest({ papers });
const semantic = createSemanticSearcher(store, { embedder: model });
const engineWith = (wordMatchWeight: number) => createSearchEngine(store, { semantic, waitForVectors: true, fusion: { semanticWeight: 0.4, wordMatchWeight } });

test('the paper that answers every idea of the query in other words comes first', async () => {
  const query = 'shape unchanged rotation';
  const without = await search(engineWith(0), query, { mode: 'hybrid', limit: 5 });
  const withMatch = await search(engineWith(0.6), query, { mode: 'hybrid', limit: 5 });
  // Without the match, sharing the rare word "rotation" wins; with it, meaning does.
  assert.equal(without.hits[0]!.paper.id, SHARES_ONE_WORD);
  assert.equal(withMatch.hits[0]!.paper.id, ANSWERS);
  assert.deepEqual(new Set(withMatch.hits.map((h) => h.paper.id)), new Set(without.hits.map((h) => h.paper.id)), 'only the order changes');
  assert.ok(withMatch.hits.every((h, i) => i === 0 || h.score <= withMatch.hits[i - 1]!.score), 'scores follow the order');
});

test('words alone and vectors alone are not re-ordered', async () => {
  const engine = engineWith(0.6);
  const lexical = await search(engine, 'shape unchanged rotation', { mode: 'lexical', limit: 5 });
  assert.deepEqual(lexical.hits.map((h) => h.paper.id), [SHARES_ONE_WORD]);
  const bare = await search(engineWith(0), 'shape unchanged rotation', { mode: 'semantic', limit: 5 });
  const matched = await search(engine, 'shape unchanged rotation', { mode: 'semantic', limit: 5 });
  assert.deepEqual(matched.hits.map((h) => h.paper.id), bare.hits.map((h) => h.paper.id));
});
