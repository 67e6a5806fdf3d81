import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuse } from './hybrid.js';

const lexical = [{ id: 'a', score: 12 }, { id: 'b', score: 6 }, { id: 'c', score: 2 }];
const semantic = [{ id: 'c', score: 0.9 }, { id: 'd', score: 0.8 }, { id: 'a', score: 0.1 }];

test('a weighted fusion of min-max normalised lists: weight 0 is the lexical order, 1 the vector order', () => {
  assert.deepEqual(fuse(lexical, semantic, { semanticWeight: 0 }).slice(0, 3).map((r) => r.id), ['a', 'b', 'c']);
  assert.deepEqual(fuse(lexical, semantic, { semanticWeight: 1 }).slice(0, 3).map((r) => r.id), ['c', 'd', 'a']);
  // At 0.5: a = 0.5·1 + 0.5·0 = 0.5, c = 0.5·0 + 0.5·1 = 0.5 (tie: lexical order first), d = 0.5·0.875, b = 0.5·0.4.
  const mid = fuse(lexical, semantic, { semanticWeight: 0.5 });
  assert.deepEqual(mid.map((r) => r.id), ['a', 'c', 'd', 'b']);
  assert.ok(Math.abs(mid[2]!.score - 0.4375) < 1e-9);
});

test('reciprocal-rank fusion rewards papers both lists rank well', () => {
  const fused = fuse(lexical, semantic, { method: 'rrf', rrfK: 60 });
  assert.equal(fused[0]!.id, 'a'); // 1/61 + 1/63 beats c's 1/63 + 1/61? equal — ties keep lexical order
  assert.deepEqual(fused.map((r) => r.id).sort(), ['a', 'b', 'c', 'd']);
  assert.ok(fused.find((r) => r.id === 'c')!.score > fused.find((r) => r.id === 'd')!.score);
});

test('one empty list leaves the other order unchanged; equal scores normalise to 1', () => {
  assert.deepEqual(fuse(lexical, []).map((r) => r.id), ['a', 'b', 'c']);
  assert.deepEqual(fuse([], semantic).map((r) => r.id), ['c', 'd', 'a']);
  assert.deepEqual(fuse([{ id: 'x', score: 3 }, { id: 'y', score: 3 }], [], { semanticWeight: 0.3 }).map((r) => r.score), [0.7, 0.7]);
});
