// `importFiles`: loads JSON Lines (Kaggle snapshot or simple rows) and Hugging Face
// daily JSON into the store. JSONL is written in batches (each one atomic); an HF day is
// one atomic batch of papers and their signals. Bad records, and files cut short
// (`file:line: truncated …`), are reported as `file:line: reason` and skipped, and the
// other files still load; with `strict`, everything is validated first and nothing is
// written if anything is bad.

import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { PaperboyError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import type { PaperRecord, Signal } from '../papers/paper.js';
import type { PaperExtras } from '../store/extras-store.js';
import type { Store } from '../store/store.js';
import type { RepoLink } from '../store/trending-store.js';
import { fileSize, firstChar } from './file-input.js';
import { loadHfDaily } from './hf-daily.js';
import { readJsonl } from './jsonl.js';

export interface ImportOptions {
  strict?: boolean;
  batchSize?: number;
  logger?: Logger;
  onProgress?: (p: ImportProgress) => void;
  /** How many bad records are printed one by one before only counting them. */
  maxReported?: number;
}

export interface ImportProgress {
  file: string;
  /** Bytes of the files on disk read so far (compressed size for .gz), over all files. */
  bytesRead: number;
  totalBytes: number;
  read: number;
  phase: 'validate' | 'import';
}

export interface ImportSummary {
  files: number;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  signalsAdded: number;
  bad: number;
  elapsedMs: number;
}

const IMPORTABLE = /\.(jsonl?|ndjson)(\.gz)?$/i;

/** Files named on the command line; a folder stands for the .json/.jsonl(.gz) files in it. */
export async function expandInputs(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) throw new PaperboyError('not_found', `No such file or folder: ${input}`);
    if (!info.isDirectory()) {
      out.push(input);
      continue;
    }
    const names = (await readdir(input)).filter((n) => IMPORTABLE.test(n)).sort();
    if (!names.length) throw new PaperboyError('bad_input', `${input}: no .json, .jsonl or .gz files in this folder`);
    out.push(...names.map((n) => path.join(input, n)));
  }
  return out;
}

export async function importFiles(store: Store, inputs: string[], opts: ImportOptions = {}): Promise<ImportSummary> {
  const started = Date.now();
  const logger = opts.logger ?? silentLogger;
  const batchSize = Math.max(1, opts.batchSize ?? 2000);
  const maxReported = opts.maxReported ?? 20;
  const files = await expandInputs(inputs);
  const sizes = await Promise.all(files.map(fileSize));
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const summary: ImportSummary = { files: files.length, read: 0, inserted: 0, updated: 0, unchanged: 0, signalsAdded: 0, bad: 0, elapsedMs: 0 };

  const reportBad = (where: string, reason: string) => {
    summary.bad++;
    if (summary.bad <= maxReported) logger.warn(`${where}: ${reason}`);
  };

  const hfDay = async (file: string, write: boolean) => {
    const day = await loadHfDaily(file);
    // A day is one atomic batch: a cut or damaged file adds nothing.
    if ('reason' in day) return reportBad(`${file}:${day.line}`, day.reason);
    const ok = day.items.filter((it) => 'record' in it);
    for (const it of day.items) if ('reason' in it) reportBad(`${file}:item ${it.item}`, it.reason);
    summary.read += day.items.length;
    if (write && ok.length) {
      add(summary, await store.ingest({ papers: ok.map((it) => it.record), signals: ok.flatMap((it) => it.signals) }));
      await saveLinks(store, ok);
    }
  };

  const pass = async (phase: ImportProgress['phase']) => {
    const write = phase === 'import';
    let bytesBefore = 0;
    for (const [i, file] of files.entries()) {
      let bytes = bytesBefore;
      const progress = () => opts.onProgress?.({ file, bytesRead: bytes, totalBytes, read: summary.read, phase });
      if ((await firstChar(file)) === '[') {
        await hfDay(file, write);
      } else {
        let batch: PaperRecord[] = [];
        let signals: Signal[] = [];
        let links: { repo?: RepoLink | null; extras?: PaperExtras | null }[] = [];
        // One batch is written while the next is read: a server engine works on one
        // while this process parses the other. Batches still go in one at a time, in order.
        let writing: Promise<void> = Promise.resolve();
        const flush = async () => {
          const [papers, sigs, parsed] = [batch, signals, links];
          batch = [];
          signals = [];
          links = [];
          await writing;
          if (write && papers.length) {
            writing = (async () => {
              add(summary, await store.ingest({ papers, signals: sigs }));
              await saveLinks(store, parsed);
            })();
            // Its failure is thrown where it is awaited (the next flush, or the end).
            writing.catch(() => {});
          }
          progress();
        };
        for await (const r of readJsonl(file, (n) => (bytes += n))) {
          summary.read++;
          if ('reason' in r) reportBad(`${file}:${r.line}`, r.reason);
          else if (write) {
            batch.push(r.record);
            // Rows of the flattened Hugging Face file bring counts and links too.
            if (r.signals) signals.push(...r.signals);
            if (r.repo || r.extras) links.push(r);
          }
          if (summary.read % batchSize === 0) await flush();
        }
        await flush();
        await writing;
      }
      bytes = bytesBefore += sizes[i]!;
      progress();
    }
  };

  if (opts.strict) {
    await pass('validate');
    if (summary.bad > 0) {
      if (summary.bad > maxReported) logger.warn(`… and ${summary.bad - maxReported} more bad records not shown`);
      throw new PaperboyError('bad_input',
        `${summary.bad} of ${summary.read} records are bad; nothing was imported (--strict). Fix them or import without --strict to skip them.`,
        { bad: summary.bad, read: summary.read });
    }
    summary.read = 0;
  }
  await pass('import');
  if (summary.bad > maxReported) logger.warn(`… and ${summary.bad - maxReported} more bad records not shown`);
  summary.elapsedMs = Date.now() - started;
  return summary;
}

/** Repository links and extras go in after their papers (unknown papers are skipped). */
async function saveLinks(store: Store, parsed: { repo?: RepoLink | null; extras?: PaperExtras | null }[]): Promise<void> {
  const repos = parsed.flatMap((p) => (p.repo ? [p.repo] : []));
  const extras = parsed.flatMap((p) => (p.extras ? [p.extras] : []));
  if (repos.length) await store.saveRepoLinks(repos);
  if (extras.length) await store.saveExtras(extras);
}

function add(s: ImportSummary, r: { inserted: number; updated: number; unchanged: number; signalsAdded: number }): void {
  s.inserted += r.inserted;
  s.updated += r.updated;
  s.unchanged += r.unchanged;
  s.signalsAdded += r.signalsAdded;
}
