// /api/papers: the newest papers, Hugging Face's search (a bare array of entries), one
// paper by id (Hugging Face's fields plus its signals and why it is trending), papers like
// it, and Hugging Face's /api/arxiv/{id}/repos. Paperboy's own, richer search answer
// (totals, notes, paging links, modes) is /api/v1/search.

import type { Hono } from 'hono';
import { z } from 'zod';
import { fail } from '../../errors.js';
import { parseArxivId } from '../../papers/arxiv-id.js';
import type { Paper } from '../../papers/paper.js';
import { search, SEARCH_MODES, type SearchMode } from '../../search/search.js';
import { similarPapers } from '../../search/similar.js';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../store/store.js';
import type { AppDeps } from '../app.js';
import { categoryParam, MAX_PAGE, MAX_QUERY_CHARS, pageParam, paginate, queryOf, textParam, validate, wholeNumber } from './params.js';
import { dailyPaperJson, factsOf, githubUrl, hfTime, paperDay, paperJson, trendingJson } from './shapes.js';

export const listQuery = z.object({ cat: categoryParam, limit: wholeNumber('limit', 1, 100, 25), p: pageParam });
/** Hugging Face's search: `q`, and (Paperboy's additions) `limit` and a 0-based `p` as on daily_papers. */
export const searchQuery = z.object({ q: textParam('q', MAX_QUERY_CHARS), limit: wholeNumber('limit', 1, 100, 50), p: wholeNumber('p', 0, MAX_PAGE, 0) });
export const v1SearchQuery = z.object({
  q: textParam('q', MAX_QUERY_CHARS), limit: wholeNumber('limit', 1, 100, 20), p: pageParam,
  mode: z.enum(SEARCH_MODES as [SearchMode, ...SearchMode[]], { message: `mode must be one of ${SEARCH_MODES.join(', ')}` }).optional(),
});
export const similarQuery = z.object({ limit: wholeNumber('limit', 1, 50, 5) });

const plain = (s: string | null) => s && s.replaceAll(HIGHLIGHT_START, '').replaceAll(HIGHLIGHT_END, '');
const idSchema = z.object({ id: z.string() });

export function registerPapers(api: Hono, deps: AppDeps): void {
  const { store, search: engine } = deps;
  const withFacts = async (papers: Paper[]) => {
    const facts = await factsOf(store, papers);
    return papers.map((p, i) => paperJson(p, facts[i]!));
  };
  const paperOr404 = async (raw: string) => {
    validate(idSchema, { id: raw });
    const parsed = parseArxivId(raw) ?? fail('bad_input', 'id is not an arXiv id (e.g. 2503.11731 or hep-th/9901001).', { parameter: 'id' });
    const paper = (await store.getPaper(parsed.id)) ?? fail('not_found', `No paper ${parsed.id} in this store.`, { parameter: 'id' });
    // A version the paper does not have is not this paper (arXiv answers 404 too); unknown version lists accept any.
    if (parsed.version !== null && paper.latestVersion !== null && parsed.version > paper.latestVersion) {
      fail('not_found', `${parsed.id} has no version ${parsed.version} here (latest: v${paper.latestVersion}).`, { parameter: 'id' });
    }
    return paper;
  };

  api.get('/papers', async (c) => {
    const q = queryOf(c, listQuery);
    // One more than asked tells whether a next page exists without counting.
    const papers = await store.listPapers({ limit: q.limit + 1, offset: (q.p - 1) * q.limit, category: q.cat });
    paginate(c, q.p, papers.length > q.limit);
    return c.json(await withFacts(papers.slice(0, q.limit)));
  });

  api.get('/papers/search', async (c) => {
    const q = queryOf(c, searchQuery);
    // Nothing asked, nothing found: an empty query must not list the whole collection.
    if (!q.q.trim()) return c.json([]);
    const result = await search(engine, q.q, { limit: q.limit, page: q.p + 1, snippets: false });
    paginate(c, q.p + 1, (q.p + 1) * q.limit < result.total, { zeroBased: true });
    const papers = result.hits.map((h) => h.paper);
    const facts = await factsOf(store, papers);
    return c.json(papers.map((p, i) => dailyPaperJson(p, facts[i]!)));
  });

  // Before /papers/{id}: that pattern spans slashes (old-style ids) and would take this path.
  api.get('/papers/:id{.+}/similar', async (c) => {
    const q = queryOf(c, similarQuery);
    const paper = await paperOr404(c.req.param('id'));
    const hits = await similarPapers(engine, paper, q.limit);
    const results = await withFacts(hits.map((h) => h.paper));
    return c.json({ id: paper.id, results: results.map((p, i) => ({ ...p, score: hits[i]!.score })) });
  });

  api.get('/papers/:id{.+}', async (c) => {
    const paper = await paperOr404(c.req.param('id'));
    const [[facts], trend, signals] = await Promise.all([factsOf(store, [paper]), deps.search.trending.explain(paper.id), store.signalsFor(paper.id)]);
    return c.json({ ...paperJson(paper, facts!), submittedOnDailyAt: hfTime(paperDay(paper)), signals, trending: trend ? trendingJson(trend) : null });
  });

  // Hugging Face lists the models, datasets and Spaces citing a paper; Paperboy knows none
  // of those, but does know the paper's code repositories.
  api.get('/arxiv/:id{.+}/repos', async (c) => {
    const paper = await paperOr404(c.req.param('id'));
    const links = (await store.linksOf([paper.id])).get(paper.id);
    return c.json({ models: [], datasets: [], spaces: [], githubRepos: (links?.repos ?? []).map((repo) => ({ repo, url: githubUrl(repo) })) });
  });

  api.get('/v1/search', async (c) => {
    const q = queryOf(c, v1SearchQuery);
    const empty = !q.q.trim();
    const opts = { limit: q.limit, page: q.p, mode: q.mode };
    const result = empty
      ? { total: 0, totalIsExact: true, page: q.p, limit: q.limit, mode: 'lexical' as SearchMode, notes: ['Type a query: words, "a phrase", author:name, cat:cs.LG or an arXiv id.'], hits: [] }
      : await search(engine, q.q, opts);
    const results = await withFacts(result.hits.map((h) => h.paper));
    const links = paginate(c, result.page, result.page * result.limit < result.total);
    return c.json({
      query: q.q, mode: result.mode, total: result.total, totalIsExact: result.totalIsExact, page: result.page, limit: result.limit,
      notes: result.notes, links,
      results: results.map((p, i) => ({ ...p, score: result.hits[i]!.score, snippet: plain(result.hits[i]!.snippet) })),
    });
  });
}
