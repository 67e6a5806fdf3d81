// Every rate limit in Paperboy is a token bucket: `capacity` tokens, refilled evenly over
// `periodMs`, so bursts up to the capacity pass and the long-run rate is capacity per
// period. Two ways to use one:
// - `keyedBuckets` refuses: one bucket per client address (requests, votes, subscribe
//   requests); `take` says how long until a token is back, and the caller answers 429.
// - `pacer` waits: one bucket of one token (outgoing mail); each caller reserves the next
//   free moment and sleeps until it, so sends are spread evenly however many run at once.

export interface BucketOptions {
  capacity: number;
  periodMs: number;
  now?: () => number;
  /** Above this many tracked keys the buckets are dropped rather than memory grown. */
  maxKeys?: number;
}

export interface KeyedBuckets {
  /** 0 when a token was spent, else the ms until one is back (nothing is spent). */
  take(key: string): number;
  size(): number;
}

interface Bucket { tokens: number; at: number }

export function keyedBuckets(o: BucketOptions): KeyedBuckets {
  const now = o.now ?? Date.now;
  const maxKeys = o.maxKeys ?? 100_000;
  const perMs = o.capacity / o.periodMs;
  const buckets = new Map<string, Bucket>();
  let sweptAt = now();
  const level = (b: Bucket, t: number) => Math.min(o.capacity, b.tokens + (t - b.at) * perMs);
  // A bucket that has refilled completely says nothing a new one would not: memory follows
  // the keys of the last period.
  const sweep = (t: number) => {
    for (const [key, b] of buckets) if (level(b, t) >= o.capacity) buckets.delete(key);
    sweptAt = t;
    // Only a flood of distinct keys gets here; forgetting them fails open, not out of memory.
    if (buckets.size >= maxKeys) buckets.clear();
  };
  return {
    size: () => buckets.size,
    take(key) {
      const t = now();
      if (t - sweptAt >= o.periodMs || buckets.size >= maxKeys) sweep(t);
      const b = buckets.get(key);
      const tokens = b ? level(b, t) : o.capacity;
      if (tokens < 1) return Math.ceil((1 - tokens) / perMs);
      if (b) {
        b.tokens = tokens - 1;
        b.at = t;
      } else buckets.set(key, { tokens: tokens - 1, at: t });
      return 0;
    },
  };
}

/**
 * At most `perSecond` calls a second, spread evenly: each call waits for its moment.
 * Real time by default (not an injectable clock): the limit protects a real mail server,
 * and relays count what they receive per second. `perSecond` ≤ 0 means no limit.
 */
export function pacer(perSecond: number, clock: () => number = () => performance.now()): () => Promise<void> {
  if (!(perSecond > 0)) return async () => {};
  const gap = 1000 / perSecond;
  let nextAt = clock();
  return async () => {
    const t = clock();
    const at = Math.max(nextAt, t);
    nextAt = at + gap;
    if (at > t) await new Promise((r) => setTimeout(r, at - t));
  };
}
