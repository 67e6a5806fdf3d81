// /api/papers: the newest papers, search, one paper by id (with why it is trending) and its similar papers.

import type { Hono } from 'hono';
import { z } from 'zod';
import { fail } from '../../errors.js';
import type { Paper } from '../../papers/paper.js';
import { search, SEARCH_MODES } from '../../search/search.js';
import { similarPapers } from '../../search/similar.js';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../store/store.js';
import type { AppDeps } from '../app.js';
import { categoryParam, MAX_QUERY_CHARS, pageParam, paginate, paperIdParam, queryOf, textParam, validate, wholeNumber } from './params.js';
import { engagementOf, paperJson, trendingJson } from './shapes.js';

export const listQuery = z.object({ cat: categoryParam, limit: wholeNumber('limit', 1, 100, 25), p: pageParam });
export const searchQuery = z.object({
  q: textParam('q', MAX_QUERY_CHARS), limit: wholeNumber('limit', 1, 100, 20), p: pageParam,
  mode: z.enum(SEARCH_MODES as [string, ...string[]], { message: `mode must be one of ${SEARCH_MODES.join(', ')}` }).optional(),
});
export const similarQuery = z.object({ limit: wholeNumber('limit', 1, 50, 5) });

const plain = (s: string | null) => s && s.replaceAll(HIGHLIGHT_START, '').replaceAll(HIGHLIGHT_END, '');

export function registerPapers(api: Hono, deps: AppDeps): void {
  const { store, search: engine } = deps;
  const withCounts = async (papers: Paper[]) => {
    const counts = await engagementOf(store, papers);
    return papers.map((p, i) => paperJson(p, counts[i]!));
  };
  const paperOr404 = async (raw: string) => {
    const id = validate(z.object({ id: paperIdParam }), { id: raw }).id;
    return (await store.getPaper(id)) ?? fail('not_found', `No paper ${id} in this store.`, { parameter: 'id' });
  };

  api.get('/papers', async (c) => {
    const q = queryOf(c, listQuery);
    // One more than asked tells whether a next page exists without counting.
    const papers = await store.listPapers({ limit: q.limit + 1, offset: (q.p - 1) * q.limit, category: q.cat });
    paginate(c, q.p, papers.length > q.limit);
    return c.json(await withCounts(papers.slice(0, q.limit)));
  });

  api.get('/papers/search', async (c) => {
    const q = queryOf(c, searchQuery);
    const result = await search(engine, q.q, { limit: q.limit, page: q.p, mode: q.mode as (typeof SEARCH_MODES)[number] | undefined });
    const results = await withCounts(result.hits.map((h) => h.paper));
    const links = paginate(c, result.page, result.page * result.limit < result.total);
    return c.json({
      query: q.q, mode: result.mode, total: result.total, totalIsExact: result.totalIsExact, page: result.page, limit: result.limit, notes: result.notes, links,
      results: results.map((p, i) => ({ ...p, score: result.hits[i]!.score, snippet: plain(result.hits[i]!.snippet) })),
    });
  });

  // Before /papers/{id}: that pattern spans slashes (old-style ids) and would take this path.
  api.get('/papers/:id{.+}/similar', async (c) => {
    const q = queryOf(c, similarQuery);
    const paper = await paperOr404(c.req.param('id'));
    const hits = await similarPapers(engine, paper, q.limit);
    const results = await withCounts(hits.map((h) => h.paper));
    return c.json({ id: paper.id, results: results.map((p, i) => ({ ...p, score: hits[i]!.score })) });
  });

  api.get('/papers/:id{.+}', async (c) => {
    const paper = await paperOr404(c.req.param('id'));
    const [[counts], trend] = await Promise.all([engagementOf(store, [paper]), deps.search.trending.explain(paper.id)]);
    return c.json({ ...paperJson(paper, counts!), signals: await store.signalsFor(paper.id), trending: trend ? trendingJson(trend) : null });
  });
}
