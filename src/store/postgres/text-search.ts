// Full-text constraints on PostgreSQL: one tsvector per paper (`words`, migration 003:
// title lexemes weighted A, authors B, abstract D) in paper_word_vectors (migration 008),
// with a GIN index, matched with tsquery. To match the SQLite engine (FTS5, unicode61 with
// diacritics removed, porter stemming), text is folded here the same way on both sides,
// documents and queries (words.ts); the `paperboy` configuration then stems English words
// and keeps stop words (001_schema.sql).

import { hasAuthors, nameParts } from '../../text/authors.js';
import { effectiveConstraints, type Alternative, type TextConstraints } from '../../text/constraints.js';
import { rows, type Queryable } from './db.js';
import { foldText } from './words.js';

/**
 * One alternative as to_tsquery input: its words in a row (a phrase), the last a prefix
 * for a prefix, each of the given weight if any (A: in the title); null when it has no
 * word. Words are letters and digits only once folded, so quoting them is enough.
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

/** Keys as one comma-separated value: a common word matches tens of thousands of papers, and a row each cost more to send and read than finding them. */
async function keyList(db: Queryable, sql: string, params: unknown[] = []): Promise<Set<number>> {
  const [r] = await rows<{ keys: string | null }>(db, sql, params);
  return new Set(r?.keys ? r.keys.split(',').map(Number) : []);
}

/** The papers meeting the conditions (Store.papersMeeting): given papers' vectors are found by key, every paper's through the GIN index. */
export async function papersMeeting(db: Queryable, constraints: TextConstraints, keys?: readonly number[]): Promise<Set<number>> {
  const c = effectiveConstraints(constraints);
  const asked = keys ? [...new Set(keys)] : null;
  // Title words are the title's lexemes (weight A) of the whole vector; authors are its B lexemes.
  const parts = [...c.clauses.map(anyOf), ...c.authors.map(authorQuery), ...c.title.map((a) => altQuery(a, 'A'))];
  // A part without a word matches nothing, so neither does the whole.
  if (asked?.length === 0 || parts.includes(null)) return new Set();
  const [query, excluded] = [allOf(parts as string[]), c.excluded.length ? anyOf(c.excluded) : null];
  const named = c.authors.filter((a) => nameParts(a).given.length > 0);
  const withAuthors = async (found: Set<number>) => {
    if (!named.length || !found.size) return found;
    const entries = await rows<{ pk: number; authors: string }>(db, 'SELECT pk, authors FROM papers WHERE pk = ANY($1::bigint[])', [[...found]]);
    return new Set(entries.filter((r) => hasAuthors((JSON.parse(r.authors) as { name: string }[]).map((a) => a.name), named)).map((r) => r.pk));
  };
  if (asked) {
    if (query === null && excluded === null) return new Set(asked);
    return withAuthors(await keyList(db, `SELECT string_agg(pk::text, ',') AS keys FROM paper_word_vectors WHERE pk = ANY($1::bigint[])
      AND ($2::text IS NULL OR words @@ to_tsquery('paperboy', $2)) AND ($3::text IS NULL OR NOT words @@ to_tsquery('paperboy', $3))`, [asked, query, excluded]));
  }
  // paper_keys_matching() (migrations 007, 008) always uses the GIN index.
  const out = await withAuthors(query === null ? await keyList(db, 'SELECT string_agg(pk::text, \',\') AS keys FROM papers') : await keyList(db, 'SELECT paper_keys_matching($1) AS keys', [query]));
  if (excluded !== null && out.size) for (const key of await keyList(db, 'SELECT paper_keys_matching($1) AS keys', [excluded])) out.delete(key);
  return out;
}
