// GET /api/daily_papers as Hugging Face answers it: a bare array of entries for one day
// (the latest day with papers when none is named), ISO week or month, newest first by
// default or by trending score (each entry then says why), paged by a 0-based `p`. The
// total and the neighbouring pages travel in headers.

import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { addDays, utcDay } from '../../days.js';
import { dayWindow, papersInWindow, pickWindow, windowParams, type DateWindow } from './date-window.js';
import { MAX_PAGE, paginate, queryOf, wholeNumber } from './params.js';
import { dailyPaperJson, factsOf, paperDay, trendingJson } from './shapes.js';

export const dailyPapersQuery = z.object({
  ...windowParams,
  sort: z.enum(['trending', 'publishedAt'], { error: 'sort must be trending or publishedAt.' }).optional().default('publishedAt'),
  // Hugging Face's users; Paperboy records no submitters, so naming one lists nothing.
  submitter: z.string().max(100, 'submitter is longer than 100 characters.').optional(),
  limit: wholeNumber('limit', 1, 100, 50),
  // 0-based, as on Hugging Face.
  p: wholeNumber('p', 0, MAX_PAGE, 0),
}).superRefine((v, ctx) => {
  const given = (['date', 'week', 'month'] as const).filter((k) => v[k] !== undefined);
  if (given.length > 1) ctx.addIssue({ code: 'custom', path: [given[1]!], message: `Give only one of date, week or month (got ${given.join(' and ')}).` });
});

export function registerDailyPapers(api: Hono, deps: AppDeps): void {
  const { store, search: engine } = deps;

  /** The newest day holding papers, up to today (Hugging Face's default listing). */
  const latestDay = async (): Promise<DateWindow | null> => {
    const [newest] = await store.listPapers({ limit: 1 });
    const day = newest && paperDay(newest);
    return day ? dayWindow(day > utcDay(new Date()) ? utcDay(new Date()) : day) : null;
  };

  api.get('/daily_papers', async (c) => {
    const q = queryOf(c, dailyPapersQuery);
    const window = pickWindow(q) ?? (await latestDay());
    const page = (total: number, shown: number) => {
      paginate(c, q.p + 1, q.p * q.limit + shown < total, { zeroBased: true });
      c.header('X-Total-Count', String(total));
    };
    if (q.submitter !== undefined || !window) {
      page(0, 0);
      return c.json([]);
    }
    if (q.sort === 'trending') {
      const ranked = await deps.search.trending.rank({ from: window.since, to: addDays(window.before, -1), limit: q.limit, offset: q.p * q.limit });
      const papers = new Map((await store.getPapers(ranked.entries.map((e) => e.paperId))).map((p) => [p.id, p]));
      const entries = ranked.entries.filter((e) => papers.has(e.paperId));
      const facts = await factsOf(store, entries.map((e) => papers.get(e.paperId)!));
      page(ranked.total, entries.length);
      return c.json(entries.map((e, i) => ({ ...dailyPaperJson(papers.get(e.paperId)!, facts[i]!), trending: trendingJson(e) })));
    }
    const result = await papersInWindow(engine, window, { limit: q.limit, page: q.p + 1 });
    const papers = result.hits.map((h) => h.paper);
    const facts = await factsOf(store, papers);
    page(result.total, papers.length);
    return c.json(papers.map((p, i) => dailyPaperJson(p, facts[i]!)));
  });
}
