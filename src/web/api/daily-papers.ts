// GET /api/daily_papers: the papers of a day, ISO week or month, shaped like Hugging
// Face's daily papers (a bare array, so loops over the response keep working), ranked by
// trending score (each entry says why) or newest first; the total and the neighbouring
// pages travel in headers.

import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { addDays, utcDay } from '../../days.js';
import { papersInWindow, pickWindow, windowParams } from './date-window.js';
import { pageParam, paginate, queryOf, wholeNumber } from './params.js';
import { dailyPaperJson, engagementOf, trendingJson } from './shapes.js';

export const dailyPapersQuery = z.object({
  ...windowParams,
  sort: z.enum(['trending', 'publishedAt'], { error: 'sort must be trending or publishedAt.' }).optional().default('trending'),
  limit: wholeNumber('limit', 1, 100, 50),
  p: pageParam,
}).superRefine((v, ctx) => {
  const given = (['date', 'week', 'month'] as const).filter((k) => v[k] !== undefined);
  if (given.length > 1) ctx.addIssue({ code: 'custom', path: [given[1]!], message: `Give only one of date, week or month (got ${given.join(' and ')}).` });
});

export function registerDailyPapers(api: Hono, deps: AppDeps): void {
  const { store, search: engine } = deps;
  api.get('/daily_papers', async (c) => {
    const q = queryOf(c, dailyPapersQuery);
    const window = pickWindow(q);
    if (q.sort === 'trending') {
      // Without a window: every paper dated up to today.
      const range = window ? { from: window.since, to: addDays(window.before, -1) } : { from: '1000-01-01', to: utcDay(new Date()) };
      const ranked = await deps.search.trending.rank({ ...range, limit: q.limit, offset: (q.p - 1) * q.limit });
      const papers = new Map((await store.getPapers(ranked.entries.map((e) => e.paperId))).map((p) => [p.id, p]));
      const entries = ranked.entries.filter((e) => papers.has(e.paperId));
      const counts = await engagementOf(store, entries.map((e) => papers.get(e.paperId)!));
      paginate(c, q.p, q.p * q.limit < ranked.total);
      c.header('X-Total-Count', String(ranked.total));
      return c.json(entries.map((e, i) => ({ ...dailyPaperJson(papers.get(e.paperId)!, counts[i]!), trending: trendingJson(e) })));
    }
    const result = await papersInWindow(engine, window, { limit: q.limit, page: q.p });
    const papers = result.hits.map((h) => h.paper);
    const counts = await engagementOf(store, papers);
    paginate(c, q.p, q.p * q.limit < result.total);
    c.header('X-Total-Count', String(result.total));
    return c.json(papers.map((p, i) => dailyPaperJson(p, counts[i]!)));
  });
}
