// `paperboy harvest`: one incremental arXiv OAI-PMH harvest of the configured sets, with
// a log line per page and a summary at the end. Re-running after a crash resumes.

import { Option, type Command } from 'commander';
import type { Config } from '../config.js';
import { PaperboyError } from '../errors.js';
import { harvestAll } from '../ingest/harvest.js';
import type { CliContext } from './context.js';

interface HarvestFlags { set: string[]; from?: string; until?: string; format?: 'arXivRaw' | 'arXiv'; url?: string }

export function registerHarvest(program: Command, ctx: CliContext): void {
  program.command('harvest')
    .description('harvest new and updated papers from arXiv OAI-PMH once (resumes an interrupted harvest)')
    .option('--set <set>', 'OAI set, e.g. cs or physics:hep-th (repeatable; default from config)', (v: string, all: string[]) => [...all, v], [])
    .option('--from <date>', 'harvest records changed since YYYY-MM-DD (default: where the last harvest ended)')
    .option('--until <date>', 'harvest records changed until YYYY-MM-DD (a backfill; does not move the next start)')
    .addOption(new Option('--format <prefix>', 'OAI metadata format').choices(['arXivRaw', 'arXiv']))
    .option('--url <base>', 'OAI-PMH base URL (default https://oaipmh.arxiv.org/oai)')
    .action(async (flags: HarvestFlags) => {
      const base = ctx.config();
      if (flags.url && !/^https?:\/\/\S+$/.test(flags.url)) throw new PaperboyError('bad_input', `--url must be an http(s) URL, got "${flags.url}"`);
      const config: Config = {
        ...base,
        harvest: {
          ...base.harvest,
          ...(flags.set.length ? { sets: flags.set } : {}),
          ...(flags.format ? { metadataPrefix: flags.format } : {}),
          ...(flags.url ? { oaiBaseUrl: flags.url } : {}),
        },
      };
      const logger = ctx.logger();
      const summary = await ctx.withStore((store) => harvestAll(store, config, logger, {
        from: flags.from,
        until: flags.until,
        onPage: (p) => logger.info('page harvested', {
          harvest: p.name, pages: p.pages, records: p.records, ...(p.completeListSize !== null ? { of: p.completeListSize } : {}),
        }),
      }));
      const n = (x: number) => x.toLocaleString('en-US');
      const lines = summary.harvests.map((h) =>
        `${h.name.padEnd(22)} from ${h.from}${h.resumed ? ' (resumed)' : ''}: ${n(h.pages)} pages, ${n(h.records)} records ` +
        `(${n(h.inserted)} new, ${n(h.updated)} updated, ${n(h.unchanged)} unchanged` +
        `${h.deleted ? `, ${n(h.deleted)} deleted upstream` : ''}${h.skipped ? `, ${n(h.skipped)} unreadable` : ''}), next from ${h.nextFrom ?? '-'}`);
      lines.push(`Total: ${n(summary.pages)} pages, ${n(summary.records)} records (${n(summary.inserted)} new, ` +
        `${n(summary.updated)} updated) in ${(summary.durationMs / 1000).toFixed(1)} s`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
