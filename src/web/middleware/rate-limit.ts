// Per-client rate limits as token buckets: every request takes a token from a bucket of
// `perMinute` tokens refilled evenly over a minute (so bursts up to that size pass), and
// POSTs also take one from a smaller bucket. An empty bucket answers 429 with Retry-After,
// the seconds until a token is back. A bucket that has refilled completely says nothing a
// new one would not, so it is swept: memory follows the clients of the last minute.
// One-click unsubscribes (RFC 8058) are not limited: mail providers send them from a few
// shared addresses on behalf of many people, each carries a signed token that is cheap to
// check, and a refused one would leave somebody subscribed against their will.

import type { Context, MiddlewareHandler } from 'hono';
import { refuse } from './respond.js';

export interface RateLimitOptions {
  /** Requests per minute per client; 0 turns the limit off. */
  perMinute: number;
  postsPerMinute: number;
  /** Take the client address from the last X-Forwarded-For entry (the one our proxy added). */
  trustProxy?: boolean;
  now?: () => number;
  /** Above this many tracked clients the buckets are dropped rather than memory grown. */
  maxClients?: number;
}

interface Bucket { tokens: number; at: number }

const UNSUBSCRIBE_PATH = '/unsubscribe';

/** A set of buckets; `take` returns 0 when a token was spent, else the ms until one is back. */
export function tokenBuckets(perMinute: number, now: () => number, maxClients: number) {
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  let sweptAt = now();
  const level = (b: Bucket, t: number) => Math.min(perMinute, b.tokens + (t - b.at) * perMs);
  const sweep = (t: number) => {
    for (const [key, b] of buckets) if (level(b, t) >= perMinute) buckets.delete(key);
    sweptAt = t;
    // Only a flood of distinct addresses gets here; forgetting them fails open, not out of memory.
    if (buckets.size >= maxClients) buckets.clear();
  };
  return {
    size: () => buckets.size,
    take(key: string): number {
      const t = now();
      if (t - sweptAt >= 60_000 || buckets.size >= maxClients) sweep(t);
      const b = buckets.get(key);
      const tokens = b ? level(b, t) : perMinute;
      if (tokens < 1) return Math.ceil((1 - tokens) / perMs);
      if (b) { b.tokens = tokens - 1; b.at = t; } else buckets.set(key, { tokens: tokens - 1, at: t });
      return 0;
    },
  };
}

export function rateLimit(opts: RateLimitOptions): MiddlewareHandler {
  const now = opts.now ?? Date.now;
  const max = opts.maxClients ?? 100_000;
  const all = opts.perMinute > 0 ? tokenBuckets(opts.perMinute, now, max) : undefined;
  const posts = opts.postsPerMinute > 0 ? tokenBuckets(opts.postsPerMinute, now, max) : undefined;
  return async (c, next) => {
    if (c.req.method === 'POST' && c.req.path === UNSUBSCRIBE_PATH) return next();
    const client = clientAddress(c, opts.trustProxy ?? false);
    // Without a peer address (in-process requests) there is nobody to limit.
    if (client !== undefined) {
      let waitMs = all?.take(client) ?? 0;
      if (!waitMs && c.req.method === 'POST') waitMs = posts?.take(client) ?? 0;
      if (waitMs) {
        const seconds = Math.max(1, Math.ceil(waitMs / 1000));
        return refuse(c, 429, 'rate_limited', `Too many requests; try again in ${seconds} s.`, { 'Retry-After': String(seconds) });
      }
    }
    await next();
  };
}

function clientAddress(c: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const last = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}
