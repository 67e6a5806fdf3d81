// What search needs from SQLite: the papers to index (streamed by key), a cheap content
// version to know when to refresh, and FTS5 answers for the conditions an index of words
// cannot check (phrases, prefixes, title words, authors, exclusions).

import type Database from 'better-sqlite3';
import { toFts5Match, type ParsedQuery } from '../../search/query-parser.js';
import type { ConstraintKeys, ContentVersion, SearchDocument, TextConstraints } from '../store.js';

interface DocumentRow {
  pk: number; id: string; title: string; author_names: string; abstract: string; day: string | null; categories: string; change_seq: number | null;
}

export function* searchDocuments(db: Database.Database, changedAfter?: number): Generator<SearchDocument> {
  // Pages of rows (keyset pagination) rather than one open cursor: the caller may yield to
  // the event loop between papers, and a connection with an open cursor cannot run other
  // queries. Changed papers are found through the change sequence (migration 006), in
  // the order they changed; the application clock (modified_at) cannot be trusted for
  // this when several processes write.
  const columns = `pk, id, title, author_names, abstract, coalesce(announced_at, substr(submitted_at, 1, 10)) AS day, categories, change_seq`;
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
        key: r.pk, id: r.id, title: r.title, authorNames: r.author_names, abstract: r.abstract,
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
  return {
    include: positive.length ? keys(positive.map((e) => `(${e})`).join(' AND ')) : null,
    exclude: excluded ? keys(excluded) : null,
  };
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
