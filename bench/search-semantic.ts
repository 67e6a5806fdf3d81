// Search by meaning in a process of its own (so its memory is its own):
//   node --expose-gc --import tsx bench/search-semantic.ts <config.json>
// Trains the built-in model on the store's papers and embeds them all, then links the
// vector graph (papers/s for the whole; graph time and size), measures query
// embedding, the graph's recall@10 against an exact scan, and hybrid search latency by
// query kind, with the word index and the vectors both in memory. Prints `RESULT {json}`.

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSearchEngine, search } from '../src/search/search.js';
import { createSemanticSearcher } from '../src/search/semantic/searcher.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { latencyStats, QUERY_KINDS, type BenchQuery, type LatencyStats, type QueryKind } from './search-queries.js';
import type { PeerConfig } from './search-peer.js';

export interface SemanticResult {
  papers: number;
  model: string;
  trainMs: number;
  embedMs: number;
  /** Training plus embedding, per second of both. */
  papersPerSecond: number;
  graphBuildMs: number;
  vectorMb: number;
  graphMb: number;
  queryEmbed: LatencyStats;
  recallAt10: number;
  rssMb: number;
  peakRssMb: number;
  hybrid: Record<QueryKind, LatencyStats>;
}

const say = (msg: string) => process.stderr.write(`  [semantic] ${msg}\n`);
const mb = (bytes: number) => bytes / 1024 / 1024;
function settle(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage();
}

const cfg = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as PeerConfig;
const queries = JSON.parse(readFileSync(cfg.queries, 'utf8')) as BenchQuery[];
const store = openSqliteStore(cfg.db, { readonly: true });
let trainStart = 0, trainEnd = 0, graphStart = 0, graphEnd = 0;
const semantic = createSemanticSearcher(store, {
  onProgress: (phase, done, total) => {
    if (phase === 'train' && done === 1) trainStart = performance.now();
    if (phase === 'embed' && !trainEnd) trainEnd = performance.now();
    if (phase === 'graph' && !graphStart) graphStart = performance.now();
    if (phase === 'graph' && done === total) graphEnd = performance.now();
    if (done === total || (phase !== 'train' && done % 100_000 < 256)) say(`${phase} ${done}/${total}`);
  },
});
const engine = createSearchEngine(store, { semantic, waitForVectors: true });
await engine.lexical.index();
const t0 = performance.now();
const state = (await semantic.current())!;
const total = performance.now() - t0;
const trainMs = trainEnd && trainStart ? trainEnd - t0 : 0;
// Linking the graph ends the build; the first chunk's time is counted with embedding.
const graphBuildMs = graphEnd - graphStart;
const embedMs = total - trainMs - graphBuildMs;
say(`model ${state.embedder.name}: trained in ${(trainMs / 1000).toFixed(1)} s, ${state.index.size} papers embedded in ${(embedMs / 1000).toFixed(1)} s, graph linked in ${(graphBuildMs / 1000).toFixed(1)} s`);

const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-bench-vectors-'));
const graphFile = path.join(dir, 'graph.usearch');
const graphMb = state.index.saveGraph(graphFile) ? statSync(graphFile).size / 1e6 : 0;
rmSync(dir, { recursive: true, force: true });

const queryTimes: number[] = [];
let found = 0, asked = 0;
for (const q of queries.filter((x) => x.kind !== 'abstract').slice(0, 300)) {
  const t = performance.now();
  const v = await state.embedder.embedQuery(q.text);
  queryTimes.push(performance.now() - t);
  const exact = new Set(state.index.search(v, { limit: 10, exact: true }).map((h) => h.id));
  found += state.index.search(v, { limit: 10 }).filter((h) => exact.has(h.id)).length;
  asked += exact.size;
}
const recallAt10 = found / Math.max(1, asked);
say(`recall@10 of the graph against an exact scan: ${recallAt10.toFixed(3)}`);

const mem = settle();
const run = (text: string) => search(engine, text, { limit: cfg.limit, mode: 'hybrid' });
const pass = async () => {
  const times = { keyword: [], title: [], abstract: [] } as Record<QueryKind, number[]>;
  for (const q of queries) {
    const t = performance.now();
    await run(q.text);
    times[q.kind].push(performance.now() - t);
  }
  return times;
};
say('hybrid: warm-up pass');
await pass();
say('hybrid: timed pass');
const times = await pass();
const result: SemanticResult = {
  papers: state.index.size, model: state.embedder.name, trainMs, embedMs, papersPerSecond: state.index.size / (total / 1000), graphBuildMs,
  vectorMb: mb(state.index.size * (state.embedder.dimensions + 4)), graphMb,
  queryEmbed: latencyStats(queryTimes), recallAt10, rssMb: mb(mem.rss), peakRssMb: process.resourceUsage().maxRSS / 1024,
  hybrid: Object.fromEntries(QUERY_KINDS.map((k) => [k, latencyStats(times[k])])) as Record<QueryKind, LatencyStats>,
};
await store.close();
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
