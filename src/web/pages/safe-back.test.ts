// safeBack: where a form sends the visitor back to after a vote. Only a path on this
// site: anything that a browser would take to another site, or that could carry a
// header, falls back to the paper's page.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeBack } from './security.js';

test('safeBack keeps paths on this site and refuses everything else', () => {
  const fallback = '/papers/2503.00001';
  for (const ok of ['/', '/papers/2503.00001', '/papers?q=spin+glass&page=2', '/c/cs.LG?sort=newest#top', '/papers/hep-th/9901001']) {
    assert.equal(safeBack(ok, fallback), ok, ok);
  }
  for (const bad of [
    'https://evil.example/', '//evil.example/x', '/\\evil.example', '\\\\evil.example', 'javascript:alert(1)', 'papers/relative',
    '/papers\r\nSet-Cookie: x=1', '/a b', '/x\u0000y', '', `/${'a'.repeat(2000)}`, undefined, null, 42, ['/'], { toString: () => '/' },
  ]) {
    assert.equal(safeBack(bad, fallback), fallback, JSON.stringify(bad));
  }
});
