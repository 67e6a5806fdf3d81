// HTTP benchmark: `paperboy serve` on the 74,728-paper daily-arXiv cs corpus, driven by
// autocannon (50 connections) on the home page, search pages (rotating keyword queries
// and pasted titles) and paper pages (rotating ids). Requests look like a returning
// browser's: they accept gzip/brotli and carry the visitor cookie the site handed out.
//   npm run bench:http -- [--seconds N] [--connections N] [--identity] [--profile] [--only home|search|paper]

import { availableParallelism, cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { corpusDb, startServer } from './http-server.js';
import { prng, sampleQueries } from './search-queries.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.resolve(repoRoot, '../shared/data/arxiv/daily-arxiv-cs-2025-03-18_2026-07-01.jsonl.gz');
const say = (msg: string) => process.stderr.write(`${msg}\n`);

interface Scenario { name: string; paths: string[] }

function scenarios(db: string): Scenario[] {
  const sql = new Database(db, { readonly: true });
  try {
    const queries = sampleQueries(sql, 80, 11).filter((q) => q.kind !== 'abstract');
    const search = [...queries.filter((q) => q.kind === 'keyword'), ...queries.filter((q) => q.kind === 'title').slice(0, 20)];
    const rand = prng(5);
    const ids = (sql.prepare('SELECT id FROM papers').pluck().all() as string[]).filter(() => rand() < 0.01);
    return [
      { name: 'home /', paths: ['/'] },
      { name: `search /papers?q= (${search.length} queries)`, paths: search.map((q) => `/papers?q=${encodeURIComponent(q.text)}`) },
      { name: `paper /papers/{id} (${ids.length} ids)`, paths: ids.map((id) => `/papers/${id}`) },
    ];
  } finally {
    sql.close();
  }
}

function load(url: string, paths: string[], seconds: number, connections: number, headers: Record<string, string>) {
  let next = 0;
  return autocannon({
    url, connections, duration: seconds, headers,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }],
  });
}

export async function run(): Promise<void> {
  const args = process.argv.slice(3);
  const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  const seconds = flag('--seconds', 10);
  const connections = flag('--connections', 50);
  const db = await corpusDb(repoRoot, DATA);
  const out = path.join(repoRoot, '.tmp', 'bench-http');
  const server = await startServer(repoRoot, db, path.join(out, 'server.log'), args.includes('--profile') ? path.join(out, 'profile') : undefined);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  try {
    // A returning visitor: take the cookie a first visit hands out, as a browser would.
    const cookie = ((await fetch(`${server.url}/`)).headers.get('set-cookie') ?? '').split(';')[0]!;
    const headers: Record<string, string> = { accept: 'text/html', 'accept-encoding': args.includes('--identity') ? 'identity' : 'gzip, deflate, br', ...(cookie ? { cookie } : {}) };
    const rows: string[] = [];
    for (const s of scenarios(db).filter((x) => !only || x.name.startsWith(only))) {
      say(`${s.name}: warm-up 3 s, then ${seconds} s at ${connections} connections…`);
      await load(server.url, s.paths, 3, connections, headers);
      const r = await load(server.url, s.paths, seconds, connections, headers);
      const kb = r.throughput.average / r.requests.average / 1024;
      rows.push(`| ${s.name} | ${Math.round(r.requests.average).toLocaleString('en-US')} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.latency.max} ms | ${r.errors + r.timeouts} / ${r.non2xx} | ${kb.toFixed(1)} kB |`);
    }
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    process.stdout.write([
      `machine: ${availableParallelism()} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}`,
      `load: autocannon, ${connections} connections, ${seconds} s per page after a 3 s warm-up; accept-encoding ${headers['accept-encoding']}`,
      '',
      '| page | req/s | p50 | p99 | max | errors / non-2xx | body |',
      '|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n') + '\n');
  } finally {
    await server.stop();
  }
}
