// `paperboy serve`: the web site plus the daily arXiv harvest, in one process.

import { serve as serveHttp } from '@hono/node-server';
import type { Command } from 'commander';
import { harvestAll } from '../ingest/harvest.js';
import { startDailyJob } from '../ingest/schedule.js';
import { openStore, searchIndexFileOf } from '../store/open-store.js';
import { createSearchEngine } from '../search/search.js';
import { createApp } from '../web/app.js';
import type { CliContext } from './context.js';

export function registerServe(program: Command, ctx: CliContext): void {
  program.command('serve')
    .description('serve the web site and JSON API, and harvest arXiv daily')
    .option('-p, --port <port>', 'port to listen on (default 8080, or PORT)')
    .option('--host <host>', 'address to bind (default 127.0.0.1, or HOST)')
    .option('--no-harvest', 'do not harvest arXiv on a schedule')
    .action(async (opts: { port?: string; host?: string; harvest: boolean }) => {
      const config = ctx.config();
      const port = opts.port !== undefined ? Number(opts.port) : config.server.port;
      const host = opts.host ?? config.server.host;
      const logger = ctx.logger();
      const store = await openStore(config);
      const search = createSearchEngine(store, { logger, indexFile: searchIndexFileOf(config) });
      const app = createApp({ store, search, logger, http: config.server });
      // Build the search index now, not on the first search; the site answers meanwhile.
      void search.lexical.index().catch((e: unknown) => logger.error('search index build failed', { error: String(e) }));

      const harvesting = opts.harvest && config.harvest.enabled;
      const job = harvesting
        ? startDailyJob({
          name: 'arXiv harvest',
          dailyAt: config.harvest.dailyAt,
          logger,
          run: async () => {
            const summary = await harvestAll(store, config, logger);
            logger.info('arXiv harvest finished', { ...summary });
          },
          lastSuccessAt: async () => {
            const states = (await store.stats()).harvests;
            const times = states.map((s) => s.lastSuccessAt);
            return times.length && times.every(Boolean) ? (times as string[]).sort()[0]! : null;
          },
        })
        : undefined;

      const server = serveHttp({ fetch: app.fetch, port, hostname: host }, (info) => {
        logger.info('Paperboy is serving', { url: `http://${host}:${info.port}/`, database: config.database, harvest: harvesting ? `daily at ${config.harvest.dailyAt} UTC` : 'off' });
      });

      await new Promise<void>((resolve) => {
        const shutdown = (signal: string) => {
          logger.info('shutting down', { signal });
          job?.stop();
          server.close(() => resolve());
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      });
      // A harvest in progress is simply abandoned: its last page checkpoint is committed,
      // and the next run resumes from there.
      await store.close();
      process.exit(0);
    });
}
