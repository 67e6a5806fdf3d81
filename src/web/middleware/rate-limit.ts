// Per-client rate limits as token buckets (src/rate-limit.ts): every request takes a token
// from a bucket of `perMinute` tokens refilled evenly over a minute (so bursts up to that
// size pass), and POSTs also take one from a smaller bucket. An empty bucket answers 429
// with Retry-After, the seconds until a token is back.
// One-click unsubscribes (RFC 8058) are not limited: mail providers send them from a few
// shared addresses on behalf of many people, each carries a signed token that is cheap to
// check, and a refused one would leave somebody subscribed against their will.

import type { MiddlewareHandler } from 'hono';
import { keyedBuckets } from '../../rate-limit.js';
import { clientAddress } from './client-address.js';
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

const UNSUBSCRIBE_PATH = '/unsubscribe';
const ALERTS_OFF_PATH = '/unsubscribe/alerts';

export function rateLimit(opts: RateLimitOptions): MiddlewareHandler {
  const now = opts.now ?? Date.now;
  const max = opts.maxClients ?? 100_000;
  const perMinute = (capacity: number) => (capacity > 0 ? keyedBuckets({ capacity, periodMs: 60_000, now, maxKeys: max }) : undefined);
  const all = perMinute(opts.perMinute);
  const posts = perMinute(opts.postsPerMinute);
  return async (c, next) => {
    if (c.req.method === 'POST' && (c.req.path === UNSUBSCRIBE_PATH || c.req.path === ALERTS_OFF_PATH)) return next();
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
