// The Rocchio model: what is like a liked paper rises, what is like a disliked one sinks,
// and with no feedback the trending order (the prior) decides.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combine, createVocabulary, denseProfile, dot, indexTerms, profileOf, scoreCandidate } from './model.js';

const texts = [
  { key: 'a', title: 'Gaussian splatting for dynamic scenes', abstract: 'Real-time rendering of dynamic scenes with Gaussian splatting.' },
  { key: 'b', title: 'Reasoning in large language models', abstract: 'Chain of thought prompting improves math reasoning.' },
  { key: 'c', title: 'Faster Gaussian splatting', abstract: 'We speed up splatting-based rendering.' },
  { key: 'd', title: 'Math word problems and language models', abstract: 'A benchmark of reasoning about math word problems.' },
];

test('vectors are unit length and similar texts are closer', () => {
  const vocab = createVocabulary(texts);
  const [a, b, c, d] = texts.map((t) => vocab.vector(t));
  assert.ok(Math.abs(dot(a!, a!) - 1) < 1e-6);
  assert.ok(dot(a!, c!) > dot(a!, b!) && dot(b!, d!) > dot(b!, c!));
});

test('liked rises, disliked sinks, the prior orders the rest', () => {
  const vocab = createVocabulary(texts);
  const [a, b, c, d] = texts.map((t) => vocab.vector(t));
  // The trending order is b, d, c (ranks 0, 1, 2); liking a brings c (like a) to the top.
  const liked = profileOf([a!], []);
  const scores = [b, d, c].map((v, rank) => scoreCandidate(liked, v!, rank, 3));
  liked.release();
  assert.ok(scores[2]! > scores[0]! && scores[2]! > scores[1]!, JSON.stringify(scores));
  const disliked = profileOf([], [b!]);
  const [sb, sd] = [b, d].map((v, rank) => scoreCandidate(disliked, v!, rank, 3));
  disliked.release();
  assert.ok(sd! > sb!, 'the disliked kind falls below the next one');
  const none = profileOf([], []);
  const plain = [b, d, c].map((v, rank) => scoreCandidate(none, v!, rank, 3));
  none.release();
  assert.deepEqual([...plain].sort((x, y) => y - x), plain, 'trending order when nothing is known');
  const held = profileOf([a!], []);
  assert.throws(() => profileOf([a!], []), /still in use/, 'one profile at a time: scratch arrays are shared');
  held.release();
  profileOf([a!], []).release();
});

test('similarities to each liked paper equal their dot products; the cheap bound never hides a similar one', () => {
  const vocab = createVocabulary(texts);
  const [a, b, c, d] = texts.map((t) => vocab.vector(t));
  const p = profileOf([a!, b!], []);
  try {
    for (const v of [a!, b!, c!, d!]) {
      const sims = [...p.similarities(v)];
      assert.deepEqual(sims.map((x) => x.toFixed(6)), [dot(v, a!), dot(v, b!)].map((x) => x.toFixed(6)));
      p.score(v, 0, 1);
      assert.ok(p.bound >= Math.max(...sims) - 1e-9, `bound ${p.bound} below a similarity of ${Math.max(...sims)}`);
    }
    p.score(c!, 0, 1);
    assert.ok(p.bound < 1, 'a paper unlike both is bounded below identical');
  } finally {
    p.release();
  }
});

test('scoring a list of vectors at once gives the same scores and bounds as one by one, to the last bit', () => {
  const vocab = createVocabulary(texts);
  const vectors = [...texts, { key: 'e', title: 'Unrelated words only', abstract: 'Nothing in common here.' }].map((t) => vocab.vector(t));
  const index = indexTerms(vectors);
  assert.equal(index.size, vectors.length);
  assert.deepEqual([...index.terms], [...new Set(vectors.flatMap((v) => [...v.ids]))].sort((x, y) => x - y), 'each term once, in increasing id');
  const p = profileOf([vectors[0]!, vectors[1]!], [vectors[3]!]);
  try {
    const [like, unlike, most] = [0, 1, 2].map(() => new Float64Array(vectors.length + 1).fill(7));
    p.scoreAll(index, like!, unlike!, most!);
    for (const [rank, v] of vectors.entries()) {
      const one = p.score(v, rank, vectors.length);
      assert.equal(combine(like![rank]!, unlike![rank]!, rank, vectors.length), one, `score of ${rank}`);
      assert.equal(most![rank], p.bound, `bound of ${rank}`);
    }
    assert.equal(like![4], 0, 'a vector sharing no term with the profile scores 0');
    assert.equal(like![vectors.length], 7, 'nothing written past the list');
  } finally {
    p.release();
  }
});

test('the profile by meaning is the unit centroid of liked vectors minus a share of disliked ones', () => {
  const v = (...xs: number[]) => Float32Array.from(xs);
  const p = denseProfile([v(1, 0, 0), v(0, 1, 0)], [v(1, 0, 0)], 0.5)!;
  // (0.5, 0.5, 0) − 0.5·(1, 0, 0) = (0, 0.5, 0): unit (0, 1, 0).
  assert.deepEqual([...p].map((x) => Math.round(x * 1000) / 1000), [0, 1, 0]);
  assert.equal(denseProfile([], [v(1, 0, 0)], 0.5), null, 'nothing liked: no profile');
  assert.equal(denseProfile([v(1, 0)], [v(1, 0)], 1), null, 'liked and disliked cancel out');
});
