// Digest benchmark: 100,000 confirmed subscribers (varied topics, hours, zones, daily
// and weekly) on the 74,728-paper daily-arXiv cs corpus with Hugging Face upvotes as
// signals; one day composed and delivered to a local SMTP server. Prints messages/s end
// to end (planning included), total time and peak RSS.
//   npm run bench:digest -- [--subscribers N] [--concurrency N] [--date YYYY-MM-DD]
// The corpus is imported once into .tmp/bench-digest/ (kept for later runs); each run
// works on a fresh copy. The digest runs in its own process (bench/digest-worker.ts) and
// the SMTP server in another (bench/smtp-sink.ts), so each one's memory is its own.

import { spawn } from 'node:child_process';
import { copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { importFiles } from '../src/ingest/import-files.js';
import type { Signal } from '../src/papers/paper.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { SubscriberFields } from '../src/store/subscriber-store.js';
import { prng } from './search-queries.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(repoRoot, '../shared/data');
const WORK = path.join(repoRoot, '.tmp', 'bench-digest');
const say = (msg: string) => process.stderr.write(`${msg}\n`);

// Topics people subscribe to, most popular first (picked with a Zipf-like skew below).
const TOPICS = [
  'large language models', 'diffusion models', 'reinforcement learning', 'graph neural networks', 'vision transformers',
  'retrieval augmented generation', 'multimodal', 'robot manipulation', 'federated learning', 'reasoning',
  'speech recognition', 'code generation', 'autonomous driving', 'medical imaging', 'time series forecasting',
  'knowledge graphs', 'adversarial robustness', 'differential privacy', 'contrastive learning', 'neural rendering',
  'gaussian splatting', 'mixture of experts', 'quantization', 'in-context learning', 'instruction tuning', 'agents',
  'recommendation', 'anomaly detection', 'point clouds', 'semantic segmentation', 'object detection', 'video generation',
  'text to image', 'machine translation', 'question answering', 'summarization', 'hallucination', 'alignment',
  'interpretability', 'causal inference', 'bayesian optimization', 'meta learning', 'continual learning',
  'self-supervised learning', 'protein', 'drug discovery', 'weather forecasting', 'compilers', 'formal verification',
  'program synthesis', 'quantum computing', 'blockchain', 'malware detection', 'software testing', 'databases',
  'distributed systems', 'wireless networks', 'edge computing', 'hardware accelerators', 'sparse attention',
  'state space models', 'tokenization', 'embodied AI', 'humanoid robots', 'motion planning', 'SLAM', 'pose estimation',
  'image restoration', 'super resolution', 'depth estimation', 'optical flow', 'tabular data', 'fairness', 'education',
  'misinformation', 'social networks', 'human-computer interaction', 'accessibility', 'sign language', 'music generation',
];
const CATEGORIES = ['cs.LG', 'cs.CV', 'cs.CL', 'cs.AI', 'cs.RO', 'cs.CR', 'cs.IR', 'cs.SE', 'cs.DC', 'cs.HC', 'cs.NE', 'cs.DB', 'cs.DS', 'cs.NI', 'cs.SD'];
const ZONES = ['UTC', 'Europe/London', 'Europe/Paris', 'Europe/Berlin', 'America/New_York', 'America/Chicago', 'America/Los_Angeles',
  'America/Sao_Paulo', 'Asia/Kolkata', 'Asia/Shanghai', 'Asia/Tokyo', 'Asia/Seoul', 'Australia/Sydney', 'Africa/Lagos'];

interface Flags { subscribers: number; concurrency: number; date: string }

function parseFlags(args: string[]): Flags {
  const f: Flags = { subscribers: 100_000, concurrency: 8, date: '2026-07-01' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--subscribers') f.subscribers = Number(args[++i]);
    else if (a === '--concurrency') f.concurrency = Number(args[++i]);
    else if (a === '--date') f.date = args[++i]!;
    else throw new Error(`unknown flag ${a}`);
  }
  return f;
}


function find(dir: string, pattern: RegExp): string | null {
  if (!existsSync(dir)) return null;
  const name = readdirSync(dir).find((f) => pattern.test(f));
  return name ? path.join(dir, name) : null;
}

/** The corpus (once) plus upvotes, comments and stars from the Hugging Face daily file as signals. */
async function prepareCorpus(corpusFile: string, hfFile: string | null): Promise<string> {
  const db = path.join(WORK, `corpus-${statSync(corpusFile).size}.db`);
  if (existsSync(db)) return db;
  say(`importing ${path.basename(corpusFile)} into ${path.relative(repoRoot, db)} (once) …`);
  const tmp = `${db}.partial`;
  rmSync(tmp, { force: true });
  const store = openSqliteStore(tmp);
  await store.migrate();
  await importFiles(store, [corpusFile]);
  if (hfFile) {
    const known = new Set<string>();
    for await (const d of store.searchDocuments()) known.add(d.id);
    const signals: Signal[] = [];
    for await (const line of createInterface({ input: createReadStream(hfFile).pipe(createGunzip()) })) {
      const r = JSON.parse(line) as { id: string; submittedOnDailyAt?: string; date: string; upvotes?: number; numComments?: number; githubStars?: number | null };
      if (!known.has(r.id)) continue;
      const observedAt = r.submittedOnDailyAt ?? `${r.date}T12:00:00Z`;
      if (r.upvotes) signals.push({ paperId: r.id, kind: 'upvotes', source: 'hf-daily', observedAt, value: r.upvotes });
      if (r.numComments) signals.push({ paperId: r.id, kind: 'comments', source: 'hf-daily', observedAt, value: r.numComments });
      if (r.githubStars) signals.push({ paperId: r.id, kind: 'github_stars', source: 'hf-daily', observedAt, value: r.githubStars });
    }
    for (let i = 0; i < signals.length; i += 5000) await store.ingest({ signals: signals.slice(i, i + 5000) });
    say(`  ${signals.length} signals from ${path.basename(hfFile)}`);
  }
  await store.close();
  copyFileSync(tmp, db);
  rmSync(tmp, { force: true });
  return db;
}

/** Subscribers written through the store, not the web (100k through the web would measure the web). */
async function addSubscribers(db: string, n: number): Promise<Record<string, number>> {
  const store = openSqliteStore(db);
  const rnd = prng(20260701);
  const pick = <T>(list: T[]) => list[Math.min(list.length - 1, Math.floor(list.length * rnd() ** 2.2))]!; // skewed to the head
  const kinds: Record<string, number> = { everything: 0, oneTopic: 0, twoTopics: 0, categories: 0, topicsInCategory: 0, weekly: 0, boost: 0 };
  const stamp = '2026-06-01T00:00:00.000Z';
  for (let i = 0; i < n; i++) {
    const r = rnd();
    let topics: string[] = [];
    let categories: string[] = [];
    if (r < 0.35) kinds.everything!++;
    else if (r < 0.7) { topics = [pick(TOPICS)]; kinds.oneTopic!++; }
    else if (r < 0.82) { topics = [...new Set([pick(TOPICS), pick(TOPICS)])]; kinds.twoTopics!++; }
    else if (r < 0.95) { categories = [...new Set([pick(CATEGORIES), ...(rnd() < 0.3 ? [pick(CATEGORIES)] : [])])]; kinds.categories!++; }
    else { topics = [pick(TOPICS)]; categories = [pick(CATEGORIES)]; kinds.topicsInCategory!++; }
    const boost = topics.length + categories.length > 0 && rnd() < 0.15;
    const weekly = rnd() < 0.1;
    if (boost) kinds.boost!++;
    if (weekly) kinds.weekly!++;
    const email = `reader${i}@bench.example.org`;
    const set: SubscriberFields = {
      email, status: 'active', topics, categories, topicMode: boost ? 'boost' : 'only', sendHour: Math.floor(rnd() * 24),
      timeZone: ZONES[Math.floor(rnd() * ZONES.length)]!, frequency: weekly ? 'weekly' : 'daily', weekday: Math.floor(rnd() * 7),
      consent: 'operator-import', createdAt: stamp, updatedAt: stamp, confirmedAt: stamp, nextDueAt: stamp,
    };
    await store.changeSubscriber({ email }, () => ({ result: null, set }));
  }
  await store.close();
  return kinds;
}

function spawnTsx(file: string, args: string[]) {
  // BENCH_PROFILE=DIR writes a CPU profile of each process there.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [];
  // BENCH_NODE_FLAGS="--max-old-space-size=…" to try V8 settings.
  const flags = process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : [];
  return spawn(process.execPath, [...profile, ...flags, '--import', 'tsx', path.join(repoRoot, 'bench', file), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
}

async function firstLine(child: ReturnType<typeof spawnTsx>): Promise<string> {
  const rl = createInterface({ input: child.stdout! });
  for await (const line of rl) return line;
  throw new Error('process ended without output');
}

export async function run(): Promise<void> {
  const flags = parseFlags(process.argv.slice(3));
  const corpus = find(path.join(SHARED, 'arxiv'), /^daily-arxiv-cs-.*\.jsonl\.gz$/);
  if (!corpus) {
    say(`bench digest: no daily-arxiv-cs-*.jsonl.gz under ${path.join(SHARED, 'arxiv')} (the 74,728-paper corpus expected next to the repository)`);
    process.exit(1);
  }
  mkdirSync(WORK, { recursive: true });
  const base = await prepareCorpus(corpus, find(path.join(SHARED, 'hf-daily'), /^hf-daily-papers_.*\.jsonl\.gz$/));
  const db = path.join(WORK, 'run.db');
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  copyFileSync(base, db);
  const kinds = await addSubscribers(db, flags.subscribers);
  say(`${flags.subscribers.toLocaleString('en-US')} subscribers: ${JSON.stringify(kinds)}`);

  // The site has saved its search index beside the database, as `serve` does after its build.
  for (const f of [`${db}.search-index`]) rmSync(f, { force: true });
  say('building and saving the search index (paperboy search) …');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/cli/main.ts'), '--db', db, '--log-level', 'warn', 'search', 'index'], { cwd: repoRoot, stdio: 'ignore' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`paperboy search exited with ${code}`))));
  });

  const sink = spawnTsx('smtp-sink.ts', []);
  const sinkOut = createInterface({ input: sink.stdout! })[Symbol.asyncIterator]();
  const port = Number((await sinkOut.next()).value);
  say(`SMTP sink on 127.0.0.1:${port}; running the digest for ${flags.date} …`);
  const worker = spawnTsx('digest-worker.ts', [db, `smtp://127.0.0.1:${port}`, flags.date, String(flags.concurrency)]);
  const result = JSON.parse(await firstLine(worker)) as {
    indexMs: number; rssAfterIndexMb: number; maxRssMb: number; peak: { heapUsedMb: number; externalMb: number; arrayBuffersMb: number };
    round: { ms: number; planMs: number; deliverMs: number; plan: { considered: number; planned: number; empty: number }; delivery: { sent: number; failed: number; retrying: number }; composer: { atoms: number; combinations: number } };
  };
  sink.kill('SIGTERM');
  const received = JSON.parse((await sinkOut.next()).value as string) as { messages: number; bytes: number; maxRssMb: number };

  const r = result.round;
  const sent = r.delivery.sent;
  const lines = [
    `subscribers   ${flags.subscribers.toLocaleString('en-US')} active (${kinds.weekly} weekly, ${flags.subscribers - kinds.everything!} with topics)`,
    `digest date   ${flags.date}: ${(r.plan.planned + r.plan.empty).toLocaleString('en-US')} digests due (weekly ones only on their weekday), ${r.plan.planned.toLocaleString('en-US')} with papers, ${r.plan.empty.toLocaleString('en-US')} with nothing new`,
    `compose       ${(r.planMs / 1000).toFixed(1)} s (${r.composer.atoms} topic rankings, ${r.composer.combinations} distinct topic sets)`,
    `deliver       ${(r.deliverMs / 1000).toFixed(1)} s, ${sent.toLocaleString('en-US')} sent, ${r.delivery.failed} failed, ${r.delivery.retrying} retrying; server received ${received.messages.toLocaleString('en-US')} (${(received.bytes / 1e6).toFixed(0)} MB)`,
    `total         ${(r.ms / 1000).toFixed(1)} s  (search index loaded before: ${(result.indexMs / 1000).toFixed(1)} s)`,
    `rate          ${Math.round(sent / (r.ms / 1000)).toLocaleString('en-US')} messages/s end to end (${Math.round(sent / (r.deliverMs / 1000)).toLocaleString('en-US')}/s delivering)`,
    `peak RSS      ${result.maxRssMb} MB digest process (${result.rssAfterIndexMb} MB once the search index was loaded; during the round at most ${result.peak.heapUsedMb} MB JS heap, ${result.peak.externalMb} MB external), ${received.maxRssMb} MB SMTP server`,
    `machine       ${cpus().length} cores, node ${process.version}, ${flags.concurrency} SMTP connections`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
