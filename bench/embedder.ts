// The built-in embedder's cost: train on the daily-arXiv cs corpus with the defaults, embed
// every paper, embed queries. Reports wall and CPU time (CPU time is what the machine's
// load does not distort). Usage: tsx bench/embedder.ts [--data FILE.jsonl.gz] [--limit N] [--json OPTIONS]

import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { trainBuiltinModel } from '../src/search/embedders/builtin/model.js';
import { documentText } from '../src/search/embedders/embedder.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.resolve(repoRoot, '../shared/data/arxiv/daily-arxiv-cs-2025-03-18_2026-07-01.jsonl.gz');

const args = process.argv.slice(2);
const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const data = flag('--data') ?? DATA;
const limit = Number(flag('--limit') ?? Infinity);
const options = JSON.parse(flag('--json') ?? '{}') as Record<string, unknown>;

const papers: { title: string; abstract: string }[] = [];
for await (const line of createInterface({ input: createReadStream(data).pipe(createGunzip()) })) {
  if (!line.trim()) continue;
  const p = JSON.parse(line) as { title?: string; abstract?: string };
  papers.push({ title: p.title ?? '', abstract: p.abstract ?? '' });
  if (papers.length >= limit) break;
}

const seconds = (cpu: NodeJS.CpuUsage) => (cpu.user + cpu.system) / 1e6;
const c0 = process.cpuUsage(), t0 = performance.now();
const model = await trainBuiltinModel(papers, options);
const c1 = process.cpuUsage(), t1 = performance.now();
await model.embedDocuments(papers.map((p) => documentText(p.title, p.abstract)));
const c2 = process.cpuUsage(), t2 = performance.now();
const queries = papers.slice(0, 500).map((p) => p.title);
const t3 = performance.now();
for (const q of queries) await model.embedQuery(q);
const queryMs = (performance.now() - t3) / queries.length;

const train = { wall: (t1 - t0) / 1000, cpu: seconds(c1) - seconds(c0) };
const embed = { wall: (t2 - t1) / 1000, cpu: seconds(c2) - seconds(c1) };
const total = { wall: train.wall + embed.wall, cpu: train.cpu + embed.cpu };
console.log(`built-in embedder ${model.name}: ${papers.length} papers, learnt from ${model.trainedOn}, ${model.vocabulary.ids.size} terms`);
console.log(`train  ${train.wall.toFixed(1)} s wall, ${train.cpu.toFixed(1)} s CPU`);
console.log(`embed  ${embed.wall.toFixed(1)} s wall, ${embed.cpu.toFixed(1)} s CPU`);
console.log(`total  ${total.wall.toFixed(1)} s wall (${Math.round(papers.length / total.wall)} papers/s), ${total.cpu.toFixed(1)} s CPU (${Math.round(papers.length / total.cpu)} papers per CPU-second)`);
console.log(`query  ${queryMs.toFixed(2)} ms per query (mean of ${queries.length} titles)`);
