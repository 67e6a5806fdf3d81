// `paperboy search QUERY`: the ranked results as a table or JSON.

import type { Command } from 'commander';
import { PaperboyError } from '../errors.js';
import { search, SEARCH_MODES, type SearchMode, type SortOrder } from '../search/search.js';
import { openSearchEngine } from '../search/open.js';
import { openExternalEmbedder } from '../search/embedders/open-embedder.js';
import { displayDay } from '../papers/paper.js';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../store/store.js';
import { createTrending } from '../trending/index.js';
import type { CliContext } from './context.js';

const SORTS: SortOrder[] = ['relevance', 'newest', 'trending'];

export function registerSearch(program: Command, ctx: CliContext): void {
  program.command('search')
    .description('search the papers (query language: "phrases", -exclude, OR, cat:, author:, title:, year:, since:, before:)')
    .argument('<query...>', 'the query; quote it in the shell to keep "phrases"')
    .option('-n, --limit <n>', 'results per page (max 100)', '20')
    .option('-p, --page <n>', 'page number', '1')
    .option('-s, --sort <order>', SORTS.join(' | '))
    .option('-m, --mode <mode>', `${SEARCH_MODES.join(' | ')} (default: hybrid when search by meaning is on)`)
    .option('--json', 'print JSON (with snippets and all paper fields)')
    .action(async (words: string[], opts: { limit: string; page: string; sort?: string; mode?: string; json?: boolean }) => {
      const limit = Number(opts.limit);
      const page = Number(opts.page);
      if (!Number.isInteger(limit) || limit < 1) throw new PaperboyError('bad_input', `--limit must be a positive whole number, got "${opts.limit}"`);
      if (!Number.isInteger(page) || page < 1) throw new PaperboyError('bad_input', `--page must be a positive whole number, got "${opts.page}"`);
      if (opts.sort && !SORTS.includes(opts.sort as SortOrder)) throw new PaperboyError('bad_input', `--sort must be one of ${SORTS.join(', ')}`);
      if (opts.mode && !SEARCH_MODES.includes(opts.mode as SearchMode)) throw new PaperboyError('bad_input', `--mode must be one of ${SEARCH_MODES.join(', ')}`);
      const result = await ctx.withStore(async (store) => {
        // The index is saved beside the database, so only the first search builds it.
        const config = ctx.config();
        const embedder = config.search.semantic && opts.mode !== 'lexical' ? await openExternalEmbedder(config, { logger: ctx.logger() }) : null;
        const engine = openSearchEngine(store, config, { logger: ctx.logger(), trending: createTrending(store, config.trending), waitForVectors: opts.mode !== 'lexical', embedder });
        const found = await search(engine, words.join(' '), { limit, page, sort: opts.sort as SortOrder | undefined, mode: opts.mode as SearchMode | undefined });
        await engine.lexical.saved();
        return found;
      });

      if (opts.json) {
        process.stdout.write(JSON.stringify({
          query: result.query, mode: result.mode, total: result.total, page: result.page, limit: result.limit, sort: result.sort, notes: result.notes,
          results: result.hits.map((h) => ({ ...h.paper, score: h.score, snippet: h.snippet })),
        }, null, 2) + '\n');
        return;
      }
      for (const note of result.notes) process.stderr.write(`note: ${note}\n`);
      const from = (result.page - 1) * result.limit;
      process.stderr.write(`${result.total.toLocaleString('en-US')} results${result.total ? `, showing ${from + 1}–${from + result.hits.length}` : ''}\n`);
      const plain = (s: string) => s.replaceAll(HIGHLIGHT_START, '').replaceAll(HIGHLIGHT_END, '');
      for (const h of result.hits) {
        const date = displayDay(h.paper) ?? '          ';
        process.stdout.write(`${h.paper.id.padEnd(16)} ${date}  ${h.score.toFixed(2).padStart(6)}  ${plain(h.paper.title)}\n`);
      }
    });
}
