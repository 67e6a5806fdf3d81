// HTTP benchmark: `paperboy serve` on the 74,728-paper daily-arXiv cs corpus, driven by
// autocannon (50 connections) on the home page (as a reader, whose page is shared, and as
// a visitor who has voted, whose page is rendered for them), search pages and paper
// pages. Search queries and paper ids never repeat within a run, so those figures are for
// pages rendered on request, not served from the shared-page cache. Requests accept
// gzip/brotli, as browsers do.
// Then overload: 200 connections for 60 s on a mix of the home page, first-time searches
// and first-time paper pages, far more than one process answers at once. What counts
// there is fairness and shedding: no request waits out the client's 10 s timeout, no 5xx
// but deliberate 503s (with Retry-After), and the p99.
// The overload runs one row per configuration, one after the other in the same run (the
// machine's load average is printed beside each): --workers takes a list (1,2), and
// --before DIR adds the same rows for another checkout of Paperboy (the code before a change).
//   npm run bench:http -- [--seconds N] [--connections N] [--workers N[,N]] [--identity] [--profile]
//     [--only home|voter|search|popular|paper|overload] [--overload-seconds N] [--overload-connections N] [--before DIR]

import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { corpusDb, startServer } from './http-server.js';
import { prng, sampleQueries } from './search-queries.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The shared data sits beside the repository (or beside the folder of a worktree).
export const DATA = ['../shared/data', '../../shared/data'].map((d) => path.resolve(repoRoot, d, 'arxiv/daily-arxiv-cs-2025-03-18_2026-07-01.jsonl.gz'))
  .find(existsSync) ?? path.resolve(repoRoot, '../shared/data/arxiv/daily-arxiv-cs-2025-03-18_2026-07-01.jsonl.gz');
const say = (msg: string) => process.stderr.write(`${msg}\n`);

interface Scenario { name: string; key: string; paths: string[]; voter?: boolean }

/** More distinct queries and ids than a run can use: none is asked twice. */
const DISTINCT = 12_000;

async function scenarios(db: string): Promise<Scenario[]> {
  const store = openSqliteStore(db, { readonly: true });
  try {
    // Four keyword queries for each pasted title, as people mostly type a few words.
    const queries = await sampleQueries(store, DISTINCT * 0.8, 11);
    const search = [...queries.filter((q) => q.kind === 'keyword'), ...queries.filter((q) => q.kind === 'title').slice(0, DISTINCT * 0.2)];
    const rand = prng(5);
    const shuffle = <T>(xs: T[]) => xs.map((x) => [rand(), x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
    const every: string[] = [];
    for await (const d of store.searchDocuments()) every.push(d.id);
    const ids = shuffle(every).slice(0, DISTINCT);
    return [
      { name: 'home / (reader: shared page)', key: 'home', paths: ['/'] },
      { name: 'home / (voter: own page)', key: 'voter', paths: ['/'], voter: true },
      { name: 'search /papers?q= (every query new)', key: 'search', paths: shuffle(search).map((q) => `/papers?q=${encodeURIComponent(q.text)}`) },
      // Popular queries repeat: the same 100 over and over, answered from the shared-page cache.
      { name: 'search /papers?q= (100 popular queries)', key: 'popular', paths: search.slice(0, 100).map((q) => `/papers?q=${encodeURIComponent(q.text)}`) },
      { name: 'paper /papers/{id} (every id new)', key: 'paper', paths: ids.map((id) => `/papers/${id}`) },
    ];
  } finally {
    await store.close();
  }
}

/** The overload mix: home, a new search, a new paper, in turn. */
function overloadPaths(all: Scenario[]): string[] {
  const search = all.find((x) => x.key === 'search')!.paths;
  const paper = all.find((x) => x.key === 'paper')!.paths;
  return Array.from({ length: 3 * Math.min(search.length, paper.length) }, (_, i) => (i % 3 === 0 ? '/' : i % 3 === 1 ? search[i / 3 | 0]! : paper[i / 3 | 0]!));
}

/** Paths are handed out in order across runs of a scenario, so the warm-up uses up its own. */
function load(url: string, paths: string[], cursor: { next: number }, seconds: number, connections: number, headers: Record<string, string>) {
  return autocannon({
    url, connections, duration: seconds, headers,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[cursor.next++ % paths.length]! }) }],
  });
}

/** A visitor who has voted: the cookie the site hands out with a vote. */
async function voterCookie(url: string): Promise<string> {
  const res = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
  const paper = /data-paper="([^"]+)"/.exec(await res.text())?.[1];
  if (!paper) throw new Error('the home page lists no paper to vote for');
  const vote = await fetch(`${url}/papers/${paper}/upvote`, { method: 'POST', redirect: 'manual', headers: { 'sec-fetch-site': 'same-origin' } });
  const cookie = (vote.headers.get('set-cookie') ?? '').split(';')[0]!;
  if (!cookie) throw new Error(`voting gave no cookie (status ${vote.status})`);
  return cookie;
}

export async function run(): Promise<void> {
  const args = process.argv.slice(3);
  const text = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const flag = (name: string, fallback: number) => Number(text(name) ?? fallback);
  const seconds = flag('--seconds', 10);
  const connections = flag('--connections', 50);
  const db = await corpusDb(repoRoot, DATA);
  const out = path.join(repoRoot, '.tmp', 'bench-http');
  const workerList = (text('--workers') ?? '1').split(',').map(Number);
  const only = text('--only');
  const headers: Record<string, string> = { accept: 'text/html', 'accept-encoding': args.includes('--identity') ? 'identity' : 'gzip, deflate, br' };
  const all = await scenarios(db);
  const rows: string[] = [];
  if (only !== 'overload') {
    const server = await startServer(repoRoot, db, path.join(out, 'server.log'), args.includes('--profile') ? path.join(out, 'profile') : undefined, workerList[0]);
    try {
      const cookie = await voterCookie(server.url);
      for (const s of all.filter((x) => !only || x.key === only)) {
        say(`${s.name}: warm-up 3 s, then ${seconds} s at ${connections} connections…`);
        const cursor = { next: 0 };
        const h = s.voter ? { ...headers, cookie } : headers;
        await load(server.url, s.paths, cursor, 3, connections, h);
        const r = await load(server.url, s.paths, cursor, seconds, connections, h);
        if (s.paths.length > 1 && cursor.next > s.paths.length) say(`  note: ${s.paths.length} distinct paths were not enough; some repeated`);
        const kb = r.throughput.average / r.requests.average / 1024;
        rows.push(`| ${s.name} | ${Math.round(r.requests.average).toLocaleString('en-US')} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.latency.max} ms | ${r.errors + r.timeouts} / ${r.non2xx} | ${kb.toFixed(1)} kB |`);
      }
    } finally {
      await server.stop();
    }
  }
  let overload: string[] = [];
  if (!only || only === 'overload') {
    const secs = flag('--overload-seconds', 60);
    const conns = flag('--overload-connections', 200);
    const before = text('--before');
    const checkouts = [...(before ? [{ name: 'before', root: path.resolve(before) }] : []), { name: before ? 'after' : 'this', root: repoRoot }];
    overload = [
      '',
      `overload: ${conns} connections for ${secs} s, home / new search / new paper in turn (autocannon timeout 10 s)`,
      '',
      '| code | workers | load average | answered | req/s | p50 | p99 | max | timeouts | errors | 503 (shed) | other 5xx | status codes |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ];
    for (const workers of workerList) {
      for (const checkout of checkouts) {
        const server = await startServer(checkout.root, db, path.join(out, `server-${checkout.name}-${workers}.log`), undefined, workers);
        try {
          const loadAverage = loadavg().map((x) => x.toFixed(1)).join(' ');
          say(`overload, ${checkout.name}, ${workers} worker(s), load average ${loadAverage}: warm-up 3 s, then ${secs} s at ${conns} connections…`);
          const cursor = { next: 0 };
          const paths = overloadPaths(all);
          await load(server.url, paths, cursor, 3, conns, headers);
          const r = await load(server.url, paths, cursor, secs, conns, headers);
          const codes = Object.entries(r.statusCodeStats ?? {}).map(([code, v]) => `${code}: ${v.count}`).join(', ');
          const shed = r.statusCodeStats?.['503']?.count ?? 0;
          overload.push(`| ${checkout.name} | ${workers} | ${loadAverage} | ${r.requests.total.toLocaleString('en-US')} | ${Math.round(r.requests.average).toLocaleString('en-US')} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.latency.max} ms | ${r.timeouts} | ${r.errors - r.timeouts} | ${shed} | ${r['5xx'] - shed} | ${codes} |`);
          say(overload.at(-1)!);
        } finally {
          await server.stop();
        }
      }
    }
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write([
    `machine: ${availableParallelism()} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}`,
    ...(rows.length ? [
      `load: autocannon, ${connections} connections, ${seconds} s per page after a 3 s warm-up; accept-encoding ${headers['accept-encoding']}; serve --workers ${workerList[0]}`,
      '',
      '| page | req/s | p50 | p99 | max | errors / non-2xx | body |',
      '|---|---|---|---|---|---|---|',
      ...rows,
    ] : []),
    ...overload,
  ].join('\n') + '\n');
}
