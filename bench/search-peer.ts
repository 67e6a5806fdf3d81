// One engine of the search benchmark in a process of its own, so its memory is its own:
//   node --expose-gc --import tsx bench/search-peer.ts <paperboy|minisearch|orama> <config.json>
// Builds the engine's index from a SQLite store, runs the query list (a warm-up pass, then
// a timed pass), optionally SciFact, and prints one `RESULT {json}` line on stdout.
// Paperboy also saves its index and loads it back, as a restart would.

import { readFileSync, rmSync, statSync } from 'node:fs';
import { runEval } from '../src/search/eval.js';
import type { IndexQuery, IndexResult, LexicalIndex } from '../src/search/lexical/lexical-index.js';
import { DEFAULT_BM25 } from '../src/search/lexical/segment.js';
import { analyzerFingerprint, saveSegment } from '../src/search/lexical/segment-file.js';
import { STORE_ID_SECRET } from '../src/search/lexical/searcher.js';
import { createSearchEngine, search } from '../src/search/search.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { createPeer, peerBeirEval, PEERS, type PeerDoc, type PeerName } from './search-engines.js';
import { latencyStats, QUERY_KINDS, type BenchQuery, type LatencyStats, type QueryKind } from './search-queries.js';

export interface PeerConfig {
  db: string;
  queries: string;
  scifact?: string;
  limit: number;
  /** Time allowed per query kind and pass before the rest of that kind is skipped. */
  budgetMs: number;
}

export interface PeerResult {
  engine: string;
  papers: number;
  buildMs: number;
  /** Resident memory after the build, after a full GC (MB). */
  rssMb: number;
  heapMb: number;
  peakRssMb: number;
  latency: Record<QueryKind, LatencyStats>;
  /** Paperboy only: mean ms per query spent in each part of `search`, and the index alone. */
  breakdown?: Record<QueryKind, { total: number; index: number; fetch: number; store: number; rest: number; indexP99: number }>;
  /** Paperboy only: saving the built index to a file and loading it in a fresh searcher, as a restart does. */
  indexFile?: { saveMs: number; loadMs: number; mb: number };
  scifact?: { ndcg10: number; recall100: number; mrr10: number; queries: number };
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const say = (engine: string, msg: string) => process.stderr.write(`  [${engine}] ${msg}\n`);

function settle(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage();
}

/**
 * Times each query. Once the queries of a kind have taken `budgetMs` in this pass, the rest
 * of that kind are skipped (an engine that needs seconds a query would take hours): the
 * list is in random order, so what is measured is an unbiased prefix, and `n` says its size.
 */
async function timedPass(queries: BenchQuery[], budgetMs: number, run: (q: string) => Promise<unknown>): Promise<Record<QueryKind, number[]>> {
  const times = { keyword: [], title: [], abstract: [] } as Record<QueryKind, number[]>;
  const spent = { keyword: 0, title: 0, abstract: 0 };
  for (const q of queries) {
    if (spent[q.kind] >= budgetMs) continue;
    const t0 = performance.now();
    await run(q.text);
    const ms = performance.now() - t0;
    times[q.kind].push(ms);
    spent[q.kind] += ms;
  }
  return times;
}

async function measure(engine: string, cfg: PeerConfig, queries: BenchQuery[], run: (q: string) => Promise<unknown>): Promise<Record<QueryKind, LatencyStats>> {
  say(engine, `warm-up pass: ${queries.length} queries`);
  await timedPass(queries, cfg.budgetMs, run);
  say(engine, 'timed pass');
  const times = await timedPass(queries, cfg.budgetMs, run);
  return Object.fromEntries(QUERY_KINDS.map((k) => [k, latencyStats(times[k])])) as Record<QueryKind, LatencyStats>;
}

async function benchPaperboy(cfg: PeerConfig, queries: BenchQuery[]): Promise<PeerResult> {
  // The store is wrapped so a profiling pass can split a query's time; off while timing.
  const base = openSqliteStore(cfg.db);
  const spent = { fetch: 0, store: 0, index: 0 };
  let profiling = false;
  const timed = <A extends unknown[], R>(part: 'fetch' | 'store', f: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    if (!profiling) return f(...a);
    const t0 = performance.now();
    try { return await f(...a); } finally { spent[part] += performance.now() - t0; }
  };
  const store: Store = { ...base, getPapers: timed('fetch', base.getPapers), contentVersion: timed('store', base.contentVersion), papersMeeting: timed('store', base.papersMeeting) };
  settle();
  const t0 = performance.now();
  const engine = createSearchEngine(store);
  const index = await engine.lexical.index();
  const buildMs = performance.now() - t0;
  const mem = settle();
  say('paperboy', `index built: ${index.size} papers in ${(buildMs / 1000).toFixed(1)} s`);
  const run = (q: string) => search(engine, q, { limit: cfg.limit });
  const latency = await measure('paperboy', cfg, queries, run);

  say('paperboy', 'profiling pass');
  const searchIndex = index.search.bind(index);
  index.search = (q: IndexQuery): IndexResult => {
    const t = performance.now();
    try { return searchIndex(q); } finally { spent.index += performance.now() - t; }
  };
  profiling = true;
  const parts = { keyword: [], title: [], abstract: [] } as Record<QueryKind, { total: number; index: number; fetch: number; store: number }[]>;
  for (const q of queries) {
    spent.fetch = spent.store = spent.index = 0;
    const t = performance.now();
    await run(q.text);
    parts[q.kind].push({ total: performance.now() - t, ...spent });
  }
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
  const breakdown = Object.fromEntries(QUERY_KINDS.map((k) => {
    const p = parts[k];
    const total = avg(p.map((x) => x.total)), idx = avg(p.map((x) => x.index)), fetch = avg(p.map((x) => x.fetch)), st = avg(p.map((x) => x.store));
    return [k, { total, index: idx, fetch, store: st, rest: total - idx - fetch - st, indexP99: latencyStats(p.map((x) => x.index)).p99 }];
  })) as NonNullable<PeerResult['breakdown']>;

  say('paperboy', 'saving the index and loading it back');
  const indexFile = await saveAndLoad(base, index, `${cfg.db}.bench-search-index`);
  const result: PeerResult = {
    engine: 'paperboy', papers: index.size, buildMs, rssMb: mb(mem.rss), heapMb: mb(mem.heapUsed),
    peakRssMb: process.resourceUsage().maxRSS / 1024, latency, breakdown, indexFile,
  };
  await base.close();
  if (cfg.scifact) {
    say('paperboy', 'SciFact');
    const d = cfg.scifact;
    const report = await runEval({ corpus: `${d}/corpus.jsonl.gz`, queries: `${d}/queries.jsonl`, qrels: `${d}/qrels.tsv` });
    const row = report.rows[0]!;
    result.scifact = { ndcg10: row.ndcg10, recall100: row.recall100, mrr10: row.mrr10, queries: row.queries };
  }
  return result;
}

/** What a restart costs with the saved index: writing it once, then loading it into a new searcher. */
async function saveAndLoad(store: Store, index: LexicalIndex, file: string): Promise<NonNullable<PeerResult['indexFile']>> {
  const origin = { storeId: await store.secret(STORE_ID_SECRET), version: await store.contentVersion(), params: DEFAULT_BM25, analyzer: analyzerFingerprint() };
  try {
    let t = performance.now();
    await saveSegment(file, index.mainSegment, origin);
    const saveMs = performance.now() - t;
    t = performance.now();
    const loaded = await createSearchEngine(store, { indexFile: file }).lexical.index();
    const loadMs = performance.now() - t;
    if (loaded.size !== index.size) throw new Error(`the loaded index has ${loaded.size} papers, the built one ${index.size}`);
    return { saveMs, loadMs, mb: statSync(file).size / 1e6 };
  } finally {
    rmSync(file, { force: true });
  }
}

async function benchPeer(name: PeerName, cfg: PeerConfig, queries: BenchQuery[]): Promise<PeerResult> {
  const store = openSqliteStore(cfg.db);
  settle();
  const t0 = performance.now();
  const peer = createPeer(name);
  let papers = 0;
  let chunk: PeerDoc[] = [];
  for await (const d of store.searchDocuments()) {
    chunk.push({ id: d.id, title: d.title, authors: d.authorNames, abstract: d.abstract });
    if (chunk.length === 2000) {
      await peer.addAll(chunk);
      papers += chunk.length;
      chunk = [];
      if (papers % 20000 === 0) say(name, `${papers} papers indexed`);
    }
  }
  await peer.addAll(chunk);
  papers += chunk.length;
  chunk = [];
  const buildMs = performance.now() - t0;
  await store.close();
  const mem = settle();
  say(name, `index built: ${papers} papers in ${(buildMs / 1000).toFixed(1)} s`);
  const latency = await measure(name, cfg, queries, (q) => peer.search(q, cfg.limit));
  const result: PeerResult = {
    engine: name, papers, buildMs, rssMb: mb(mem.rss), heapMb: mb(mem.heapUsed), peakRssMb: process.resourceUsage().maxRSS / 1024, latency,
  };
  if (cfg.scifact) {
    say(name, 'SciFact');
    const s = await peerBeirEval(name, cfg.scifact);
    result.scifact = { ndcg10: s.ndcg10, recall100: s.recall100, mrr10: s.mrr10, queries: s.queries };
  }
  return result;
}

const [name, configFile] = process.argv.slice(2);
if (!name || !configFile || !(name === 'paperboy' || (PEERS as readonly string[]).includes(name))) {
  process.stderr.write(`usage: node --expose-gc --import tsx bench/search-peer.ts <paperboy | ${PEERS.join(' | ')}> <config.json>\n`);
  process.exit(2);
}
const cfg = JSON.parse(readFileSync(configFile, 'utf8')) as PeerConfig;
const queries = JSON.parse(readFileSync(cfg.queries, 'utf8')) as BenchQuery[];
const result = name === 'paperboy' ? await benchPaperboy(cfg, queries) : await benchPeer(name as PeerName, cfg, queries);
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
