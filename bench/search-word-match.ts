// What the word-by-word meaning match costs hybrid search: the same queries with the match
// off and on, alternating in one process over the saved indexes `npm run bench:search`
// leaves beside its grown corpus (so both sides share the machine's state), a warm-up pass
// then timed passes. Prints CPU and wall percentiles per query kind, side by side.
//   npx tsx bench/search-word-match.ts --db .tmp/bench-search/grown-1000000-seed7-v1.db [--queries 100] [--passes 2]

import { loadavg } from 'node:os';
import { percentile, sampleQueries, QUERY_KINDS } from './search-queries.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createSearchEngine, search } from '../src/search/search.js';
import { createSemanticSearcher } from '../src/search/semantic/searcher.js';
import { FUSION_DEFAULTS } from '../src/search/hybrid.js';

const arg = (name: string, fallback?: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? fallback : process.argv[i + 1];
  if (value === undefined) throw new Error('usage: tsx bench/search-word-match.ts --db FILE [--queries N] [--passes N]');
  return value;
};
const db = arg('db');
const store = openSqliteStore(db, { readonly: true });
try {
  const semantic = createSemanticSearcher(store, { modelFile: `${db}.bench-search-model`, indexFile: `${db}.bench-search-vectors` });
  const engine = createSearchEngine(store, { indexFile: `${db}.bench-search-words`, semantic, waitForVectors: true });
  // Two views of one engine (the same indexes), differing only in the match's weight.
  const engineWith = (wordMatchWeight: number) => ({ ...engine, fusion: { ...FUSION_DEFAULTS, wordMatchWeight } });
  const sides = [{ label: 'match off', engine: engineWith(0) }, { label: 'match on', engine: engineWith(FUSION_DEFAULTS.wordMatchWeight) }];
  if (!(await semantic.current())) throw new Error(`no saved vectors beside ${db}: run npm run bench:search first`);
  await engine.lexical.index();
  const queries = await sampleQueries(store, Number(arg('queries', '100')), 43);
  const passes = Number(arg('passes', '2'));
  process.stdout.write(`${queries.length} queries, ${passes} timed passes, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
  const cpu = new Map<string, number[]>();
  const wall = new Map<string, number[]>();
  for (let pass = 0; pass <= passes; pass++) {
    for (const q of queries) {
      for (const side of pass % 2 ? [...sides].reverse() : sides) {
        const c0 = process.cpuUsage();
        const w0 = performance.now();
        await search(side.engine, q.text, { limit: 10, mode: 'hybrid' });
        const w = performance.now() - w0;
        const c = process.cpuUsage(c0);
        if (pass === 0) continue; // warm-up
        const key = `${q.kind} ${side.label}`;
        (cpu.get(key) ?? cpu.set(key, []).get(key)!).push((c.user + c.system) / 1000);
        (wall.get(key) ?? wall.set(key, []).get(key)!).push(w);
      }
    }
  }
  const pcts = (xs: number[]) => [50, 95, 99].map((p) => percentile([...xs].sort((a, b) => a - b), p).toFixed(1)).join(' / ');
  for (const kind of QUERY_KINDS) {
    for (const side of sides) {
      const key = `${kind} ${side.label}`;
      process.stdout.write(`${kind.padEnd(8)} ${side.label.padEnd(9)}  CPU ms p50/p95/p99 ${pcts(cpu.get(key)!)}  wall ms ${pcts(wall.get(key)!)}\n`);
    }
  }
  process.stdout.write(`RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
} finally {
  await store.close();
}
