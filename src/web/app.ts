// The HTTP application: operational middleware (metrics, access logs, caching, limits,
// security headers) and error handling around the pages, the JSON API under /api and feeds.

import { Hono } from 'hono';
import { describeError, ERROR_CODES, isPaperboyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { SearchEngine } from '../search/search.js';
import type { Store } from '../store/store.js';
import type { Subscriptions } from '../subscriptions/service.js';
import { apiRoutes } from './api/routes.js';
import { feedRoutes } from './feeds/routes.js';
import { pageRoutes } from './pages/routes.js';
import { errorPage } from './pages/layout.js';
import { operations, type HttpOptions } from './middleware/operations.js';

export interface AppDeps {
  store: Store;
  search: SearchEngine;
  logger: Logger;
  /** Rate and size limits; the configuration's defaults when absent. */
  http?: Partial<HttpOptions>;
  /** The digest's subscriptions; without them the subscribe box says they are not enabled. */
  subscriptions?: Subscriptions;
}

export function createApp(deps: AppDeps): Hono {
  const { store, logger } = deps;
  const app = new Hono();
  const ops = operations(logger, deps.http);
  app.use(...ops.middleware);
  app.get('/metrics', ops.metrics.handler(store));

  app.get('/healthz', async (c) => {
    const stats = await store.stats();
    return c.json({ status: 'ok', papers: stats.papers, harvests: stats.harvests.map((h) => ({ name: h.name, lastSuccessAt: h.lastSuccessAt, lastError: h.lastError })) });
  });
  app.route('/api', apiRoutes(deps));
  app.route('/', feedRoutes(deps));
  app.route('/', pageRoutes(deps, ops.pages));

  app.notFound((c) => (c.req.path.startsWith('/api/')
    ? c.json({ error: { code: 'not_found', message: 'No such API endpoint.' } }, 404)
    : c.html(errorPage(404, 'Page not found', 'There is nothing at this address.'), 404)));
  app.onError((err, c) => {
    const status = isPaperboyError(err) ? (ERROR_CODES[err.code].http as 400) : 500;
    if (status === 500) logger.error('request failed', { path: c.req.path, error: describeError(err) });
    const message = status === 500 ? 'Something went wrong; the error was logged.' : err.message;
    if (c.req.path.startsWith('/api/')) return c.json({ error: { code: isPaperboyError(err) ? err.code : 'internal', message } }, status);
    return c.html(errorPage(status, status === 500 ? 'Something went wrong' : 'Something is wrong with that request', message), status);
  });
  return app;
}
