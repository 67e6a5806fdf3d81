// The operational middleware around every route, outermost first. Metrics and the access
// log see every answer, refusals included; security and cache headers are added to
// everything inside them; limits refuse before a route reads anything; under overload
// pages wait their turn in arrival order or are refused with 503 (load-shed.ts), except
// pages shared by anonymous visitors that are in memory, which come from there; the ETag
// answers 304 from the tag that compression computed over the uncompressed body.

import type { MiddlewareHandler } from 'hono';
import { DEFAULT_CONFIG, type Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { accessLog } from './access-log.js';
import { cacheControl } from './cache-control.js';
import { compress } from './compress.js';
import { etag } from './etag.js';
import { requestBodyLimit, urlLimit } from './limits.js';
import { createMetrics, type Metrics } from './metrics.js';
import { loadShed } from './load-shed.js';
import { createPageCache, type PageCache } from './page-cache.js';
import { rateLimit } from './rate-limit.js';
import { securityHeaders } from './security-headers.js';

export type HttpOptions = Pick<Config['server'], 'rateLimit' | 'maxBodyBytes' | 'maxImportBytes' | 'maxUrlBytes' | 'trustProxy' | 'shedAfterMs'>;

export interface Operations {
  middleware: MiddlewareHandler[];
  metrics: Metrics;
  pages: PageCache;
}

/** How long a page shared between anonymous visitors is reused (see page-cache.ts). */
const SHARED_PAGE_TTL_MS = 10_000;
const SHARED_PAGE_BYTES = 64 * 1024 * 1024;
/** How often shared pages look whether another process changed what they show (its votes). */
const SHARED_PAGE_CHECK_MS = 1000;

/** `voteChanges` (the store's) lets a vote in another process drop this one's shared pages. */
export function operations(logger: Logger, options: Partial<HttpOptions> = {}, voteChanges?: () => Promise<number>): Operations {
  const opts: HttpOptions = { ...DEFAULT_CONFIG.server, ...options };
  const metrics = createMetrics();
  const pages = createPageCache({ ttlMs: SHARED_PAGE_TTL_MS, maxBytes: SHARED_PAGE_BYTES,
    ...(voteChanges ? { changes: { mark: voteChanges, checkEveryMs: SHARED_PAGE_CHECK_MS } } : {}) });
  return {
    metrics,
    pages,
    middleware: [
      metrics.observe,
      accessLog(logger),
      securityHeaders(),
      cacheControl(),
      rateLimit({ ...opts.rateLimit, trustProxy: opts.trustProxy }),
      urlLimit(opts.maxUrlBytes),
      requestBodyLimit(opts.maxBodyBytes, { '/library/import': opts.maxImportBytes }),
      loadShed({ maxWaitMs: opts.shedAfterMs, exempt: pages.has }),
      pages.middleware,
      etag(),
      compress(),
    ],
  };
}
