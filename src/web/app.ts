// The HTTP application: operational middleware (metrics, access logs, caching, limits,
// security headers) and error handling around the pages, the JSON API under /api and feeds.

import { Hono } from 'hono';
import { describeError } from '../errors.js';
import type { FetchPaper } from '../ingest/fetch-paper.js';
import type { Logger } from '../logger.js';
import type { SearchEngine } from '../search/search.js';
import type { Store } from '../store/store.js';
import type { Subscriptions } from '../subscriptions/service.js';
import { apiRoutes } from './api/routes.js';
import { feedRoutes } from './feeds/routes.js';
import { pageRoutes } from './pages/routes.js';
import { errorPage } from './pages/layout.js';
import { operations, type HttpOptions } from './middleware/operations.js';
import { errorHttp } from './middleware/respond.js';

export interface AppDeps {
  store: Store;
  search: SearchEngine;
  logger: Logger;
  /** Rate and size limits; the configuration's defaults when absent. */
  http?: Partial<HttpOptions>;
  /** The digest's subscriptions; without them the subscribe box says they are not enabled. */
  subscriptions?: Subscriptions;
  /** Fetches a paper from arXiv on a reader's request; without it pages only link to arXiv (arxivApi.fetchOnRequest). */
  fetchPaper?: FetchPaper;
}

export function createApp(deps: AppDeps): Hono {
  const { store, logger } = deps;
  const app = new Hono();
  const ops = operations(logger, deps.http, () => store.voteChanges());
  app.use(...ops.middleware);
  app.get('/metrics', ops.metrics.handler(store));

  app.get('/healthz', async (c) => {
    const stats = await store.stats();
    const vectors = deps.search.semantic ? (deps.search.semantic.isReady() ? 'ready' : 'building') : 'off';
    const search = { words: deps.search.lexical.isReady() ? 'ready' : 'building', vectors };
    return c.json({ status: 'ok', papers: stats.papers, search, harvests: stats.harvests.map((h) => ({ name: h.name, lastSuccessAt: h.lastSuccessAt, lastError: h.lastError })) });
  });
  app.route('/api', apiRoutes(deps));
  app.route('/', feedRoutes(deps));
  app.route('/', pageRoutes(deps, ops.pages));

  app.notFound((c) => (c.req.path.startsWith('/api/')
    ? c.json({ error: { code: 'not_found', message: 'No such API endpoint.' } }, 404)
    : c.html(errorPage(404, 'Page not found', 'There is nothing at this address.'), 404)));
  app.onError((err, c) => {
    const { code, status, headers, message } = errorHttp(err);
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    if (status === 500) logger.error('request failed', { path: c.req.path, error: describeError(err) });
    else if (code === 'store_failure') logger.warn('request refused: the database is unavailable', { path: c.req.path, error: describeError(err) });
    if (c.req.path.startsWith('/api/')) return c.json({ error: { code, message } }, status);
    const title = status === 500 ? 'Something went wrong' : status === 503 ? 'Busy for a moment' : 'Something is wrong with that request';
    return c.html(errorPage(status, title, message), status);
  });
  return app;
}
