// Pruning must never change a result: on a random corpus with a skewed (Zipf-like)
// vocabulary, changed papers in the delta segment and filters, every query's top k (papers
// and scores, to the last bit) equals that of scoring every paper exhaustively, summed the
// way the index sums (Float32, the words rarest first; clauses cheapest first).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inverseDocumentFrequency, LexicalIndex, type IndexQuery } from './lexical-index.js';
import { saturation, segmentBuilder, type IndexedDocument, type Segment } from './segment.js';

function prng(seed: number) {
  return () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const rand = prng(7);
const VOCAB = Array.from({ length: 2000 }, (_, i) => `v${i.toString(36)}q`);
const word = () => VOCAB[Math.floor(VOCAB.length * rand() ** 3)]!;
const text = (n: number) => Array.from({ length: n }, word).join(' ');
const paper = (i: number): IndexedDocument => ({
  key: i + 1, id: `p${i}`, title: text(3 + Math.floor(rand() * 8)), authorNames: '', abstract: text(20 + Math.floor(rand() * 120)),
  day: 20250101 + (i % 28), categories: [i % 3 === 0 ? 'cs.LG' : 'cs.CV'],
});

/** An index of 9,000 papers (several windows of match.ts) of which 150 were changed afterwards (their old postings dead, the new ones in the delta). */
function corpus(): { index: LexicalIndex; papers: Map<number, IndexedDocument> } {
  const papers = Array.from({ length: 9000 }, (_, i) => paper(i));
  const b = segmentBuilder();
  for (const d of papers) b.add(d);
  const index = new LexicalIndex(b.finish());
  const changed = Array.from({ length: 150 }, (_, i) => ({ ...paper(i * 60), key: i * 60 + 1, id: `p${i * 60}` }));
  index.upsert(changed);
  const live = new Map(papers.map((d) => [d.key, d]));
  for (const d of changed) live.set(d.key, d);
  return { index, papers: live };
}

/** Every live paper scored in full; ranked by score (or date), ties by index order. */
function exhaustive(index: LexicalIndex, q: IndexQuery, terms: string[], papers: Map<number, IndexedDocument>) {
  const segments: [Segment, number][] = [[index.mainSegment, 0], [index.deltaSegment, index.mainSegment.size]];
  const live = new Set<number>(); // index numbers of live papers
  const delta = new Set(Array.from(index.deltaSegment.keys.subarray(0, index.deltaSegment.size)));
  for (const [seg, offset] of segments) {
    for (let i = 0; i < seg.size; i++) if (offset > 0 || !delta.has(seg.keys[i]!)) live.add(offset + i);
  }
  // Per query word, the saturation of each paper that has it.
  const satOf = new Map<string, Map<number, number>>();
  for (const term of terms) {
    const m = new Map<number, number>();
    for (const [seg, offset] of segments) {
      const t = seg.terms.get(term);
      if (t !== undefined) for (let i = seg.start[t]!; i < seg.start[t + 1]!; i++) m.set(offset + seg.docs[i]!, seg.sat[i]!);
    }
    satOf.set(term, m);
  }
  const df = (t: string) => index.documentFrequency(t);
  const clauses = q.mode === 'all'
    ? q.groups.map((g) => [...new Set(g)]).sort((a, b) => a.reduce((s, t) => s + df(t), 0) - b.reduce((s, t) => s + df(t), 0))
    : [...terms].sort((a, b) => df(a) - df(b)).map((t) => [t]);
  const hits: { doc: number; score: number; day: number; key: number }[] = [];
  for (const doc of live) {
    const [seg, local] = doc < index.mainSegment.size ? [index.mainSegment, doc] : [index.deltaSegment, doc - index.mainSegment.size];
    const key = seg.keys[local]!;
    const p = papers.get(key)!;
    if (q.categories && !q.categories.some((c) => p.categories.includes(c))) continue;
    if ((q.since !== undefined && p.day < q.since) || (q.before !== undefined && p.day >= q.before)) continue;
    if (q.allow && !q.allow(key)) continue;
    const acc = new Float32Array(1);
    let clausesMatched = 0;
    for (const clause of clauses) {
      let any = false;
      for (const t of clause) {
        const s = satOf.get(t)!.get(doc);
        if (s === undefined) continue;
        any = true;
        acc[0]! += inverseDocumentFrequency(df(t), index.size) * s;
      }
      if (any) clausesMatched++;
    }
    if (q.mode === 'all' ? clausesMatched < clauses.length : clausesMatched === 0) continue;
    hits.push({ doc, score: saturation(acc[0]!), day: p.day, key });
  }
  hits.sort((a, b) => (q.sort === 'newest' ? b.day - a.day || b.doc - a.doc : b.score - a.score || a.doc - b.doc));
  return { total: hits.length, page: hits.slice(q.offset, q.offset + q.limit).map((h) => ({ key: h.key, score: h.score })) };
}

function randomQuery(mode: 'all' | 'any'): IndexQuery {
  const n = mode === 'all' ? 1 + Math.floor(rand() * 4) : 2 + Math.floor(rand() * 20);
  const groups = Array.from({ length: n }, () => (mode === 'all' && rand() < 0.2 ? [word(), word()] : [word()]));
  const limit = [1, 10, 100][Math.floor(rand() * 3)]!;
  const q: IndexQuery = { groups, mode, sort: rand() < 0.15 ? 'newest' : 'relevance', limit, offset: rand() < 0.2 ? limit : 0 };
  if (mode === 'any') Object.assign(q, { maxTerms: 16, dropCommonTerms: rand() < 0.5 });
  const filter = rand();
  if (filter < 0.1) q.categories = ['cs.LG'];
  else if (filter < 0.2) Object.assign(q, { since: 20250105, before: 20250120 });
  else if (filter < 0.3) q.allow = (key) => key % 5 !== 0;
  return q;
}

for (const mode of ['any', 'all'] as const) {
  test(`'${mode}' queries: the pruned top k has the papers and scores of exhaustive scoring`, () => {
    const { index, papers } = corpus();
    let pruned = 0;
    for (let n = 0; n < 300; n++) {
      const q = randomQuery(mode);
      const result = index.search(q);
      const expected = exhaustive(index, q, result.terms, papers);
      const label = `${JSON.stringify(q.groups)} ${q.sort} top ${q.limit} from ${q.offset}${q.categories ? ' cs.LG' : ''}${q.since ? ' dates' : ''}${q.allow ? ' allow' : ''}`;
      assert.deepEqual(result.hits.map((h) => ({ key: h.key, score: h.score })), expected.page, label);
      if (result.exact) assert.equal(result.total, expected.total, label);
      else {
        pruned++;
        assert.ok(result.total <= expected.total && result.total >= result.hits.length, `a pruned total is a lower bound: ${label}`);
      }
    }
    if (mode === 'any') assert.ok(pruned > 50, `pruning should often apply on a skewed vocabulary (it did ${pruned} times)`);
    else assert.equal(pruned, 0, 'clauses that must all match are always counted exactly');
  });
}
