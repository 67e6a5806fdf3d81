// `paperboy eval`: search quality on a BEIR-format benchmark.

import type { Command } from 'commander';
import { PaperboyError } from '../errors.js';
import { EVAL_MODES, runEval, type EvalMode } from '../search/eval.js';
import type { CliContext } from './context.js';

export function registerEval(program: Command, ctx: CliContext): void {
  program.command('eval')
    .description('measure search quality (nDCG@10, recall@100, MRR@10) on a BEIR-format benchmark')
    .requiredOption('--corpus <file>', 'corpus.jsonl(.gz) with _id, title, text')
    .requiredOption('--queries <file>', 'queries.jsonl with _id, text')
    .requiredOption('--qrels <file>', 'qrels TSV: query-id, corpus-id, score (with a header)')
    .option('--mode <modes>', `comma-separated: ${EVAL_MODES.join(', ')} (one row each)`, 'lexical')
    .option('--fusion <method>', 'how hybrid fuses the lists: weighted or rrf')
    .option('--semantic-weight <w>', 'weight of the vector list in a weighted fusion, 0..1')
    .option('--word-match-weight <w>', 'weight of the word-by-word meaning match re-ordering hybrid\'s best 30, 0..1 (0: off)')
    .option('--json', 'print JSON')
    .action(async (opts: { corpus: string; queries: string; qrels: string; mode: string; fusion?: string; semanticWeight?: string; wordMatchWeight?: string; json?: boolean }) => {
      const modes = opts.mode.split(',').map((m) => m.trim());
      const unknown = modes.filter((m) => !(EVAL_MODES as readonly string[]).includes(m));
      if (unknown.length) throw new PaperboyError('bad_input', `Unknown mode ${unknown.join(', ')}; available: ${EVAL_MODES.join(', ')}`);
      if (opts.fusion && opts.fusion !== 'weighted' && opts.fusion !== 'rrf') throw new PaperboyError('bad_input', `Unknown fusion "${opts.fusion}"; use weighted or rrf`);
      const weight = weightOption('--semantic-weight', opts.semanticWeight);
      const wordMatch = weightOption('--word-match-weight', opts.wordMatchWeight);
      const config = ctx.config();
      const fusion = {
        ...config.search.fusion, ...(opts.fusion ? { method: opts.fusion as 'weighted' | 'rrf' } : {}),
        ...(weight !== undefined ? { semanticWeight: weight } : {}), ...(wordMatch !== undefined ? { wordMatchWeight: wordMatch } : {}),
      };
      const logger = ctx.logger();
      let lastLog = 0;
      const report = await runEval({
        corpus: opts.corpus, queries: opts.queries, qrels: opts.qrels, modes: modes as EvalMode[], fusion,
        onProgress: (done, total, phase) => {
          if (Date.now() - lastLog < 2000) return;
          lastLog = Date.now();
          logger.info(phase === 'index' ? `indexed ${done} documents` : phase === 'train' ? `training the search model: batch ${done}/${total}` : phase === 'embed' ? `embedded ${done}/${total} papers` : phase === 'graph' ? `linked ${done}/${total} papers to their nearest neighbours` : `ran ${done}/${total} queries`);
        },
      });
      if (opts.json) {
        process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        return;
      }
      const f = (x: number) => x.toFixed(4);
      const lines = [
        `${report.documents} documents indexed in ${(report.indexMs / 1000).toFixed(1)} s` + (report.vectorMs === null ? '' : `; vectors (${report.model}) in ${(report.vectorMs / 1000).toFixed(1)} s`),
        'mode        queries  nDCG@10  recall@100  MRR@10   ms/query',
        ...report.rows.map((r) => `${r.mode.padEnd(11)} ${String(r.queries).padStart(7)}  ${f(r.ndcg10)}   ${f(r.recall100)}    ${f(r.mrr10)}  ${(r.queryMs / r.queries).toFixed(2).padStart(8)}`),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}

function weightOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const w = Number(value);
  if (!(w >= 0 && w <= 1)) throw new PaperboyError('bad_input', `${flag} must be a number from 0 to 1, not "${value}"`);
  return w;
}
