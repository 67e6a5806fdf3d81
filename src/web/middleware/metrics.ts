// Prometheus metrics: requests by route pattern, method and status, a latency histogram,
// and gauges read from the store. Hand-written rather than prom-client: there are four
// metric families with fixed label sets and the text format takes a few lines, while
// prom-client brings a process-wide registry (awkward when tests build many apps) and
// label hashing on every observation; here a request costs two Map lookups.

import type { Handler, MiddlewareHandler } from 'hono';
import type { Store } from '../../store/store.js';
import { methodOf, routeOf } from './route.js';

/** Seconds; pages answer in milliseconds, slow searches in tenths. */
export const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Store statistics are read at most this often, so scraping stays cheap. */
const GAUGE_TTL_MS = 5000;

interface Histogram { counts: number[]; sum: number; count: number }

export interface Metrics {
  /** Middleware counting and timing every request; put it outside everything else. */
  observe: MiddlewareHandler;
  /** The /metrics route. */
  handler(store: Store): Handler;
}

export function createMetrics(now: () => number = () => performance.now()): Metrics {
  const requests = new Map<string, number>();
  const durations = new Map<string, Histogram>();
  let gauges: { at: number; text: Promise<string> } | undefined;

  const observe: MiddlewareHandler = async (c, next) => {
    const start = now();
    try {
      await next();
    } finally {
      const seconds = (now() - start) / 1000;
      const base = `route=${label(routeOf(c))},method=${label(methodOf(c))}`;
      const key = `${base},status="${c.res.status}"`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      let h = durations.get(base);
      if (!h) durations.set(base, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
      const i = BUCKETS.findIndex((b) => seconds <= b);
      if (i >= 0) h.counts[i]! += 1;
      h.sum += seconds;
      h.count += 1;
    }
  };

  const render = (gaugeText: string): string => {
    const out = [
      '# HELP http_requests_total HTTP requests answered, by route pattern, method and status.',
      '# TYPE http_requests_total counter',
    ];
    for (const [labels, n] of requests) out.push(`http_requests_total{${labels}} ${n}`);
    out.push('# HELP http_request_duration_seconds Time to produce a response, by route pattern and method.',
      '# TYPE http_request_duration_seconds histogram');
    for (const [labels, h] of durations) {
      let cumulative = 0;
      BUCKETS.forEach((b, i) => {
        cumulative += h.counts[i]!;
        out.push(`http_request_duration_seconds_bucket{${labels},le="${b}"} ${cumulative}`);
      });
      out.push(`http_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`,
        `http_request_duration_seconds_sum{${labels}} ${h.sum}`,
        `http_request_duration_seconds_count{${labels}} ${h.count}`);
    }
    return `${out.join('\n')}\n${gaugeText}`;
  };

  const handler = (store: Store): Handler => async (c) => {
    const t = Date.now();
    if (!gauges || t - gauges.at > GAUGE_TTL_MS) {
      gauges = { at: t, text: storeGauges(store) };
      // A failed read is not cached: the next scrape tries again.
      gauges.text.catch(() => { gauges = undefined; });
    }
    return c.body(render(await gauges.text), 200, {
      'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
      'Cache-Control': 'no-store',
    });
  };
  return { observe, handler };
}

async function storeGauges(store: Store): Promise<string> {
  const stats = await store.stats();
  const out = [
    '# HELP paperboy_papers Papers in the store.',
    '# TYPE paperboy_papers gauge',
    `paperboy_papers ${stats.papers}`,
    '# HELP paperboy_last_harvest_timestamp_seconds When each harvest last finished successfully (Unix time).',
    '# TYPE paperboy_last_harvest_timestamp_seconds gauge',
  ];
  for (const h of stats.harvests) {
    const ms = h.lastSuccessAt ? Date.parse(h.lastSuccessAt) : NaN;
    if (Number.isFinite(ms)) out.push(`paperboy_last_harvest_timestamp_seconds{harvest=${label(h.name)}} ${ms / 1000}`);
  }
  return `${out.join('\n')}\n`;
}

/** A quoted label value, escaped as the text format requires. */
function label(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
