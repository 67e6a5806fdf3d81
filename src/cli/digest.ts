// `paperboy digest run [--date D] [--dry-run]`: one round of the digest from cron (run
// it hourly, or at least once a day: each subscriber gets the digest of their latest
// slot once). `paperboy digest preview EMAIL`: what one subscriber would get, as files.

import path from 'node:path';
import type { Command } from 'commander';
import { fail, PaperboyError } from '../errors.js';
import { openDigest } from '../digest/open.js';
import { previewDigest } from '../digest/preview.js';
import { createDigestService, type RoundSummary } from '../digest/run.js';
import { mailDirectory } from '../mail/eml-files.js';
import { checkAddress } from '../subscriptions/address.js';
import type { CliContext } from './context.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function registerDigest(program: Command, ctx: CliContext): void {
  const digest = program.command('digest').description('plan and send the email digest, or preview one');

  digest.command('run')
    .description('plan the digests that are due and the alert emails of papers that arrived, and deliver everything ready (safe to run often: nothing is sent twice)')
    .option('--date <YYYY-MM-DD>', 'plan this digest date for every active subscriber it is a delivery day for, whatever their hour')
    .option('--dry-run', 'show what would be planned; record and send nothing')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { date?: string; dryRun?: boolean; json?: boolean }) => {
      if (opts.date !== undefined && (!DAY.test(opts.date) || Number.isNaN(Date.parse(opts.date)))) fail('bad_input', `--date must look like 2026-06-30, got "${opts.date}"`);
      const summary = await ctx.withStore(async (store) => {
        const deps = openDigest({ store, config: ctx.config(), logger: ctx.logger() });
        try {
          return await createDigestService(deps).round({ date: opts.date, dryRun: opts.dryRun });
        } finally {
          await deps.mailer.close();
        }
      });
      process.stdout.write(opts.json ? JSON.stringify(summary, null, 2) + '\n' : describe(summary, opts.dryRun ?? false));
      if (summary.delivery?.paused) {
        throw new PaperboyError('upstream_unavailable', `Delivery paused: ${summary.delivery.paused.reason}. What is planned stays in the outbox; the next run sends it.`);
      }
    });

  digest.command('preview <email>')
    .description('write the digest a subscriber would get to an .eml and an .html file (nothing is sent)')
    .option('--date <YYYY-MM-DD>', 'the digest date (default: today in their time zone)')
    .option('--out <path>', 'file path without extension (default: DATA_DIR/mail/preview/<date>-<id>)')
    .action(async (email: string, opts: { date?: string; out?: string }) => {
      if (opts.date !== undefined && !DAY.test(opts.date)) fail('bad_input', `--date must look like 2026-06-30, got "${opts.date}"`);
      const address = checkAddress(email);
      if (!address.ok) fail('bad_input', address.reason);
      const r = await ctx.withStore(async (store) => {
        const s = await store.findSubscriber(address.email) ?? fail('not_found', 'No subscriber has that address (see `paperboy subscribers list`).');
        const deps = openDigest({ store, config: ctx.config(), logger: ctx.logger() });
        const base = opts.out ?? path.join(mailDirectory(ctx.config()), 'preview', `${opts.date ?? new Date().toISOString().slice(0, 10)}-${s.id}`);
        return previewDigest(deps, s, { date: opts.date, outBase: base });
      });
      process.stdout.write(`Digest for ${r.date} (papers announced ${r.window.from} … ${r.window.to}): ${r.papers} papers\n  ${r.eml}\n  ${r.html}\n`);
    });
}

export function describe(r: RoundSummary, dryRun: boolean): string {
  const lines: string[] = [];
  const p = r.plan;
  if (p) {
    lines.push(`${dryRun ? 'Would plan' : 'Planned'}  ${p.planned} digests with papers, ${p.empty} with nothing new${p.alreadyPlanned ? `, ${p.alreadyPlanned} already planned` : ''} (${p.considered} subscribers due)`);
    for (const s of dryRun ? p.sample : []) lines.push(`  subscriber ${s.subscriberId}  ${s.date}  papers ${s.window.from}…${s.window.to}: ${s.paperIds.join(' ') || '(none)'}`);
  }
  const a = r.alerts;
  if (a) {
    lines.push(a.started ? 'Alerts    first run: papers from now on are news (nothing earlier is alerted)'
      : `${dryRun ? 'Would plan' : 'Planned'}  ${a.planned} alert emails (${a.alerts} alerts in ${a.changes} papers added or changed)`);
    for (const s of dryRun ? a.sample : []) lines.push(`  subscriber ${s.subscriberId}  ${s.items.map((i) => `${i.paperId} (${i.why})`).join('; ')}`);
  }
  const d = r.delivery;
  if (d) {
    lines.push(`Delivered ${d.sent} sent, ${d.retrying} waiting to retry, ${d.failed} failed (${d.bounced} refused by the recipient's server)`);
    if (d.recovered) lines.push(`Recovered ${d.recovered} digests a stopped process left in flight (sent again; see docs/digest.md)`);
    if (d.inDoubt) lines.push(`In doubt  ${d.inDoubt} connections lost after a digest was handed over (sent again, flagged; see docs/digest.md)`);
  }
  if (r.expired) lines.push(`Expired   ${r.expired} unconfirmed subscriptions`);
  lines.push(`Time      ${(r.ms / 1000).toFixed(1)} s`);
  return lines.join('\n') + '\n';
}
