// The JSON API under /api: daily papers, papers (list, search, by id, similar) and its
// OpenAPI description. Read-only, so any site may call it from a browser (CORS for
// GET/HEAD only); every refusal is `{error: {code, message, parameter?}}`.

import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { isPaperboyError } from '../../errors.js';
import type { AppDeps } from '../app.js';
import { errorHttp } from '../middleware/respond.js';
import { registerDailyPapers } from './daily-papers.js';
import { openApiDocument } from './openapi.js';
import { registerPapers } from './papers.js';
import { registerCitationApi } from './citations.js';

export function apiRoutes(deps: AppDeps): Hono {
  const api = new Hono();
  api.use('*', cors({
    origin: '*',
    allowMethods: ['GET', 'HEAD', 'OPTIONS'],
    // Scripts in other origins need these to page through results.
    exposeHeaders: ['Link', 'X-Total-Count'],
    maxAge: 86_400,
  }));
  registerDailyPapers(api, deps);
  registerCitationApi(api, deps);
  registerPapers(api, deps);
  api.get('/openapi.json', (c) => c.json(openApiDocument));

  // Known refusals get their code and the parameter at fault; anything else is a bug,
  // left to the application's handler to log and answer with a plain 500.
  api.onError((err, c) => {
    if (!isPaperboyError(err)) throw err;
    const parameter = typeof err.details?.parameter === 'string' ? err.details.parameter : undefined;
    const { status, headers, message } = errorHttp(err);
    return c.json({ error: { code: err.code, message, ...(parameter ? { parameter } : {}) } }, status, headers);
  });
  return api;
}
