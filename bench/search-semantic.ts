// Search by meaning, in processes of their own (so memory figures are their own):
//   node --expose-gc --import tsx bench/search-semantic.ts build|measure <config.json>
// build: the word index and the vectors as a server builds them (training the built-in
// model, embedding every paper, linking the graph; papers/s, graph time), both saved
// beside the database, or reused from there (`reuseVectors`).
// measure: a fresh process loads both saved indexes as a server start does (the graph
// memory-mapped), says where memory goes, measures the graph's recall@10 against an
// exact scan at several candidate pools, and hybrid search latency by query kind.
// Each prints `RESULT {json}`.

import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createLogger } from '../src/logger.js';
import { createSearchEngine, search } from '../src/search/search.js';
import { createSemanticSearcher } from '../src/search/semantic/searcher.js';
import { addedGraphFileOf, graphFileOf } from '../src/search/semantic/vector-file.js';
import { GRAPH_CANDIDATES, type VectorHit, type VectorIndex } from '../src/search/semantic/vector-index.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { latencyStats, QUERY_KINDS, type BenchQuery, type LatencyStats, type QueryKind } from './search-queries.js';
import type { PeerConfig } from './search-peer.js';

export interface SemanticConfig extends PeerConfig {
  /** Keep saved indexes beside the database from an earlier run instead of building them. */
  reuseVectors?: boolean;
}

export interface SemanticBuild {
  /** Null when the saved indexes were reused. */
  built: { trainMs: number; embedMs: number; graphBuildMs: number; papersPerSecond: number; lexicalMs: number } | null;
  vectorFileMb: number;
  graphMb: number;
}

/** Memory at one step of a start: resident set, V8 heap, and buffers outside it. */
export interface MemoryStep { step: string; rssMb: number; heapMb: number; externalMb: number; graphMappedMb: number }

export interface RecallRow {
  candidates: number;
  /** Of the exact scan's top 10, the share the graph returned (a tie with the tenth counts as found). */
  recallAt10: number;
  /** The same without ties (a paper scoring exactly as the tenth, but not in the scan's list, is a miss). */
  strictRecallAt10: number;
  latency10: LatencyStats;
  cpu10: LatencyStats;
  /** Top 100, as hybrid search and similar papers ask for: of the whole, and of its first 10. */
  recallAt100: number;
  recallAt10Of100: number;
  latency100: LatencyStats;
  cpu100: LatencyStats;
}

export interface SemanticResult {
  papers: number;
  model: string;
  lexicalLoadMs: number;
  vectorLoadMs: number;
  memory: MemoryStep[];
  queryEmbed: LatencyStats;
  exactScan: LatencyStats;
  recall: RecallRow[];
  chosenCandidates: number;
  rssMb: number;
  peakRssMb: number;
  hybrid: Record<QueryKind, LatencyStats>;
  /** CPU time of each hybrid query (all threads of the process): less inflated than wall time on a busy machine. */
  hybridCpu: Record<QueryKind, LatencyStats>;
  /** The vector index's share of each hybrid query. */
  hybridVector: Record<QueryKind, LatencyStats>;
}

export const SWEEP = [100, 160, 250, 400, 640, 1000];

const say = (msg: string) => process.stderr.write(`  [semantic] ${msg}\n`);
const mb = (bytes: number) => bytes / 1024 / 1024;
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const fileMb = (file: string) => (existsSync(file) ? statSync(file).size / 1e6 : 0);

export const savedFiles = (db: string) => {
  const vectors = `${db}.bench-search-vectors`;
  return { words: `${db}.bench-search-words`, model: `${db}.bench-search-model`, vectors, graph: graphFileOf(vectors), added: addedGraphFileOf(vectors) };
};

function settle(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage();
}

/** Resident memory of the mapped graph file (Linux; 0 elsewhere). */
function graphMappedMb(graphFile: string): number {
  try {
    let kb = 0, inGraph = false;
    for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
      if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inGraph = line.endsWith(graphFile);
      else if (inGraph && line.startsWith('Rss:')) kb += Number(line.split(/\s+/)[1]);
    }
    return kb / 1024;
  } catch {
    return 0;
  }
}

async function build(cfg: SemanticConfig): Promise<SemanticBuild> {
  const files = savedFiles(cfg.db);
  if (!cfg.reuseVectors) for (const f of Object.values(files)) rmSync(f, { force: true });
  const store = openSqliteStore(cfg.db);
  let trainStart = 0, trainEnd = 0, graphStart = 0, graphEnd = 0;
  const semantic = createSemanticSearcher(store, {
    modelFile: files.model, indexFile: files.vectors,
    onProgress: (phase, done, total) => {
      if (phase === 'train' && done === 1) trainStart = performance.now();
      if (phase === 'embed' && !trainEnd) trainEnd = performance.now();
      if (phase === 'graph' && !graphStart) graphStart = performance.now();
      if (phase === 'graph' && done === total) graphEnd = performance.now();
      if (done === total || (phase !== 'train' && done % 100_000 < 256)) say(`${phase} ${done}/${total}`);
    },
  });
  const engine = createSearchEngine(store, { indexFile: files.words, semantic, waitForVectors: true });
  let t = performance.now();
  await engine.lexical.index();
  await engine.lexical.saved();
  const lexicalMs = performance.now() - t;
  t = performance.now();
  const state = (await semantic.current())!;
  await semantic.saved();
  const total = performance.now() - t;
  let built: SemanticBuild['built'] = null;
  if (trainEnd || graphStart) {
    const trainMs = trainEnd && trainStart ? trainEnd - t : 0;
    // Linking the graph ends the build; the first chunk's time is counted with embedding.
    const graphBuildMs = graphEnd - graphStart;
    built = { trainMs, embedMs: total - trainMs - graphBuildMs, graphBuildMs, papersPerSecond: state.index.size / (total / 1000), lexicalMs };
    say(`model ${state.embedder.name}: trained in ${(trainMs / 1000).toFixed(1)} s, ${state.index.size} papers embedded in ${(built.embedMs / 1000).toFixed(1)} s, graph linked in ${(graphBuildMs / 1000).toFixed(1)} s`);
  } else say(`reused the saved indexes (${state.index.size} papers)`);
  await store.close();
  return { built, vectorFileMb: fileMb(files.vectors), graphMb: fileMb(files.graph) };
}

async function measure(cfg: SemanticConfig): Promise<SemanticResult> {
  const files = savedFiles(cfg.db);
  const queries = JSON.parse(readFileSync(cfg.queries, 'utf8')) as BenchQuery[];
  const memory: MemoryStep[] = [];
  const step = (name: string) => {
    const m = settle();
    memory.push({ step: name, rssMb: mb(m.rss), heapMb: mb(m.heapUsed), externalMb: mb(m.external), graphMappedMb: graphMappedMb(files.graph) });
  };
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', format: 'text', write: (l) => lines.push(l) });
  step('started');
  const store = openSqliteStore(cfg.db);
  const semantic = createSemanticSearcher(store, { modelFile: files.model, indexFile: files.vectors, logger });
  const engine = createSearchEngine(store, { indexFile: files.words, semantic, waitForVectors: true, logger });
  await store.contentVersion();
  step('database open');
  let t = performance.now();
  await engine.lexical.index();
  const lexicalLoadMs = performance.now() - t;
  step('word index loaded');
  t = performance.now();
  const state = (await semantic.current())!;
  const vectorLoadMs = performance.now() - t;
  if (lines.some((l) => /index built|rebuild|model trained/.test(l))) throw new Error(`an index was rebuilt, not loaded:\n${lines.join('\n')}`);
  step('vectors loaded (graph mapped)');
  const index = state.index;

  const recallQueries = queries.filter((x) => x.kind !== 'abstract').slice(0, 300);
  const queryTimes: number[] = [];
  const vectors: Float32Array[] = [];
  for (const q of recallQueries) {
    t = performance.now();
    vectors.push(await state.embedder.embedQuery(q.text));
    queryTimes.push(performance.now() - t);
  }
  say(`exact scan of ${index.size} vectors for ${vectors.length} queries`);
  const scanTimes: number[] = [];
  const truth = vectors.map((v) => {
    t = performance.now();
    const hits = index.search(v, { limit: 100, exact: true });
    scanTimes.push(performance.now() - t);
    return hits;
  });
  const recallOf = (found: VectorHit[][], k: number, ties: boolean) => {
    let hit = 0, asked = 0;
    found.forEach((hits, i) => {
      const top = truth[i]!.slice(0, k);
      const ids = new Set(top.map((h) => h.id));
      const last = top[top.length - 1]?.score ?? Infinity;
      hit += Math.min(top.length, hits.slice(0, k).filter((h) => ids.has(h.id) || (ties && h.score >= last)).length);
      asked += top.length;
    });
    return hit / Math.max(1, asked);
  };
  const timed = (limit: number, candidates: number) => {
    const times: number[] = [], cpu: number[] = [];
    const found = vectors.map((v) => {
      t = performance.now();
      const c = process.cpuUsage();
      const hits = index.search(v, { limit, candidates });
      cpu.push(cpuMs(process.cpuUsage(c)));
      times.push(performance.now() - t);
      return hits;
    });
    return { found, latency: latencyStats(times), cpu: latencyStats(cpu) };
  };
  const recall: RecallRow[] = [];
  for (const candidates of SWEEP) {
    timed(10, candidates); // warm the mapped pages this pool reaches
    const at10 = timed(10, candidates);
    const at100 = timed(100, candidates);
    recall.push({
      candidates, recallAt10: recallOf(at10.found, 10, true), strictRecallAt10: recallOf(at10.found, 10, false), latency10: at10.latency, cpu10: at10.cpu,
      recallAt100: recallOf(at100.found, 100, true), recallAt10Of100: recallOf(at100.found, 10, true), latency100: at100.latency, cpu100: at100.cpu,
    });
    say(`candidates ${candidates}: recall@10 ${recall.at(-1)!.recallAt10.toFixed(3)} (strict ${recall.at(-1)!.strictRecallAt10.toFixed(3)}), p99 ${at10.latency.p99.toFixed(2)} ms; recall@100 ${recall.at(-1)!.recallAt100.toFixed(3)} (@10 ${recall.at(-1)!.recallAt10Of100.toFixed(3)}), p99 ${at100.latency.p99.toFixed(2)} ms`);
  }
  step('after the recall sweep');

  const vectorTimes = timeVectorSearch(index);
  const pass = async () => {
    const times = { keyword: [], title: [], abstract: [] } as Record<QueryKind, number[]>;
    const vector = { keyword: [], title: [], abstract: [] } as Record<QueryKind, number[]>;
    const cpu = { keyword: [], title: [], abstract: [] } as Record<QueryKind, number[]>;
    for (const q of queries) {
      vectorTimes.spent = 0;
      t = performance.now();
      const c = process.cpuUsage();
      await search(engine, q.text, { limit: cfg.limit, mode: 'hybrid' });
      cpu[q.kind].push(cpuMs(process.cpuUsage(c)));
      times[q.kind].push(performance.now() - t);
      vector[q.kind].push(vectorTimes.spent);
    }
    return { times, vector, cpu };
  };
  say('hybrid: warm-up pass');
  await pass();
  say('hybrid: timed pass');
  const { times, vector, cpu } = await pass();
  step('after hybrid search');
  const stats = (x: Record<QueryKind, number[]>) => Object.fromEntries(QUERY_KINDS.map((k) => [k, latencyStats(x[k])])) as Record<QueryKind, LatencyStats>;
  const result: SemanticResult = {
    papers: index.size, model: state.embedder.name, lexicalLoadMs, vectorLoadMs, memory,
    queryEmbed: latencyStats(queryTimes), exactScan: latencyStats(scanTimes), recall, chosenCandidates: GRAPH_CANDIDATES,
    rssMb: memory.at(-1)!.rssMb, peakRssMb: process.resourceUsage().maxRSS / 1024, hybrid: stats(times), hybridCpu: stats(cpu), hybridVector: stats(vector),
  };
  await store.close();
  return result;
}

/** Counts the time spent in the index's search (the vector part of a hybrid query). */
function timeVectorSearch(index: VectorIndex): { spent: number } {
  const timer = { spent: 0 };
  const inner = index.search.bind(index);
  index.search = (query, q) => {
    const t = performance.now();
    try { return inner(query, q); } finally { timer.spent += performance.now() - t; }
  };
  return timer;
}

const [mode, configFile] = process.argv.slice(2);
if ((mode === 'build' || mode === 'measure') && configFile) {
  const cfg = JSON.parse(readFileSync(configFile, 'utf8')) as SemanticConfig;
  const result = mode === 'build' ? await build(cfg) : await measure(cfg);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}
