import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modelOf } from '../embedders/builtin/model.js';
import { analyze } from '../lexical/analyze.js';
import { wordMatcher } from './word-match.js';

// A hand-made model: words of one idea share a direction, so "rotation" is near "orientation".
const ideas: Record<string, number[]> = {
  rotation: [1, 0, 0, 0], orientation: [0.9, 0.1, 0, 0],
  shape: [0, 1, 0, 0], geometry: [0.1, 0.95, 0, 0],
  invariant: [0, 0, 1, 0], unchanged: [0, 0.1, 0.9, 0],
  language: [0, 0, 0, 1], translation: [0, 0, 0.1, 0.9],
};
const terms = Object.keys(ideas).map((w) => analyze(w)[0]!);
const vectors = new Float32Array(Object.values(ideas).flat());
// Vectors of different lengths: cosines must not depend on them.
for (let k = 0; k < 4; k++) vectors[4 + k]! *= 3;
const model = modelOf({ ids: new Map(terms.map((t, i) => [t, i])), idf: new Float32Array(terms.length).fill(1), documents: 100 }, vectors, 4, 100);

test('a paper that answers each idea of the query in other words beats one that shares a single word', () => {
  const score = wordMatcher(model)('shape unchanged under rotation')!;
  const answers = score('Orientation-invariant geometry');
  const sharesOne = score('Rotation in language translation');
  assert.ok(answers > sharesOne, `${answers} > ${sharesOne}`);
  assert.ok(answers > 0.85 && answers < 1);
  // Every query word in the paper itself: a full match.
  assert.ok(Math.abs(score('rotation of a shape that stays unchanged') - 1) < 1e-6);
  assert.equal(score('nothing the model knows'), 0);
});

test('a query none of whose words the model knows gives no matcher', () => {
  assert.equal(wordMatcher(model)('quantum chromodynamics'), null);
});
