// Trending on SQLite: per-paper features recomputed for the papers the triggers of
// migration 004 marked dirty, the candidates of a ranking read through the day index,
// and the GitHub repositories papers link to.

import type Database from 'better-sqlite3';
import type { SignalFeatures, TrendingCandidate } from '../../trending/types.js';
import type { ComputeFeatures, RepoCheck, RepoLink, RepoToRefresh, TrendingCandidateQuery, WindowQuery } from '../trending-store.js';
import { rowToSignal, type SignalRow } from '../rows.js';

const DAY = 'coalesce(p.announced_at, substr(p.submitted_at, 1, 10))';
/**
 * A paper's stars are those of its main repository: the one Hugging Face links (set by the
 * authors), else the first one seen. Adding up every repository a paper mentions would
 * credit it with the stars of the libraries it merely builds on.
 */
const MAIN_REPO_ORDER = `r.source <> 'hf-daily', r.added_at, r.repo`;
const FEATURE_COLUMNS = `f.computed_at, f.upvotes, f.local_upvotes, f.comments, f.github_stars, f.views,
  f.heat_upvotes, f.heat_local_upvotes, f.heat_comments, f.heat_github_stars, f.heat_views, f.heat_at`;

export function sqliteTrending(db: Database.Database, now: () => Date, opts: { readonly?: boolean } = {}) {
  let q: ReturnType<typeof prepare> | null = null;
  // Prepared lazily: the tables exist only once migrate() has run.
  const queries = () => (q ??= prepare(db));

  const chunk = db.transaction((key: string, compute: ComputeFeatures, limit: number): boolean => {
    const qs = queries();
    if (qs.getState.get('params') !== key) {
      qs.markAllDirty.run();
      qs.setState.run('params', key);
    }
    const ids = qs.dirtyBatch.all(limit) as string[];
    const stamp = now().toISOString();
    for (const id of ids) {
      const day = qs.dayOf.get(id) as string | null | undefined;
      const f = day === undefined ? null : compute({
        paperId: id, day, signals: (qs.signalsOf.all(id) as SignalRow[]).map(rowToSignal), votes: qs.votesOf.all(id) as string[],
      });
      if (f) qs.upsertFeatures.run(featureParams(id, day ?? null, f, stamp));
      else qs.deleteFeatures.run(id);
      qs.undirty.run(id);
    }
    if (ids.length) qs.bumpVersion.run();
    return ids.length < limit;
  });

  const version = () => Number(queries().getState.get('version') ?? 0);

  return {
    async recomputeFeatures(key: string, compute: ComputeFeatures, limit: number) {
      const qs = queries();
      if (opts.readonly || (qs.getState.get('params') === key && !qs.anyDirty.get())) return { done: true, version: version() };
      // IMMEDIATE: take the write lock up front (waiting for it, see guard.ts) rather than
      // fail when another process wrote between our read and our write. The transaction
      // holds the write lock, so nobody marks a paper between its read and its undirty.
      const done = chunk.immediate(key, compute, limit);
      return { done, version: version() };
    },

    async trendingCandidates(c: TrendingCandidateQuery): Promise<TrendingCandidate[]> {
      const qs = queries();
      const args = { from: c.from ?? null, to: c.to ?? null, category: c.category ?? null };
      let rows: unknown[][];
      if (c.paperIds) {
        if (!c.paperIds.length) return [];
        rows = qs.candidatesByIds.all({ ...args, ids: JSON.stringify([...new Set(c.paperIds)]) }) as unknown[][];
      } else {
        if (!c.from || !c.to) throw new Error('trendingCandidates needs from and to, or paperIds');
        rows = (c.category ? qs.candidatesInCategory.all(args) : qs.candidates.all(args)) as unknown[][];
      }
      return rows.map(rowToCandidate);
    },

    async trendingWindow(w: WindowQuery): Promise<{ scored: TrendingCandidate[]; total: number }> {
      const qs = queries();
      const args = { from: w.from, to: w.to, category: w.category ?? null };
      const rows = (w.category ? qs.scoredInCategory : qs.scored).all(args) as unknown[][];
      const total = (w.category ? qs.countInCategory : qs.count).get(args) as number;
      return { scored: rows.map(rowToCandidate), total };
    },

    async unscoredInWindow(w: WindowQuery, limit: number): Promise<{ paperId: string; day: string }[]> {
      const qs = queries();
      const rows = (w.category ? qs.unscoredInCategory : qs.unscored).all({ from: w.from, to: w.to, category: w.category ?? null, limit }) as [string, string][];
      return rows.map(([paperId, day]) => ({ paperId, day }));
    },

    async saveRepoLinks(links: RepoLink[]): Promise<number> {
      const stamp = now().toISOString();
      return db.transaction(() => links.reduce((n, l) => n + queries().addRepoLink.run({ ...l, at: stamp }).changes, 0)).immediate();
    },

    async reposToRefresh(o: { sinceDay: string; limit: number; recheckGoneAfterDays?: number }): Promise<RepoToRefresh[]> {
      const goneBefore = new Date(now().getTime() - (o.recheckGoneAfterDays ?? 7) * 86_400_000).toISOString();
      const rows = queries().reposToRefresh.all({ since: o.sinceDay, goneBefore, limit: o.limit }) as { repo: string; papers: string; checked_at: string | null }[];
      return rows.map((r) => ({ repo: r.repo, paperIds: (JSON.parse(r.papers) as string[]).sort(), checkedAt: r.checked_at }));
    },

    async saveRepoCheck(check: RepoCheck): Promise<number> {
      return db.transaction(() => {
        const qs = queries();
        qs.saveRepo.run({ repo: check.repo, stars: check.stars, status: check.status, at: check.checkedAt });
        if (check.status !== 'ok' || check.stars === null) return 0;
        const papers = qs.papersOfRepo.all({ repo: check.repo }) as string[];
        return papers.reduce((n, id) => n + qs.addStars.run(id, check.checkedAt, check.stars).changes, 0);
      }).immediate();
    },

    async papersMentioning(text: string, sinceDay: string): Promise<{ id: string; comment: string | null; abstract: string }[]> {
      return queries().mentioning.all({ pattern: `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`, since: sinceDay }) as { id: string; comment: string | null; abstract: string }[];
    },
  };
}

function featureParams(id: string, day: string | null, f: SignalFeatures, stamp: string) {
  return {
    paper_id: id, day, computed_at: stamp, heat_at: f.heatAt,
    upvotes: f.counts.upvotes, local_upvotes: f.counts.localUpvotes, comments: f.counts.comments,
    github_stars: f.counts.githubStars, views: f.counts.views,
    heat_upvotes: f.heat.upvotes, heat_local_upvotes: f.heat.localUpvotes, heat_comments: f.heat.comments,
    heat_github_stars: f.heat.githubStars, heat_views: f.heat.views,
  };
}

/** [id, day, computed_at, 5 counts, 5 heats, heat_at] → a candidate (raw rows: no object per column). */
function rowToCandidate(r: unknown[]): TrendingCandidate {
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

function prepare(db: Database.Database) {
  const select = `SELECT p.id, ${DAY} AS day, ${FEATURE_COLUMNS}`;
  const inCategory = 'EXISTS (SELECT 1 FROM paper_categories c WHERE c.category = @category AND c.paper_id = p.id)';
  return {
    getState: db.prepare('SELECT value FROM trending_state WHERE key = ?').pluck(),
    setState: db.prepare('INSERT INTO trending_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    bumpVersion: db.prepare(`INSERT INTO trending_state (key, value) VALUES ('version', '1')
      ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`),
    anyDirty: db.prepare('SELECT EXISTS (SELECT 1 FROM trending_dirty)').pluck(),
    dirtyBatch: db.prepare('SELECT paper_id FROM trending_dirty LIMIT ?').pluck(),
    undirty: db.prepare('DELETE FROM trending_dirty WHERE paper_id = ?'),
    markAllDirty: db.prepare(`INSERT OR IGNORE INTO trending_dirty (paper_id)
      SELECT paper_id FROM trending_features UNION SELECT paper_id FROM signals UNION SELECT paper_id FROM votes`),
    signalsOf: db.prepare('SELECT * FROM signals WHERE paper_id = ?'),
    votesOf: db.prepare('SELECT created_at FROM votes WHERE paper_id = ?').pluck(),
    dayOf: db.prepare(`SELECT ${DAY} FROM papers p WHERE p.id = ?`).pluck(),
    upsertFeatures: db.prepare(`INSERT OR REPLACE INTO trending_features (paper_id, day, upvotes, local_upvotes, comments, github_stars, views,
        heat_upvotes, heat_local_upvotes, heat_comments, heat_github_stars, heat_views, heat_at, computed_at)
      VALUES (@paper_id, @day, @upvotes, @local_upvotes, @comments, @github_stars, @views,
        @heat_upvotes, @heat_local_upvotes, @heat_comments, @heat_github_stars, @heat_views, @heat_at, @computed_at)`),
    deleteFeatures: db.prepare('DELETE FROM trending_features WHERE paper_id = ?'),
    // Driven by the papers_by_recency index: a window reads only its own papers.
    candidates: db.prepare(`${select} FROM papers p LEFT JOIN trending_features f ON f.paper_id = p.id
      WHERE ${DAY} BETWEEN @from AND @to`).raw(),
    candidatesInCategory: db.prepare(`${select} FROM papers p LEFT JOIN trending_features f ON f.paper_id = p.id
      WHERE ${DAY} BETWEEN @from AND @to AND ${inCategory}`).raw(),
    // Papers with features, by their own day index: a window's few scored papers, whatever its size.
    scored: db.prepare(`SELECT f.paper_id, f.day, ${FEATURE_COLUMNS} FROM trending_features f WHERE f.day BETWEEN @from AND @to`).raw(),
    scoredInCategory: db.prepare(`SELECT f.paper_id, f.day, ${FEATURE_COLUMNS} FROM trending_features f
      WHERE f.day BETWEEN @from AND @to AND EXISTS (SELECT 1 FROM paper_categories c WHERE c.category = @category AND c.paper_id = f.paper_id)`).raw(),
    count: db.prepare(`SELECT count(*) FROM papers p WHERE ${DAY} BETWEEN @from AND @to`).pluck(),
    countInCategory: db.prepare(`SELECT count(*) FROM papers p WHERE ${DAY} BETWEEN @from AND @to AND ${inCategory}`).pluck(),
    // Papers without features, in the recency index's own order: reading stops at `limit`.
    unscored: db.prepare(`SELECT p.id, ${DAY} FROM papers p WHERE ${DAY} BETWEEN @from AND @to
      AND NOT EXISTS (SELECT 1 FROM trending_features f WHERE f.paper_id = p.id) ORDER BY ${DAY} DESC, p.id DESC LIMIT @limit`).raw(),
    unscoredInCategory: db.prepare(`SELECT p.id, ${DAY} FROM papers p WHERE ${DAY} BETWEEN @from AND @to AND ${inCategory}
      AND NOT EXISTS (SELECT 1 FROM trending_features f WHERE f.paper_id = p.id) ORDER BY ${DAY} DESC, p.id DESC LIMIT @limit`).raw(),
    // Driven by the ids (CROSS JOIN keeps that order): a few lookups, whatever the window.
    candidatesByIds: db.prepare(`${select} FROM json_each(@ids) j CROSS JOIN papers p ON p.id = j.value
      LEFT JOIN trending_features f ON f.paper_id = p.id
      WHERE (@from IS NULL OR ${DAY} >= @from) AND (@to IS NULL OR ${DAY} <= @to) AND (@category IS NULL OR ${inCategory})`).raw(),
    addRepoLink: db.prepare(`INSERT OR IGNORE INTO paper_repos (paper_id, repo, source, added_at)
      SELECT @paperId, @repo, @source, @at WHERE EXISTS (SELECT 1 FROM papers WHERE id = @paperId)`),
    reposToRefresh: db.prepare(`WITH recent AS (SELECT p.id FROM papers p WHERE ${DAY} >= @since),
      main AS (SELECT r.paper_id, r.repo, row_number() OVER (PARTITION BY r.paper_id ORDER BY ${MAIN_REPO_ORDER}) AS n
        FROM paper_repos r JOIN recent ON recent.id = r.paper_id)
      SELECT m.repo, json_group_array(m.paper_id) AS papers, g.checked_at
      FROM main m LEFT JOIN github_repos g ON g.repo = m.repo
      WHERE m.n = 1 AND (g.status IS NULL OR g.status <> 'not_found' OR g.checked_at < @goneBefore)
      GROUP BY m.repo ORDER BY g.checked_at IS NOT NULL, g.checked_at, m.repo LIMIT @limit`),
    saveRepo: db.prepare(`INSERT INTO github_repos (repo, stars, status, checked_at) VALUES (@repo, @stars, @status, @at)
      ON CONFLICT (repo) DO UPDATE SET stars = coalesce(excluded.stars, stars), status = excluded.status, checked_at = excluded.checked_at`),
    // Papers whose main repository this is (see MAIN_REPO_ORDER).
    papersOfRepo: db.prepare(`SELECT paper_id FROM (
        SELECT r.paper_id, r.repo, row_number() OVER (PARTITION BY r.paper_id ORDER BY ${MAIN_REPO_ORDER}) AS n
        FROM paper_repos r WHERE r.paper_id IN (SELECT paper_id FROM paper_repos WHERE repo = @repo))
      WHERE n = 1 AND repo = @repo`).pluck(),
    addStars: db.prepare(`INSERT INTO signals (paper_id, kind, source, observed_at, value) VALUES (?, 'github_stars', 'github', ?, ?)
      ON CONFLICT DO UPDATE SET value = excluded.value WHERE value <> excluded.value`),
    mentioning: db.prepare(`SELECT p.id, p.comment, p.abstract FROM papers p
      WHERE ${DAY} >= @since AND (p.comment LIKE @pattern ESCAPE '\\' OR p.abstract LIKE @pattern ESCAPE '\\')`),
  };
}
