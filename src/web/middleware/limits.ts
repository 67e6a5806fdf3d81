// Request size limits, checked before any route reads the request: a path + query longer
// than maxUrlBytes gets 414, a body larger than maxBodyBytes gets 413 (from its
// Content-Length when declared, else while it streams in). Node itself answers 431 to
// request heads over 16 kB, so the URL limit sits below that and gets a clear message.

import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { refuse } from './respond.js';

export function urlLimit(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    const url = c.req.url;
    const pathStart = url.indexOf('/', url.indexOf('//') + 2);
    if (url.length - pathStart > maxBytes) {
      return refuse(c, 414, 'too_large', `The address is longer than ${maxBytes.toLocaleString('en-US')} characters; shorten the query.`);
    }
    await next();
  };
}

/** `larger`: paths that take bigger bodies (a library file to import), with their own limit. */
export function requestBodyLimit(maxBytes: number, larger: Record<string, number> = {}): MiddlewareHandler {
  const limiter = (max: number) => bodyLimit({
    maxSize: max,
    onError: (c) => refuse(c, 413, 'too_large', `The request body is larger than ${Math.floor(max / 1024)} kB.`),
  });
  const limit = limiter(maxBytes);
  const exceptions = new Map(Object.entries(larger).map(([path, max]) => [path, limiter(max)]));
  // GET and HEAD carry no body; asking would make the Node adapter build a full Request.
  return (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : (exceptions.get(c.req.path) ?? limit)(c, next));
}
