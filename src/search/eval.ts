// The evaluation harness: index a BEIR corpus into a temporary database, run every
// judged query through the same search the site uses, and measure nDCG@10, recall@100
// and MRR@10.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { emptyRecord, type PaperRecord } from '../papers/paper.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { readBeirCorpus, readBeirQueries, readQrels } from './beir.js';
import { summarise, type EvalSummary } from './metrics.js';
import { createSearchEngine, search, SEARCH_MODES, type SearchMode } from './search.js';
import type { FusionOptions } from './hybrid.js';
import { createSemanticSearcher } from './semantic/searcher.js';
import type { Embedder } from './embedders/embedder.js';

export const EVAL_MODES = SEARCH_MODES;
export type EvalMode = SearchMode;

export interface EvalOptions {
  corpus: string;
  queries: string;
  qrels: string;
  modes?: EvalMode[];
  fusion?: FusionOptions;
  /** An external model; none: the built-in model, trained on the corpus. */
  embedder?: Embedder | null;
  onProgress?: (done: number, total: number, phase: 'index' | 'query' | 'train' | 'embed' | 'graph') => void;
}

export interface EvalReport {
  documents: number;
  indexMs: number;
  /** Training the built-in model (if any) and embedding the corpus. */
  vectorMs: number | null;
  model: string | null;
  rows: (EvalSummary & { mode: EvalMode; queryMs: number })[];
}

export async function runEval(opts: EvalOptions): Promise<EvalReport> {
  const qrels = readQrels(opts.qrels);
  const queries = readBeirQueries(opts.queries).filter((q) => qrels.has(q.id));
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-eval-'));
  const store = openSqliteStore(path.join(dir, 'eval.db'));
  try {
    await store.migrate();
    const t0 = performance.now();
    const documents = await indexCorpus(store, opts.corpus, (n) => opts.onProgress?.(n, 0, 'index'));
    const indexMs = performance.now() - t0;
    const rows: EvalReport['rows'] = [];
    const modes = opts.modes ?? ['lexical'];
    const semantic = modes.some((m) => m !== 'lexical')
      ? createSemanticSearcher(store, { embedder: opts.embedder, onProgress: (phase, done, total) => opts.onProgress?.(done, total, phase) })
      : null;
    const engine = createSearchEngine(store, { semantic, fusion: opts.fusion, waitForVectors: true });
    await engine.lexical.index();
    const t2 = performance.now();
    const vectors = await semantic?.current();
    const vectorMs = semantic ? performance.now() - t2 : null;
    for (const mode of modes) {
      const runs = new Map<string, string[]>();
      const t1 = performance.now();
      for (const [i, q] of queries.entries()) {
        const result = await search(engine, q.text, { limit: 100, mode, snippets: false });
        runs.set(q.id, result.hits.map((h) => h.paper.id));
        opts.onProgress?.(i + 1, queries.length, 'query');
      }
      rows.push({ mode, ...summarise(runs, qrels), queryMs: performance.now() - t1 });
    }
    return { documents, indexMs, vectorMs, model: vectors?.embedder.name ?? null, rows };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function indexCorpus(store: Store, file: string, progress: (n: number) => void): Promise<number> {
  let batch: PaperRecord[] = [];
  let n = 0;
  for await (const doc of readBeirCorpus(file)) {
    batch.push(emptyRecord(doc.id, doc.title, doc.text));
    if (batch.length === 2000) {
      await store.ingest({ papers: batch });
      n += batch.length;
      batch = [];
      progress(n);
    }
  }
  await store.ingest({ papers: batch });
  return n + batch.length;
}
