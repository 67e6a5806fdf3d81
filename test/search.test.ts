// Search end to end over a real SQLite store: the query language, ranking basics,
// filters, snippets, paging, the index following new and changed papers, and hostile
// input that must never throw.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { emptyRecord, type PaperRecord } from '../src/papers/paper.js';
import { createSearchEngine, search } from '../src/search/search.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../src/store/store.js';

function paper(id: string, title: string, abstract: string, over: Partial<PaperRecord> = {}): PaperRecord {
  return { ...emptyRecord(id, title, abstract), authors: [{ name: 'Ada Lovelace' }], categories: ['cs.LG'], announcedAt: '2025-03-18', ...over };
}

const store = openSqliteStore(path.join(mkdtempSync(path.join(tmpdir(), 'paperboy-search-')), 'search.db'));
await store.migrate();
await store.ingest({ papers: [
  paper('2503.00001', 'Graph neural networks for molecules', 'We train graph neural networks on molecular graphs and predict properties.', { categories: ['cs.LG', 'q-bio.BM'] }),
  paper('2503.00002', 'Neural networks without graphs', 'Plain neural networks for images; no graph structure is used.', { categories: ['cs.CV'], announcedAt: '2025-06-02' }),
  paper('2503.00003', 'Spin glasses and replica symmetry', 'The Sherrington-Kirkpatrick spin-glass model solved with the replica method.', {
    categories: ['cond-mat.dis-nn'], authors: [{ name: 'Giorgio Parisi' }], announcedAt: '2024-11-05' }),
  paper('2503.00004', 'Équivariance under mixed symmetries', 'Regularizing towards soft equivariance; datasets have intrinsic symmetries.', {
    authors: [{ name: 'Yann LeCun' }, { name: 'José Müller' }], announcedAt: '2025-07-01' }),
  paper('2503.00005', 'Attention for sequence transduction', 'We propose a new architecture for translation.', { announcedAt: '2025-01-01' }),
  paper('2503.00006', 'Recurrent models for translation', 'Recurrent layers with an attention mechanism over the source.', { announcedAt: '2025-01-02' }),
  paper('hep-th/9901001', 'Strings on curved backgrounds', 'An old-style identifier in high energy physics.', { categories: ['hep-th'], announcedAt: '1999-01-04' }),
] });
const engine = createSearchEngine(store);
const ids = async (q: string, opts = {}) => (await search(engine, q, opts)).hits.map((h) => h.paper.id);

test('every word must match (stemmed), and a title match outranks an abstract match', async () => {
  const r = await search(engine, 'graph neural networks');
  assert.deepEqual(r.hits.map((h) => h.paper.id).sort(), ['2503.00001', '2503.00002'], 'graphs ~ graph');
  assert.deepEqual(await ids('attention'), ['2503.00005', '2503.00006']);
});

test('a bare arXiv id, versioned id or URL finds that paper', async () => {
  for (const q of ['2503.00003', '2503.00003v2', 'https://arxiv.org/abs/2503.00003', 'hep-th/9901001']) {
    const r = await search(engine, q);
    assert.equal(r.exactId, true, q);
    assert.equal(r.hits.length, 1, q);
  }
  const missing = await search(engine, '2401.99999');
  assert.equal(missing.total, 0);
  assert.match(missing.notes.join(' '), /not in this collection/);
});

test('phrases, exclusions and OR', async () => {
  assert.deepEqual(await ids('"graph neural networks"'), ['2503.00001']);
  assert.deepEqual(await ids('neural networks -molecules'), ['2503.00002']);
  assert.deepEqual((await ids('replica OR equivariance')).sort(), ['2503.00003', '2503.00004']);
});

test('field filters: category with cross-lists, author with accents and initials, dates', async () => {
  assert.deepEqual(await ids('neural cat:q-bio.BM'), ['2503.00001']);
  assert.deepEqual(await ids('symmetries author:"Y. LeCun"'), ['2503.00004']);
  assert.deepEqual(await ids('author:"Jose Muller"'), ['2503.00004']);
  assert.deepEqual(await ids('networks since:2025-05-01'), ['2503.00002']);
  assert.deepEqual(await ids('spin year:2024'), ['2503.00003']);
  assert.deepEqual(await ids('networks before:2025-01-01'), []);
});

test('accents are folded and snippets mark the matched words', async () => {
  const r = await search(engine, 'equivariance');
  assert.equal(r.hits[0]?.paper.id, '2503.00004');
  assert.ok(r.hits[0]?.snippet?.includes(`${HIGHLIGHT_START}equivariance${HIGHLIGHT_END}`));
});

test('when no paper has every word, papers with some of them come back with a note', async () => {
  const r = await search(engine, 'molecules replica');
  assert.equal(r.total, 2);
  assert.match(r.notes.join(' '), /No paper has all of these words/);
});

test('paging and newest-first order', async () => {
  const first = await search(engine, 'neural', { limit: 1, page: 1, sort: 'newest' });
  const second = await search(engine, 'neural', { limit: 1, page: 2, sort: 'newest' });
  assert.equal(first.total, 2);
  assert.deepEqual([first.hits[0]?.paper.id, second.hits[0]?.paper.id], ['2503.00002', '2503.00001']);
  assert.deepEqual((await search(engine, 'neural', { page: 9 })).hits, []);
});

test('a pasted abstract finds its paper', async () => {
  const r = await search(engine, 'The Sherrington-Kirkpatrick spin-glass model used the replica symmetry method to study phases of disordered magnets at low temperature');
  assert.equal(r.hits[0]?.paper.id, '2503.00003');
});

test('in pasted text "-word" is a word, not an exclusion; typed queries keep exclusions', async () => {
  const pasted = 'We solve the Sherrington-Kirkpatrick spin glass with the replica -method, a mean field -based approach that the community has studied for decades in models of disordered magnets and glasses at low temperature';
  const r = await search(engine, pasted);
  assert.equal(r.hits[0]?.paper.id, '2503.00003', 'the paper with "method" is not thrown out');
  assert.ok(r.notes.some((n) => /pasted text/.test(n)));
  assert.deepEqual(await ids('spin glass replica -method'), [], 'a typed exclusion still excludes');
});

test('new and changed papers are searchable at once', async () => {
  await store.ingest({ papers: [paper('2503.00009', 'Quantum error correction codes', 'Surface codes.')] });
  assert.deepEqual(await ids('quantum'), ['2503.00009']);
  await store.ingest({ papers: [paper('2503.00009', 'Topological codes', 'Surface codes, revisited.', { versions: [{ version: 2, submittedAt: '2025-04-01T00:00:00Z' }] })] });
  assert.deepEqual(await ids('quantum'), [], 'the old title is gone from the index');
  assert.deepEqual(await ids('topological'), ['2503.00009']);
});

test('hostile input never throws', async () => {
  const nasty = ['', '   ', '"', '"""', '*', '(', ')', 'NEAR(a b)', ':', '-', '--', 'a:', ':b', 'cat:', 'author:', 'since:2025-13-45',
    'title:"', '\u0000', '🤖 neural', 'שלום עולם', 'x'.repeat(10_000), 'a OR OR b', 'NOT', '-"graph"', 'neur*', '*neur', 'sort:bogus'];
  for (const q of nasty) {
    const r = await search(engine, q);
    assert.ok(Number.isInteger(r.total), JSON.stringify(q).slice(0, 40));
  }
  assert.deepEqual(await ids('neur*'), ['2503.00002', '2503.00001'], 'a prefix alone lists its matches, newest first');
});

test('similar papers share rare words and leave the paper out', async () => {
  const { similarPapers } = await import('../src/search/similar.js');
  const seed = await store.getPaper('2503.00001');
  const similar = await similarPapers(engine, seed!, 3);
  assert.ok(similar.length > 0);
  assert.ok(similar.every((h) => h.paper.id !== '2503.00001'));
  assert.equal(similar[0]?.paper.id, '2503.00002', 'the other neural-network paper');
  // Remembered answers follow the collection: a closer paper arriving shows up at once.
  await store.ingest({ papers: [paper('2503.00020', 'Graph neural networks predict molecular properties', 'Molecular graphs, graph neural networks, properties.')] });
  assert.equal((await similarPapers(engine, seed!, 3))[0]?.paper.id, '2503.00020');
});

test('words that are in no paper find nothing, alone or together', async () => {
  assert.equal((await search(engine, 'zzzqqq')).total, 0);
  assert.equal((await search(engine, 'zzzqqq wwwvvv')).total, 0);
  assert.equal((await search(engine, 'zzzqqq wwwvvv xxyyzz aabbcc ddeeff gghhii kkllmm')).total, 0, 'a long query of unknown words');
});
