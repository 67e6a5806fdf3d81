// `paperboy index [--rebuild]`: brings the search indexes up to date now rather than on the
// first search: the word index (saved beside the database), then the vectors: the built-in
// model trained (or loaded) and every paper embedded, or an external model's missing
// vectors embedded and stored. Killed midway, an external model's run resumes where it
// stopped. --rebuild retrains the built-in model, or drops other models' stored vectors.

import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { openSearchEngine } from '../search/open.js';
import type { CliContext } from './context.js';
import { openExternalEmbedder } from '../search/embedders/open-embedder.js';

export function registerIndex(program: Command, ctx: CliContext): void {
  program.command('index')
    .description('build the search indexes now: words, then vectors for search by meaning (with progress)')
    .option('--rebuild', 'retrain the built-in model from the current papers; with an external model, delete the vectors of other models')
    .action(async (opts: { rebuild?: boolean }) => {
      const config = ctx.config();
      const logger = ctx.logger();
      const progress = createProgress(ctx);
      await ctx.withStore(async (store) => {
        const embedder = await openExternalEmbedder(config, { logger });
        if (opts.rebuild && embedder) {
          const dropped = await store.dropPaperVectorsExcept(embedder.name);
          if (dropped) logger.info('deleted the vectors of other models', { vectors: dropped });
        }
        const engine = openSearchEngine(store, config, { logger, embedder, waitForVectors: true, onProgress: progress.update, retrain: opts.rebuild });
        const t0 = performance.now();
        const index = await engine.lexical.index();
        await engine.lexical.saved();
        logger.info('word index ready', { papers: index.size, ms: Math.round(performance.now() - t0) });
        if (!engine.semantic) {
          logger.info('search by meaning is off (search.semantic); no vectors built');
          return;
        }
        const t1 = performance.now();
        const state = await engine.semantic.current();
        await engine.semantic.saved();
        progress.stop();
        logger.info('vectors ready', { papers: state?.index.size ?? 0, model: state?.embedder.name ?? null, ms: Math.round(performance.now() - t1) });
        await embedder?.close?.();
      });
    });
}

const PHASES = { train: 'training the search model', embed: 'embedding papers', graph: 'linking nearest neighbours' } as const;

function createProgress(ctx: CliContext) {
  const tty = process.stderr.isTTY && ctx.config().log.level !== 'silent';
  let bar: SingleBar | null = null;
  let phase = '';
  let last = 0;
  return {
    update(p: 'train' | 'embed' | 'graph', done: number, total: number) {
      if (!tty) {
        if (Date.now() - last < 5000 && done < total) return;
        last = Date.now();
        ctx.logger().info(PHASES[p], { done, total });
        return;
      }
      if (p !== phase) {
        bar?.stop();
        phase = p;
        bar = new SingleBar({ format: ` ${PHASES[p]} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`, hideCursor: true, fps: 5 }, Presets.shades_classic);
        bar.start(total, done);
      }
      bar!.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}
