// `paperboy add`: fetch specific papers (ids, versioned ids, arxiv.org URLs) or the
// results of an arXiv search query from the arXiv API, and store them.

import { Option, type Command } from 'commander';
import { userAgent } from '../config.js';
import { PaperboyError } from '../errors.js';
import { fetchByIds, searchArxiv } from '../ingest/arxiv-api.js';
import { createPoliteHttpClient } from '../ingest/polite-http.js';
import { parseArxivId } from '../papers/arxiv-id.js';
import type { PaperRecord } from '../papers/paper.js';
import type { IngestResult } from '../store/store.js';
import type { CliContext } from './context.js';

interface AddFlags { query?: string; max: string; pageSize: string; sort: 'relevance' | 'submitted' | 'updated'; url?: string }

const SORT_BY = { relevance: 'relevance', submitted: 'submittedDate', updated: 'lastUpdatedDate' } as const;
const BATCH = 100;

export function registerAdd(program: Command, ctx: CliContext): void {
  program.command('add')
    .description('add papers from the arXiv API by id or URL, or every result of a search query')
    .argument('[ids...]', 'arXiv ids (2503.11731, hep-th/9901001), versioned ids or arxiv.org URLs')
    .option('-q, --query <query>', 'arXiv search query, e.g. "cat:cs.LG AND ti:diffusion"')
    .option('--max <n>', 'most search results to add', '100')
    .option('--page-size <n>', 'search results per request', '100')
    .addOption(new Option('--sort <order>', 'search result order').choices(['relevance', 'submitted', 'updated']).default('relevance'))
    .option('--url <base>', 'arXiv API URL (default https://export.arxiv.org/api/query)')
    .action(async (args: string[], flags: AddFlags) => {
      if (!args.length && !flags.query) throw new PaperboyError('bad_input', 'Give arXiv ids or URLs to add, or --query "…"');
      if (args.length && flags.query) throw new PaperboyError('bad_input', 'Give either arXiv ids or --query, not both');
      if (flags.url && !/^https?:\/\/\S+$/.test(flags.url)) throw new PaperboyError('bad_input', `--url must be an http(s) URL, got "${flags.url}"`);
      const config = ctx.config();
      const logger = ctx.logger();
      const baseUrl = flags.url ?? config.arxivApi.baseUrl;
      const http = createPoliteHttpClient({
        minIntervalMs: config.harvest.minIntervalMs, timeoutMs: config.harvest.timeoutMs, maxRetries: config.harvest.maxRetries,
        userAgent: userAgent(config), logger,
      });

      // Invalid ids are reported up front and skipped, so one typo does not cost the rest.
      const ids: string[] = [];
      const invalid: string[] = [];
      for (const arg of args) {
        const parsed = parseArxivId(arg);
        if (!parsed) invalid.push(arg);
        // The version is dropped on purpose: storing the paper means storing its latest version.
        else if (!ids.includes(parsed.id)) ids.push(parsed.id);
      }
      for (const arg of invalid) process.stderr.write(`paperboy: not an arXiv id or URL, skipped: "${arg}"\n`);

      const total: IngestResult = { inserted: 0, updated: 0, unchanged: 0, signalsAdded: 0 };
      const lines: string[] = [];
      let missing: string[] = [];
      await ctx.withStore(async (store) => {
        const save = async (records: PaperRecord[]) => {
          for (let i = 0; i < records.length; i += BATCH) {
            const r = await store.ingest({ papers: records.slice(i, i + BATCH) });
            total.inserted += r.inserted;
            total.updated += r.updated;
            total.unchanged += r.unchanged;
          }
          for (const p of records) lines.push(`${p.id}${latest(p)}  ${truncate(p.title, 90)}`);
          logger.info('papers stored', { batch: records.length, inserted: total.inserted, updated: total.updated, unchanged: total.unchanged });
        };
        if (flags.query) {
          const max = positiveInt('--max', flags.max);
          const res = await searchArxiv(http, baseUrl, flags.query, {
            max, pageSize: positiveInt('--page-size', flags.pageSize), sortBy: SORT_BY[flags.sort], onRecords: save,
          });
          for (const p of res.problems) logger.warn('skipped an unreadable entry', { problem: p });
          lines.push(`Query matched ${res.totalResults.toLocaleString('en-US')} papers on arXiv; fetched ${res.records.length}.`);
        } else if (ids.length) {
          const res = await fetchByIds(http, baseUrl, ids, { onRecords: save });
          for (const p of res.problems) logger.debug('skipped an entry', { problem: p });
          missing = res.missing;
        }
      });

      for (const id of missing) process.stderr.write(`paperboy: not found on arXiv: ${id}\n`);
      lines.push(`Added ${total.inserted}, updated ${total.updated}, unchanged ${total.unchanged}.`);
      process.stdout.write(lines.join('\n') + '\n');
      if (invalid.length || missing.length) {
        const parts = [invalid.length ? `${invalid.length} not an arXiv id` : '', missing.length ? `${missing.length} not found` : ''];
        throw new PaperboyError(invalid.length ? 'bad_input' : 'not_found', `${parts.filter(Boolean).join(', ')}; the rest were stored`);
      }
    });
}

function positiveInt(flag: string, v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new PaperboyError('bad_input', `${flag} must be a positive whole number, got "${v}"`);
  return Number(v);
}

function latest(p: PaperRecord): string {
  const v = p.versions.at(-1)?.version;
  return v ? `v${v}` : '';
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
