// Trending on PostgreSQL: the features of papers the triggers of 001_schema.sql marked
// dirty, recomputed a chunk at a time; the candidates of a ranking; the GitHub
// repositories papers link to.

import type { SignalFeatures, TrendingCandidate } from '../../trending/types.js';
import { rowToSignal, type SignalRow } from '../rows.js';
import type { ComputeFeatures, RepoCheck, RepoLink, RepoToRefresh, TrendingCandidateQuery, TrendingStore, WindowQuery } from '../trending-store.js';
import { one, rows, tx, type Db } from './db.js';

const DAY = 'coalesce(p.announced_at, substr(p.submitted_at, 1, 10))';
/** A paper's stars are those of its main repository: Hugging Face's link first, else the first seen (as the SQLite engine). */
const MAIN_REPO_ORDER = `r.source <> 'hf-daily', r.added_at, r.repo`;
const FEATURES = `f.computed_at, f.upvotes, f.local_upvotes, f.comments, f.github_stars, f.views,
  f.heat_upvotes, f.heat_local_upvotes, f.heat_comments, f.heat_github_stars, f.heat_views, f.heat_at`;
const IN_CATEGORY = 'EXISTS (SELECT 1 FROM paper_categories c WHERE c.category = $3 AND c.paper_id = p.id)';

async function raw(db: Db, sql: string, params: unknown[]): Promise<unknown[][]> {
  return (await db.query({ text: sql, values: params, rowMode: 'array' })).rows as unknown[][];
}

export function pgTrending(db: Db, now: () => Date): TrendingStore {
  const version = async () => Number((await one<string>(db, `SELECT value FROM trending_state WHERE key = 'version'`)) ?? 0);
  return {
    async recomputeFeatures(key: string, compute: ComputeFeatures, limit: number) {
      const params = await one<string>(db, `SELECT value FROM trending_state WHERE key = 'params'`);
      if (params === key && (await one<boolean>(db, 'SELECT EXISTS (SELECT 1 FROM trending_dirty)')) === false) return { done: true, version: await version() };
      const done = await tx(db, async (c) => {
        if ((await one<string>(c, `SELECT value FROM trending_state WHERE key = 'params' FOR UPDATE`)) !== key) {
          await c.query(`INSERT INTO trending_dirty (paper_id)
            SELECT paper_id FROM trending_features UNION SELECT paper_id FROM signals UNION SELECT paper_id FROM votes ON CONFLICT DO NOTHING`);
          await c.query(`INSERT INTO trending_state (key, value) VALUES ('params', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [key]);
        }
        // Rows another process is recomputing are skipped (it has them); a mark added meanwhile
        // waits for this transaction's delete and lands after it (see trending_dirty).
        const ids = (await rows<{ paper_id: string }>(c, 'SELECT paper_id FROM trending_dirty LIMIT $1 FOR UPDATE SKIP LOCKED', [limit])).map((r) => r.paper_id);
        if (!ids.length) return true;
        const days = new Map((await rows<{ id: string; day: string | null }>(c, `SELECT p.id, ${DAY} AS day FROM papers p WHERE p.id = ANY($1)`, [ids])).map((r) => [r.id, r.day]));
        const signals = group(await rows<SignalRow>(c, 'SELECT * FROM signals WHERE paper_id = ANY($1)', [ids]), (s) => s.paper_id);
        const votes = group(await rows<{ paper_id: string; created_at: string }>(c, 'SELECT paper_id, created_at FROM votes WHERE paper_id = ANY($1)', [ids]), (v) => v.paper_id);
        const stamp = now().toISOString();
        const keep: unknown[][] = [];
        for (const id of ids) {
          const f = days.has(id) ? compute({ paperId: id, day: days.get(id) ?? null, signals: (signals.get(id) ?? []).map(rowToSignal), votes: (votes.get(id) ?? []).map((v) => v.created_at) }) : null;
          if (f) keep.push(featureRow(id, days.get(id) ?? null, f, stamp));
        }
        await c.query('DELETE FROM trending_features WHERE paper_id = ANY($1)', [ids]);
        if (keep.length) {
          const cols = keep[0]!.map((_, i) => keep.map((r) => r[i]));
          await c.query(`INSERT INTO trending_features (paper_id, day, upvotes, local_upvotes, comments, github_stars, views,
              heat_upvotes, heat_local_upvotes, heat_comments, heat_github_stars, heat_views, heat_at, computed_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[],
              $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::bigint[], $14::text[])`, cols);
        }
        await c.query('DELETE FROM trending_dirty WHERE paper_id = ANY($1)', [ids]);
        await c.query(`INSERT INTO trending_state (key, value) VALUES ('version', '1')
          ON CONFLICT (key) DO UPDATE SET value = (trending_state.value::bigint + 1)::text`);
        return ids.length < limit;
      });
      return { done, version: await version() };
    },

    async trendingCandidates(q: TrendingCandidateQuery): Promise<TrendingCandidate[]> {
      const select = `SELECT p.id, ${DAY} AS day, ${FEATURES} FROM papers p LEFT JOIN trending_features f ON f.paper_id = p.id`;
      let r: unknown[][];
      if (q.paperIds) {
        if (!q.paperIds.length) return [];
        r = await raw(db, `${select} WHERE p.id = ANY($4) AND ($1::text IS NULL OR ${DAY} >= $1) AND ($2::text IS NULL OR ${DAY} <= $2)
          AND ($3::text IS NULL OR ${IN_CATEGORY})`, [q.from ?? null, q.to ?? null, q.category ?? null, [...new Set(q.paperIds)]]);
      } else {
        if (!q.from || !q.to) throw new Error('trendingCandidates needs from and to, or paperIds');
        r = await raw(db, `${select} WHERE ${DAY} BETWEEN $1 AND $2 AND ($3::text IS NULL OR ${IN_CATEGORY})`, [q.from, q.to, q.category ?? null]);
      }
      return r.map(toCandidate);
    },

    async trendingWindow(w: WindowQuery) {
      const args = [w.from, w.to, w.category ?? null];
      const scored = await raw(db, `SELECT f.paper_id, f.day, ${FEATURES} FROM trending_features f WHERE f.day BETWEEN $1 AND $2
        AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM paper_categories c WHERE c.category = $3 AND c.paper_id = f.paper_id))`, args);
      const total = (await one<number>(db, `SELECT count(*) FROM papers p WHERE ${DAY} BETWEEN $1 AND $2 AND ($3::text IS NULL OR ${IN_CATEGORY})`, args)) ?? 0;
      return { scored: scored.map(toCandidate), total };
    },

    async unscoredInWindow(w: WindowQuery, limit: number) {
      const r = await rows<{ id: string; day: string }>(db, `SELECT p.id, ${DAY} AS day FROM papers p WHERE ${DAY} BETWEEN $1 AND $2
        AND ($3::text IS NULL OR ${IN_CATEGORY}) AND NOT EXISTS (SELECT 1 FROM trending_features f WHERE f.paper_id = p.id)
        ORDER BY ${DAY} DESC, p.id DESC LIMIT $4`, [w.from, w.to, w.category ?? null, limit]);
      return r.map((x) => ({ paperId: x.id, day: x.day }));
    },

    async saveRepoLinks(links: RepoLink[]) {
      if (!links.length) return 0;
      const r = await db.query(`INSERT INTO paper_repos (paper_id, repo, source, added_at)
        SELECT l.paper_id, l.repo, l.source, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS l(paper_id, repo, source)
        WHERE EXISTS (SELECT 1 FROM papers WHERE id = l.paper_id) ON CONFLICT DO NOTHING`,
      [links.map((l) => l.paperId), links.map((l) => l.repo), links.map((l) => l.source), now().toISOString()]);
      return r.rowCount ?? 0;
    },

    async reposToRefresh(o: { sinceDay: string; limit: number; recheckGoneAfterDays?: number }): Promise<RepoToRefresh[]> {
      const goneBefore = new Date(now().getTime() - (o.recheckGoneAfterDays ?? 7) * 86_400_000).toISOString();
      const r = await rows<{ repo: string; papers: string[]; checked_at: string | null }>(db, `WITH recent AS (SELECT p.id FROM papers p WHERE ${DAY} >= $1),
        main AS (SELECT r.paper_id, r.repo, row_number() OVER (PARTITION BY r.paper_id ORDER BY ${MAIN_REPO_ORDER}) AS n
          FROM paper_repos r JOIN recent ON recent.id = r.paper_id)
        SELECT m.repo, array_agg(m.paper_id) AS papers, g.checked_at
        FROM main m LEFT JOIN github_repos g ON g.repo = m.repo
        WHERE m.n = 1 AND (g.status IS NULL OR g.status <> 'not_found' OR g.checked_at < $2)
        GROUP BY m.repo, g.checked_at ORDER BY g.checked_at IS NOT NULL, g.checked_at, m.repo LIMIT $3`, [o.sinceDay, goneBefore, o.limit]);
      return r.map((x) => ({ repo: x.repo, paperIds: [...x.papers].sort(), checkedAt: x.checked_at }));
    },

    async saveRepoCheck(check: RepoCheck) {
      return tx(db, async (c) => {
        await c.query(`INSERT INTO github_repos (repo, stars, status, checked_at) VALUES ($1, $2, $3, $4)
          ON CONFLICT (repo) DO UPDATE SET stars = coalesce(excluded.stars, github_repos.stars), status = excluded.status, checked_at = excluded.checked_at`,
        [check.repo, check.stars, check.status, check.checkedAt]);
        if (check.status !== 'ok' || check.stars === null) return 0;
        const r = await c.query(`INSERT INTO signals (paper_id, kind, source, observed_at, value)
          SELECT paper_id, 'github_stars', 'github', $2, $3 FROM (
            SELECT r.paper_id, r.repo, row_number() OVER (PARTITION BY r.paper_id ORDER BY ${MAIN_REPO_ORDER}) AS n
            FROM paper_repos r WHERE r.paper_id IN (SELECT paper_id FROM paper_repos WHERE repo = $1)) m
          WHERE m.n = 1 AND m.repo = $1
          ON CONFLICT (paper_id, kind, source, observed_at) DO UPDATE SET value = excluded.value WHERE signals.value <> excluded.value`,
        [check.repo, check.checkedAt, check.stars]);
        return r.rowCount ?? 0;
      });
    },

    async papersMentioning(text: string, sinceDay: string) {
      const pattern = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      return rows<{ id: string; comment: string | null; abstract: string }>(db, `SELECT p.id, p.comment, p.abstract FROM papers p
        WHERE ${DAY} >= $2 AND (p.comment ILIKE $1 ESCAPE '\\' OR p.abstract ILIKE $1 ESCAPE '\\')`, [pattern, sinceDay]);
    },
  };
}

function group<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const of = out.get(k);
    if (of) of.push(x);
    else out.set(k, [x]);
  }
  return out;
}

function featureRow(id: string, day: string | null, f: SignalFeatures, stamp: string): unknown[] {
  return [id, day, f.counts.upvotes, f.counts.localUpvotes, f.counts.comments, f.counts.githubStars, f.counts.views,
    f.heat.upvotes, f.heat.localUpvotes, f.heat.comments, f.heat.githubStars, f.heat.views, f.heatAt, stamp];
}

/** [id, day, computed_at, 5 counts, 5 heats, heat_at] → a candidate. */
function toCandidate(r: unknown[]): TrendingCandidate {
  const n = (i: number) => r[i] as number;
  return {
    paperId: r[0] as string,
    day: r[1] as string | null,
    features: r[2] === null ? null : {
      counts: { upvotes: n(3), localUpvotes: n(4), comments: n(5), githubStars: n(6), views: n(7) },
      heat: { upvotes: n(8), localUpvotes: n(9), comments: n(10), githubStars: n(11), views: n(12) },
      heatAt: r[13] as number | null,
    },
  };
}
