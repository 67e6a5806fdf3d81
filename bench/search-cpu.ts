// CPU time per lexical query on an existing database (e.g. the grown 1M corpus that
// `npm run bench:search` caches), for comparing two versions of the index on a loaded
// machine where wall-clock percentiles mostly measure the other jobs. Builds the index,
// runs every query once to warm up, then times a second pass of the full search().
//   npx tsx bench/search-cpu.ts --db .tmp/bench-search/grown-1000000-seed7-v1.db [--queries 200]

import { percentile, sampleQueries, QUERY_KINDS } from './search-queries.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createSearchEngine, search } from '../src/search/search.js';

const arg = (name: string, fallback?: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? fallback : process.argv[i + 1];
  if (value === undefined) throw new Error('usage: tsx bench/search-cpu.ts --db FILE [--queries N]');
  return value;
};
const store = openSqliteStore(arg('db'), { readonly: true });
try {
  const engine = createSearchEngine(store);
  const t0 = performance.now();
  await engine.lexical.index();
  process.stdout.write(`index built in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  const queries = await sampleQueries(store, Number(arg('queries', '200')), 7);
  for (const q of queries) await search(engine, q.text, { limit: 10 });
  for (const kind of QUERY_KINDS) {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (const q of queries.filter((x) => x.kind === kind)) {
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      await search(engine, q.text, { limit: 10 });
      wall.push(performance.now() - w0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    wall.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const pcts = (s: number[]) => [50, 95, 99].map((p) => percentile(s, p).toFixed(1)).join(' / ');
    const mean = cpu.reduce((a, b) => a + b, 0) / cpu.length;
    process.stdout.write(`${kind.padEnd(8)}  CPU ms p50/p95/p99 ${pcts(cpu)} (mean ${mean.toFixed(1)})  wall ms ${pcts(wall)}\n`);
  }
} finally {
  await store.close();
}
