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
import { StoreCheck } from './store-check.js';
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

/** What an alternative is in the index's terms; null when only the store can answer it (phrases, stop words). */
function indexForm(a: Alternative): { term: string } | { prefix: string } | null {
  const words: string[] = [];
  forEachWord(a.text, (w) => words.push(w));
  if (words.length !== 1) return null;
  if (a.kind === 'prefix') {
    const prefix = prefixTermOf(words[0]!);
    return prefix === null ? null : { prefix };
  }
  // A quoted single word is that word.
  const term = termOf(words[0]!);
  return term === null ? null : { term };
}

/** The live papers with any of these alternatives (all answerable by the index), in their title only if asked. */
function papersWithAny(index: LexicalIndex, alts: readonly Alternative[], inTitle = false): KeyMarks {
  const forms = alts.map(indexForm);
  const terms = forms.flatMap((f) => (f && 'term' in f ? [f.term] : []));
  const prefixes = forms.flatMap((f) => (f && 'prefix' in f ? [f.prefix] : []));
  return index.papersWithAny(terms, prefixes, inTitle);
}

const answerable = (a: Alternative) => indexForm(a) !== null;

/**
 * The papers that may meet an alternative only the store can check: those with every word
 * of it the index keeps (stemmed as the engines stem; stop words and overlong words say
 * nothing). Null when no word narrows it.
 */
function mayMeet(index: LexicalIndex, a: Alternative, inTitle: boolean): KeyMarks | null {
  const words: string[] = [];
  forEachWord(a.text, (w) => words.push(w));
  let marks: KeyMarks | null = null;
  words.forEach((w, i) => {
    const last = a.kind === 'prefix' && i === words.length - 1;
    const t = last ? prefixTermOf(w) : termOf(w);
    if (t === null) return;
    const found = last ? index.papersWithAny([], [t], inTitle) : index.papersWithAny([t], [], inTitle);
    marks = marks ? marks.keepOnly(found) : found;
  });
  return marks;
}

/** The papers that may meet any of these alternatives; null when one of them cannot be narrowed. */
function mayMeetAny(index: LexicalIndex, alts: readonly Alternative[], inTitle = false): KeyMarks | null {
  let union: KeyMarks | null = null;
  for (const a of alts) {
    const marks = answerable(a) ? papersWithAny(index, [a], inTitle) : mayMeet(index, a, inTitle);
    if (marks === null) return null;
    union = union ? union.addAll(marks) : marks;
  }
  return union;
}

export async function paperFilterOf(store: Store, index: LexicalIndex, constraints: TextConstraints): Promise<PaperFilter> {
  const c = effectiveConstraints(constraints);
  // What only the store can check: whole clauses with a phrase, title phrases, authors and excluded phrases.
  const rest: TextConstraints = {
    clauses: c.clauses.filter((g) => !g.every(answerable)), title: c.title.filter((a) => !answerable(a)), authors: c.authors,
    excluded: c.excluded.filter((a) => !answerable(a)),
  };
  const asked = rest.clauses.length + rest.title.length + rest.authors.length + rest.excluded.length > 0;

  // Every clause must hold: each narrows the papers kept, the store's by the words they need.
  const conditions: (KeyMarks | null)[] = [
    ...c.clauses.map((g) => mayMeetAny(index, g)),
    ...c.title.map((a) => mayMeetAny(index, [a], true)),
    ...c.authors.map((name) => {
      const family = nameParts(name).family;
      return family === null ? null : mayMeet(index, { kind: 'term', text: family }, false);
    }),
  ];
  let within: KeyMarks | undefined;
  for (const marks of conditions) if (marks) within = within ? within.keepOnly(marks) : marks;
  const check = asked ? new StoreCheck(store, rest, within?.size ?? Infinity) : undefined;

  const excluded = c.excluded.filter(answerable);
  const marks = excluded.length ? papersWithAny(index, excluded) : null;
  const failing = check?.failing;
  const without = marks && failing ? { has: (k: number) => marks.has(k) || failing.has(k) } : (marks ?? failing ?? undefined);
  return { ...(within ? { within } : {}), ...(without ? { without } : {}), ...(check ? { check } : {}) };
}
