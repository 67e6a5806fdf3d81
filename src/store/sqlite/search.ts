// What search needs from SQLite: the papers to index (streamed by key), a cheap content
// version to know when to refresh, and FTS5 answers to the conditions an index of words
// cannot check (phrases, authors), for given papers or for all; author names are then
// checked within one author entry.

import type Database from 'better-sqlite3';
import { hasAuthors, nameParts } from '../../text/authors.js';
import type { TextConstraints } from '../../text/constraints.js';
import type { ContentVersion, SearchDocument } from '../store.js';
import { excludedMatch, positiveMatch } from './fts5-match.js';

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

export function papersMeeting(db: Database.Database, c: TextConstraints, keys?: readonly number[]): Set<number> {
  const positive = positiveMatch(c);
  const excluded = excludedMatch(c);
  // Given papers: FTS5 takes a rowid as a bound, so each is a seek into the matching postings, not a pass over them.
  const matching = (match: string, among?: Set<number>) => new Set((among
    ? db.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))').pluck().all(match, JSON.stringify([...among]))
    : db.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?').pluck().all(match)) as number[]);
  let out = keys ? new Set(keys) : null;
  if (positive && (!out || out.size)) out = matching(positive, out ?? undefined);
  out ??= new Set(db.prepare('SELECT pk FROM papers').pluck().all() as number[]);
  const named = c.authors.filter((a) => nameParts(a).given.length > 0);
  if (out.size && named.length) out = withAuthors(db, out, named);
  if (excluded && out.size) for (const key of matching(excluded, keys ? out : undefined)) out.delete(key);
  return out;
}

/** The keys among `keys` of papers that have, for every name, one author entry matching it. */
function withAuthors(db: Database.Database, keys: Set<number>, names: string[]): Set<number> {
  const rows = db.prepare('SELECT pk, authors FROM papers WHERE pk IN (SELECT value FROM json_each(?))');
  const out = new Set<number>();
  const all = [...keys];
  for (let i = 0; i < all.length; i += 5000) {
    for (const r of rows.all(JSON.stringify(all.slice(i, i + 5000))) as { pk: number; authors: string }[]) {
      if (hasAuthors((JSON.parse(r.authors) as { name: string }[]).map((a) => a.name), names)) out.add(r.pk);
    }
  }
  return out;
}
