// Full-text constraints on PostgreSQL: one tsvector per paper (`words`, migration 003:
// title lexemes weighted A, authors B, abstract D), and the title's part of it on its own
// (`title_words`), each with a GIN index, in paper_word_vectors (migration 008), queried
// with tsquery. To match the SQLite engine (FTS5, unicode61 with diacritics removed, porter
// stemming), text is folded here the same way on both sides, documents and queries
// (words.ts); the `paperboy` configuration then stems English words and keeps stop words
// (001_schema.sql).

import { hasAuthors, nameParts } from '../../text/authors.js';
import { effectiveConstraints, type Alternative, type ConstraintKeys, type TextConstraints } from '../../text/constraints.js';
import { rows, type Queryable } from './db.js';
import { foldText } from './words.js';

/**
 * One alternative as to_tsquery input: its words in a row (a phrase), the last a prefix
 * for a prefix; null when it has no word. Words are letters and digits only once folded,
 * so quoting them is enough.
 */
function altQuery(a: Alternative): string | null {
  const words = foldText(a.text).toLowerCase().split(' ').filter(Boolean);
  if (!words.length) return null;
  return words.map((w, i) => `'${w}'${a.kind === 'prefix' && i === words.length - 1 ? ':*' : ''}`).join(' <-> ');
}

/** Alternatives OR-ed; null when none has a word. */
function anyOf(alts: Alternative[]): string | null {
  const qs = [...new Set(alts.map(altQuery).filter((q): q is string => q !== null))];
  return qs.length ? qs.map((q) => `(${q})`).join(' | ') : null;
}

/** Parts AND-ed; null when there are none. */
const allOf = (parts: string[]): string | null => (parts.length ? parts.map((q) => `(${q})`).join(' & ') : null);

/** An author as family name and given initials (each a prefix), all among the author names; the full names are checked after. */
function authorQuery(name: string): string | null {
  const { given, family } = nameParts(name);
  const f = family && foldText(family).toLowerCase().split(' ').filter(Boolean).join(' ');
  if (!f) return null;
  const initials = given.map((g) => foldText(g[0]!).toLowerCase()).filter(Boolean);
  return [...initials.map((i) => `'${i}':*B`), `'${f}':B`].join(' & ');
}

/**
 * Keys of the papers matching a tsquery (and, given one, a tsquery on the title's words),
 * as one comma-separated value: a common word (an exclusion, a short prefix) matches tens
 * of thousands of papers, and one row each cost more to send and to read than finding
 * them (the slow "words with an exclusion" of docs/benchmarks.md). Through
 * paper_keys_matching() (migrations 007, 008), which always uses the GIN indexes.
 */
async function matchingKeys(db: Queryable, query: string | null, titleQuery: string | null = null): Promise<Set<number>> {
  const [r] = titleQuery === null
    ? await rows<{ keys: string | null }>(db, 'SELECT paper_keys_matching($1) AS keys', [query])
    : await rows<{ keys: string | null }>(db, 'SELECT paper_keys_matching($1::text, $2::text) AS keys', [query, titleQuery]);
  return new Set(r?.keys ? r.keys.split(',').map(Number) : []);
}

export async function constraintKeys(db: Queryable, constraints: TextConstraints): Promise<ConstraintKeys> {
  const c = effectiveConstraints(constraints);
  // Title words are looked for in the title's own vector (title_words, migration 008), the rest (authors as B lexemes) in the whole one.
  const anywhere = [...c.clauses.map(anyOf), ...c.authors.map(authorQuery).filter((q): q is string => q !== null)];
  const inTitle = c.title.map(altQuery);
  let include: Set<number> | null = null;
  if (anywhere.length || inTitle.length) {
    const named = c.authors.filter((a) => nameParts(a).given.length > 0);
    // A part without a word matches nothing, so neither does the whole.
    if ([...anywhere, ...inTitle].includes(null)) include = new Set();
    else {
      const [query, titleQuery] = [allOf(anywhere as string[]), allOf(inTitle as string[])];
      if (named.length) {
        const found = await rows<{ pk: number; authors: string }>(db, `SELECT p.pk, p.authors FROM paper_word_vectors w JOIN papers p ON p.pk = w.pk
          WHERE w.words @@ to_tsquery('paperboy', $1) AND ($2::text IS NULL OR w.title_words @@ to_tsquery('paperboy', $2))`, [query, titleQuery]);
        include = new Set(found.filter((r) => hasAuthors((JSON.parse(r.authors) as { name: string }[]).map((a) => a.name), named)).map((r) => r.pk));
      } else include = await matchingKeys(db, query, titleQuery);
    }
  }
  let exclude: Set<number> | null = null;
  if (c.excluded.length) {
    const excluded = anyOf(c.excluded);
    exclude = excluded === null ? new Set() : await matchingKeys(db, excluded);
  }
  return { include, exclude };
}
