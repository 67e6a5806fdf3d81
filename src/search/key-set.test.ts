import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyMarks } from './key-set.js';

for (const [kind, maxKey, papers] of [['marks by key', 100, 50], ['a set, for a key space far larger than the papers', 50_000_000, 10]] as const) {
  test(`KeyMarks as ${kind}: adds once, answers membership, narrows, iterates its keys`, () => {
    const marks = new KeyMarks(maxKey, papers);
    for (const k of [7, 3, 7, maxKey, 0]) marks.add(k);
    assert.equal(marks.size, 4, 'a key added twice counts once');
    assert.ok(marks.has(3) && marks.has(maxKey) && marks.has(0));
    assert.ok(!marks.has(4) && !marks.has(-1) && !marks.has(maxKey + 1), 'keys never added, or outside the space, are not members');
    marks.keepOnly(new Set([3, maxKey, 99_999_999]));
    assert.equal(marks.size, 2);
    assert.deepEqual([...marks].sort((a, b) => a - b), [3, maxKey]);
  });
}
