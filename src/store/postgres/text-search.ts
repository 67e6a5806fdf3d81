// Full-text constraints on PostgreSQL: one tsvector per paper (`words`, migration 003:
// title lexemes weighted A, authors B, abstract D) with a GIN index, queried with
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
    const found = positive.includes(null) ? [] : await rows<{ pk: number; authors: string | null }>(db,
      `SELECT pk, ${named.length ? 'authors' : 'NULL AS authors'} FROM papers WHERE words @@ to_tsquery('paperboy', $1)`, [positive.map((q) => `(${q})`).join(' & ')]);
    include = new Set(found.filter((r) => !named.length || hasAuthors((JSON.parse(r.authors!) as { name: string }[]).map((a) => a.name), named)).map((r) => r.pk));
  }
  let exclude: Set<number> | null = null;
  if (c.excluded.length) {
    const excluded = anyOf(c.excluded, '');
    exclude = new Set(excluded === null ? [] : (await rows<{ pk: number }>(db, `SELECT pk FROM papers WHERE words @@ to_tsquery('paperboy', $1)`, [excluded])).map((r) => r.pk));
  }
  return { include, exclude };
}
