import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSpeller, distance, suggestQuery } from './did-you-mean.js';

const vocab = [
  { word: 'symmetry', papers: 900 }, { word: 'symmetric', papers: 400 }, { word: 'replica', papers: 120 },
  { word: 'spin', papers: 800 }, { word: 'glass', papers: 300 }, { word: 'transformer', papers: 5000 },
  { word: 'transformers', papers: 3000 }, { word: 'gan', papers: 700 }, { word: 'rnn', papers: 600 }, { word: 'symetry', papers: 1 },
];

test('a misspelt word gets the nearest word the collection holds', () => {
  assert.equal(suggestQuery('symetry', vocab), 'symmetry', 'a typo held by one paper is still a typo');
  assert.equal(suggestQuery('replica symetry breaking', [...vocab, { word: 'breaking', papers: 50 }]), 'replica symmetry breaking');
  assert.equal(suggestQuery('Spin glas', vocab), 'Spin glass');
  assert.equal(suggestQuery('tranformers', vocab), 'transformers', 'the closer of two candidates');
  assert.equal(suggestQuery('SYMETRY', vocab), 'SYMMETRY');
  assert.equal(suggestQuery('trasnformer', vocab), 'transformer', 'a transposition is one edit');
});

test('known words, short words, operators and fields are left alone', () => {
  assert.equal(suggestQuery('spin glass', vocab), null);
  assert.equal(suggestQuery('gen', vocab), null, 'too short to judge');
  assert.equal(suggestQuery('author:symetry cat:cs.LG', vocab), null);
  assert.equal(suggestQuery('qqqqqqq', vocab), null, 'nothing near');
  assert.equal(suggestQuery('spin OR glas', vocab), 'spin OR glass');
});

test('distance', () => {
  assert.equal(distance('symetry', 'symmetry'), 1);
  assert.equal(distance('ab', 'ba'), 1);
  assert.equal(distance('kitten', 'sitting'), 3);
  assert.equal(distance('kitten', 'sitting', 1), 2, 'stops early past max');
});

test('with the index\'s terms, any form of a known word is known, and a rare word next to a far commoner one is a typo', () => {
  const termOf = (w: string) => w.replace(/(ies|y|s)$/, 'i');
  const words = [{ word: 'symmetry', term: 'symmetri', papers: 900 }, { word: 'tranformer', term: 'tranformer', papers: 3 }, { word: 'transformer', term: 'transformer', papers: 5000 }];
  const speller = createSpeller(words, { termOf });
  assert.equal(speller.suggest('symmetries'), null, 'another form of "symmetry"');
  assert.equal(speller.suggest('tranformer'), 'transformer', 'a typo that a few papers share');
  assert.equal(createSpeller([...words, { word: 'spinor', term: 'spinor', papers: 30 }, { word: 'spinors', term: 'spinors', papers: 700 }], { termOf }).suggest('spinor'), null, 'a word held by enough papers stays');
});
