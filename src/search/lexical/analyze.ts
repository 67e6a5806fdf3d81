// Text → index terms: Unicode-normalised, accents folded, lower-cased, split on anything
// that is not a letter or digit, stop words dropped, Porter-stemmed. Queries and
// documents go through the same function, so "Glasses" finds "glass" and "Équivariance"
// finds "equivariance". Indexing a million abstracts runs through here, hence the
// hand-written ASCII scanner and the memo of word → term.

import { stemmer } from 'stemmer';
import { STOP_WORDS } from '../../text/stopwords.js';

const COMBINING = /\p{M}+/gu;
const WORD = /[\p{L}\p{N}]+/gu;
/**
 * Words of the shared stop list that the index keeps: "few" names methods ("few-shot",
 * "few-step"), and a description of such a paper uses it ("from a few examples"). Keeping
 * it cost SciFact nothing (docs/benchmarks.md, "Lexical search on described papers").
 */
const KEPT_STOP_WORDS: ReadonlySet<string> = new Set(['few']);
/** Words longer than this are noise (hashes, base64, run-together formulas). */
const MAX_WORD = 40;

export function foldWord(word: string): string {
  return word.normalize('NFKD').replace(COMBINING, '').toLowerCase();
}

// Words repeat endlessly across abstracts; remembering their terms makes indexing several
// times faster. Bounded so an adversarial stream of unique words cannot grow it forever.
const memo = new Map<string, string | null>();
const MEMO_LIMIT = 500_000;

/** The index term for one word, or null when it does not count (stop word, too long). */
export function termOf(word: string): string | null {
  let t = memo.get(word);
  if (t !== undefined) return t;
  const w = foldWord(word);
  t = w.length === 0 || w.length > MAX_WORD || (STOP_WORDS.has(w) && !KEPT_STOP_WORDS.has(w)) ? null : /^[a-z]+$/.test(w) ? stemmer(w) : w;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(word, t);
  return t;
}

/**
 * The index terms a prefix ("diffus*", "networks*") stands for begin with this: the word
 * folded and stemmed as a whole word is (as the full-text engines do with a prefix), stop
 * words included, since a prefix may begin a longer word. Null when no term can begin
 * with it (longer than any word the index keeps).
 */
export function prefixTermOf(word: string): string | null {
  const w = foldWord(word);
  if (w.length === 0 || w.length > MAX_WORD) return null;
  return /^[a-z]+$/.test(w) ? stemmer(w) : w;
}

/** Calls back with every word of a text, in order. */
export function forEachWord(text: string, cb: (word: string) => void): void {
  forEachWordAt(text, (start, end) => cb(text.slice(start, end)));
}

/**
 * Calls back with the bounds of every word of a text, in order. ASCII letters and digits
 * are scanned by hand; a run containing other characters goes through the Unicode word
 * pattern.
 */
export function forEachWordAt(text: string, cb: (start: number, end: number) => void): void {
  let start = -1;
  let unicode = false;
  const flush = (end: number) => {
    if (start < 0) return;
    if (!unicode) cb(start, end);
    else for (const m of text.slice(start, end).matchAll(WORD)) cb(start + m.index, start + m.index + m[0].length);
    start = -1;
    unicode = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ascii = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
    if (ascii || c > 127) {
      if (start < 0) start = i;
      if (c > 127) unicode = true;
    } else flush(i);
  }
  flush(text.length);
}

/** All index terms of a text, in order, repeats kept (term frequency matters). */
export function analyze(text: string): string[] {
  const out: string[] = [];
  forEachWord(text, (w) => {
    const t = termOf(w);
    if (t) out.push(t);
  });
  return out;
}
