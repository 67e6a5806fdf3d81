// One-off: where PostgreSQL spends a text condition's CPU, the papers table against a
// narrow table of (paper key, word vector), in one database, interleaved. The 74,728
// papers go into PostgreSQL once; bench:engines' 500 queries go through search() once to
// record the text conditions they ask the engine; those are then replayed on three
// connections whose search_path picks paper_keys_matching() over `papers` (as it is), over
// a narrow table with the vector in the row (lz4, STORAGE MAIN) and over a narrow table
// with the vector out of line (lz4, TOAST), each query on all three in turn, the order
// rotating. CPU is the answering backend's, from /proc.
// It reads the vectors from `papers.words`: run it on a checkout from before migration 008,
// which moved them to the narrow table (the second layout here) for good.
//   BENCH_DATA=… npx tsx bench/pg-narrow-ab.ts [rounds=3]

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import { importFiles } from '../src/ingest/import-files.js';
import { createSearchEngine, search } from '../src/search/search.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { constraintKeys } from '../src/store/postgres/text-search.js';
import type { Store, TextConstraints } from '../src/store/store.js';
import { testPostgres } from '../test/support/postgres.js';
import { queries } from './engines.js';

const DATA = process.env.BENCH_DATA!;
const say = (s: string) => process.stdout.write(`${s}\n`);
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const cpuOf = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const x = f.slice(f.lastIndexOf(')') + 2).split(' ').map(Number);
  return (x[11]! + x[12]!) * 10; // ms
};

const server = await testPostgres();
if ('skip' in server) throw new Error(server.skip);
try {
  const url = await server.freshDatabase();
  const store = openPostgresStore(url);
  await store.migrate();
  say(`${new Date().toISOString()} importing, load ${load()}`);
  await importFiles(store, [DATA], { batchSize: 2000 });
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  for (const [schema, storage] of [['narrow_main', 'MAIN'], ['narrow_toast', 'EXTENDED']] as const) {
    await admin.query(`CREATE SCHEMA ${schema};
      CREATE TABLE ${schema}.paper_words (pk bigint PRIMARY KEY, words tsvector NOT NULL);
      ALTER TABLE ${schema}.paper_words ALTER COLUMN words SET STORAGE ${storage};
      ALTER TABLE ${schema}.paper_words ALTER COLUMN words SET COMPRESSION lz4;
      INSERT INTO ${schema}.paper_words SELECT pk, words FROM public.papers ORDER BY pk;
      CREATE INDEX ON ${schema}.paper_words USING gin (words);
      CREATE FUNCTION ${schema}.paper_keys_matching(query text) RETURNS text LANGUAGE sql STABLE SET enable_seqscan = off AS $$
        SELECT string_agg(pk::text, ',') FROM ${schema}.paper_words WHERE words @@ to_tsquery('paperboy', query) $$;`);
  }
  await admin.query('VACUUM ANALYZE');
  const sizes = await admin.query(`SELECT 'papers' AS t, pg_relation_size('public.papers') AS heap, pg_total_relation_size('public.papers') AS total
    UNION ALL SELECT s || '.paper_words', pg_relation_size(s || '.paper_words'), pg_total_relation_size(s || '.paper_words') FROM unnest(ARRAY['narrow_main', 'narrow_toast']) s`);
  for (const r of sizes.rows) say(`  ${r.t}: heap ${(r.heap / 1e6).toFixed(1)} MB, with TOAST and indexes ${(r.total / 1e6).toFixed(1)} MB`);

  // The text conditions the queries ask, by kind.
  const titles: string[] = [];
  for await (const d of store.searchDocuments()) if (titles.length < 5000) titles.push(d.title);
  const list = queries(titles, 500);
  const asked: { kind: string; c: TextConstraints }[] = [];
  let kind = '';
  const recording: Store = { ...store, constraintKeys: async (c) => { asked.push({ kind, c }); return store.constraintKeys(c); } };
  const engine = createSearchEngine(recording);
  await engine.lexical.index();
  for (const q of list) {
    kind = q.kind;
    await search(engine, q.text);
  }
  say(`${list.length} queries ask the engine ${asked.length} times`);

  const variants = await Promise.all(['public', 'narrow_main, public', 'narrow_toast, public'].map(async (path) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`SET search_path = ${path}`);
    const pid = (await c.query('SELECT pg_backend_pid() AS p')).rows[0].p as number;
    return { label: path.split(',')[0]!, c, pid, cpu: new Map<string, number>(), n: new Map<string, number>(), keys: 0 };
  }));
  for (const v of variants) for (const a of asked) await constraintKeys(v.c as unknown as pg.Pool, a.c); // warm
  const rounds = Number(process.argv[2] ?? 3);
  say(`${new Date().toISOString()} replaying ${rounds} rounds, load ${load()}`);
  for (let round = 0; round < rounds; round++) {
    for (const [i, a] of asked.entries()) {
      const order = variants.map((_, j) => variants[(i + round + j) % variants.length]!);
      let first: string | null = null;
      for (const v of order) {
        const c0 = cpuOf(v.pid);
        const r = await constraintKeys(v.c as unknown as pg.Pool, a.c);
        v.cpu.set(a.kind, (v.cpu.get(a.kind) ?? 0) + cpuOf(v.pid) - c0);
        v.n.set(a.kind, (v.n.get(a.kind) ?? 0) + 1);
        const sig = JSON.stringify([[...(r.include ?? [])].sort(), [...(r.exclude ?? [])].sort()]);
        if (first === null) first = sig;
        else if (sig !== first) throw new Error(`different keys for ${JSON.stringify(a.c)}`);
      }
    }
  }
  say(`${new Date().toISOString()} done, load ${load()}; server CPU ms per text condition asked, by kind of query:`);
  for (const v of variants) say(`  ${v.label.padEnd(13)} ${[...v.cpu].map(([k, ms]) => `${k} ${(ms / v.n.get(k)!).toFixed(1)} (n=${v.n.get(k)! / rounds})`).join(', ')}`);
  for (const v of variants) await v.c.end();
  await admin.end();
  await store.close();
} finally {
  await server.stop();
}
