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
import { createSearchEngine, search } from './search.js';

export const EVAL_MODES = ['lexical'] as const;
export type EvalMode = (typeof EVAL_MODES)[number];

export interface EvalOptions {
  corpus: string;
  queries: string;
  qrels: string;
  modes?: EvalMode[];
  onProgress?: (done: number, total: number, phase: 'index' | 'query') => void;
}

export interface EvalReport {
  documents: number;
  indexMs: number;
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
    for (const mode of opts.modes ?? ['lexical']) {
      const runs = new Map<string, string[]>();
      const engine = createSearchEngine(store);
      await engine.lexical.index();
      const t1 = performance.now();
      for (const [i, q] of queries.entries()) {
        const result = await search(engine, q.text, { limit: 100 });
        runs.set(q.id, result.hits.map((h) => h.paper.id));
        opts.onProgress?.(i + 1, queries.length, 'query');
      }
      rows.push({ mode, ...summarise(runs, qrels), queryMs: performance.now() - t1 });
    }
    return { documents, indexMs, rows };
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
