// The word index alone, old code against new, in one process on the same saved index and
// the same queries: CPU time per query (process.cpuUsage), and a check that both return
// the same papers with the same scores. The queries go through search() once (parse,
// plan) to record the index requests it makes; those requests are then replayed on both
// indexes, at the page size of a results page (10) and of hybrid ranking's pool (100),
// with each query's two runs alternating which goes first. A copy of an older src/ (e.g.
// `git archive COMMIT src | tar -x -C DIR`) gives the old code.
//   npx tsx bench/search-lexical.ts --db .tmp/bench-search/grown-1000000-seed7-v1.db \
//       [--index FILE] [--before DIR] [--queries 200] [--seed 43] [--rounds 1]

import { loadavg } from 'node:os';
import path from 'node:path';
import { percentile, sampleQueries, QUERY_KINDS, type QueryKind } from './search-queries.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createSearchEngine, FUSION_POOL, search } from '../src/search/search.js';
import type { IndexQuery, IndexResult, LexicalIndex } from '../src/search/lexical/lexical-index.js';

const arg = (name: string, fallback?: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? fallback : process.argv[i + 1];
  if (value === undefined) throw new Error('usage: tsx bench/search-lexical.ts --db FILE [--index FILE] [--before DIR] [--queries N] [--seed N] [--rounds N]');
  return value;
};
const say = (line: string) => process.stdout.write(`${line}\n`);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

type Searchable = Pick<LexicalIndex, 'search' | 'scoresOf'>;

const db = arg('db');
const store = openSqliteStore(db, { readonly: true });
// The database is opened read-only (it may be shared): the saved index's store id must exist already (store.secret() then only reads it).
try {
  say(`${new Date().toISOString()} load average ${load()}`);
  const engine = createSearchEngine(store, { indexFile: arg('index', `${db}.bench-search-words`) });
  let t0 = performance.now();
  const index = await engine.lexical.index(true);
  say(`index ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (${index.size.toLocaleString('en-US')} papers)`);
  const before = process.argv.includes('--before') ? arg('before') : null;
  const indexes: { label: string; index: Searchable }[] = [{ label: 'new', index }];
  if (before) {
    const mod = (await import(path.resolve(before, 'src/search/lexical/lexical-index.ts'))) as { LexicalIndex: new (seg: LexicalIndex['mainSegment']) => Searchable };
    t0 = performance.now();
    indexes.unshift({ label: 'old', index: new mod.LexicalIndex(index.mainSegment) });
    say(`old index from ${before} ready in ${(performance.now() - t0).toFixed(0)} ms`);
  }

  // The index requests search() makes for each query (two when 'all' falls back to 'any').
  const queries = await sampleQueries(store, Number(arg('queries', '200')), Number(arg('seed', '43')));
  const requests: { kind: QueryKind; text: string; q: IndexQuery }[] = [];
  let current: { kind: QueryKind; text: string } | null = null;
  const original = index.search.bind(index);
  index.search = (q: IndexQuery): IndexResult => {
    if (current) requests.push({ ...current, q });
    return original(q);
  };
  for (const query of queries) {
    current = query;
    await search(engine, query.text, { limit: 10, mode: 'lexical', snippets: false });
  }
  current = null;
  index.search = original;
  say(`${queries.length} queries → ${requests.length} index requests`);

  const rounds = Number(arg('rounds', '1'));
  const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  const sameResult = (a: IndexResult, b: IndexResult) => a.hits.length === b.hits.length
    && a.hits.every((h, i) => h.key === b.hits[i]!.key && h.score === b.hits[i]!.score);
  for (const limit of [10, FUSION_POOL]) {
    const times = new Map(indexes.map((x) => [x.label, new Map<QueryKind, number[]>(QUERY_KINDS.map((k) => [k, []]))]));
    let differ = 0, totalsDiffer = 0, exactDiffer = 0;
    const lowerBounds: number[] = [];
    // Per query (all of its requests): the CPU time of each index.
    const perQuery = new Map<string, { kind: QueryKind; ms: Map<string, number> }>();
    for (const { q } of requests) for (const { index: ix } of indexes) ix.search({ ...q, limit, offset: 0 }); // warm-up
    for (let round = 0; round < rounds; round++) {
      requests.forEach(({ kind, text, q }, n) => {
        const request = { ...q, limit, offset: 0 };
        const order = (n + round) % 2 === 0 ? indexes : [...indexes].reverse();
        const results = new Map<string, IndexResult>();
        for (const { label, index: ix } of order) {
          const c0 = process.cpuUsage();
          results.set(label, ix.search(request));
          const ms = cpuMs(process.cpuUsage(c0));
          const entry = perQuery.get(`${round}:${text}`) ?? { kind, ms: new Map() };
          entry.ms.set(label, (entry.ms.get(label) ?? 0) + ms);
          perQuery.set(`${round}:${text}`, entry);
        }
        if (indexes.length === 2 && round === 0) {
          const [a, b] = [results.get('old')!, results.get('new')!];
          if (!sameResult(a, b)) {
            differ++;
            if (differ <= 5) say(`  DIFFERENT top ${limit}: ${kind} "${text.slice(0, 80)}"\n    old ${JSON.stringify(a.hits.slice(0, 3))}\n    new ${JSON.stringify(b.hits.slice(0, 3))}`);
          }
          if (a.total !== b.total || a.exact !== b.exact) totalsDiffer++;
          // An exact total is the number of matching papers, whichever code counted it.
          if (a.exact && b.exact && a.total !== b.total) {
            exactDiffer++;
            say(`  DIFFERENT exact totals: ${kind} "${text.slice(0, 80)}" old ${a.total} new ${b.total}`);
          }
          if (!a.exact || !b.exact) lowerBounds.push(b.total / Math.max(1, a.total));
        }
      });
    }
    for (const { kind, ms } of perQuery.values()) for (const [label, v] of ms) times.get(label)!.get(kind)!.push(v);
    say(`top ${limit} (load average ${load()}): CPU ms per query p50 / p95 / p99 / max (mean)`);
    for (const kind of QUERY_KINDS) {
      const cells = indexes.map(({ label }) => {
        const s = times.get(label)!.get(kind)!.sort((a, b) => a - b);
        const mean = s.reduce((x, y) => x + y, 0) / s.length;
        return `${label} ${[50, 95, 99, 100].map((p) => percentile(s, p).toFixed(1)).join(' / ')} (${mean.toFixed(1)})`;
      });
      say(`  ${kind.padEnd(8)} ${cells.join('   ')}`);
    }
    if (process.argv.includes('--slowest')) {
      const label = indexes[indexes.length - 1]!.label;
      const slow = [...perQuery].sort((a, b) => b[1].ms.get(label)! - a[1].ms.get(label)!).slice(0, Number(arg('slowest')));
      for (const [key, { kind, ms }] of slow) {
        const text = key.slice(key.indexOf(':') + 1);
        const rs = requests.filter((r) => r.text === text);
        say(`  slow ${kind} ${[...ms].map(([l, v]) => `${l} ${v.toFixed(1)}`).join(' ')} ms: ${rs.map((r) => `${r.q.mode} [${r.q.groups.map((g) => g.map((t) => `${t}:${index.documentFrequency(t)}`).join('|')).join(' ')}]`).join(' then ')}`);
      }
    }
    if (indexes.length === 2) say(`  results: ${requests.length - differ} of ${requests.length} requests identical (papers and scores)${differ ? `, ${differ} DIFFERENT` : ''}; totals or exactness differ in ${totalsDiffer}` +
      ` (both exact and different: ${exactDiffer}; where either is a lower bound, new / old median ${percentile(lowerBounds.sort((x, y) => x - y), 50).toFixed(2)})`);
  }

  // Hybrid ranking's cross scores: the words' scores of 100 papers the vectors found (here: random papers).
  const keys = Array.from(index.mainSegment.keys.subarray(0, index.mainSegment.size));
  let seed = 1;
  const randomKeys = () => Array.from({ length: FUSION_POOL }, () => keys[(seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % keys.length]!);
  const cross = requests.map(({ kind, q }) => ({ kind, q, keys: randomKeys() }));
  const crossTimes = new Map(indexes.map((x) => [x.label, [] as number[]]));
  let crossDiffer = 0;
  for (const { q, keys: k } of cross) {
    const got = indexes.map(({ label, index: ix }) => {
      const c0 = process.cpuUsage();
      const scores = ix.scoresOf(q, k);
      crossTimes.get(label)!.push(cpuMs(process.cpuUsage(c0)));
      return scores;
    });
    if (got.length === 2 && got[0]!.some((s, i) => s !== got[1]![i])) crossDiffer++;
  }
  say(`scoresOf, ${FUSION_POOL} random papers: CPU ms p50 / p99 ${indexes.map(({ label }) => {
    const s = crossTimes.get(label)!.sort((a, b) => a - b);
    return `${label} ${percentile(s, 50).toFixed(2)} / ${percentile(s, 99).toFixed(2)}`;
  }).join('   ')}${indexes.length === 2 ? `; ${cross.length - crossDiffer} of ${cross.length} identical` : ''}`);
  say(`${new Date().toISOString()} load average ${load()}`);
} finally {
  await store.close();
}
