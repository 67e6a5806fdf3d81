// Paper extras (summary, keywords, project page) and their repositories on PostgreSQL.

import type { ExtrasStore, PaperLinks } from '../extras-store.js';
import type { ContentVersionCache } from './content-version.js';
import { one, rows, tx, type Db } from './db.js';

export function pgExtras(db: Db, now: () => Date, versions: ContentVersionCache): ExtrasStore {
  return {
    async saveExtras(extras) {
      if (!extras.length) return 0;
      // A missing field never erases a known one; unchanged rows are not rewritten; unknown papers are skipped.
      const saved = await tx(db, async (c) => {
      // The summary and keywords are searchable: a paper whose ones changed takes the next
      // change numbers (the sequence's row locked until commit, as for papers), so every
      // process's index refreshes it.
      const first = (await one<number>(c, `SELECT value FROM store_sequences WHERE name = 'papers' FOR UPDATE`))!;
      const r = await c.query(`INSERT INTO paper_extras (paper_id, ai_summary, ai_keywords, project_page, source, updated_at)
        SELECT e.paper_id, e.ai_summary, e.ai_keywords, e.project_page, e.source, $6
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS e(paper_id, ai_summary, ai_keywords, project_page, source)
        WHERE EXISTS (SELECT 1 FROM papers WHERE id = e.paper_id)
        ON CONFLICT (paper_id) DO UPDATE SET
          ai_summary = coalesce(excluded.ai_summary, paper_extras.ai_summary), ai_keywords = coalesce(excluded.ai_keywords, paper_extras.ai_keywords),
          project_page = coalesce(excluded.project_page, paper_extras.project_page), source = excluded.source, updated_at = excluded.updated_at
        WHERE excluded.ai_summary IS DISTINCT FROM paper_extras.ai_summary OR excluded.ai_keywords IS DISTINCT FROM paper_extras.ai_keywords
          OR excluded.project_page IS DISTINCT FROM paper_extras.project_page
        RETURNING paper_id`,
      [extras.map((e) => e.paperId), extras.map((e) => e.aiSummary), extras.map((e) => (e.aiKeywords.length ? JSON.stringify(e.aiKeywords) : null)),
        extras.map((e) => e.projectPage), extras.map((e) => e.source), now().toISOString()]);
      const changed = [...new Set(r.rows.map((row: { paper_id: string }) => row.paper_id))].sort();
      if (changed.length) {
        await c.query(`UPDATE papers p SET change_seq = $2 + c.n FROM unnest($1::text[]) WITH ORDINALITY AS c(id, n) WHERE p.id = c.id`, [changed, first]);
        await c.query(`UPDATE store_sequences SET value = $1 WHERE name = 'papers'`, [first + changed.length]);
      }
      return r.rowCount ?? 0;
      });
      if (saved) versions.changed();
      return saved;
    },
    async linksOf(paperIds) {
      const out = new Map<string, PaperLinks>();
      if (!paperIds.length) return out;
      const entry = (id: string) => {
        let e = out.get(id);
        if (!e) out.set(id, (e = { aiSummary: null, aiKeywords: [], projectPage: null, repos: [] }));
        return e;
      };
      for (const r of await rows<{ paper_id: string; ai_summary: string | null; ai_keywords: string | null; project_page: string | null }>(db,
        'SELECT paper_id, ai_summary, ai_keywords, project_page FROM paper_extras WHERE paper_id = ANY($1)', [paperIds])) {
        const e = entry(r.paper_id);
        e.aiSummary = r.ai_summary;
        e.projectPage = r.project_page;
        e.aiKeywords = r.ai_keywords ? (JSON.parse(r.ai_keywords) as string[]) : [];
      }
      // Hugging Face's link first (it is the paper's own), then in the order links were seen.
      for (const r of await rows<{ paper_id: string; repo: string }>(db, `SELECT paper_id, repo FROM paper_repos WHERE paper_id = ANY($1)
        ORDER BY paper_id, source <> 'hf-daily', added_at, repo`, [paperIds])) entry(r.paper_id).repos.push(r.repo);
      return out;
    },
  };
}
