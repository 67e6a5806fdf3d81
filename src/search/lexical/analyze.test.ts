// What the index makes of words: the same function reads papers and queries.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from './analyze.js';

test('stop words are dropped, "few" is kept, words are stemmed and accents folded', () => {
  assert.deepEqual(analyze('Learning from a few examples with the Équivariant networks'), ['learn', 'few', 'exampl', 'equivari', 'network']);
  assert.deepEqual(analyze('few-shot'), ['few', 'shot']);
});
