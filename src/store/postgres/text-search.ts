// Full-text constraints on PostgreSQL: tsvector columns with GIN indexes, queried with
// tsquery. To match the SQLite engine (FTS5, unicode61 with diacritics removed, porter
// stemming), text is folded here the same way on both sides, documents and queries:
// accents removed, every run of characters that are not letters or digits a word break.
// The `paperboy` configuration then stems English words and keeps stop words (001_schema.sql).

import { hasAuthors, nameParts } from '../../text/authors.js';
import { effectiveConstraints, type Alternative, type ConstraintKeys, type TextConstraints } from '../../text/constraints.js';
import { rows, type Queryable } from './db.js';

/** Text as the words the tokenizer of either engine sees, separated by spaces. */
export function foldText(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** SQL building a query over numbered parameters. */
class Params {
  values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** One alternative as a tsquery: a word or phrase as a phrase, a prefix's last word as a prefix. */
function altQuery(a: Alternative, p: Params): string {
  const words = foldText(a.text).toLowerCase().split(' ').filter(Boolean);
  if (a.kind !== 'prefix') return `phraseto_tsquery('paperboy', ${p.add(words.join(' '))})`;
  // Words are letters and digits only (folded above), so quoting them is enough.
  const text = words.map((w, i) => `'${w}'${i === words.length - 1 ? ':*' : ''}`).join(' <-> ');
  return `to_tsquery('paperboy', ${p.add(text || "''")})`;
}

const orOf = (alts: Alternative[], p: Params) => `(${alts.map((a) => altQuery(a, p)).join(' || ')})`;

/** An author as family name and given initials (each a prefix); the full names are checked after. */
function authorQuery(name: string, p: Params): string | null {
  const { given, family } = nameParts(name);
  if (!family) return null;
  const text = [...given.map((g) => `'${foldText(g[0]!).toLowerCase()}':*`), `'${foldText(family).toLowerCase()}'`].filter((t) => t !== "'':*" && t !== "''");
  return `authors_tsv @@ to_tsquery('paperboy', ${p.add(text.join(' & '))})`;
}

export async function constraintKeys(db: Queryable, constraints: TextConstraints): Promise<ConstraintKeys> {
  const c = effectiveConstraints(constraints);
  const p = new Params();
  const where = [
    ...c.clauses.map((g) => `all_tsv @@ ${orOf(g, p)}`),
    ...c.title.map((a) => `title_tsv @@ ${altQuery(a, p)}`),
    ...c.authors.map((a) => authorQuery(a, p)).filter((x): x is string => x !== null),
  ];
  let include: Set<number> | null = null;
  if (where.length) {
    const named = c.authors.filter((a) => nameParts(a).given.length > 0);
    const found = await rows<{ pk: number; authors: string | null }>(db,
      `SELECT pk, ${named.length ? 'authors' : 'NULL AS authors'} FROM papers WHERE ${where.join(' AND ')}`, p.values);
    include = new Set(found.filter((r) => !named.length || hasAuthors((JSON.parse(r.authors!) as { name: string }[]).map((a) => a.name), named)).map((r) => r.pk));
  }
  let exclude: Set<number> | null = null;
  if (c.excluded.length) {
    const q = new Params();
    exclude = new Set((await rows<{ pk: number }>(db, `SELECT pk FROM papers WHERE all_tsv @@ ${orOf(c.excluded, q)}`, q.values)).map((r) => r.pk));
  }
  return { include, exclude };
}
