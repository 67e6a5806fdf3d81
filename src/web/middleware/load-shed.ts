// Load shedding: under overload, answer some requests at once with 503 and Retry-After
// rather than let every request wait its turn behind all the others.
//
// Why it is needed: Node reads every socket that is ready in one pass of its event loop
// (the poll phase) and runs each request's handler to its end before the next, because
// rendering a page is synchronous work (SQLite, the search index, HTML). With 200 clients
// each waiting for an answer, one pass renders ~200 pages; a request that arrives during
// a pass waits for that pass and then for its place in the next, so at 60 pages a second
// a request waits seconds, and the unlucky ones wait out the client's timeout.
//
// What it does: a pass may spend `budgetMs` of work on requests that need rendering;
// requests read after that in the same pass get a 503 that costs microseconds, and their
// clients ask again after Retry-After. The first request of every pass is always served,
// so the server always makes progress, and a pass lasts about `budgetMs` plus the cheap
// refusals: every answer, rendered or refused, comes within a bounded wait. Pages served
// from the shared-page cache sit before this middleware and are never refused, nor are
// form posts (votes, subscribing: rare, and a person is waiting on each), health checks,
// metrics and static files.

import type { Context, MiddlewareHandler } from 'hono';
import type { ErrorCode } from '../../errors.js';

export interface LoadShedOptions {
  /** Milliseconds of work a pass of the event loop may spend before refusing; 0 turns shedding off. */
  budgetMs: number;
  /** Seconds a refused client is asked to wait. */
  retryAfterSeconds?: number;
  now?: () => number;
  /** Called for every refusal (metrics). */
  onShed?: () => void;
}

const EXEMPT = /^\/(healthz|metrics|static\/)/;

/** In-process requests (`app.request()`, tests) queue behind nobody: only network clients are shed. */
const fromSocket = (c: Context) => (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;

export function loadShed(o: LoadShedOptions): MiddlewareHandler {
  const now = o.now ?? (() => performance.now());
  const retry = String(o.retryAfterSeconds ?? 1);
  let passStart = -1;
  // setImmediate callbacks run right after the poll phase: the end of the pass.
  const endPass = () => {
    passStart = -1;
  };
  return async (c, next) => {
    if (!(o.budgetMs > 0) || (c.req.method !== 'GET' && c.req.method !== 'HEAD') || EXEMPT.test(c.req.path) || !fromSocket(c)) return next();
    const t = now();
    if (passStart < 0) {
      passStart = t;
      setImmediate(endPass);
    } else if (t - passStart > o.budgetMs) {
      o.onShed?.();
      c.header('Retry-After', retry);
      c.header('Cache-Control', 'no-store');
      const message = `The server is busy; try again in ${retry} s.`;
      const code: ErrorCode = 'overloaded';
      return c.req.path.startsWith('/api/') ? c.json({ error: { code, message } }, 503) : c.text(`${message}\n`, 503);
    }
    await next();
  };
}
