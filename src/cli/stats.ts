// `paperboy stats`: what the store holds, subscribers and recent digests included.

import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function registerStats(program: Command, ctx: CliContext): void {
  program.command('stats')
    .description('print what the database holds')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const [stats, subscriptions] = await ctx.withStore((s) => Promise.all([s.stats(), s.subscriptionStats()]));
      if (opts.json) {
        process.stdout.write(JSON.stringify({ ...stats, subscriptions }, null, 2) + '\n');
        return;
      }
      const n = (x: number) => x.toLocaleString('en-US');
      const lines = [
        `Database   ${ctx.config().database}${stats.sizeBytes !== null ? ` (${(stats.sizeBytes / 1e6).toFixed(1)} MB)` : ''}`,
        `Papers     ${n(stats.papers)}  (${n(stats.versions)} versions)`,
        `Signals    ${n(stats.signals)}`,
        `Submitted  ${stats.oldestSubmitted?.slice(0, 10) ?? '-'} … ${stats.newestSubmitted?.slice(0, 10) ?? '-'}`,
        `Announced  newest ${stats.newestAnnounced ?? '-'}`,
      ];
      if (stats.byPrimaryCategory.length) {
        lines.push('Top primary categories');
        for (const c of stats.byPrimaryCategory) lines.push(`  ${c.category.padEnd(18)} ${n(c.papers).padStart(9)}`);
      }
      for (const h of stats.harvests) {
        lines.push(`Harvest ${h.name}: last success ${h.lastSuccessAt ?? 'never'}, next from ${h.nextFrom ?? '-'}` +
          (h.resumptionToken ? `, in progress (${h.pages} pages)` : '') + (h.lastError ? `, last error: ${h.lastError}` : ''));
      }
      const subs = subscriptions.subscribers;
      lines.push(`Subscribers ${n(subs.active)} active, ${n(subs.pending)} awaiting confirmation, ${n(subs.paused)} paused, ` +
        `${n(subs.unsubscribed)} unsubscribed, ${n(subs.bouncing)} bouncing`);
      for (const d of subscriptions.digests) {
        lines.push(`  digests ${d.date}: ` + Object.entries(d.counts).map(([k, v]) => `${n(v)} ${k}`).join(', '));
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}
