// Rendered answers shared between visitors. A page that holds nothing personal (the
// route says so with `sharePage`) is kept, compressed as the client asked, for a few
// seconds: the home page is the same bytes for everyone who has not voted, and
// re-rendering and re-compressing it for each of them would cost ~3 ms a request, the
// whole budget of a single-threaded server many times over. Entries expire after
// `ttlMs`, and are dropped at once when something the pages show changes here (a vote),
// or, within `changes.checkEveryMs`, in another process on the same database (its
// votes); papers harvested in the background show up within `ttlMs`.

import type { Context, MiddlewareHandler } from 'hono';
import { LRUCache } from 'lru-cache';
import { chooseEncoding } from './compress.js';

export interface PageCacheOptions {
  ttlMs: number;
  /** Bound on the bytes held (bodies as sent, so mostly compressed). */
  maxBytes: number;
  /** What other processes change that the pages show: a mark read at most every `checkEveryMs` (when pages are asked for); a new mark drops every page. */
  changes?: { mark: () => Promise<number>; checkEveryMs: number };
}

export interface PageCache {
  /** Sits just outside etag() and compress(), so it keeps their final bytes. */
  middleware: MiddlewareHandler;
  /** Forgets every page, e.g. after a vote changed a count they show. */
  clear(): void;
  /** Whether this request would be answered from the cache (so needs no rendering turn). */
  has(c: Context): boolean;
}

interface Entry { body: Uint8Array<ArrayBuffer>; headers: [string, string][]; etag: string | null }

const shared = new WeakSet<Request>();

/** Marks this GET's answer as the same for every visitor who sends no cookie. */
export function sharePage(c: Context): void {
  shared.add(c.req.raw);
}

export function createPageCache(opts: PageCacheOptions): PageCache {
  const cache = new LRUCache<string, Entry>({
    ttl: opts.ttlMs, maxSize: opts.maxBytes, sizeCalculation: (e) => e.body.byteLength + 512,
  });
  // Dropping pages starts a new generation: a page rendered from what was read before is not kept.
  let generation = 0;
  const clear = () => {
    generation++;
    cache.clear();
  };
  let mark: number | null = null;
  let checkedAt = -Infinity;
  let checking: Promise<void> | null = null;
  /** Drops every page if the mark moved since the last look (looks at most every checkEveryMs; concurrent requests share one look). */
  const checkChanges = async () => {
    const changes = opts.changes;
    if (!changes || performance.now() - checkedAt < changes.checkEveryMs) return;
    checking ??= Promise.resolve().then(changes.mark).then((m) => {
      if (mark !== null && m !== mark) clear();
      mark = m;
    }, () => { /* the database is unreachable: pages are served until their ttl */ }).finally(() => {
      checkedAt = performance.now();
      checking = null;
    });
    await checking;
  };
  // A visitor with a cookie may see personal things (their votes): never from here.
  const keyOf = (c: Context) => (c.req.method !== 'GET' || c.req.header('cookie') !== undefined ? null
    : `${chooseEncoding(c.req.header('accept-encoding')) ?? 'identity'} ${c.req.url}`);
  const middleware: MiddlewareHandler = async (c, next) => {
    const key = keyOf(c);
    if (key === null) return next();
    await checkChanges();
    const hit = cache.get(key);
    if (hit) {
      const unchanged = hit.etag !== null && (c.req.header('if-none-match') ?? '').includes(hit.etag.replace(/^W\//, ''));
      const headers = new Headers(hit.headers);
      if (unchanged) {
        headers.delete('content-length');
        headers.delete('content-encoding');
        return new Response(null, { status: 304, headers });
      }
      return new Response(hit.body, { status: 200, headers });
    }
    const rendering = generation;
    await next();
    if (!shared.has(c.req.raw) || c.res.status !== 200 || c.res.headers.has('set-cookie') || generation !== rendering) return;
    const body = new Uint8Array(await c.res.arrayBuffer());
    const headers = [...c.res.headers.entries()];
    cache.set(key, { body, headers, etag: c.res.headers.get('etag') });
    const res = new Response(body, { status: 200, headers });
    c.res = undefined;
    c.res = res;
  };
  return {
    middleware,
    clear,
    has: (c) => {
      const key = keyOf(c);
      return key !== null && cache.has(key);
    },
  };
}
