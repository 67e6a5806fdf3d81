// Everything the digest needs, built from the configuration: the mail transport, the
// signed links, trending and search over the store. Used by `serve` and `paperboy digest`.

import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { openMailer } from '../mail/open-mailer.js';
import { createSearchEngine, type SearchEngine } from '../search/search.js';
import { searchIndexFileOf } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { createLinks } from '../subscriptions/links.js';
import { createTrending, type Trending } from '../trending/index.js';
import type { DigestDeps } from './run.js';

/** `search` and `trending` are shared with the web app when given (one index, one ranking cache). */
export function openDigest(o: { store: Store; config: Config; logger: Logger; search?: SearchEngine; trending?: Trending }): DigestDeps {
  const { store, config, logger } = o;
  if (!config.server.baseUrl) {
    logger.warn('server.baseUrl (PAPERBOY_BASE_URL) is not set: links in emails point to this machine\'s address', { base: createLinks(store, config).baseUrl });
  }
  const mailer = openMailer(config);
  logger.info('mail goes to', { via: mailer.kind, target: mailer.target });
  return {
    store, config, logger, mailer,
    search: o.search ?? createSearchEngine(store, { logger, indexFile: searchIndexFileOf(config) }),
    trending: o.trending ?? createTrending(store, config.trending),
    links: createLinks(store, config),
  };
}
