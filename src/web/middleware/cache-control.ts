// Cache-Control for every response a route left without one: pages and API GETs may be
// reused for a minute (their ETags make revalidation afterwards cheap), /static/* files
// for a year, and answers to POSTs, errors, refusals and live operational endpoints are
// never stored. An answer that sets a cookie, or to a request that sent one, may be
// personal (pages carry a per-visitor CSRF token), so only the browser may keep it: a
// shared cache handing one visitor's token to others would undo the CSRF protection.

import type { MiddlewareHandler } from 'hono';

export interface CacheControlOptions {
  /** Paths whose answers change from second to second. */
  noStore?: string[];
}

export function cacheControl(opts: CacheControlOptions = {}): MiddlewareHandler {
  const noStore = new Set(opts.noStore ?? ['/healthz', '/metrics']);
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    if (headers.has('cache-control')) return;
    const read = c.req.method === 'GET' || c.req.method === 'HEAD';
    let policy: string;
    if (!read || c.res.status >= 400 || noStore.has(c.req.path)) policy = 'no-store';
    else if (c.req.path.startsWith('/static/')) policy = 'public, max-age=31536000, immutable';
    else if (headers.has('set-cookie') || c.req.header('cookie') !== undefined) policy = 'private, max-age=60';
    else policy = 'public, max-age=60';
    headers.set('Cache-Control', policy);
  };
}
