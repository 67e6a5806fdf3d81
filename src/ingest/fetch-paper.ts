// One paper fetched from the arXiv API on a reader's request (the site's "Fetch it from
// arXiv" button, when `arxivApi.fetchOnRequest` allows it), stored like `paperboy add`
// stores it. Requests go through one polite client, so however many readers ask, arXiv
// gets at most one request per `harvest.minIntervalMs`; each waits at most one try (no
// retries: a person is waiting on the answer).

import { userAgent, type Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { fetchByIds } from './arxiv-api.js';
import { createPoliteHttpClient } from './polite-http.js';

/** Stores the paper and says true, or says false when arXiv has no such paper; arXiv failing throws (upstream_*). */
export type FetchPaper = (id: string) => Promise<boolean>;

export function fetchPaperOnRequest(store: Store, config: Config, logger: Logger): FetchPaper {
  const http = createPoliteHttpClient({
    minIntervalMs: config.harvest.minIntervalMs, timeoutMs: Math.min(config.harvest.timeoutMs, 20_000), maxRetries: 0,
    userAgent: userAgent(config), logger,
  });
  return async (id) => {
    const res = await fetchByIds(http, config.arxivApi.baseUrl, [id]);
    if (!res.records.length) return false;
    await store.ingest({ papers: res.records });
    logger.info('paper fetched on a reader\'s request', { id });
    return true;
  };
}
