import assert from 'node:assert/strict';
import { test } from 'node:test';
import { svdWordVectors } from './svd.js';
import { mulberry32 } from '../../../random.js';
import type { BagOfWords } from './vocabulary.js';

const bag = (ids: number[]): BagOfWords => ({ ids: Int32Array.from(ids), weights: new Float32Array(ids.length).fill(1) });
const cosine = (v: Float32Array, d: number, a: number, b: number) => {
  let ab = 0, aa = 0, bb = 0;
  for (let k = 0; k < d; k++) {
    ab += v[a * d + k]! * v[b * d + k]!;
    aa += v[a * d + k]! ** 2;
    bb += v[b * d + k]! ** 2;
  }
  return ab / Math.sqrt(aa * bb);
};

test('words that share papers get near vectors, words of other topics far ones', () => {
  // Terms 0–4 form one topic, 5–9 another; each paper draws three words of one topic.
  const random = mulberry32(3);
  const docs: BagOfWords[] = [];
  for (let i = 0; i < 400; i++) {
    const base = i % 2 ? 5 : 0;
    docs.push(bag([...new Set([0, 1, 2].map(() => base + Math.floor(random() * 5)))]));
  }
  const v = svdWordVectors(10, docs, 2, { random: mulberry32(1) });
  assert.equal(v.length, 20);
  assert.ok(cosine(v, 2, 0, 3) > 0.9, 'same topic');
  assert.ok(Math.abs(cosine(v, 2, 0, 7)) < 0.2, 'other topic');
  let mean = 0;
  for (let r = 0; r < 10; r++) mean += Math.hypot(...v.subarray(r * 2, r * 2 + 2)) / 10;
  assert.ok(Math.abs(mean - 1) < 1e-4, 'rows scaled to mean length 1');
});

test('a word that appears in no paper gets a zero vector', () => {
  const docs = [bag([0, 1]), bag([1, 2]), bag([0, 2])];
  const v = svdWordVectors(4, docs, 2, { random: mulberry32(1) });
  assert.deepEqual([...v.subarray(6, 8)], [0, 0]);
});

test('a vocabulary smaller than the dimensions gives finite vectors, zero beyond its rank', () => {
  const v = svdWordVectors(3, [bag([0, 1]), bag([1, 2]), bag([0, 2])], 8, { random: mulberry32(1) });
  assert.equal(v.length, 24);
  assert.ok(v.every(Number.isFinite));
  assert.deepEqual([...v.subarray(3, 8)], [0, 0, 0, 0, 0]);
});
