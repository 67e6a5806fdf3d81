// Full-text constraints on PostgreSQL: one tsvector per paper (`words`, migration 003:
// title lexemes weighted A, authors B, abstract D; in paper_word_vectors since migration
// 008) with a GIN index, queried with
// tsquery. To match the SQLite engine (FTS5, unicode61 with diacritics removed, porter
// stemming), text is folded here the same way on both sides, documents and queries
// (words.ts); the `paperboy` configuration then stems English words and keeps stop words
// (001_schema.sql).

import { hasAuthors, nameParts } from '../../text/authors.js';
import { effectiveConstraints, type Alternative, type ConstraintKeys, type TextConstraints } from '../../text/constraints.js';
import { rows, type Queryable } from './db.js';
import { foldText } from './words.js';

/** Weights of the lexemes a part of a query may match: the title's, the authors', or any. */
type Field = 'A' | 'B' | '';

/**
 * One alternative as to_tsquery input: its words in a row (a phrase), the last a prefix
 * for a prefix; null when it has no word. Words are letters and digits only once folded,
 * so quoting them is enough.
 */
function altQuery(a: Alternative, field: Field): string | null {
  const words = foldText(a.text).toLowerCase().split(' ').filter(Boolean);
  if (!words.length) return null;
  return words.map((w, i) => {
    const suffix = (a.kind === 'prefix' && i === words.length - 1 ? '*' : '') + field;
    return `'${w}'${suffix ? `:${suffix}` : ''}`;
  }).join(' <-> ');
}

/** Alternatives OR-ed; null when none has a word. */
function anyOf(alts: Alternative[], field: Field): string | null {
  const qs = [...new Set(alts.map((a) => altQuery(a, field)).filter((q): q is string => q !== null))];
  return qs.length ? qs.map((q) => `(${q})`).join(' | ') : null;
}

/** An author as family name and given initials (each a prefix), all among the author names; the full names are checked after. */
function authorQuery(name: string): string | null {
  const { given, family } = nameParts(name);
  const f = family && foldText(family).toLowerCase().split(' ').filter(Boolean).join(' ');
  if (!f) return null;
  const initials = given.map((g) => foldText(g[0]!).toLowerCase()).filter(Boolean);
  return [...initials.map((i) => `'${i}':*B`), `'${f}':B`].join(' & ');
}

/**
 * Keys of the papers matching a tsquery, as one comma-separated value: a common word
 * (an exclusion, a short prefix) matches tens of thousands of papers, and one row each
 * cost more to send and to read than finding them (the slow "words with an exclusion"
 * of docs/benchmarks.md). Through paper_keys_matching() (migration 007), which always uses
 * the GIN index.
 */
async function matchingKeys(db: Queryable, query: string): Promise<Set<number>> {
  const [r] = await rows<{ keys: string | null }>(db, 'SELECT paper_keys_matching($1) AS keys', [query]);
  return new Set(r?.keys ? r.keys.split(',').map(Number) : []);
}

export async function constraintKeys(db: Queryable, constraints: TextConstraints): Promise<ConstraintKeys> {
  const c = effectiveConstraints(constraints);
  const positive = [
    ...c.clauses.map((g) => anyOf(g, '')),
    ...c.title.map((a) => altQuery(a, 'A')),
    ...c.authors.map(authorQuery).filter((q): q is string => q !== null),
  ];
  let include: Set<number> | null = null;
  if (positive.length) {
    const named = c.authors.filter((a) => nameParts(a).given.length > 0);
    // A part without a word matches nothing, so neither does the whole.
    const query = positive.map((q) => `(${q})`).join(' & ');
    if (positive.includes(null)) include = new Set();
    else if (named.length) {
      const found = await rows<{ pk: number; authors: string }>(db, `SELECT p.pk, p.authors FROM paper_word_vectors w JOIN papers p ON p.pk = w.pk
        WHERE w.words @@ to_tsquery('paperboy', $1)`, [query]);
      include = new Set(found.filter((r) => hasAuthors((JSON.parse(r.authors) as { name: string }[]).map((a) => a.name), named)).map((r) => r.pk));
    } else include = await matchingKeys(db, query);
  }
  let exclude: Set<number> | null = null;
  if (c.excluded.length) {
    const excluded = anyOf(c.excluded, '');
    exclude = excluded === null ? new Set() : await matchingKeys(db, excluded);
  }
  return { include, exclude };
}
