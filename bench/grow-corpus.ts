// Grows a real corpus into a large synthetic one for search benchmarks, written straight
// into a store (store.ingest, batches of 2,000): a new SQLite file here, any engine's
// store through growInto() (bench/engines.ts fills PostgreSQL with it). The real papers go in first; each
// synthetic paper then takes
//   - an id in a range arXiv never used: YYMM 9901, 9902, … (then 9801, …) with 5-digit
//     numbers (1999 ids had 4), so every id parses with parseArxivId and none is real;
//   - a title: a real title with 1–3 of its words swapped for words of another real title;
//   - an abstract: 4–8 sentences, each from the abstract of a random real paper;
//   - authors, categories and dates of one random real paper.
// So word frequencies, field lengths and co-occurring vocabulary stay those of real
// abstracts, while no two papers are copies. Seeded: the same inputs give the same corpus.
//   tsx bench/grow-corpus.ts <source.jsonl.gz> <out.db> [papers=1000000] [seed=7]

import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJsonl } from '../src/ingest/jsonl.js';
import type { PaperRecord } from '../src/papers/paper.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { pick, prng, randomInt } from './search-queries.js';

export const GROW_METHOD = [
  'real papers first, then synthetic ones up to the target size:',
  '  id        unused range 9901.00001, 9901.00002, … (YYMM 99xx then 98xx, 5-digit numbers)',
  '  title     a random real title with 1-3 words swapped for words of another random title',
  '  abstract  4-8 sentences, each from the abstract of a random real paper',
  '  authors, categories, dates   those of one random real paper',
].join('\n');

export interface GrowOptions {
  papers: number;
  seed?: number;
  batchSize?: number;
  onProgress?: (written: number, total: number) => void;
}

/** The synthetic id of the i-th (0-based) grown paper. */
export function syntheticId(i: number): string {
  const month = Math.floor(i / 99999);
  const yy = 99 - Math.floor(month / 12);
  if (yy < 92) throw new Error(`too many synthetic papers: ${i + 1}`);
  return `${yy}${String((month % 12) + 1).padStart(2, '0')}.${String((i % 99999) + 1).padStart(5, '0')}`;
}

const SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z(\[])/;

export interface Grown {
  real: number;
  synthetic: number;
  /** The whole run: reading the source, making papers, writing them. */
  ms: number;
  /** Of which waiting for store.ingest: what an import into this store costs. */
  ingestMs: number;
  /** This process's CPU time in store.ingest (for SQLite, the engine's work too). */
  ingestCpuMs: number;
}

/** Writes `opts.papers` papers (the real ones of `source`, then synthetic ones) into a new SQLite file. */
export async function growCorpus(source: string, out: string, opts: GrowOptions): Promise<Grown> {
  const tmp = `${out}.partial`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  const store = openSqliteStore(tmp);
  await store.migrate();
  const grown = await growInto(store, source, opts);
  await store.close();
  for (const f of [`${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  renameSync(tmp, out);
  return grown;
}

/** Writes `opts.papers` papers (the real ones of `source`, then synthetic ones) into a migrated store; the same papers whatever the store. */
export async function growInto(store: Store, source: string, opts: GrowOptions): Promise<Grown> {
  const t0 = performance.now();
  const rand = prng(opts.seed ?? 7);
  const batchSize = opts.batchSize ?? 2000;
  const real: PaperRecord[] = [];
  for await (const r of readJsonl(source)) if ('record' in r) real.push(r.record);
  if (!real.length) throw new Error(`${source}: no papers`);
  const sentences = real.map((p) => p.abstract.split(SENTENCE_END).filter((s) => s.length > 0));
  const titleWords = real.map((p) => p.title.split(' '));

  let written = 0;
  let ingestMs = 0;
  let ingestCpuMs = 0;
  const write = async (papers: PaperRecord[]) => {
    const [t, c] = [performance.now(), process.cpuUsage()];
    await store.ingest({ papers });
    ingestMs += performance.now() - t;
    const used = process.cpuUsage(c);
    ingestCpuMs += (used.user + used.system) / 1000;
    written += papers.length;
    opts.onProgress?.(written, opts.papers);
  };
  const keepReal = real.slice(0, opts.papers);
  for (let i = 0; i < keepReal.length; i += batchSize) await write(keepReal.slice(i, i + batchSize));

  const synthetic = Math.max(0, opts.papers - keepReal.length);
  let batch: PaperRecord[] = [];
  for (let i = 0; i < synthetic; i++) {
    const title = [...pick(rand, titleWords)];
    const donorTitle = pick(rand, titleWords);
    for (let s = randomInt(rand, 1, 3); s > 0; s--) title[randomInt(rand, 0, title.length - 1)] = pick(rand, donorTitle);
    const abstract: string[] = [];
    for (let s = randomInt(rand, 4, 8); s > 0; s--) abstract.push(pick(rand, pick(rand, sentences)));
    const donor = pick(rand, real);
    batch.push({ ...donor, id: syntheticId(i), title: title.join(' '), abstract: abstract.join(' '), comment: null, journalRef: null, doi: null });
    if (batch.length === batchSize) {
      await write(batch);
      batch = [];
    }
  }
  if (batch.length) await write(batch);
  return { real: keepReal.length, synthetic, ms: performance.now() - t0, ingestMs, ingestCpuMs };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [source, out, papers = '1000000', seed = '7'] = process.argv.slice(2);
  if (!source || !out || !existsSync(source)) {
    process.stderr.write('usage: tsx bench/grow-corpus.ts <source.jsonl.gz> <out.db> [papers=1000000] [seed=7]\n');
    process.exit(2);
  }
  const r = await growCorpus(source, out, { papers: Number(papers), seed: Number(seed) });
  process.stdout.write(`${out}: ${r.real} real + ${r.synthetic} synthetic papers in ${(r.ms / 1000).toFixed(1)} s\n`);
}
