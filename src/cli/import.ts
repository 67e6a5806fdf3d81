// `paperboy import FILE...`: load JSON Lines (Kaggle snapshot, simple rows) and Hugging
// Face daily JSON files or folders. A progress bar on a terminal (by bytes of the files
// on disk, known up front), periodic log lines otherwise; a summary at the end. Exit
// status 65 when records were skipped, so scripts notice.

import { MultiBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { PaperboyError } from '../errors.js';
import { importFiles, type ImportProgress, type ImportSummary } from '../ingest/import-files.js';
import { createLogger } from '../logger.js';
import type { CliContext } from './context.js';

interface ImportFlags { strict?: boolean; batchSize?: string }

export function registerImport(program: Command, ctx: CliContext): void {
  program.command('import')
    .description('import papers from JSONL (Kaggle arXiv snapshot or simple rows) and Hugging Face daily JSON (.gz too)')
    .argument('<files...>', 'files, or folders of .json/.jsonl(.gz) files')
    .option('--strict', 'check every record first and import nothing if any is bad')
    .option('--batch-size <n>', 'papers written per transaction', '2000')
    .action(async (files: string[], flags: ImportFlags) => {
      const batchSize = Number(flags.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new PaperboyError('bad_input', '--batch-size must be a positive integer');
      const { level, format } = ctx.config().log;
      const progress = process.stderr.isTTY && level !== 'silent' ? barProgress() : logProgress(ctx);
      // On a terminal, warnings go through the bar so they do not tear its line.
      const logger = createLogger({ level, format, write: progress.write });
      let summary: ImportSummary;
      try {
        summary = await ctx.withStore((store) =>
          importFiles(store, files, { strict: flags.strict, batchSize, logger, onProgress: progress.update }));
      } finally {
        progress.stop();
      }
      process.stdout.write(describeSummary(summary) + '\n');
      if (summary.bad > 0) process.exitCode = 65;
    });
}

export function describeSummary(s: ImportSummary): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const secs = s.elapsedMs / 1000;
  const rate = secs > 0 ? `, ${n(Math.round(s.read / secs))}/s` : '';
  const lines = [
    `Imported ${n(s.files)} file${s.files === 1 ? '' : 's'} in ${secs.toFixed(1)} s: ${n(s.read)} records read${rate}`,
    `  papers   ${n(s.inserted)} new, ${n(s.updated)} updated, ${n(s.unchanged)} unchanged`,
    `  signals  ${n(s.signalsAdded)} added or changed`,
  ];
  if (s.bad > 0) lines.push(`  skipped  ${n(s.bad)} bad record${s.bad === 1 ? '' : 's'} (listed above as file:line: reason); exit status 65`);
  return lines.join('\n');
}

interface Progress { update(p: ImportProgress): void; write(line: string): void; stop(): void }

function barProgress(): Progress {
  const bars = new MultiBar({
    format: ' {phase} [{bar}] {percentage}% | {mb}/{totalMb} MB | {read} records | {rate}/s | ETA {eta_formatted}',
    hideCursor: true, etaBuffer: 50, fps: 5, clearOnComplete: true,
  }, Presets.shades_classic);
  const started = Date.now();
  let bar: ReturnType<MultiBar['create']> | null = null;
  return {
    update(p) {
      const payload = {
        phase: p.phase === 'validate' ? 'checking' : 'importing',
        mb: (p.bytesRead / 1e6).toFixed(1), totalMb: (p.totalBytes / 1e6).toFixed(1),
        read: p.read.toLocaleString('en-US'),
        rate: Math.round(p.read / Math.max(0.001, (Date.now() - started) / 1000)).toLocaleString('en-US'),
      };
      bar ??= bars.create(Math.max(1, p.totalBytes), 0, payload);
      bar.update(p.bytesRead, payload);
    },
    // MultiBar only prints logged lines on its next redraw, so flush them before stopping.
    write: (line) => (bar ? bars.log(line + '\n') : process.stderr.write(line + '\n')),
    stop() {
      if (bar) bars.update();
      bars.stop();
    },
  };
}

function logProgress(ctx: CliContext): Progress {
  const EVERY_MS = 5000;
  let last = Date.now();
  return {
    update(p) {
      if (Date.now() - last < EVERY_MS) return;
      last = Date.now();
      const pct = p.totalBytes ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 0;
      ctx.logger().info(p.phase === 'validate' ? 'checking' : 'importing', { file: p.file, records: p.read, percent: pct });
    },
    write: (line) => process.stderr.write(line + '\n'),
    stop: () => undefined,
  };
}
