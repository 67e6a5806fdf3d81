// The personal model by meaning, over real parts (SQLite file, the built-in embedder
// trained on the corpus, trending): with paper vectors, candidates near what the
// subscriber liked (by their vectors, not their words) come first; without vectors the
// model still works, on words alone.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../src/config.js';
import { emptyRecord, type PaperRecord } from '../src/papers/paper.js';
import { createPersonalizer } from '../src/personal/personalize.js';
import { mulberry32 } from '../src/random.js';
import { createSearchEngine } from '../src/search/search.js';
import { createSemanticSearcher } from '../src/search/semantic/searcher.js';
import type { PersonalProfile } from '../src/store/personal-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createTrending } from '../src/trending/index.js';

const TOPICS = [
  ['graph', 'node', 'edge', 'neighbour', 'message', 'vertex', 'spectral', 'walk'],
  ['image', 'pixel', 'convolution', 'segmentation', 'camera', 'depth', 'scene', 'texture'],
  ['protein', 'residue', 'binding', 'ligand', 'docking', 'amino', 'chain', 'fold'],
];
const FILLER = ['method', 'results', 'propose', 'study', 'approach', 'experiments', 'show', 'performance'];
const random = mulberry32(11);
const pick = (words: string[], n: number) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]!).join(' ');
const topicOf = (id: string) => (Number(id.split('.')[1]) - 10000) % 3;

test('with vectors, papers near the liked ones by meaning lead; without, words alone still rank', { timeout: 120_000 }, async () => {
  const records: PaperRecord[] = [];
  for (let i = 0; i < 450; i++) {
    records.push({
      // Titles say nothing of the topic: only the abstracts (and so the vectors) do.
      ...emptyRecord(`2501.${10000 + i}`, `A study ${pick(FILLER, 3)}`, `${pick(TOPICS[i % 3]!, 14)} ${pick(FILLER, 6)}.`),
      categories: ['cs.LG'], announcedAt: `2025-01-${String(1 + (i % 28)).padStart(2, '0')}`, submittedAt: '2025-01-01T00:00:00Z',
    });
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-personal-vectors-'));
  const store = openSqliteStore(path.join(dir, 'p.db'));
  await store.migrate();
  await store.ingest({ papers: records });
  const now = new Date('2025-01-29T00:00:00Z');
  const trending = createTrending(store, DEFAULT_CONFIG.trending, { clock: () => now });
  const semantic = createSemanticSearcher(store, { training: { epochs: 8, batchSize: 64, minDf: 2 } });
  assert.ok(await semantic.current(), 'vectors built');
  const window = { from: '2025-01-01', to: '2025-01-28' };
  const liked = ['2501.10000', '2501.10003', '2501.10006', '2501.10009'];
  const profile: PersonalProfile = { feedback: liked.map((paperId) => ({ paperId, kind: 'more' as const, at: '2025-01-28T00:00:00Z' })), library: [], rules: [] };
  // Only meaning counts here (no prior, no words), so the order says what the vectors did.
  const weights = { prior: 0, liked: 0, disliked: 0, likeThreshold: 2, vectors: 1 };
  const choice = { topicMode: 'boost' as const, topics: [], categories: [] };
  const ranked = async (withVectors: boolean) => {
    const search = createSearchEngine(store, withVectors ? { trending, semantic } : { trending });
    const p = createPersonalizer({ store, trending, search, size: 10, now, weights, poolSize: 450 });
    return (await p.personalize(choice, profile, { key: 'base', window, items: [] })).items.slice(0, 10).map((i) => i.paperId);
  };
  const near = await ranked(true);
  assert.equal(near.length, 10);
  assert.ok(near.filter((id) => topicOf(id) === 0).length >= 9, `papers of the liked topic lead: ${near.map(topicOf).join('')}`);
  const words = await ranked(false);
  assert.equal(words.length, 10, 'without vectors the model still ranks');
  assert.ok(words.filter((id) => topicOf(id) === 0).length < 9, `words alone (here none) do not find them: ${words.map(topicOf).join('')}`);
  await store.close();
});
