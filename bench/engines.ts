// Engines side by side: the 74,728-paper daily-arXiv cs file imported into SQLite and
// into PostgreSQL (papers/s), then lexical search latency on each (p50/p99 of search(),
// which ranks with the same in-memory index and asks the engine for text constraints and
// the papers of a page), including queries with phrases, prefixes, authors and
// exclusions that reach the engine's full-text index. PostgreSQL is
// a database on PAPERBOY_TEST_POSTGRES_URL, else on a throwaway local cluster (initdb + pg_ctl). Then
// digest throughput on PostgreSQL with 1, 2 and 4 worker processes (engines-digest.ts).
// Then HTTP throughput of first-time searches with 1 and 2 web processes (engines-http.ts;
// HTTP_WEB=1,2 is the default, `none` skips it).
// DIGEST_WORKERS=1,2,4 (the default) says which worker counts to measure; `none` skips it.
// `-- --papers N` (e.g. 1000000) imports the file grown to N papers instead (grow-corpus.ts:
// the same seeded papers on both engines, through store.ingest), with the same queries;
// the import figures are then the time spent in store.ingest. `--only sqlite|postgres`
// measures one engine. After the searches, what a given paper costs the engine to check
// against every paper at once (engines-given-papers.ts, Store.givenPaperCost).

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFiles } from '../src/ingest/import-files.js';
import { createSearchEngine, search } from '../src/search/search.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { testPostgres } from '../test/support/postgres.js';
import { digestThroughput } from './engines-digest.js';
import { httpThroughput } from './engines-http.js';
import { givenPaperCost } from './engines-given-papers.js';
import { growInto } from './grow-corpus.js';
import { importParts } from './engines-import-parts.js';
import { serverCpuReader } from './server-cpu.js';
import { latencyStats, pick, prng } from './search-queries.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The daily-arXiv cs file, next to the repository, or where BENCH_DATA says. */
const DATA = process.env.BENCH_DATA ?? path.resolve(repoRoot, '../shared/data/arxiv/daily-arxiv-cs-2025-03-18_2026-07-01.jsonl.gz');

/** `--papers N`: the file grown to N papers; null: the file as it is. */
function grownSize(args: string[]): number | null {
  const i = args.indexOf('--papers');
  if (i < 0) return null;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new Error('--papers needs a positive whole number');
  return n;
}
const GROWN = grownSize(process.argv.slice(3));
/** `--only sqlite|postgres`: one engine (a long run split in two); both by default. */
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;

/**
 * Papers into a fresh store: the file through importFiles, or the grown corpus through
 * store.ingest (then ms and cpuMs are those spent in ingest, not in making the papers).
 */
async function importPapers(store: Store): Promise<{ read: number; ms: number; cpuMs: number }> {
  if (GROWN === null) {
    const c = process.cpuUsage();
    const s = await importFiles(store, [DATA], { batchSize: 2000 });
    const used = process.cpuUsage(c);
    return { read: s.read, ms: s.elapsedMs, cpuMs: (used.user + used.system) / 1000 };
  }
  const g = await growInto(store, DATA, {
    papers: GROWN, seed: 7,
    onProgress: (n, total) => { if (n % 100_000 < 2000 || n === total) process.stderr.write(`  ${store.engine}: ${n.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}, load average ${loadavg()[0]!.toFixed(1)}\n`); },
  });
  return { read: g.real + g.synthetic, ms: g.ingestMs, cpuMs: g.ingestCpuMs };
}

/** This process's memory after a full collection when it can ask for one (node --expose-gc). */
function rssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 1e6;
}

/** Queries a reader types: words, and words with the conditions only the engine can check. */
export const QUERY_KINDS = ['words', 'phrase', 'prefix', 'exclusion', 'title'] as const;
export interface EngineQuery { kind: (typeof QUERY_KINDS)[number]; text: string }

/**
 * Each query with its kind: the kind follows the draws, including those of titles with too
 * few words, which are skipped (before, the kind was taken from the position in the list,
 * which those skips shift: the kinds' columns of runs A–H mix kinds).
 */
export function queries(titles: string[], n: number): EngineQuery[] {
  const rand = prng(11);
  const words = (t: string) => t.toLowerCase().split(/[^a-z]+/).filter((w) => w.length > 3);
  const out: EngineQuery[] = [];
  for (let i = 0; out.length < n; i++) {
    const w = words(pick(rand, titles));
    if (w.length < 3) continue;
    const a = w[0]!;
    const b = w[1]!;
    const c = w[2]!;
    out.push({ kind: QUERY_KINDS[i % 5]!, text: [`${a} ${b}`, `"${a} ${b}"`, `${a.slice(0, 4)}* ${c}`, `${a} ${b} -${c}`, `title:${a} ${c}`][i % 5]! });
  }
  return out;
}

/** CPU seconds of this process so far. */
const ownCpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

interface Server {
  /** CPU seconds of the whole server, and of the backends of the benchmark's database only (server-cpu.ts). */
  cpu: () => number;
  backendsCpu: () => number;
  /** What the server does after an import before it serves (VACUUM ANALYZE), measured apart. */
  settle: () => Promise<string>;
}

/** `server`: a PostgreSQL server's measures; SQLite has none, it runs in this process. */
async function measure(label: string, store: Store, qs: EngineQuery[] | null, pgServer: Server | null = null) {
  let server = () => pgServer?.cpu() ?? 0;
  const server0 = server();
  const load0 = loadavg()[0]!;
  const s = await importPapers(store);
  const importS = s.ms / 1000;
  // This process's CPU (parsing, and for SQLite the engine too): on a shared machine, steadier than the clock.
  const importCpuS = s.cpuMs / 1000;
  const importServerS = server() - server0;
  const settled = pgServer ? await pgServer.settle() : '';
  // Queries: only the backends that answer them (autovacuum, say, is not a query's cost).
  server = () => pgServer?.backendsCpu() ?? 0;
  const engine = createSearchEngine(store);
  const indexT0 = performance.now();
  await engine.lexical.index();
  const indexS = (performance.now() - indexT0) / 1000;
  const indexRss = rssMb();
  const titles: string[] = [];
  for await (const d of store.searchDocuments()) if (titles.length < 5000) titles.push(d.title);
  const list = qs ?? queries(titles, 500);
  for (const q of list.slice(0, 50)) await search(engine, q.text); // warm
  const ms: number[] = [];
  const byKind = new Map<string, number[]>();
  // CPU per query by kind, this process and the server: steadier than latency on a shared machine.
  const cpuByKind = new Map<string, number>();
  // Summed query by query: reading the server's CPU scans /proc, which is not a search's cost.
  let [searchOwn, searchServer] = [0, 0];
  for (const { kind, text } of list) {
    const server1 = server();
    const own0 = ownCpu(); // read after the server's, so reading /proc is not counted as this process's search
    const t = performance.now();
    await search(engine, text);
    const d = performance.now() - t;
    const own = ownCpu() - own0;
    const served = server() - server1;
    ms.push(d);
    byKind.set(kind, [...(byKind.get(kind) ?? []), d]);
    cpuByKind.set(kind, (cpuByKind.get(kind) ?? 0) + own + served);
    searchOwn += own;
    searchServer += served;
  }
  const st = latencyStats(ms);
  const sizeBytes = (await store.stats()).sizeBytes;
  process.stdout.write(`${label.padEnd(10)} import ${s.read} papers in ${importS.toFixed(1)} s = ${Math.round(s.read / importS).toLocaleString('en-US')} papers/s `
    + `(CPU ${importCpuS.toFixed(1)} s in this process${pgServer ? `, ${importServerS.toFixed(1)} s in the server` : ''}; load average ${load0.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after)${settled}; `
    + `search p50 ${st.p50.toFixed(2)} ms, p99 ${st.p99.toFixed(2)} ms (${st.n} queries; `
    + [...byKind].map(([k, v]) => `${k} p50 ${latencyStats(v).p50.toFixed(2)}`).join(', ') + '); '
    + `search CPU ${(((searchOwn + searchServer) * 1000) / list.length).toFixed(2)} ms/query (${((searchOwn * 1000) / list.length).toFixed(2)} here${pgServer ? `, ${((searchServer * 1000) / list.length).toFixed(2)} server` : ''}; `
    + [...cpuByKind].map(([k, v]) => `${k} ${((v * 1000) / byKind.get(k)!.length).toFixed(2)}`).join(', ') + `), load average ${loadavg()[0]!.toFixed(1)}; `
    + `word index built in ${indexS.toFixed(1)} s, RSS ${indexRss.toFixed(0)} MB after it, ${rssMb().toFixed(0)} MB after the searches; database ${sizeBytes === null ? '?' : `${(sizeBytes / 1e9).toFixed(2)} GB`}\n`);
  const phrases = list.filter((q) => q.kind === 'phrase').map((q) => q.text.replaceAll('"', ''));
  process.stdout.write(`${label.padEnd(10)} ${await givenPaperCost(store, await engine.lexical.index(), phrases, () => ownCpu() + server())}\n`);
  return list;
}

export async function run(): Promise<void> {
  if (!existsSync(DATA)) {
    process.stderr.write(`bench engines: data file not found: ${DATA}\n`);
    process.exit(1);
  }
  process.stdout.write(`machine: ${cpus().length} cores, node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-bench-engines-'));
  const server = await testPostgres();
  try {
    let qs: EngineQuery[] | null = null;
    if (ONLY !== 'postgres') {
      const sqlite = openSqliteStore(path.join(dir, 'bench.db'));
      await sqlite.migrate();
      qs = await measure('sqlite', sqlite, null);
      await sqlite.close();
    }
    if (ONLY === 'sqlite') return;
    if ('skip' in server) {
      process.stdout.write(`postgres   skipped: ${server.skip}\n`);
      return;
    }
    const url = await server.freshDatabase();
    const pg = openPostgresStore(url);
    await pg.migrate();
    const admin = new (await import('pg')).default.Client({ connectionString: url });
    await admin.connect();
    const cpu = await serverCpuReader(admin);
    const backendsCpu = await serverCpuReader(admin, new URL(url).pathname.slice(1));
    if (!cpu || !backendsCpu) process.stdout.write('postgres   server CPU not measured: the server is not on this machine\n');
    const settle = async () => {
      const [t, c] = [performance.now(), cpu?.() ?? 0];
      await admin.query('VACUUM ANALYZE');
      return `, then VACUUM ANALYZE in ${((performance.now() - t) / 1000).toFixed(1)} s (${((cpu?.() ?? 0) - c).toFixed(1)} s server CPU)`;
    };
    qs = await measure('postgres', pg, qs, { cpu: cpu ?? (() => 0), backendsCpu: backendsCpu ?? (() => 0), settle });
    if (backendsCpu) process.stdout.write(`postgres   ${await importParts(admin, backendsCpu)}\n`);
    await admin.end();
    await pg.close();
    const webs = process.env.HTTP_WEB ?? '1,2';
    if (webs !== 'none') for (const line of await httpThroughput(url, qs.map((q) => q.text), webs.split(',').map(Number))) process.stdout.write(`${line}\n`);
    const workers = process.env.DIGEST_WORKERS ?? '1,2,4';
    if (workers !== 'none') for (const line of await digestThroughput(server, workers.split(',').map(Number))) process.stdout.write(`${line}\n`);
    process.stdout.write(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
  } finally {
    if (!('skip' in server)) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
