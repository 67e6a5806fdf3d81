// The papers that meet a query's text conditions (see text/constraints.ts), each condition
// answered where it is cheapest. A word to leave out ("-survey") or a word's beginning
// ("diffus*") is a list of postings the word index already holds, and answering it there
// costs a pass over that list. Asked of the store's full-text engine, every matching
// paper's key crossed into Node and into a `Set`: at a million papers one common word cost
// 0.13–0.15 s on SQLite and 1.5 s on PostgreSQL (docs/benchmarks.md). A title word is
// such a list too, each posting marked when the word is in the title. Phrases and authors
// need word positions the index does not keep: the store answers those. The index's words are search's own (title, authors, abstract, and a source's
// summary and keywords, stop words never), so "-word" leaves out exactly the papers a
// search for "word" finds.

import { effectiveConstraints, type Alternative, type TextConstraints } from '../text/constraints.js';
import type { Store } from '../store/store.js';
import { KeyMarks, type KeySet } from './key-set.js';
import { forEachWord, prefixTermOf, termOf } from './lexical/analyze.js';
import type { LexicalIndex } from './lexical/lexical-index.js';

/** Papers to keep (only these) and to leave out, by key; absent: no such condition. */
export interface PaperFilter {
  within?: KeySet;
  without?: { has(key: number): boolean };
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

export async function paperFilterOf(store: Store, index: LexicalIndex, constraints: TextConstraints): Promise<PaperFilter> {
  const c = effectiveConstraints(constraints);
  const inIndex = c.clauses.filter((g) => g.every(answerable));
  // Title words are AND-ed, each a condition of its own.
  const inTitle = c.title.filter(answerable);
  const rest: TextConstraints = {
    clauses: c.clauses.filter((g) => !g.every(answerable)), title: c.title.filter((a) => !answerable(a)), authors: c.authors,
    excluded: c.excluded.filter((a) => !answerable(a)),
  };
  const asked = rest.clauses.length + rest.title.length + rest.authors.length + rest.excluded.length > 0;
  const fromStore = asked ? await store.constraintKeys(rest) : { include: null, exclude: null };

  // Every clause must hold: the store's papers (usually the fewest) narrowed by each clause the index answers.
  let within: KeySet | undefined = fromStore.include ?? undefined;
  const conditions: { alts: Alternative[]; titleOnly: boolean }[] = [
    ...inIndex.map((alts) => ({ alts, titleOnly: false })), ...inTitle.map((a) => ({ alts: [a], titleOnly: true })),
  ];
  for (const { alts, titleOnly } of conditions) {
    const marks = papersWithAny(index, alts, titleOnly);
    within = within === undefined ? marks : within instanceof KeyMarks ? within.keepOnly(marks) : new Set([...within].filter((k) => marks.has(k)));
  }
  const excluded = c.excluded.filter(answerable);
  const marks = excluded.length ? papersWithAny(index, excluded) : null;
  const set = fromStore.exclude;
  const without = marks && set ? { has: (k: number) => marks.has(k) || set.has(k) } : (marks ?? set ?? undefined);
  return { ...(within ? { within } : {}), ...(without ? { without } : {}) };
}
