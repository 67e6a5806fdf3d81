// The route pattern a request matched (e.g. `/papers/:id{.+}`), for metrics and logs:
// patterns, unlike raw paths, are a small fixed set, so label cardinality stays bounded.

import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

/** The last matched handler that is a route (middleware is registered for ALL methods). */
export function routeOf(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const r = routes[i]!;
    if (r.method !== 'ALL') return r.path;
  }
  return 'unmatched';
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The request method, or OTHER: clients choose methods, so they are bounded here too. */
export function methodOf(c: Context): string {
  return METHODS.has(c.req.method) ? c.req.method : 'OTHER';
}
