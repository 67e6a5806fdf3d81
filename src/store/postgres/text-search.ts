// Full-text constraints on PostgreSQL: one tsvector per paper (`words`, migration 003:
// title lexemes weighted A, authors B, abstract D) in paper_word_vectors (migration 008),
// matched with tsquery for the papers search asks about. To match the SQLite engine (FTS5, unicode61 with diacritics removed, porter
// stemming), text is folded here the same way on both sides, documents and queries
// (words.ts); the `paperboy` configuration then stems English words and keeps stop words
// (001_schema.sql).

import { hasAuthors, nameParts } from '../../text/authors.js';
import { effectiveConstraints, type Alternative, type TextConstraints } from '../../text/constraints.js';
import { rows, type Queryable } from './db.js';
import { foldText } from './words.js';

/**
 * One alternative as to_tsquery input: its words in a row (a phrase), the last a prefix
 * for a prefix, each of the given weight (A: in the title) if any; null when it has no word. Words are letters and digits only once folded,
 * so quoting them is enough.
 */
function altQuery(a: Alternative, weight: '' | 'A' = ''): string | null {
  const words = foldText(a.text).toLowerCase().split(' ').filter(Boolean);
  if (!words.length) return null;
  return words.map((w, i) => `'${w}'${a.kind === 'prefix' && i === words.length - 1 ? `:*${weight}` : weight ? `:${weight}` : ''}`).join(' <-> ');
}

/** Alternatives OR-ed; null when none has a word. */
function anyOf(alts: Alternative[]): string | null {
  const qs = [...new Set(alts.map((a) => altQuery(a)).filter((q): q is string => q !== null))];
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

/** Those of `keys` whose papers meet the conditions (Store.papersMeeting): each asked paper's vector is found by its key and matched. */
export async function papersMeeting(db: Queryable, constraints: TextConstraints, keys: readonly number[]): Promise<Set<number>> {
  const c = effectiveConstraints(constraints);
  const asked = [...new Set(keys)];
  // Title words are the title's lexemes (weight A) of the whole vector; authors are its B lexemes.
  const parts = [...c.clauses.map(anyOf), ...c.authors.map(authorQuery), ...c.title.map((a) => altQuery(a, 'A'))];
  // A part without a word matches nothing, so neither does the whole.
  if (!asked.length || parts.includes(null)) return new Set();
  const [query, excluded] = [allOf(parts as string[]), c.excluded.length ? anyOf(c.excluded) : null];
  if (query === null && excluded === null) return new Set(asked);
  const named = c.authors.filter((a) => nameParts(a).given.length > 0);
  const found = await rows<{ pk: number; authors?: string }>(db, `SELECT w.pk${named.length ? ', p.authors' : ''} FROM paper_word_vectors w
    ${named.length ? 'JOIN papers p ON p.pk = w.pk' : ''} WHERE w.pk = ANY($1::bigint[])
    AND ($2::text IS NULL OR w.words @@ to_tsquery('paperboy', $2)) AND ($3::text IS NULL OR NOT w.words @@ to_tsquery('paperboy', $3))`, [asked, query, excluded]);
  const meet = named.length ? found.filter((r) => hasAuthors((JSON.parse(r.authors!) as { name: string }[]).map((a) => a.name), named)) : found;
  return new Set(meet.map((r) => r.pk));
}
