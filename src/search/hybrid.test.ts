import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blendHead, fuse, weightFor } from './hybrid.js';

const lexical = [{ id: 'a', score: 12 }, { id: 'b', score: 6 }, { id: 'c', score: 2 }];
const semantic = [{ id: 'c', score: 0.9 }, { id: 'd', score: 0.8 }, { id: 'a', score: 0.1 }];

test('a weighted fusion of min-max normalised lists: weight 0 is the lexical order, 1 the vector order', () => {
  assert.deepEqual(fuse(lexical, semantic, { semanticWeight: 0 }).slice(0, 3).map((r) => r.id), ['a', 'b', 'c']);
  assert.deepEqual(fuse(lexical, semantic, { semanticWeight: 1 }).slice(0, 3).map((r) => r.id), ['c', 'd', 'a']);
  // At 0.5 (a fixed weight): a = 0.5·1 + 0.5·0 = 0.5, c = 0.5·0 + 0.5·1 = 0.5 (tie: lexical order first), d = 0.5·0.875, b = 0.5·0.4.
  const mid = fuse(lexical, semantic, { semanticWeight: 0.5, confidentOdds: 1 });
  assert.deepEqual(mid.map((r) => r.id), ['a', 'c', 'd', 'b']);
  assert.ok(Math.abs(mid[2]!.score - 0.4375) < 1e-9);
});

test('the vector list weighs less when the lexical top hit clearly leads the tenth', () => {
  const flat = Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, score: 10 - 0.1 * i })); // lead 9 %
  const clear = Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, score: 10 - i })); // lead 90 %
  const vec = [{ id: 'v', score: 1 }, { id: 'p9', score: 0 }];
  const weightOf = (lex: typeof flat) => fuse(lex, vec, { semanticWeight: 0.4, confidentOdds: 0.375 }).find((r) => r.id === 'v')!.score;
  assert.ok(Math.abs(weightOf(flat) - 0.4) < 1e-9);
  assert.ok(Math.abs(weightOf(clear) - 0.2) < 1e-9); // odds 0.4/0.6 × 0.375 = 0.25 → weight 0.2
  assert.equal(fuse(clear, vec, { semanticWeight: 1 })[0]!.id, 'v');
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

test('cross scores: a paper one list missed is scored by that list too, and can count against it', () => {
  const lex = [{ id: 'a', score: 10 }, { id: 'b', score: 8 }, { id: 'c', score: 6 }];
  const vec = [{ id: 'v', score: 0.9 }, { id: 'a', score: 0.7 }, { id: 'b', score: 0.5 }];
  const o = { semanticWeight: 0.5, confidentOdds: 1 };
  // Without cross scores c and v score only their one list: c = 0.5·0, v = 0.5·1.
  const plain = fuse(lex, vec, o);
  assert.equal(plain.find((r) => r.id === 'v')!.score, 0.5);
  // v shares the best words (9 of 10 → 0.75), c is far in meaning (0.1 → −1 on the vector scale).
  const crossed = fuse(lex, vec, o, { lexical: new Map([['v', 9]]), semantic: new Map([['c', 0.1]]) });
  assert.ok(Math.abs(crossed.find((r) => r.id === 'v')!.score - (0.5 * 0.75 + 0.5)) < 1e-9);
  assert.ok(Math.abs(crossed.find((r) => r.id === 'c')!.score - (0 + 0.5 * -1)) < 1e-9);
  assert.deepEqual(crossed.map((r) => r.id), ['v', 'a', 'b', 'c']);
});

test('blendHead re-orders only the head, by a second opinion, keeping the head above the rest', () => {
  const fused = [{ id: 'a', score: 0.9 }, { id: 'b', score: 0.8 }, { id: 'c', score: 0.5 }, { id: 'd', score: 0.4 }];
  const opinion = [0.1, 0.2, 0.9]; // of a, b, c: c answers the query best
  assert.deepEqual(blendHead(fused, opinion, 0), fused);
  const all = blendHead(fused, opinion, 1);
  assert.deepEqual(all.map((r) => r.id), ['c', 'b', 'a', 'd']);
  // a: 0.4·1 + 0.6·0 = 0.4; b: 0.4·0.75 + 0.6·0.125 = 0.375; c: 0.4·0 + 0.6·1 = 0.6.
  const some = blendHead(fused, opinion, 0.6);
  assert.deepEqual(some.map((r) => r.id), ['c', 'a', 'b', 'd']);
  // Mapped back onto the head's range 0.5..0.9: c 0.5 + 0.6·0.4, a 0.5 + 0.4·0.4.
  assert.ok(Math.abs(some[0]!.score - 0.74) < 1e-9 && Math.abs(some[1]!.score - 0.66) < 1e-9);
  assert.ok(some.slice(0, 3).every((r) => r.score >= 0.5 && r.score <= 0.9), 'the head keeps its range');
  assert.deepEqual(some[3], { id: 'd', score: 0.4 });
});

test('weightFor lowers a meaning weight when the words clearly picked the top hit', () => {
  const flat = Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, score: 10 - 0.1 * i }));
  const clear = Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, score: 10 - i }));
  assert.ok(Math.abs(weightFor(0.6, flat, 0.25) - 0.6) < 1e-9);
  assert.ok(Math.abs(weightFor(0.6, clear, 0.25) - 0.375 / 1.375) < 1e-9); // odds 1.5 × 0.25
  assert.equal(weightFor(0, clear), 0);
});
