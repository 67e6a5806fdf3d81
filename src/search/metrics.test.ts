import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mrrAt, ndcgAt, recallAt, summarise } from './metrics.js';

const rel = new Map([['a', 1], ['b', 1]]);

test('nDCG is 1 for an ideal ranking and discounts later hits', () => {
  assert.equal(ndcgAt(['a', 'b', 'x'], rel), 1);
  const late = ndcgAt(['x', 'y', 'a', 'b'], rel);
  const expected = (1 / Math.log2(4) + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3));
  assert.ok(Math.abs(late - expected) < 1e-12);
  assert.equal(ndcgAt(['x'], rel), 0);
  assert.equal(ndcgAt(['a'], new Map()), 0, 'no judged documents: 0, not NaN');
});

test('graded relevance rewards the more relevant document first', () => {
  const graded = new Map([['a', 2], ['b', 1]]);
  assert.ok(ndcgAt(['a', 'b'], graded) > ndcgAt(['b', 'a'], graded));
});

test('recall@k and MRR@k', () => {
  assert.equal(recallAt(['a', 'x'], rel, 100), 0.5);
  assert.equal(recallAt(['x', 'a'], rel, 1), 0);
  assert.equal(mrrAt(['x', 'b', 'a'], rel), 0.5);
  assert.equal(mrrAt(['x'], rel), 0);
});

test('summaries average over judged queries, counting unanswered ones as 0', () => {
  const qrels = new Map([['q1', rel], ['q2', new Map([['c', 1]])]]);
  const s = summarise(new Map([['q1', ['a', 'b']]]), qrels);
  assert.deepEqual(s, { queries: 2, ndcg10: 0.5, recall100: 0.5, mrr10: 0.5 });
});
