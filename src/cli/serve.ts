// `paperboy serve`: the web site plus the daily arXiv harvest, the trending signals
// (Hugging Face, GitHub) and the email digest (subscriptions, and each subscriber's
// digest at their hour), in one process, or with --workers in several (see cluster.ts).

import { serve as serveHttp } from '@hono/node-server';
import cluster from 'node:cluster';
import { Option, type Command } from 'commander';
import type { Config } from '../config.js';
import { describeError, PaperboyError } from '../errors.js';
import { fetchPaperOnRequest } from '../ingest/fetch-paper.js';
import { harvestAll } from '../ingest/harvest.js';
import { previousSlot, startDailyJob } from '../jobs/daily.js';
import { exclusively } from '../jobs/lease.js';
import { openStore, searchIndexFileOf } from '../store/open-store.js';
import { redactUrl } from '../store/postgres/db.js';
import { createIndexBuilder } from '../search/index-builder.js';
import { openSearchEngine } from '../search/open.js';
import { openExternalEmbedder } from '../search/embedders/open-embedder.js';
import { createApp } from '../web/app.js';
import { openDigest } from '../digest/open.js';
import { startDigestSchedule } from '../digest/schedule.js';
import { createSubscriptions } from '../subscriptions/service.js';
import { createTrending } from '../trending/index.js';
import { startSignalJobs } from '../trending/signal-jobs.js';
import { runPrimary, workerCount, type WorkerRole } from './cluster.js';
import type { CliContext } from './context.js';

export function registerServe(program: Command, ctx: CliContext): void {
  program.command('serve')
    .description('serve the web site and JSON API, harvest arXiv daily and send the email digest')
    .option('-p, --port <port>', 'port to listen on (default 8080, or PORT)')
    .option('--host <host>', 'address to bind (default 127.0.0.1, or HOST)')
    .option('--no-harvest', 'do not harvest arXiv on a schedule')
    .option('--no-digest', 'do not send digests from this process (e.g. cron runs `paperboy digest run`)')
    .option('--no-signals', 'do not fetch trending signals (Hugging Face, GitHub) on a schedule')
    .addOption(new Option('--role <role>', 'web: pages and API only; worker: scheduled work only (harvest, signals, digest), no HTTP; all: both').choices(['web', 'worker', 'all']).default('all'))
    .option('-w, --workers <n>', 'HTTP processes sharing the port, "auto" for one per core (default 1, or server.workers)')
    .addOption(new Option('--worker-role <role>').choices(['main', 'http']).hideHelp())
    .addOption(new Option('--worker-count <n>').hideHelp())
    .action(async (opts: { port?: string; host?: string; harvest: boolean; digest: boolean; signals: boolean; role: 'web' | 'worker' | 'all'; workers?: string; workerRole?: WorkerRole; workerCount?: string }) => {
      const config = withServerFlags(ctx.config(), opts);
      const { port, host } = config.server;
      const logger = ctx.logger();
      if (cluster.isPrimary) {
        const asked = opts.workers === undefined ? config.server.workers : opts.workers === 'auto' ? 0 : Number(opts.workers);
        if (!Number.isInteger(asked) || asked < 0 || asked > 64) throw new PaperboyError('bad_input', `--workers must be a whole number from 1 to 64, or auto (got "${opts.workers}")`);
        const workers = workerCount(asked);
        if (workers > 1 && opts.role === 'worker') throw new PaperboyError('bad_input', '--workers shares an HTTP port between processes; a --role worker process serves no HTTP');
        if (workers > 1) process.exit(await runPrimary(workers, logger));
      }
      // In a cluster the schedules run in the main worker only, and each worker takes its share of the limits.
      const role: WorkerRole = opts.workerRole ?? 'main';
      const share = Math.max(1, Number(opts.workerCount ?? 1) || 1);
      const perWorker = (n: number) => (n === 0 ? 0 : Math.max(1, Math.ceil(n / share)));
      const http = { ...config.server, rateLimit: { perMinute: perWorker(config.server.rateLimit.perMinute), postsPerMinute: perWorker(config.server.rateLimit.postsPerMinute) } };
      const store = await openStore(config);
      // One trending for pages, API, search and digest: one cache of rankings.
      const trending = createTrending(store, config.trending);
      // An external embedding model that cannot be reached must not keep the site down: words only until a restart.
      const embedder = config.search.semantic
        ? await openExternalEmbedder(config, { logger }).catch((e: unknown) => {
          logger.error('the embedding model is unavailable; search by meaning is off until a restart', { error: describeError(e) });
          return false as const;
        })
        : null;
      // Indexes are built in a worker thread (saved beside the database), so building never starves requests.
      const indexFile = searchIndexFileOf(config);
      const builder = indexFile ? createIndexBuilder(config, { logger, indexFile }) : undefined;
      const search = openSearchEngine(store, embedder === false ? { ...config, search: { ...config.search, semantic: false } } : config, { logger, trending, embedder: embedder || null, builder });
      const digestDeps = openDigest({ store, config, logger, search, trending });
      const subscriptions = createSubscriptions({ store, mailer: digestDeps.mailer, config, logger });
      const fetchPaper = config.arxivApi.fetchOnRequest ? fetchPaperOnRequest(store, config, logger) : undefined;
      const app = createApp({ store, search, logger, http, subscriptions, fetchPaper });
      // Build the search index now, not on the first search; the site answers meanwhile.
      void search.lexical.index(true).catch((e: unknown) => logger.error('search index build failed', { error: String(e) }))
        .then(() => search.semantic?.current())
        .catch((e: unknown) => logger.error('vector index build failed; searching by words only', { error: String(e) }));

      const lastHarvest = async () => {
        // Only the arXiv harvests' own checkpoints (the signal connectors keep theirs there too).
        const states = (await store.stats()).harvests.filter((s) => s.name.startsWith('oai:'));
        const times = states.map((s) => s.lastSuccessAt);
        return times.length && times.every(Boolean) ? (times as string[]).sort()[0]! : null;
      };
      // Scheduled work runs in `worker` and `all` processes (once across them all: src/jobs/lease.ts).
      const scheduling = role === 'main' && opts.role !== 'web';
      const harvesting = scheduling && opts.harvest && config.harvest.enabled;
      const job = harvesting
        ? startDailyJob({
          name: 'arXiv harvest',
          dailyAt: config.harvest.dailyAt,
          logger,
          // Once across every process sharing the database: under a lease, and only if no other
          // process finished today's harvest since this one decided it was due.
          run: () => exclusively(store, 'arXiv harvest', async () => {
            const last = await lastHarvest();
            if (last && new Date(last) >= previousSlot(new Date(), config.harvest.dailyAt)) return;
            const summary = await harvestAll(store, config, logger);
            logger.info('arXiv harvest finished', { ...summary });
          }, { logger }).then(() => undefined),
          lastSuccessAt: lastHarvest,
        })
        : undefined;

      const signals = scheduling && opts.signals ? startSignalJobs(store, config, logger) : undefined;

      const digesting = scheduling && opts.digest && config.digest.enabled;
      const digest = digesting ? startDigestSchedule(digestDeps) : undefined;

      const started = {
        database: redactUrl(config.database), role: opts.role, ...(cluster.isWorker ? { worker: role, pid: process.pid } : {}),
        harvest: harvesting ? `daily at ${config.harvest.dailyAt} UTC` : 'off', signals: signals?.describe ?? 'off', digest: digesting ? 'on' : 'off',
      };
      const server = opts.role === 'worker'
        ? (logger.info('Paperboy is working', started), null)
        : serveHttp({ fetch: app.fetch, port, hostname: host }, (info) => logger.info('Paperboy is serving', { url: `http://${host}:${info.port}/`, ...started }));

      await new Promise<void>((resolve) => {
        let closing = false;
        const shutdown = (signal: string) => {
          // A worker can get both the terminal's SIGINT and the primary's SIGTERM.
          if (closing) return;
          closing = true;
          logger.info('shutting down', { signal });
          // A harvest in progress is simply abandoned (see below): stopping does not wait for it.
          void job?.stop();
          void signals?.stop();
          if (server) server.close(() => resolve());
          else resolve();
        };
        process.on('SIGINT', shutdown);
        process.on('SIGTERM', shutdown);
      });
      // A harvest in progress is simply abandoned: its last page checkpoint is committed,
      // and the next run resumes from there.
      // Digest messages in flight finish; what is not sent yet stays in the outbox.
      await digest?.stop();
      await subscriptions.idle();
      await digestDeps.mailer.close();
      await store.close();
      process.exit(0);
    });
}

/**
 * The configuration with --port and --host applied, so everything built from it (links in
 * emails, the public base URL) uses the address the server really listens on.
 */
export function withServerFlags(config: Config, opts: { port?: string; host?: string }): Config {
  let port = config.server.port;
  if (opts.port !== undefined) {
    port = /^\d{1,5}$/.test(opts.port) ? Number(opts.port) : NaN;
    if (!(port >= 0 && port <= 65535)) throw new PaperboyError('bad_input', `--port must be a whole number from 0 to 65535 (got "${opts.port}")`);
  }
  return { ...config, server: { ...config.server, port, host: opts.host ?? config.server.host } };
}
