// Never-show rules: whole words and phrases in any case and accent, categories including
// cross-lists, authors by name whatever the case or accents.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Rule } from '../store/personal-store.js';
import { hiddenBy, shortTitle } from './rules.js';

const paper = { title: 'Équivariant Networks for Protein Folding', abstract: 'We study large-language-model agents.', categories: ['cs.LG', 'q-bio.BM'], authors: [{ name: 'José Núñez' }] };
const rule = (kind: Rule['kind'], value: string): Rule => ({ kind, value, at: '2026-06-01T00:00:00Z' });

test('a word, a phrase, a category or an author hides a paper; parts of words do not', () => {
  for (const r of [rule('hide-word', 'equivariant'), rule('hide-word', 'PROTEIN folding'), rule('hide-word', 'language model'),
    rule('hide-category', 'q-bio.BM'), rule('hide-author', 'jose nunez')]) {
    assert.deepEqual(hiddenBy([r], paper), r, `${r.kind} ${r.value}`);
  }
  for (const r of [rule('hide-word', 'equi'), rule('hide-word', 'protein networks'), rule('hide-category', 'q-bio'), rule('hide-author', 'José'),
    rule('follow-author', 'José Núñez')]) {
    assert.equal(hiddenBy([r], paper), null, `${r.kind} ${r.value}`);
  }
});

test('a title in a reason is cut at a word', () => {
  assert.equal(shortTitle('Short title'), 'Short title');
  const long = shortTitle('A very long title about the many ways in which graph neural networks fail to generalise');
  assert.ok(long.length <= 60 && long.endsWith('…') && !/\s…$/.test(long), long);
});
