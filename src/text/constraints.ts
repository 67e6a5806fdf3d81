// Conditions on a paper's text that an index of words cannot check on its own (exact
// phrases, prefixes, title words, authors, exclusions), as the query parser produces them
// and every store engine answers them. Neutral ground: search writes them, engines read them.

import { STOP_WORDS } from './stopwords.js';

/** Text is lower case, its words separated by single spaces; `prefix` is `word*`. */
export interface Alternative { kind: 'term' | 'phrase' | 'prefix'; text: string }

/** Each clause matches when any of its alternatives does; all positive parts must match. */
export interface TextConstraints {
  clauses: Alternative[][];
  title: Alternative[];
  authors: string[];
  excluded: Alternative[];
}

const HAS_WORD = /[\p{L}\p{N}]/u;
const hasText = (a: Alternative) => HAS_WORD.test(a.text);
const isStop = (a: Alternative) => a.kind === 'term' && STOP_WORDS.has(a.text);

/**
 * The constraints an engine actually checks, the same for every engine. A stop word
 * matches nearly everything, so an OR-group containing one constrains nothing, and an
 * excluded stop word would exclude nearly everything; a query of stop words only ("the
 * who") is still checked as typed. Alternatives without a letter or digit are dropped.
 */
export function effectiveConstraints(c: TextConstraints): TextConstraints {
  const all = c.clauses.map((g) => g.filter(hasText)).filter((g) => g.length > 0);
  const title = c.title.filter(hasText);
  let clauses = all.filter((g) => !g.some(isStop));
  if (clauses.length === 0 && title.length === 0) clauses = all;
  return { clauses, title, authors: c.authors.filter((a) => HAS_WORD.test(a)), excluded: c.excluded.filter((a) => hasText(a) && !isStop(a)) };
}
