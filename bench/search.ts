// Search benchmark: Paperboy next to MiniSearch and Orama on the 74,728-paper daily-arXiv
// cs corpus (same papers, fields, boosts and queries), then Paperboy alone on a corpus
// grown to 1,000,000 papers. Each engine runs in its own process so memory figures do not
// mix. Prints build time, RSS, latency percentiles per query kind and SciFact nDCG@10.
// Search by meaning (built-in model, vectors, hybrid) is measured on both corpora too.
//   npm run bench:search -- [--skip-1m] [--papers N] [--queries N] [--budget S] [--skip-peers] [--skip-semantic]
//                            [--vectors-only] [--reuse-vectors]
// --vectors-only measures search by meaning alone (no word-index rows); --reuse-vectors
// keeps the grown corpus's saved indexes (beside its cached database) from an earlier run
// instead of training, embedding and linking again (the build figures are then not printed).

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFiles } from '../src/ingest/import-files.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { GROW_METHOD, growCorpus } from './grow-corpus.js';
import { PEERS } from './search-engines.js';
import type { PeerConfig, PeerResult } from './search-peer.js';
import { savedFiles, type SemanticBuild, type SemanticConfig, type SemanticResult } from './search-semantic.js';
import { QUERY_KINDS, sampleQueries, type LatencyStats } from './search-queries.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_SHARED: the shared data folder, when the repository is not checked out beside it.
const SHARED = process.env.BENCH_SHARED ?? path.resolve(repoRoot, '../shared/data');
const DATA = process.env.BENCH_DATA ?? path.join(SHARED, 'arxiv/daily-arxiv-cs-2025-03-18_2026-07-01.jsonl.gz');
const SCIFACT = path.join(SHARED, 'bench/scifact-train');
const CACHE = path.join(repoRoot, '.tmp', 'bench-search');
const say = (msg: string) => process.stderr.write(`${msg}\n`);

interface Flags { skip75k: boolean; skip1m: boolean; skipPeers: boolean; skipSemantic: boolean; vectorsOnly: boolean; reuseVectors: boolean; papers: number; perKind: number; budgetS: number }

function parseFlags(args: string[]): Flags {
  const flags: Flags = { skip75k: false, skip1m: false, skipPeers: false, skipSemantic: false, vectorsOnly: false, reuseVectors: false, papers: 1_000_000, perKind: 200, budgetS: 60 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const num = () => {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${a} needs a positive whole number`);
      return n;
    };
    if (a === '--skip-1m') flags.skip1m = true;
    else if (a === '--skip-75k') flags.skip75k = true;
    else if (a === '--skip-peers') flags.skipPeers = true;
    else if (a === '--skip-semantic') flags.skipSemantic = true;
    else if (a === '--vectors-only') flags.vectorsOnly = true;
    else if (a === '--reuse-vectors') flags.reuseVectors = true;
    else if (a === '--papers') flags.papers = num();
    else if (a === '--queries') flags.perKind = num();
    else if (a === '--budget') flags.budgetS = num();
    else throw new Error(`unknown option ${a} (known: --skip-75k, --skip-1m, --skip-peers, --skip-semantic, --vectors-only, --reuse-vectors, --papers N, --queries N, --budget S)`);
  }
  return flags;
}

/** A short hash of the search code measured, so figures can be tied to a state of src/search. */
function searchCodeHash(): string {
  const dir = path.join(repoRoot, 'src', 'search');
  const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  const h = createHash('sha256');
  for (const f of files) h.update(f).update(readFileSync(path.join(dir, f)));
  return h.digest('hex').slice(0, 12);
}

const dbSizeMb = (file: string) => [file, `${file}-wal`].reduce((s, f) => s + (existsSync(f) ? statSync(f).size : 0), 0) / 1e6;

/** Runs one engine in a child process and returns what it printed. */
function runEngine(engine: string, config: PeerConfig, dir: string): Promise<PeerResult> {
  return runChild<PeerResult>(engine, 'search-peer.ts', config, dir, [engine]);
}

/** Builds (or reuses) the saved indexes in one process, then loads and measures them in a fresh one, as a server start would. */
async function runSemantic(config: SemanticConfig, dir: string): Promise<{ build: SemanticBuild; measured: SemanticResult }> {
  const files = savedFiles(config.db);
  const mbOf = (file: string) => (existsSync(file) ? statSync(file).size / 1e6 : 0);
  const build = config.reuseVectors && existsSync(files.vectors) && existsSync(files.words)
    ? { built: null, vectorFileMb: mbOf(files.vectors), graphMb: mbOf(files.graph) }
    : await runChild<SemanticBuild>('semantic-build', 'search-semantic.ts', config, dir, ['build']);
  return { build, measured: await runChild<SemanticResult>('semantic-measure', 'search-semantic.ts', config, dir, ['measure']) };
}

function runChild<T>(engine: string, script: string, config: PeerConfig, dir: string, extra: string[]): Promise<T> {
  const cfgFile = path.join(dir, `${engine}-${path.basename(config.db)}.json`);
  writeFileSync(cfgFile, JSON.stringify(config));
  const args = ['--expose-gc', '--max-old-space-size=16384', '--import', 'tsx', path.join(repoRoot, 'bench', script), ...extra, cfgFile];
  say(`  ${engine}: ${new Date().toISOString()}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`${engine} exited with code ${code}`));
      else resolve(JSON.parse(line.slice('RESULT '.length)) as T);
    });
  });
}

async function queriesFile(db: string, dir: string, perKind: number, seed: number): Promise<string> {
  const store = openSqliteStore(db, { readonly: true });
  const file = path.join(dir, `queries-${path.basename(db)}.json`);
  writeFileSync(file, JSON.stringify(await sampleQueries(store, perKind, seed)));
  await store.close();
  return file;
}

function table(rows: { label: string; r: PeerResult }[], perKind: number): string {
  const f1 = (x: number) => x.toFixed(1);
  const lat = (r: PeerResult, k: (typeof QUERY_KINDS)[number]) => {
    const l = r.latency[k];
    return [l.p50, l.p95, l.p99].map(f1).join(' / ') + (l.n < perKind ? ` (n=${l.n})` : '');
  };
  const head = ['engine', 'papers', 'build s', 'RSS MB', 'keyword p50/p95/p99 ms', 'title p50/p95/p99 ms', 'abstract p50/p95/p99 ms', 'SciFact nDCG@10'];
  const body = rows.map(({ label, r }) => [
    label, r.papers.toLocaleString('en-US'), f1(r.buildMs / 1000), r.rssMb.toFixed(0), lat(r, 'keyword'), lat(r, 'title'), lat(r, 'abstract'),
    r.scifact ? r.scifact.ndcg10.toFixed(3) : '—',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/**
 * Search by meaning: training and embedding, the saved vector index, where memory goes in
 * a fresh process that loads both indexes, the graph's recall against an exact scan by
 * candidate pool, and hybrid latency.
 */
function semanticTable(rows: { label: string; r: { build: SemanticBuild; measured: SemanticResult } }[]): string {
  const f1 = (x: number) => x.toFixed(1);
  const f2 = (x: number) => x.toFixed(2);
  const lat = (l: LatencyStats) => [l.p50, l.p99].map(f1).join(' / ');
  return [
    'search by meaning (built-in model; hybrid = words and vectors fused; a fresh process loads both saved indexes, the graph memory-mapped)',
    ...rows.map(({ label, r: { build: b, measured: r } }) => [
      `  ${label}: ${r.papers.toLocaleString('en-US')} papers, model ${r.model}`,
      b.built
        ? `    train ${f1(b.built.trainMs / 1000)} s + embed ${f1(b.built.embedMs / 1000)} s + link the graph ${f1(b.built.graphBuildMs / 1000)} s = ${Math.round(b.built.papersPerSecond).toLocaleString('en-US')} papers/s` +
          ` (word index ${f1(b.built.lexicalMs / 1000)} s)`
        : '    saved indexes reused from an earlier run (no build figures)',
      `    files: vectors ${b.vectorFileMb.toFixed(0)} MB, graph ${b.graphMb.toFixed(0)} MB; load: words ${f1(r.lexicalLoadMs / 1000)} s, vectors ${f1(r.vectorLoadMs / 1000)} s`,
      `    memory by step (RSS / V8 heap / buffers outside the heap / mapped graph resident, MB):`,
      ...r.memory.map((m) => `      ${m.step.padEnd(30)} ${m.rssMb.toFixed(0).padStart(5)} / ${m.heapMb.toFixed(0).padStart(5)} / ${m.externalMb.toFixed(0).padStart(5)} / ${m.graphMappedMb.toFixed(0).padStart(5)}`),
      `    RSS ${r.rssMb.toFixed(0)} MB after hybrid search (peak ${r.peakRssMb.toFixed(0)}); query embedding p50/p99 ${f2(r.queryEmbed.p50)} / ${f2(r.queryEmbed.p99)} ms; exact scan p50 ${f1(r.exactScan.p50)} ms`,
      `    graph vs exact scan (same int8 scores; ties with the last counted as found, strict in brackets), by candidates ranked:`,
      `      candidates | top 10 asked: recall@10, wall p50 / p99, CPU p50 / p99 ms | top 100 asked: recall@100, its recall@10, wall p50 / p99, CPU p50 / p99 ms`,
      ...r.recall.map((x) => `      ${String(x.candidates).padStart(10)}${x.candidates === r.chosenCandidates ? '*' : ' '} ${x.recallAt10.toFixed(3)} (${x.strictRecallAt10.toFixed(3)})  ${f2(x.latency10.p50)} / ${f2(x.latency10.p99)}, ${f2(x.cpu10.p50)} / ${f2(x.cpu10.p99)}` +
        ` | ${x.recallAt100.toFixed(3)}  ${x.recallAt10Of100.toFixed(3)}  ${f2(x.latency100.p50)} / ${f2(x.latency100.p99)}, ${f2(x.cpu100.p50)} / ${f2(x.cpu100.p99)}`),
      `    hybrid p50/p99 ms: keyword ${lat(r.hybrid.keyword)}, title ${lat(r.hybrid.title)}, abstract ${lat(r.hybrid.abstract)}`,
      `    hybrid CPU p50/p99 ms: keyword ${lat(r.hybridCpu.keyword)}, title ${lat(r.hybridCpu.title)}, abstract ${lat(r.hybridCpu.abstract)}`,
      `    of which the vector index (wall): keyword ${lat(r.hybridVector.keyword)}, title ${lat(r.hybridVector.title)}, abstract ${lat(r.hybridVector.abstract)}`,
    ].join('\n')),
  ].join('\n');
}

function breakdown(label: string, r: PeerResult): string {
  if (!r.breakdown) return '';
  const lines = QUERY_KINDS.map((k) => {
    const b = r.breakdown![k];
    return `  ${k.padEnd(9)} total ${b.total.toFixed(2)}  index ${b.index.toFixed(2)} (p99 ${b.indexP99.toFixed(2)})  fetch papers ${b.fetch.toFixed(2)}  ` +
      `store checks ${b.store.toFixed(2)}  parse+snippets ${b.rest.toFixed(2)}`;
  });
  return [`${label}: mean ms per query by part of search()`, ...lines].join('\n');
}

export async function run(): Promise<void> {
  let flags: Flags;
  try {
    flags = parseFlags(process.argv.slice(3));
  } catch (e) {
    say(`bench search: ${(e as Error).message}`);
    process.exit(2);
  }
  for (const [what, p] of [['daily-arXiv cs JSONL (74,728 papers)', DATA], ['SciFact train BEIR folder', SCIFACT]] as const) {
    if (!existsSync(p)) {
      say(`bench search: ${what} not found: ${p}\nIt is expected next to the repository under ../shared/data/.`);
      process.exit(1);
    }
  }
  const codeAtStart = searchCodeHash();
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-bench-search-'));
  const rows: { label: string; r: PeerResult }[] = [];
  const semanticRows: { label: string; r: { build: SemanticBuild; measured: SemanticResult } }[] = [];
  const notes: string[] = [];
  try {
    if (!flags.skip75k) {
      say('importing the 75k corpus…');
      const db75 = path.join(dir, 'corpus-75k.db');
      const store = openSqliteStore(db75);
      await store.migrate();
      const imp = await importFiles(store, [DATA]);
      await store.close();
      notes.push(`75k corpus: ${imp.inserted.toLocaleString('en-US')} papers imported in ${(imp.elapsedMs / 1000).toFixed(1)} s, DB ${dbSizeMb(db75).toFixed(1)} MB`);
      const q75 = await queriesFile(db75, dir, flags.perKind, 42);
      const cfg75: PeerConfig = { db: db75, queries: q75, scifact: SCIFACT, limit: 10, budgetMs: flags.budgetS * 1000 };
      for (const engine of flags.vectorsOnly ? [] : ['paperboy', ...(flags.skipPeers ? [] : PEERS)]) {
        say(`${engine} on 75k…`);
        rows.push({ label: engine, r: await runEngine(engine, cfg75, dir) });
      }
      if (!flags.skipSemantic) {
        say('paperboy search by meaning on 75k…');
        semanticRows.push({ label: '75k', r: await runSemantic({ ...cfg75, scifact: undefined }, dir) });
      }
    }

    if (!flags.skip1m) {
      mkdirSync(CACHE, { recursive: true });
      const grown = path.join(CACHE, `grown-${flags.papers}-seed7-v1.db`);
      if (existsSync(grown)) {
        // Cached by an earlier version of the code: brought to this version's schema first.
        const cached = openSqliteStore(grown);
        await cached.migrate();
        await cached.close();
        notes.push(`grown corpus: reused ${path.relative(repoRoot, grown)}`);
      }
      else {
        say(`growing a ${flags.papers.toLocaleString('en-US')}-paper corpus into ${path.relative(repoRoot, grown)}…`);
        const g = await growCorpus(DATA, grown, {
          papers: flags.papers, seed: 7,
          onProgress: (n, total) => { if (n % 100_000 === 0 || n === total) say(`  ${n.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`); },
        });
        notes.push(`grown corpus: ${g.real.toLocaleString('en-US')} real + ${g.synthetic.toLocaleString('en-US')} synthetic papers written in ${(g.ms / 1000).toFixed(1)} s`);
      }
      notes.push(`grown corpus DB ${dbSizeMb(grown).toFixed(1)} MB`);
      const qBig = await queriesFile(grown, dir, flags.perKind, 43);
      if (!flags.vectorsOnly) {
        say(`paperboy on ${flags.papers.toLocaleString('en-US')}…`);
        rows.push({ label: `paperboy (grown)`, r: await runEngine('paperboy', { db: grown, queries: qBig, limit: 10, budgetMs: flags.budgetS * 1000 }, dir) });
      }
      if (!flags.skipSemantic) {
        say(`paperboy search by meaning on ${flags.papers.toLocaleString('en-US')}…`);
        semanticRows.push({ label: 'grown', r: await runSemantic({ db: grown, queries: qBig, limit: 10, budgetMs: flags.budgetS * 1000, reuseVectors: flags.reuseVectors }, dir) });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const codeAtEnd = searchCodeHash();
  const out = [
    '',
    `code        src/search hash ${codeAtStart}` + (codeAtEnd === codeAtStart ? '' : ` → ${codeAtEnd}: WARNING, the search code changed during the run; rows may mix versions`),
    `machine     ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}`,
    `queries     ${flags.perKind} per kind, seeded, drawn from the corpus searched: keyword = 2-4 consecutive content words`,
    '            of a random title or abstract; title = a whole title; abstract = a whole abstract. Top 10.',
    '            Paperboy: search() (parse, index, papers fetched from SQLite, snippets); peers: their search() call.',
    '            One warm-up pass over all queries, then one timed pass, single client. A kind whose queries',
    `            take over ${flags.budgetS} s in a pass has the rest skipped: (n=…) is how many were timed.`,
    `fields      title 3, authors 1.5, abstract 1 for every engine; RSS after the index build and a full GC.`,
    ...(flags.skip1m ? [] : ['grown corpus', GROW_METHOD.split('\n').map((l) => `            ${l}`).join('\n')]),
    ...notes.map((n) => `note        ${n}`),
    '',
    table(rows, flags.perKind),
    '',
    ...rows.map(({ label, r }) => breakdown(label, r)).filter(Boolean),
    '',
    ...rows.map(({ label, r }) => `${label}: peak RSS ${r.peakRssMb.toFixed(0)} MB, heap after build ${r.heapMb.toFixed(0)} MB` +
      (r.scifact ? `, SciFact nDCG@10 ${r.scifact.ndcg10.toFixed(4)} recall@100 ${r.scifact.recall100.toFixed(3)} MRR@10 ${r.scifact.mrr10.toFixed(3)} (${r.scifact.queries} queries)` : '') +
      (r.indexFile ? `, saved index ${r.indexFile.mb.toFixed(0)} MB: save ${(r.indexFile.saveMs / 1000).toFixed(1)} s, load ${(r.indexFile.loadMs / 1000).toFixed(1)} s` : '')),
    ...(semanticRows.length ? ['', semanticTable(semanticRows)] : []),
  ];
  process.stdout.write(out.join('\n') + '\n');
}
