// The papers that meet a query's text conditions (see text/constraints.ts), each condition
// answered where it is cheapest. A word to leave out ("-survey") or a word's beginning
// ("diffus*") is a list of postings the word index already holds, and answering it there
// costs a pass over that list. Asked of the store's full-text engine, every matching
// paper's key crossed into Node and into a `Set`: at a million papers one common word cost
// 0.13–0.15 s on SQLite and 1.5 s on PostgreSQL (docs/benchmarks.md). A title word is
// such a list too, each posting marked when the word is in the title. Phrases and authors
// need word positions the index does not keep: the index narrows them to the papers with
// their words, and the store checks the best of those (store-check.ts). The index's words
// are search's own (title, authors, abstract, and a source's summary and keywords, stop
// words never), so "-word" leaves out exactly the papers a search for "word" finds.

import { effectiveConstraints, type Alternative, type TextConstraints } from '../text/constraints.js';
import type { Store } from '../store/store.js';
import { nameParts } from '../text/authors.js';
import { KeyMarks, type KeySet } from './key-set.js';
import { askingAboutBestPays, MIN_CHECK_BATCH, StoreCheck } from './store-check.js';
import { forEachWord, prefixTermOf, termOf } from './lexical/analyze.js';
import type { LexicalIndex } from './lexical/lexical-index.js';

/** Papers to keep (only these) and to leave out, by key; absent: no such condition. */
export interface PaperFilter {
  within?: KeySet;
  without?: { has(key: number): boolean };
  /**
   * Conditions only the store can check (phrases, authors). `within` then holds every
   * paper that may meet them, and a ranking asks the store about its best (bestMeeting);
   * `without` leaves out those found failing.
   */
  check?: StoreCheck;
}

/**
 * An alternative's words as index terms, one entry a word, the last a prefix for a prefix;
 * null for a word the index does not keep (a stop word, an overlong word).
 */
function indexWords(a: Alternative): ({ term: string; prefix: boolean } | null)[] {
  const words: string[] = [];
  forEachWord(a.text, (w) => words.push(w));
  return words.map((w, i) => {
    const prefix = a.kind === 'prefix' && i === words.length - 1;
    const term = prefix ? prefixTermOf(w) : termOf(w);
    return term === null ? null : { term, prefix };
  });
}

/** What an alternative is in the index's terms; null when only the store can answer it (phrases, stop words). A quoted single word is that word. */
function indexForm(a: Alternative): { term: string } | { prefix: string } | null {
  const words = indexWords(a);
  const w = words.length === 1 ? words[0] : null;
  return w ? (w.prefix ? { prefix: w.term } : { term: w.term }) : null;
}

/** The live papers with any of these alternatives (all answerable by the index), in their title only if asked. */
function papersWithAny(index: LexicalIndex, alts: readonly Alternative[], inTitle = false): KeyMarks {
  const forms = alts.map(indexForm);
  const terms = forms.flatMap((f) => (f && 'term' in f ? [f.term] : []));
  const prefixes = forms.flatMap((f) => (f && 'prefix' in f ? [f.prefix] : []));
  return index.papersWithAny(terms, prefixes, inTitle);
}

const answerable = (a: Alternative) => indexForm(a) !== null;

/** At most how many papers have an alternative: its rarest word's papers (Infinity when the index cannot tell). */
function atMost(index: LexicalIndex, a: Alternative): number {
  return Math.min(...indexWords(a).map((w) => (w === null || w.prefix ? Infinity : index.documentFrequency(w.term))));
}

/**
 * The papers that may meet an alternative only the store can check: those with every word
 * of it the index keeps (stemmed as the engines stem). Null when no word narrows it.
 */
function mayMeet(index: LexicalIndex, a: Alternative, inTitle: boolean): KeyMarks | null {
  let marks: KeyMarks | null = null;
  for (const w of indexWords(a)) {
    if (w === null) continue;
    const found = w.prefix ? index.papersWithAny([], [w.term], inTitle) : index.papersWithAny([w.term], [], inTitle);
    marks = marks ? marks.keepOnly(found) : found;
  }
  return marks;
}

/** The papers that may meet any of these alternatives; null when one of them cannot be narrowed. */
function mayMeetAny(index: LexicalIndex, alts: readonly Alternative[], inTitle = false): KeyMarks | null {
  let union: KeyMarks | null = null;
  for (const a of alts) {
    const marks = mayMeet(index, a, inTitle);
    if (marks === null) return null;
    union = union ? union.addAll(marks) : marks;
  }
  return union;
}

const familyName = (author: string): Alternative | null => {
  const family = nameParts(author).family;
  return family === null ? null : { kind: 'term', text: family };
};

export async function paperFilterOf(store: Store, index: LexicalIndex, constraints: TextConstraints): Promise<PaperFilter> {
  const c = effectiveConstraints(constraints);
  // What only the store can check: whole clauses with a phrase, title phrases, authors and excluded phrases.
  const rest: TextConstraints = {
    clauses: c.clauses.filter((g) => !g.every(answerable)), title: c.title.filter((a) => !answerable(a)), authors: c.authors,
    excluded: c.excluded.filter((a) => !answerable(a)),
  };
  const excluded = c.excluded.filter(answerable);
  const marks = excluded.length ? papersWithAny(index, excluded) : null;
  // Clauses and title words the index answers, each a condition every paper kept meets.
  const byIndex = [...c.clauses.filter((g) => g.every(answerable)).map((g) => papersWithAny(index, g)), ...c.title.filter(answerable).map((a) => papersWithAny(index, [a], true))];
  const allOf = (first: KeySet | undefined, more: KeyMarks[]): KeySet | undefined => more.reduce<KeySet | undefined>(
    (kept, m) => (kept === undefined ? m : kept instanceof KeyMarks ? kept.keepOnly(m) : new Set([...kept].filter((k) => m.has(k)))), first);
  const result = (within: KeySet | undefined, without: PaperFilter['without'], check?: StoreCheck): PaperFilter =>
    ({ ...(within ? { within } : {}), ...(without ? { without } : {}), ...(check ? { check } : {}) });
  if (rest.clauses.length + rest.title.length + rest.authors.length + rest.excluded.length === 0) return result(allOf(undefined, byIndex), marks ?? undefined);

  // Few papers have the words the store's conditions need: the store names every paper meeting them.
  const positive = [
    ...rest.clauses.map((g) => g.reduce((n, a) => n + atMost(index, a), 0)), ...rest.title.map((a) => atMost(index, a)),
    ...rest.authors.map((name) => { const f = familyName(name); return f ? atMost(index, f) : Infinity; }),
  ];
  if (!askingAboutBestPays(store, Math.min(Infinity, ...positive), MIN_CHECK_BATCH)) {
    const meeting = await store.papersMeeting(rest);
    return result(allOf(meeting, byIndex), marks ?? undefined);
  }

  // Many do: the index narrows to those, and rankings ask the store about their best (store-check.ts).
  const narrowed = [
    ...rest.clauses.map((g) => mayMeetAny(index, g)), ...rest.title.map((a) => mayMeetAny(index, [a], true)),
    ...rest.authors.map((name) => { const f = familyName(name); return f ? mayMeet(index, f, false) : null; }),
  ].filter((m): m is KeyMarks => m !== null);
  const within = allOf(undefined, [...byIndex, ...narrowed]);
  const check = new StoreCheck(store, rest, within?.size ?? Infinity);
  const failing = check.failing;
  return result(within, marks ? { has: (k: number) => marks.has(k) || failing.has(k) } : failing, check);
}
