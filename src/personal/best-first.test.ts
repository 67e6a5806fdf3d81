// Reading the best first gives, place by place, what a full sort gives, however far it is read.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestFirst } from './best-first.js';

test('entries come best first in the order of a full sort, read in part or to the end', () => {
  // Few distinct scores, so ties (broken by the second key) are common.
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (const n of [0, 1, 2, 5, 16, 17, 40, 333]) {
    for (const read of [0, 1, 10, n]) {
      const scores = Array.from({ length: n }, () => Math.floor(random() * 20));
      const names = Array.from({ length: n }, (_, i) => `p${(i * 7919) % 1009}`);
      const before = (a: number, b: number) => (scores[a]! !== scores[b]! ? scores[a]! > scores[b]! : names[a]! > names[b]!);
      const expected = [...Array(n).keys()].sort((a, b) => (before(a, b) ? -1 : 1));
      const items = Int32Array.from(Array(n).keys());
      const at = bestFirst(items, n, before);
      const got = Array.from({ length: Math.min(read, n) }, (_, i) => at(i));
      assert.deepEqual(got, expected.slice(0, read), `n=${n}, read ${read}`);
    }
  }
});

test('only the first n entries are ordered', () => {
  const items = Int32Array.from([3, 1, 2, 9, 9]);
  const at = bestFirst(items, 3, (a, b) => a > b);
  assert.deepEqual([at(0), at(1), at(2)], [3, 2, 1]);
  assert.deepEqual([...items.subarray(3)], [9, 9]);
});
