// GET /api/daily_papers: the papers of a day, ISO week or month, shaped like Hugging
// Face's daily papers (a bare array, so loops over the response keep working); the
// total and the neighbouring pages travel in headers.

import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { papersInWindow, pickWindow, windowParams } from './date-window.js';
import { pageParam, paginate, queryOf, wholeNumber } from './params.js';
import { dailyPaperJson, engagementOf } from './shapes.js';

export const dailyPapersQuery = z.object({
  ...windowParams,
  // Both orders are newest first until trending scores exist; the parameter is accepted
  // now so that clients written against Hugging Face's API need no change later.
  sort: z.enum(['trending', 'publishedAt'], { error: 'sort must be trending or publishedAt.' }).optional().default('trending'),
  limit: wholeNumber('limit', 1, 100, 50),
  p: pageParam,
}).superRefine((v, ctx) => {
  const given = (['date', 'week', 'month'] as const).filter((k) => v[k] !== undefined);
  if (given.length > 1) ctx.addIssue({ code: 'custom', path: [given[1]!], message: `Give only one of date, week or month (got ${given.join(' and ')}).` });
});

export function registerDailyPapers(api: Hono, { store, search: engine }: AppDeps): void {
  api.get('/daily_papers', async (c) => {
    const q = queryOf(c, dailyPapersQuery);
    const result = await papersInWindow(engine, pickWindow(q), { limit: q.limit, page: q.p });
    const papers = result.hits.map((h) => h.paper);
    const counts = await engagementOf(store, papers);
    paginate(c, q.p, q.p * q.limit < result.total);
    c.header('X-Total-Count', String(result.total));
    return c.json(papers.map((p, i) => dailyPaperJson(p, counts[i]!)));
  });
}
