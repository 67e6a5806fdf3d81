// Server-rendered pages: newest papers, search results and a page per paper.

import { Hono } from 'hono';
import { parseArxivId } from '../../papers/arxiv-id.js';
import { search } from '../../search/search.js';
import type { AppDeps } from '../app.js';
import { errorPage, paperListPage, paperPage, searchPage } from './views.js';

const PAGE_SIZE = 25;

export function pageRoutes({ store, search: engine }: AppDeps): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const page = pageNumber(c.req.query('p'));
    const papers = await store.listPapers({ limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE });
    return c.html(paperListPage({ papers: papers.slice(0, PAGE_SIZE), page, hasNext: papers.length > PAGE_SIZE }));
  });

  app.get('/papers', async (c) => {
    const q = (c.req.query('q') ?? '').slice(0, 2000);
    if (!q.trim()) return c.redirect('/');
    const result = await search(engine, q, { page: pageNumber(c.req.query('p')), limit: PAGE_SIZE });
    if (result.exactId && result.hits[0]) return c.redirect(`/papers/${result.hits[0].paper.id}`);
    return c.html(searchPage(result));
  });

  app.get('/papers/:id{.+}', async (c) => {
    const parsed = parseArxivId(c.req.param('id'));
    const paper = parsed && (await store.getPaper(parsed.id));
    if (!paper) return c.html(errorPage(404, 'No such paper here', 'Paperboy has not ingested a paper with that id.'), 404);
    return c.html(paperPage({ paper, signals: await store.signalsFor(paper.id) }));
  });
  return app;
}

export function pageNumber(p: string | undefined): number {
  const n = Number.parseInt(p ?? '1', 10);
  return Number.isFinite(n) && n >= 1 && n <= 10_000 ? n : 1;
}
