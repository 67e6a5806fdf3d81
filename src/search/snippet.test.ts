import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../store/store.js';
import { termOf } from './lexical/analyze.js';
import { snippet } from './snippet.js';

const terms = (...words: string[]) => new Set(words.map((w) => termOf(w)!));
const filler = (from: number, count: number) => Array.from({ length: count }, (_, i) => `word${from + i}`).join(' ');
/** Words of the snippet before its first marked word: what must fit in a card's first lines. */
const wordsBeforeFirstMark = (s: string) => s.slice(0, s.indexOf(HIGHLIGHT_START)).replace(/^…/, '').split(/\s+/).filter(Boolean).length;

test('the snippet starts just before the matches, so they sit in the lines a card shows', () => {
  // Matches late in a long abstract: 60 words, then the two matched words, then 40 more.
  const text = `${filler(0, 60)} symmetry ${filler(60, 1)} breaking ${filler(61, 40)}.`;
  const s = snippet(text, terms('symmetry', 'breaking'))!;
  assert.ok(wordsBeforeFirstMark(s) <= 4, `the first match comes after ${wordsBeforeFirstMark(s)} words: ${s}`);
  assert.match(s, /^…/, 'cut text is marked');
  assert.ok(s.includes(`${HIGHLIGHT_START}breaking${HIGHLIGHT_END}`));
});

test('the densest run of matches wins over a lone early one, and an early match needs no cut', () => {
  const text = `A ${'quantum'} start. ${filler(0, 40)} graph neural graph networks graph ${filler(40, 40)}.`;
  const s = snippet(text, terms('graph', 'neural'))!;
  assert.ok(s.startsWith('…') && wordsBeforeFirstMark(s) <= 4, s);
  const early = snippet(`Graph neural networks ${filler(0, 80)}.`, terms('graph'))!;
  assert.ok(early.startsWith(`${HIGHLIGHT_START}Graph`), early);
  assert.equal(snippet('Nothing here matches.', terms('graph')), null);
});
