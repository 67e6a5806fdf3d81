// `paperboy alerts run`: plans alert emails (a followed author's new paper, a new version
// of a saved paper) for the papers that arrived since the last run, and delivers what is
// ready. `serve` does this every minute and `digest run` as part of its round; this is
// for cron right after a harvest or import.

import type { Command } from 'commander';
import { PaperboyError } from '../errors.js';
import { openDigest } from '../digest/open.js';
import { createDigestService } from '../digest/run.js';
import type { CliContext } from './context.js';
import { describe } from './digest.js';

export function registerAlerts(program: Command, ctx: CliContext): void {
  const alerts = program.command('alerts').description('email subscribers the alerts they asked for (followed authors\' new papers, new versions of saved papers)');

  alerts.command('run')
    .description('plan alert emails for the papers added or changed since the last run and deliver everything ready; each alert goes out at most once, ever (run it after each harvest or import, or hourly)')
    .option('--dry-run', 'show the alert emails that would be planned; record and send nothing')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { dryRun?: boolean; json?: boolean }) => {
      const summary = await ctx.withStore(async (store) => {
        const deps = openDigest({ store, config: ctx.config(), logger: ctx.logger() });
        try {
          return await createDigestService(deps).round({ digests: false, dryRun: opts.dryRun });
        } finally {
          await deps.mailer.close();
        }
      });
      process.stdout.write(opts.json ? JSON.stringify(summary, null, 2) + '\n' : describe(summary, opts.dryRun ?? false));
      if (summary.delivery?.paused) {
        throw new PaperboyError('upstream_unavailable', `Delivery paused: ${summary.delivery.paused.reason}. What is planned stays in the outbox; the next run sends it.`);
      }
    });
}
