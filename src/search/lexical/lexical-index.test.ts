// The pruned query paths must return exactly what scoring every paper would: checked
// against a brute-force scorer on a random corpus with a realistic (Zipf) vocabulary.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inverseDocumentFrequency, LexicalIndex } from './lexical-index.js';
import { segmentBuilder, type IndexedDocument, type Segment } from './segment.js';

function prng(seed: number) {
  return () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const rand = prng(42);
const VOCAB = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}x`);
const word = () => VOCAB[Math.floor(VOCAB.length * rand() ** 3)]!; // skewed: a few words are everywhere
const text = (n: number) => Array.from({ length: n }, word).join(' ');
const docs: IndexedDocument[] = Array.from({ length: 4000 }, (_, i) => ({
  key: i + 1, id: `p${i}`, title: text(8), authorNames: '', abstract: text(60 + Math.floor(rand() * 80)),
  day: 20250101 + (i % 28), categories: [i % 3 === 0 ? 'cs.LG' : 'cs.CV'],
}));

function build(list: IndexedDocument[]): { index: LexicalIndex; seg: Segment } {
  const b = segmentBuilder();
  for (const d of list) b.add(d);
  const seg = b.finish();
  return { index: new LexicalIndex(seg), seg };
}

function bruteForce(index: LexicalIndex, seg: Segment, groups: string[][], mode: 'all' | 'any', k: number) {
  const scores = new Map<number, { score: number; groups: number }>();
  groups.forEach((group) => {
    const seen = new Set<number>();
    for (const term of group) {
      const t = seg.terms.get(term);
      if (t === undefined) continue;
      const idf = inverseDocumentFrequency(index.documentFrequency(term), index.size);
      for (let i = seg.start[t]!; i < seg.start[t + 1]!; i++) {
        const d = seg.docs[i]!;
        const s = scores.get(d) ?? { score: 0, groups: 0 };
        s.score += idf * seg.sat[i]!;
        if (!seen.has(d)) s.groups++;
        seen.add(d);
        scores.set(d, s);
      }
    }
  });
  const matching = [...scores].filter(([, s]) => mode === 'any' || s.groups === groups.length);
  matching.sort((a, b) => b[1].score - a[1].score || a[0] - b[0]);
  return { total: matching.length, ids: matching.slice(0, k).map(([d]) => seg.ids[d]!) };
}

test('long queries: pruned top-k equals scoring every paper', () => {
  const { index, seg } = build(docs);
  let pruned = 0;
  for (let q = 0; q < 200; q++) {
    const words = Array.from({ length: 4 + Math.floor(rand() * 12) }, word);
    const result = index.search({ groups: words.map((w) => [w]), mode: 'any', maxTerms: 16, sort: 'relevance', limit: 10, offset: 0 });
    const expected = bruteForce(index, seg, result.terms.map((t) => [t]), 'any', 10);
    assert.deepEqual(result.hits.map((h) => h.id), expected.ids, `query ${words.join(' ')}`);
    if (result.exact) assert.equal(result.total, expected.total);
    else {
      pruned++;
      assert.ok(result.total <= expected.total, 'a pruned total is a lower bound');
    }
  }
  assert.ok(pruned > 20, `pruning should kick in on a skewed vocabulary (it did ${pruned} times)`);
});

test('long queries newest first: every paper with any of the words, by date', () => {
  const { index, seg } = build(docs);
  for (let q = 0; q < 30; q++) {
    const words = Array.from({ length: 6 + Math.floor(rand() * 10) }, word);
    const result = index.search({ groups: words.map((w) => [w]), mode: 'any', maxTerms: 16, sort: 'newest', limit: 10, offset: 0 });
    const matching = bruteForce(index, seg, result.terms.map((t) => [t]), 'any', docs.length).ids;
    assert.equal(result.total, matching.length);
    assert.equal(result.exact, true, 'nothing pruned by score when the order is by date');
    const newest = matching.map((id) => docs[Number(id.slice(1))]!).sort((a, b) => b.day - a.day || b.key - a.key).slice(0, 10);
    assert.deepEqual(result.hits.map((h) => h.id), newest.map((d) => d.id), `query ${words.join(' ')}`);
  }
});

test('clauses that must all match: same papers and order as scoring every paper', () => {
  const { index, seg } = build(docs);
  for (let q = 0; q < 200; q++) {
    const groups = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => (rand() < 0.2 ? [word(), word()] : [word()]));
    const result = index.search({ groups, mode: 'all', sort: 'relevance', limit: 10, offset: 0 });
    const expected = bruteForce(index, seg, groups.map((g) => [...new Set(g)]), 'all', 10);
    assert.deepEqual(result.hits.map((h) => h.id), expected.ids);
    assert.equal(result.total, expected.total);
    assert.equal(result.exact, true);
  }
});

test('filters, newest-first and paging', () => {
  const { index } = build(docs);
  const w = VOCAB[0]!;
  const all = index.search({ groups: [[w]], mode: 'all', sort: 'newest', limit: 4000, offset: 0 });
  const lg = index.search({ groups: [[w]], mode: 'all', sort: 'relevance', limit: 4000, offset: 0, categories: ['cs.LG'] });
  assert.ok(lg.total > 0 && lg.total < all.total);
  assert.ok(lg.hits.every((h) => Number(h.id.slice(1)) % 3 === 0));
  const days = all.hits.map((h) => docs[Number(h.id.slice(1))]!.day);
  assert.deepEqual(days, [...days].sort((a, b) => b - a));
  const window = index.search({ groups: [[w]], mode: 'all', sort: 'relevance', limit: 4000, offset: 0, since: 20250105, before: 20250107 });
  assert.ok(window.hits.every((h) => [20250105, 20250106].includes(docs[Number(h.id.slice(1))]!.day)));
  const page2 = index.search({ groups: [[w]], mode: 'all', sort: 'relevance', limit: 5, offset: 5 });
  const top10 = index.search({ groups: [[w]], mode: 'all', sort: 'relevance', limit: 10, offset: 0 });
  assert.deepEqual(page2.hits.map((h) => h.id), top10.hits.slice(5).map((h) => h.id));
});

test('a changed paper leaves its old words behind; a new one is found at once', () => {
  const { index } = build(docs.slice(0, 100));
  const before = index.size;
  index.upsert([{ ...docs[0]!, title: 'zebrafish', abstract: 'zebrafish embryos' }, { ...docs[200]!, key: 9999, id: 'new', title: 'okapi' }]);
  assert.equal(index.size, before + 1);
  assert.deepEqual(index.search({ groups: [['zebrafish']], mode: 'all', sort: 'relevance', limit: 10, offset: 0 }).hits.map((h) => h.id), ['p0']);
  assert.deepEqual(index.search({ groups: [['okapi']], mode: 'all', sort: 'relevance', limit: 10, offset: 0 }).hits.map((h) => h.id), ['new']);
  const oldWord = docs[0]!.title.split(' ').find((t) => !docs.slice(1, 100).some((d) => `${d.title} ${d.abstract}`.split(' ').includes(t)));
  if (oldWord) assert.equal(index.search({ groups: [[oldWord]], mode: 'all', sort: 'relevance', limit: 10, offset: 0 }).total, 0);
});

test('a date window without words lists exactly the papers inside it, newest first', () => {
  const { index } = build(docs);
  index.upsert([{ ...docs[5]!, day: 20250110 }]); // a changed paper moves to another day
  const days = new Map(docs.map((d) => [d.id, d.day]));
  days.set('p5', 20250110);
  for (const [since, before] of [[20250105, 20250106], [20250101, 20250115], [undefined, 20250103], [20250127, undefined]] as const) {
    const r = index.search({ groups: [], mode: 'all', sort: 'newest', limit: 50, offset: 0, since, before });
    const expected = [...days].filter(([, d]) => (since === undefined || d >= since) && (before === undefined || d < before));
    assert.equal(r.total, expected.length, `${since}..${before}`);
    const got = r.hits.map((h) => days.get(h.id)!);
    assert.deepEqual(got, [...got].sort((a, b) => b - a));
    assert.ok(r.hits.every((h) => expected.some(([id]) => id === h.id)));
  }
});

test('scoresOf gives any paper the score a search gives it, 0 without the words, also after a change', () => {
  const { index } = build(docs.slice(0, 1000));
  index.upsert([{ ...docs[3]!, title: `${docs[3]!.title} zebrafish` }]); // one paper now lives in the delta
  const words = [docs[3]!.title.split(' ')[0]!, 'zebrafish', word(), word()];
  const query = { groups: words.map((w) => [w]), mode: 'any' as const, maxTerms: 16 };
  const all = index.search({ ...query, sort: 'relevance', limit: 1000, offset: 0 });
  const keys = [...all.hits.slice(-5).map((h) => h.key), 4, 123456];
  const scores = index.scoresOf(query, keys);
  all.hits.slice(-5).forEach((h, i) => assert.ok(Math.abs(scores[i]! - h.score) < 1e-6, `paper ${h.id}`));
  assert.ok(Math.abs(scores[5]! - all.hits.find((h) => h.key === 4)!.score) < 1e-6, 'the changed paper is scored by its new words');
  assert.equal(scores[6], 0, 'an unknown paper scores 0');
  // The scratch space is left clean: the next search is unaffected.
  assert.deepEqual(index.search({ ...query, sort: 'relevance', limit: 1000, offset: 0 }).hits, all.hits);
});

test('a paper sharing several common words of a description outranks one sharing a single rare word', () => {
  // 100 papers of three words each. One holds the rare word; one holds three words each
  // found in a quarter of the papers. With BM25's full IDF the rare word alone would win
  // (4.21 against 3 × 1.38); dampened, the three shared words do.
  const abstracts = ['quokka pad pad', 'alpha beta gamma'];
  for (const w of ['alpha', 'beta', 'gamma']) for (let i = 0; i < 24; i++) abstracts.push(`${w} pad pad`);
  while (abstracts.length < 100) abstracts.push('pad pad pad');
  const { index } = build(abstracts.map((abstract, i) => ({ key: i + 1, id: `p${i}`, title: 'report', authorNames: '', abstract, day: 20250101, categories: ['cs.LG'] })));
  const result = index.search({ groups: [['quokka'], ['alpha'], ['beta'], ['gamma']], mode: 'any', maxTerms: 16, sort: 'relevance', limit: 2, offset: 0 });
  assert.deepEqual(result.hits.map((h) => h.id), ['p1', 'p0']);
});
