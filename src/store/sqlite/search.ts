// What search needs from SQLite: the papers to index (streamed by key), a cheap content
// version to know when to refresh, and FTS5 answers for the conditions an index of words
// cannot check (phrases, prefixes, title words, authors, exclusions); author names are
// then checked within one author entry.

import type Database from 'better-sqlite3';
import { toFts5Match, type ParsedQuery } from '../../search/query-parser.js';
import type { ConstraintKeys, ContentVersion, SearchDocument, TextConstraints } from '../store.js';

interface DocumentRow {
  pk: number; id: string; title: string; author_names: string; abstract: string; summary: string | null; day: string | null; categories: string; change_seq: number | null;
}

export function* searchDocuments(db: Database.Database, changedAfter?: number): Generator<SearchDocument> {
  // Pages of rows (keyset pagination) rather than one open cursor: the caller may yield to
  // the event loop between papers, and a connection with an open cursor cannot run other
  // queries. Changed papers are found through the change sequence (migration 006), in
  // the order they changed; the application clock (modified_at) cannot be trusted for
  // this when several processes write.
  // A source's summary and keywords (paper_extras) are indexed with the paper; saving them bumps its change_seq (extras.ts).
  const summary = `(SELECT concat_ws(' ', e.ai_summary, (SELECT group_concat(value, ' ') FROM json_each(e.ai_keywords))) FROM paper_extras e WHERE e.paper_id = papers.id)`;
  const columns = `pk, id, title, author_names, abstract, ${summary} AS summary, coalesce(announced_at, substr(submitted_at, 1, 10)) AS day, categories, change_seq`;
  const changes = changedAfter !== undefined;
  const page = changes
    ? db.prepare(`SELECT ${columns} FROM papers WHERE change_seq > @after ORDER BY change_seq LIMIT 2000`)
    : db.prepare(`SELECT ${columns} FROM papers WHERE pk > @after ORDER BY pk LIMIT 2000`);
  let after = changedAfter ?? 0;
  for (;;) {
    const rows = page.all({ after }) as DocumentRow[];
    if (rows.length === 0) return;
    for (const r of rows) {
      yield {
        key: r.pk, id: r.id, title: r.title, authorNames: r.author_names, abstract: r.abstract, ...(r.summary ? { summary: r.summary } : {}),
        day: r.day && /^\d{4}-\d{2}-\d{2}$/.test(r.day) ? Number(r.day.replaceAll('-', '')) : 0,
        categories: r.categories ? r.categories.split(' ') : [],
      };
    }
    const last = rows.at(-1)!;
    after = changes ? last.change_seq! : last.pk;
  }
}

export function contentVersion(db: Database.Database): ContentVersion {
  // Index lookups only (pk, papers_by_modified, papers_by_change): this runs before every query.
  return db.prepare(`SELECT (SELECT max(pk) FROM papers) AS maxKey, (SELECT max(modified_at) FROM papers) AS lastModified,
    coalesce((SELECT max(change_seq) FROM papers), 0) AS changeSeq`).get() as ContentVersion;
}

export function constraintKeys(db: Database.Database, c: TextConstraints): ConstraintKeys {
  const noFilters: ParsedQuery['filters'] = { categories: [], authors: [], title: c.title, year: null, since: null, before: null, similarTo: null };
  const base: ParsedQuery = { arxivId: null, groups: c.clauses, excluded: [], filters: noFilters, sort: null, warnings: [] };
  const positive = [toFts5Match(base, { mode: 'all' }), ...c.authors.map(authorExpression)].filter((e): e is string => !!e);
  const excluded = c.excluded.length
    ? toFts5Match({ ...base, groups: c.excluded.map((a) => [a]), filters: { ...noFilters, title: [] } }, { mode: 'any' })
    : null;
  const keys = (match: string) =>
    new Set(db.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?').pluck().all(match) as number[]);
  let include = positive.length ? keys(positive.map((e) => `(${e})`).join(' AND ')) : null;
  // The full-text index sees an author list as one run of words, so "Kaiming He" also finds
  // a K. Zhang next to a W. He: names with given names are checked within one author entry.
  const named = c.authors.filter((a) => nameParts(a).given.length > 0);
  if (include && include.size && named.length) include = withAuthors(db, include, named);
  return { include, exclude: excluded ? keys(excluded) : null };
}

/** The keys among `keys` of papers that have, for every name, one author entry matching it. */
function withAuthors(db: Database.Database, keys: Set<number>, names: string[]): Set<number> {
  const rows = db.prepare('SELECT pk, authors FROM papers WHERE pk IN (SELECT value FROM json_each(?))');
  const out = new Set<number>();
  const all = [...keys];
  for (let i = 0; i < all.length; i += 5000) {
    for (const r of rows.all(JSON.stringify(all.slice(i, i + 5000))) as { pk: number; authors: string }[]) {
      const authors = (JSON.parse(r.authors) as { name: string }[]).map((a) => a.name);
      if (names.every((n) => authors.some((a) => authorMatches(n, a)))) out.add(r.pk);
    }
  }
  return out;
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const words = (s: string) => fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** A name as its given names and family name (the last word), accent-folded and lower case. */
export function nameParts(name: string): { given: string[]; family: string | null } {
  const w = words(name);
  const family = w.pop() ?? null;
  return { given: w, family };
}

/**
 * Whether one author entry is the person a query names: the same family name, and each
 * given name of the query, in order, matching a given name of the entry — by initial when
 * either side is one ("Y. LeCun" and "Yann LeCun"), in full otherwise ("Kaiming He" is
 * not "Kun He"). Middle names the query leaves out do not matter.
 */
export function authorMatches(query: string, entry: string): boolean {
  const q = nameParts(query);
  if (!q.family) return false;
  const e = words(entry);
  for (let j = e.length - 1; j >= 0; j--) {
    if (e[j] !== q.family) continue;
    let k = 0;
    for (let i = 0; i < j && k < q.given.length; i++) {
      const g = q.given[k]!;
      const t = e[i]!;
      if (g.length === 1 || t.length === 1 ? g[0] === t[0] : g === t) k++;
    }
    if (k === q.given.length) return true;
  }
  return false;
}

/**
 * An author name as an FTS5 clause on author_names: the family name exactly and each
 * given name by its initial, close together, so "Yann LeCun", "Y. LeCun" and "LeCun"
 * find the same papers (the tokenizer already folds accents).
 */
export function authorExpression(name: string): string | null {
  const parts = name.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const family = parts.pop();
  if (!family) return null;
  const initials = parts.map((p) => `"${p[0]}" *`);
  const phrase = initials.length ? `NEAR(${[...initials, `"${family}"`].join(' ')}, ${initials.length + 1})` : `"${family}"`;
  return `author_names : ${phrase}`;
}
