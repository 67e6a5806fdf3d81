// The measured process of bench:digest: one digest round (`digest run --date D` as the
// CLI does it: plan every subscriber, then deliver) over a prepared database, to the
// local SMTP sink, with the clock fixed on the digest day. Loads the search index saved
// beside the database (as `paperboy digest run` from cron does after `serve` saved it)
// and reports that apart. Prints one JSON line.
// Usage (from bench/digest.ts): tsx bench/digest-worker.ts DB SMTP_URL DATE CONCURRENCY

import { loadConfig } from '../src/config.js';
import { createDigestService } from '../src/digest/run.js';
import { createLogger } from '../src/logger.js';
import { openMailer } from '../src/mail/open-mailer.js';
import { createSearchEngine } from '../src/search/search.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createLinks } from '../src/subscriptions/links.js';
import { createTrending } from '../src/trending/index.js';
import path from 'node:path';

const [db, smtpUrl, date, concurrency] = process.argv.slice(2) as [string, string, string, string];
const now = () => new Date(`${date}T12:00:00Z`);
const config = loadConfig({
  cwd: path.dirname(db), env: {},
  flags: {
    dataDir: path.dirname(db), database: db, server: { baseUrl: 'https://papers.example.org' },
    mail: { smtp: { url: smtpUrl, timeoutMs: 60_000 }, from: 'Paperboy <digest@papers.example.org>', rate: 0, concurrency: Number(concurrency) },
  },
});
const logger = createLogger({ level: 'warn' });
const store = openSqliteStore(db, { now });
await store.migrate();
const search = createSearchEngine(store, { logger, indexFile: `${db}.search-index` });
const t0 = performance.now();
await search.lexical.index();
const indexMs = Math.round(performance.now() - t0);
const rssAfterIndexMb = Math.round(process.memoryUsage().rss / 1e6);
const mailer = openMailer(config);
const service = createDigestService({
  store, search, trending: createTrending(store, config.trending, { clock: now }), mailer, config, logger, links: createLinks(store, config), now,
});
// Where the memory is at its highest: sampled every 100 ms during the round.
const peak = { heapUsedMb: 0, externalMb: 0, arrayBuffersMb: 0 };
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peak.heapUsedMb = Math.max(peak.heapUsedMb, Math.round(m.heapUsed / 1e6));
  peak.externalMb = Math.max(peak.externalMb, Math.round(m.external / 1e6));
  peak.arrayBuffersMb = Math.max(peak.arrayBuffersMb, Math.round(m.arrayBuffers / 1e6));
}, 100);
const round = await service.round({ date });
clearInterval(sampler);
await mailer.close();
await store.close();
process.stdout.write(JSON.stringify({ indexMs, rssAfterIndexMb, peak, round, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n');
