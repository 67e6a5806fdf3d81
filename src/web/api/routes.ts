// The JSON API: papers by id, newest papers, search.

import { Hono } from 'hono';
import { parseArxivId } from '../../papers/arxiv-id.js';
import { search } from '../../search/search.js';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../store/store.js';
import type { AppDeps } from '../app.js';
import { pageNumber } from '../pages/routes.js';

const PAGE_SIZE = 25;

export function apiRoutes({ store, search: engine }: AppDeps): Hono {
  const app = new Hono();

  app.get('/papers', async (c) => {
    const page = pageNumber(c.req.query('p'));
    return c.json(await store.listPapers({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, category: c.req.query('cat') || undefined }));
  });

  app.get('/papers/search', async (c) => {
    const q = c.req.query('q') ?? '';
    if (q.length > 2000) return c.json({ error: { code: 'too_large', message: 'The query is longer than 2,000 characters.' } }, 413);
    const limit = Number(c.req.query('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return c.json({ error: { code: 'bad_input', message: 'limit must be a whole number from 1 to 100.' } }, 400);
    const result = await search(engine, q, { limit, page: pageNumber(c.req.query('p')) });
    const plain = (s: string | null) => s && s.replaceAll(HIGHLIGHT_START, '').replaceAll(HIGHLIGHT_END, '');
    return c.json({
      query: q, total: result.total, totalIsExact: result.totalIsExact, page: result.page, limit: result.limit, notes: result.notes,
      results: result.hits.map((h) => ({ ...h.paper, score: h.score, snippet: plain(h.snippet) })),
    });
  });

  app.get('/papers/:id{.+}', async (c) => {
    const parsed = parseArxivId(c.req.param('id'));
    if (!parsed) return c.json({ error: { code: 'bad_input', message: 'That is not an arXiv id (e.g. 2503.11731).' } }, 400);
    const paper = await store.getPaper(parsed.id);
    if (!paper) return c.json({ error: { code: 'not_found', message: `No paper ${parsed.id} in this store.` } }, 404);
    return c.json({ ...paper, signals: await store.signalsFor(paper.id) });
  });
  return app;
}
