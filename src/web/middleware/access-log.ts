// One structured line per request: method, route pattern, path, status, duration and
// bytes. The path only, never the query string: searches, emails and tokens travel there.

import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../logger.js';
import { routeOf } from './route.js';

export function accessLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      const length = c.res.headers.get('content-length');
      logger.info('request', {
        method: c.req.method,
        route: routeOf(c),
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - start) * 100) / 100,
        bytes: length === null ? undefined : Number(length),
      });
    }
  };
}
