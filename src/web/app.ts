// The HTTP application: a newest-papers page, a page per paper, a small JSON API and a
// health check, over whatever the store holds. Every paper field goes through hono's
// html`` template, which escapes it.

import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { describeError, ERROR_CODES, isPaperboyError } from '../errors.js';
import type { Logger } from '../logger.js';
import { parseArxivId } from '../papers/arxiv-id.js';
import type { Store } from '../store/store.js';
import { errorPage, paperListPage, paperPage } from './views.js';

export interface AppDeps {
  store: Store;
  logger: Logger;
}

const PAGE_SIZE = 25;

export function createApp({ store, logger }: AppDeps): Hono {
  const app = new Hono();
  app.use(secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], frameAncestors: ["'none'"] },
    referrerPolicy: 'strict-origin-when-cross-origin',
  }));

  app.get('/healthz', async (c) => {
    const stats = await store.stats();
    return c.json({ status: 'ok', papers: stats.papers, harvests: stats.harvests.map((h) => ({ name: h.name, lastSuccessAt: h.lastSuccessAt, lastError: h.lastError })) });
  });

  app.get('/', async (c) => {
    const page = pageNumber(c.req.query('p'));
    const papers = await store.listPapers({ limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE });
    return c.html(paperListPage({ papers: papers.slice(0, PAGE_SIZE), page, hasNext: papers.length > PAGE_SIZE }));
  });

  app.get('/papers/:id{.+}', async (c) => {
    const parsed = parseArxivId(c.req.param('id'));
    const paper = parsed && (await store.getPaper(parsed.id));
    if (!paper) return c.html(errorPage(404, 'No such paper here', 'Paperboy has not ingested a paper with that id.'), 404);
    return c.html(paperPage({ paper, signals: await store.signalsFor(paper.id) }));
  });

  app.get('/api/papers', async (c) => {
    const page = pageNumber(c.req.query('p'));
    const papers = await store.listPapers({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, category: c.req.query('cat') || undefined });
    return c.json(papers);
  });

  app.get('/api/papers/:id{.+}', async (c) => {
    const parsed = parseArxivId(c.req.param('id'));
    if (!parsed) return c.json({ error: { code: 'bad_input', message: 'That is not an arXiv id (e.g. 2503.11731).' } }, 400);
    const paper = await store.getPaper(parsed.id);
    if (!paper) return c.json({ error: { code: 'not_found', message: `No paper ${parsed.id} in this store.` } }, 404);
    return c.json({ ...paper, signals: await store.signalsFor(paper.id) });
  });

  app.notFound((c) => c.html(errorPage(404, 'Page not found', 'There is nothing at this address.'), 404));
  app.onError((err, c) => {
    if (isPaperboyError(err)) {
      const status = ERROR_CODES[err.code].http as 400;
      return c.html(errorPage(status, 'Something is wrong with that request', err.message), status);
    }
    logger.error('request failed', { path: c.req.path, error: describeError(err) });
    return c.html(errorPage(500, 'Something went wrong', 'The error was logged.'), 500);
  });
  return app;
}

function pageNumber(p: string | undefined): number {
  const n = Number.parseInt(p ?? '1', 10);
  return Number.isFinite(n) && n >= 1 && n <= 10_000 ? n : 1;
}
