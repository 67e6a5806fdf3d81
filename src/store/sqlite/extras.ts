// Paper extras (summary, keywords, project page) and the repositories papers link to, on SQLite.

import type Database from 'better-sqlite3';
import type { PaperExtras, PaperLinks } from '../extras-store.js';

interface ExtrasRow { paper_id: string; ai_summary: string | null; ai_keywords: string | null; project_page: string | null }

export function sqliteExtras(db: Database.Database, now: () => Date) {
  let q: ReturnType<typeof prepare> | null = null;
  // Prepared lazily: the tables exist only once migrate() has run.
  const queries = () => (q ??= prepare(db));
  return {
    async saveExtras(extras: PaperExtras[]): Promise<number> {
      const at = now().toISOString();
      const q = queries();
      return db.transaction(() => {
        let changed = 0;
        for (const e of extras) {
          const aiKeywords = e.aiKeywords.length ? JSON.stringify(e.aiKeywords) : null;
          if (!q.save.run({ paperId: e.paperId, aiSummary: e.aiSummary, projectPage: e.projectPage, source: e.source, at, aiKeywords }).changes) continue;
          changed++;
          // The summary and keywords are searchable: the paper takes the next change number, so the index refreshes it.
          const seq = (q.changeSeq.get() as number) + 1;
          q.setChangeSeq.run(seq);
          q.touch.run(seq, e.paperId);
        }
        return changed;
      })();
    },
    async linksOf(paperIds: string[]): Promise<Map<string, PaperLinks>> {
      const out = new Map<string, PaperLinks>();
      if (!paperIds.length) return out;
      const ids = JSON.stringify(paperIds);
      const entry = (id: string) => {
        let e = out.get(id);
        if (!e) out.set(id, (e = { aiSummary: null, aiKeywords: [], projectPage: null, repos: [] }));
        return e;
      };
      for (const r of queries().extrasOf.all(ids) as ExtrasRow[]) {
        const e = entry(r.paper_id);
        e.aiSummary = r.ai_summary;
        e.projectPage = r.project_page;
        e.aiKeywords = r.ai_keywords ? (JSON.parse(r.ai_keywords) as string[]) : [];
      }
      for (const r of queries().reposOf.all(ids) as { paper_id: string; repo: string }[]) entry(r.paper_id).repos.push(r.repo);
      return out;
    },
  };
}

function prepare(db: Database.Database) {
  return {
    save: db.prepare(`INSERT INTO paper_extras (paper_id, ai_summary, ai_keywords, project_page, source, updated_at)
      SELECT @paperId, @aiSummary, @aiKeywords, @projectPage, @source, @at WHERE EXISTS (SELECT 1 FROM papers WHERE id = @paperId)
      ON CONFLICT (paper_id) DO UPDATE SET
        ai_summary = coalesce(excluded.ai_summary, ai_summary), ai_keywords = coalesce(excluded.ai_keywords, ai_keywords),
        project_page = coalesce(excluded.project_page, project_page), source = excluded.source, updated_at = excluded.updated_at
      WHERE excluded.ai_summary IS NOT ai_summary OR excluded.ai_keywords IS NOT ai_keywords OR excluded.project_page IS NOT project_page`),
    changeSeq: db.prepare(`SELECT value FROM store_sequences WHERE name = 'papers'`).pluck(),
    setChangeSeq: db.prepare(`UPDATE store_sequences SET value = ? WHERE name = 'papers'`),
    touch: db.prepare('UPDATE papers SET change_seq = ? WHERE id = ?'),
    extrasOf: db.prepare('SELECT paper_id, ai_summary, ai_keywords, project_page FROM paper_extras WHERE paper_id IN (SELECT value FROM json_each(?))'),
    // Hugging Face's link first (it is the paper's own), then in the order links were seen, as reposToRefresh.
    reposOf: db.prepare(`SELECT paper_id, repo FROM paper_repos WHERE paper_id IN (SELECT value FROM json_each(?))
      ORDER BY paper_id, source <> 'hf-daily', added_at, repo`),
  };
}
