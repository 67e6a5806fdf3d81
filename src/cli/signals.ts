// `paperboy signals fetch-hf | fetch-github`: one run of a trending signal connector, as
// `serve` runs them on a schedule. Failures name what failed; what was fetched is kept.

import type { Command } from 'commander';
import { PaperboyError } from '../errors.js';
import { daysEnding, refreshGithub, refreshHf } from '../trending/signal-jobs.js';
import { addDays, utcDay } from '../days.js';
import { checkDay } from '../trending/windows.js';
import type { CliContext } from './context.js';

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** A backfill longer than this is almost certainly a typo in --since. */
const MAX_DAYS = 1000;

export function registerSignals(program: Command, ctx: CliContext): void {
  const signals = program.command('signals').description('fetch engagement signals for trending (Hugging Face upvotes, GitHub stars)');

  signals.command('fetch-hf')
    .description('fetch Hugging Face Daily Papers lists (default: the last trending.hf.days days)')
    .option('--date <day>', 'one day (YYYY-MM-DD)')
    .option('--since <day>', 'every day from this one to today (a backfill)')
    .option('--url <base>', 'base URL (default https://huggingface.co, or PAPERBOY_HF_URL)')
    .action(async (flags: { date?: string; since?: string; url?: string }) => {
      if (flags.date && flags.since) throw new PaperboyError('bad_input', 'Give --date or --since, not both.');
      if (flags.url && !/^https?:\/\/\S+$/.test(flags.url)) throw new PaperboyError('bad_input', `--url must be an http(s) URL, got "${flags.url}"`);
      const base = ctx.config();
      const config = flags.url ? { ...base, trending: { ...base.trending, hf: { ...base.trending.hf, baseUrl: flags.url } } } : base;
      const today = utcDay(new Date());
      let days: string[] | undefined;
      if (flags.date) days = [checkDay(flags.date, '--date')];
      if (flags.since) {
        const since = checkDay(flags.since, '--since');
        const n = Math.round((Date.parse(today) - Date.parse(since)) / 86_400_000) + 1;
        if (n < 1 || n > MAX_DAYS) throw new PaperboyError('bad_input', `--since must be between ${addDays(today, -(MAX_DAYS - 1))} and today, got ${since}`);
        days = daysEnding(today, n);
      }
      const logger = ctx.logger();
      const summary = await ctx.withStore((store) => refreshHf(store, config, logger, days));
      const sum = (k: 'papers' | 'signalsAdded' | 'repoLinks' | 'skipped') => summary.days.reduce((s, d) => s + d[k], 0);
      process.stdout.write(`${count(summary.days.length, 'day')}: ${count(sum('papers'), 'paper')}, ${count(sum('signalsAdded'), 'new observation')}, ` +
        `${count(sum('repoLinks'), 'new repository link')}${sum('skipped') ? `, ${count(sum('skipped'), 'unusable item')} skipped` : ''}\n`);
    });

  signals.command('fetch-github')
    .description('refresh GitHub stars of the repositories recent papers link to (PAPERBOY_GITHUB_TOKEN raises the rate limit)')
    .option('--days <n>', 'papers announced in the last n days (default: trending.github.refreshDays)')
    .option('--max <n>', 'at most this many repositories (default: trending.github.maxReposPerRun)')
    .action(async (flags: { days?: string; max?: string }) => {
      const num = (v: string | undefined, name: string) => {
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new PaperboyError('bad_input', `${name} must be a whole number ≥ 1, got "${v}"`);
        return n;
      };
      const opts = { days: num(flags.days, '--days'), maxRepos: num(flags.max, '--max') };
      const s = await ctx.withStore((store) => refreshGithub(store, ctx.config(), ctx.logger(), opts));
      process.stdout.write(`${count(s.checked, 'repository', 'repositories')} checked: ${s.ok} with stars, ${s.notFound} gone, ${s.failed} failed; ` +
        `${count(s.signalsAdded, 'new observation')}, ${count(s.linksFound, 'new link')} found in papers\n`);
    });
}
