// `paperboy trending`: the trending papers of a day (default: the latest day with papers),
// an ISO week, a month or the last N days, optionally of one category, as a table or
// JSON; `--explain ID` shows why one paper scores what it does. The time taken is printed
// on stderr, so the cost of a ranking can be read off any database.

import type { Command } from 'commander';
import { PaperboyError } from '../errors.js';
import type { Store } from '../store/store.js';
import { createTrending, type TrendingEntry } from '../trending/index.js';
import { checkDay, dayRange, isoWeekRange, lastDays, monthRange, type DayRange } from '../trending/windows.js';
import { displayDay } from '../papers/paper.js';
import type { CliContext } from './context.js';

interface TrendingFlags { date?: string; week?: boolean; month?: boolean; days?: string; cat?: string; limit: string; page: string; json?: boolean; explain?: string; now?: string }

export function registerTrending(program: Command, ctx: CliContext): void {
  program.command('trending')
    .description('rank papers by trending score (docs/trending.md) for a day, week or month; --explain ID shows a score\'s parts')
    .option('--date <day>', 'the day (YYYY-MM-DD; default: the latest day with papers), or the day the period holds')
    .option('--week', 'the ISO week (Monday to Sunday) holding the day')
    .option('--month', 'the calendar month holding the day')
    .option('--days <n>', 'the n days ending with the day')
    .option('--cat <category>', 'only papers in this category (cross-lists included), e.g. cs.LG')
    .option('-n, --limit <n>', 'papers to show', '20')
    .option('-p, --page <n>', 'page number', '1')
    .option('--now <time>', 'score as of this time (ISO 8601; default: now)')
    .option('--json', 'print JSON with every score component')
    .option('--explain <id>', 'explain the score of one paper')
    .action(async (flags: TrendingFlags) => {
      const limit = whole(flags.limit, '--limit', 1);
      const page = whole(flags.page, '--page', 1);
      const now = flags.now === undefined ? undefined : new Date(flags.now);
      if (now && Number.isNaN(now.getTime())) throw new PaperboyError('bad_input', `--now must be a time like 2026-06-30T12:00:00Z, got "${flags.now}"`);
      if ([flags.week, flags.month, flags.days !== undefined].filter(Boolean).length > 1) throw new PaperboyError('bad_input', 'Give only one of --week, --month and --days.');
      await ctx.withStore(async (store) => {
        const trending = createTrending(store, ctx.config().trending);
        if (flags.explain) return explain(await trending.explain(flags.explain, now), flags.explain, flags.json);
        const day = flags.date ? checkDay(flags.date, '--date') : await latestDay(store, flags.cat);
        if (!day) throw new PaperboyError('not_found', 'No papers yet: import or harvest some first.');
        const range: DayRange = flags.week ? isoWeekRange(day) : flags.month ? monthRange(day)
          : flags.days !== undefined ? lastDays(whole(flags.days, '--days', 1), day) : dayRange(day);
        const t0 = performance.now();
        const result = await trending.rank({ ...range, category: flags.cat, limit, offset: (page - 1) * limit, now });
        const ms = performance.now() - t0;
        const papers = new Map((await store.getPapers(result.entries.map((e) => e.paperId))).map((p) => [p.id, p]));
        const first = (page - 1) * limit;
        if (flags.json) {
          process.stdout.write(JSON.stringify({
            ...range, category: flags.cat ?? null, total: result.total,
            entries: result.entries.map((e, i) => ({ rank: first + i + 1, ...e, title: papers.get(e.paperId)?.title ?? null })),
          }, null, 2) + '\n');
        } else {
          result.entries.forEach((e, i) => {
            const why = topReasons(e);
            process.stdout.write(`${String(first + i + 1).padStart(4)}  ${e.paperId.padEnd(16)} ${e.score.toFixed(2).padStart(6)}  ${papers.get(e.paperId)?.title ?? ''}${why ? `\n${' '.repeat(30)}${why}` : ''}\n`);
          });
        }
        process.stderr.write(`${result.total.toLocaleString('en-US')} papers ${range.from === range.to ? `of ${range.from}` : `from ${range.from} to ${range.to}`}` +
          `${flags.cat ? ` in ${flags.cat}` : ''} ranked in ${ms.toFixed(1)} ms\n`);
      });
    });
}

/** The two largest positive parts of a score, as a hint of why it ranks there. */
function topReasons(e: TrendingEntry): string {
  return e.components.filter((c) => c.contribution > 0 && c.name !== 'freshness').sort((a, b) => b.contribution - a.contribution)
    .slice(0, 2).map((c) => c.label).join('; ');
}

function explain(entry: TrendingEntry | null, id: string, json?: boolean): void {
  if (!entry) throw new PaperboyError('not_found', `No paper ${id} in this store.`);
  if (json) {
    process.stdout.write(JSON.stringify(entry, null, 2) + '\n');
    return;
  }
  const lines = [`${entry.paperId}: score ${entry.score.toFixed(2)}`];
  for (const c of entry.components) lines.push(`  ${(c.contribution >= 0 ? '+' : '') + c.contribution.toFixed(2)}`.padEnd(10) + `  ${c.label}`);
  process.stdout.write(lines.join('\n') + '\n');
}

async function latestDay(store: Store, category?: string): Promise<string | null> {
  const [p] = await store.listPapers({ limit: 1, category });
  return p ? displayDay(p) : null;
}

function whole(v: string, name: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new PaperboyError('bad_input', `${name} must be a whole number ≥ ${min}, got "${v}"`);
  return n;
}
