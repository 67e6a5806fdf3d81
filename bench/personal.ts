// Personal digest benchmark: simulated subscribers with hidden interests over 30
// replayed announcement days of the real daily-arXiv cs corpus, Hugging Face upvotes as
// trending signals. Each subscriber follows one category (what they told Paperboy) and
// secretly wants only its papers whose title has one of two words (what the model never
// sees). Each day they get 10 papers and click "more like this" on every paper they
// wanted and "less like this" on up to two they did not. Three digests are compared per
// day by hits@10 (papers wanted among the 10): trending only, topics only (the category
// ranked by trending) and topics + feedback (the same, re-ranked by src/personal/).
// Model weights are chosen on half the subscribers (tuning) and reported on the other
// half (held out). Also the time and memory a digest costs with and without the model.
// With --round N, also a digest round of the last day for N subscribers (a share of
// them, --share, with the feedback the held-out subscribers gave), planned by the real
// planner without and then with the model: wall time, CPU time and JS heap of each.
//   npm run bench:personal -- [--days 30] [--subscribers 40] [--data DIR (default ../shared/data)] [--no-tuning] [--round 100000 --share 0.1]

import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { createComposer, type Candidates } from '../src/digest/compose.js';
import { planDigests } from '../src/digest/plan.js';
import { importFiles } from '../src/ingest/import-files.js';
import type { Signal } from '../src/papers/paper.js';
import { DEFAULT_WEIGHTS, type ModelWeights } from '../src/personal/model.js';
import { createPersonalizer } from '../src/personal/personalize.js';
import { createSearchEngine } from '../src/search/search.js';
import { createSemanticSearcher } from '../src/search/semantic/searcher.js';
import type { PersonalProfile } from '../src/store/personal-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { prng } from './search-queries.js';
import { DEFAULT_CONFIG } from '../src/config.js';
import { createTrending } from '../src/trending/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(repoRoot, '.tmp', 'bench-personal');
const say = (msg: string) => process.stderr.write(`${msg}\n`);
const SIZE = 10;

// Interests: a category and two title words. Kept when the pair gives a few papers a day.
const INTERESTS: [string, string, string][] = [
  ['cs.CV', 'video', 'temporal'], ['cs.CV', 'medical', 'clinical'], ['cs.CV', '3d', 'point'], ['cs.CV', 'segmentation', 'mask'],
  ['cs.CV', 'diffusion', 'generation'], ['cs.CV', 'driving', 'autonomous'], ['cs.CV', 'face', 'person'], ['cs.CV', 'remote', 'satellite'],
  ['cs.CV', 'gaussian', 'splatting'], ['cs.CV', 'detection', 'tracking'], ['cs.CL', 'reasoning', 'math'], ['cs.CL', 'translation', 'multilingual'],
  ['cs.CL', 'speech', 'audio'], ['cs.CL', 'retrieval', 'rag'], ['cs.CL', 'agent', 'agents'], ['cs.CL', 'safety', 'jailbreak'],
  ['cs.CL', 'hallucination', 'factual'], ['cs.CL', 'code', 'program'], ['cs.CL', 'evaluation', 'benchmark'], ['cs.CL', 'medical', 'clinical'],
  ['cs.AI', 'agent', 'agents'], ['cs.AI', 'reinforcement', 'policy'], ['cs.AI', 'graph', 'knowledge'], ['cs.AI', 'planning', 'reasoning'],
  ['cs.AI', 'medical', 'health'], ['cs.AI', 'game', 'games'], ['cs.AI', 'language', 'llm'], ['cs.AI', 'explanation', 'interpretability'],
  ['cs.CV', 'image', 'editing'], ['cs.CL', 'dialogue', 'conversation'], ['cs.CV', 'robot', 'manipulation'], ['cs.AI', 'education', 'student'],
  ['cs.CV', 'vision-language', 'multimodal'], ['cs.CL', 'bias', 'fairness'], ['cs.AI', 'multi-agent', 'cooperative'], ['cs.CV', 'depth', 'stereo'],
  ['cs.CL', 'summarization', 'long'], ['cs.CV', 'anomaly', 'defect'], ['cs.AI', 'scheduling', 'optimization'], ['cs.CL', 'sentiment', 'emotion'],
];

interface Flags { days: number; subscribers: number; data: string; tune: boolean; round: number; share: number }
function parseFlags(args: string[]): Flags {
  const f: Flags = { days: 30, subscribers: 40, data: path.resolve(repoRoot, '../shared/data'), tune: true, round: 0, share: 0.1 };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--days') f.days = Number(args[++i]);
    else if (args[i] === '--subscribers') f.subscribers = Number(args[++i]);
    else if (args[i] === '--data') f.data = path.resolve(args[++i]!);
    else if (args[i] === '--no-tuning') f.tune = false;
    else if (args[i] === '--round') f.round = Number(args[++i]);
    else if (args[i] === '--share') f.share = Number(args[++i]);
    else throw new Error(`unknown flag ${args[i]}`);
  }
  return f;
}

const find = (dir: string, pattern: RegExp) => (existsSync(dir) ? readdirSync(dir).find((f) => pattern.test(f)) : undefined);
async function* lines(file: string) {
  yield* createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
}

interface Row { id: string; title: string; categories: string[]; published: string }

export async function run(): Promise<void> {
  const flags = parseFlags(process.argv.slice(3));
  const SHARED = flags.data;
  const corpusName = find(path.join(SHARED, 'arxiv'), /^daily-arxiv-cs-.*\.jsonl\.gz$/);
  const hfName = find(path.join(SHARED, 'hf-daily'), /^hf-daily-papers_.*\.jsonl\.gz$/);
  if (!corpusName) {
    say(`bench personal: no daily-arxiv-cs-*.jsonl.gz in ${path.join(SHARED, 'arxiv')} (give --data DIR)`);
    process.exit(1);
  }
  // The replayed days: the last `days` announcement days with at least 100 papers, and a week before them for trending's history.
  const counts = new Map<string, number>();
  for await (const l of lines(path.join(SHARED, 'arxiv', corpusName))) {
    const day = (JSON.parse(l) as Row).published.slice(0, 10);
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  const days = [...counts.keys()].filter((d) => counts.get(d)! >= 100).sort().slice(-flags.days);
  const since = new Date(Date.parse(`${days[0]}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);

  mkdirSync(WORK, { recursive: true });
  const recent = path.join(WORK, 'recent.jsonl');
  const rows: Row[] = [];
  const out: string[] = [];
  for await (const l of lines(path.join(SHARED, 'arxiv', corpusName))) {
    const r = JSON.parse(l) as Row;
    if (r.published.slice(0, 10) < since) continue;
    rows.push({ id: r.id, title: r.title, categories: r.categories, published: r.published.slice(0, 10) });
    out.push(l);
  }
  writeFileSync(recent, `${out.join('\n')}\n`);
  const db = path.join(WORK, 'bench.db');
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const store = openSqliteStore(db);
  await store.migrate();
  await importFiles(store, [recent]);
  const known = new Set(rows.map((r) => r.id));
  const signals: Signal[] = [];
  if (hfName) {
    for await (const l of lines(path.join(SHARED, 'hf-daily', hfName))) {
      const r = JSON.parse(l) as { id: string; date: string; submittedOnDailyAt?: string; upvotes?: number; numComments?: number };
      if (!known.has(r.id)) continue;
      const observedAt = r.submittedOnDailyAt ?? `${r.date}T12:00:00Z`;
      if (r.upvotes) signals.push({ paperId: r.id, kind: 'upvotes', source: 'hf-daily', observedAt, value: r.upvotes });
      if (r.numComments) signals.push({ paperId: r.id, kind: 'comments', source: 'hf-daily', observedAt, value: r.numComments });
    }
    for (let i = 0; i < signals.length; i += 5000) await store.ingest({ signals: signals.slice(i, i + 5000) });
  }
  say(`${rows.length} papers (${since} … ${days.at(-1)}), ${signals.length} signals; replaying ${days.length} days`);

  // Hidden interests with 2–40 wanted papers a day on average over the replayed days.
  const byDay = new Map<string, Row[]>();
  for (const r of rows) byDay.set(r.published, [...(byDay.get(r.published) ?? []), r]);
  const wants = (i: [string, string, string], r: Row) => r.categories.includes(i[0]) && new RegExp(`\\b(${i[1]}|${i[2]})\\b`, 'i').test(r.title);
  const interests = INTERESTS.filter((i) => {
    const perDay = days.reduce((n, d) => n + (byDay.get(d) ?? []).filter((r) => wants(i, r)).length, 0) / days.length;
    return perDay >= 2 && perDay <= 40;
  }).slice(0, flags.subscribers);
  const tune = interests.filter((_, n) => n % 2 === 0);
  const held = interests.filter((_, n) => n % 2 === 1);
  say(`${interests.length} simulated subscribers: ${tune.length} for tuning, ${held.length} held out`);

  const trending = createTrending(store, DEFAULT_CONFIG.trending);
  const searchEngine = createSearchEngine(store, { trending });

  // Paper vectors of the built-in embedder (trained on this corpus), for the model's "by meaning" part.
  const vectorsStarted = process.cpuUsage();
  const semantic = createSemanticSearcher(store, {});
  await semantic.current();
  const vectorsCpu = process.cpuUsage(vectorsStarted);
  say(`paper vectors built in ${((vectorsCpu.user + vectorsCpu.system) / 1e6).toFixed(1)} s CPU`);
  const vectorEngine = createSearchEngine(store, { trending, semantic });

  type Arm = 'trending' | 'topics' | 'feedback' | 'vectors';
  const ARMS: Arm[] = ['trending', 'topics', 'feedback', 'vectors'];
  const zero = () => ({ trending: 0, topics: 0, feedback: 0, vectors: 0 });
  interface Result { hits: Record<Arm, number[][]>; ms: Record<Arm, number>; cpu: Record<Arm, number>; digests: number; heap: Record<Arm, number>; marginal: number[]; marginalCpu: number[]; vectorCpu: number[]; sizes: { likes: number; dislikes: number; day: number }[]; firstOfDay: number[]; profiles: PersonalProfile[] }

  async function replay(group: typeof interests, weights: ModelWeights): Promise<Result> {
    const hits: Result['hits'] = { trending: [], topics: [], feedback: [], vectors: [] };
    const ms = zero();
    // CPU time as well as wall time: on a shared machine waiting for a core inflates the latter.
    const cpu = zero();
    const marginalCpu: number[] = [];
    const vectorCpu: number[] = [];
    // What each personalize() call had to work with (feedback arm): for the profile of the slowest.
    const sizes: { likes: number; dislikes: number; day: number }[] = [];
    const heap = zero();
    // Time of each personalize() call: the day's first also builds the window's vocabulary and vectors, shared by the rest.
    const marginal: number[] = [];
    const firstOfDay: number[] = [];
    const profiles = group.map((): PersonalProfile => ({ feedback: [], library: [], rules: [] }));
    // The "by meaning" arm learns from its own digests' clicks.
    const vectorProfiles = group.map((): PersonalProfile => ({ feedback: [], library: [], rules: [] }));
    const shown = group.map(() => ({ trending: new Set<string>(), topics: new Set<string>(), feedback: new Set<string>(), vectors: new Set<string>() }));
    for (const [n, day] of days.entries()) {
      const prev = days[n - 1] ?? day;
      const window = { from: prev, to: day };
      const now = new Date(`${day}T23:00:00Z`);
      const wanted = new Set((byDay.get(day) ?? []).concat(byDay.get(prev) ?? []).map((r) => r.id));
      for (const arm of ARMS) {
        const personal = arm === 'feedback' || arm === 'vectors';
        const mine = arm === 'vectors' ? vectorProfiles : profiles;
        // A new composer (and personalizer) per day, as each digest round makes.
        const before = process.memoryUsage().heapUsed;
        const started = performance.now();
        const cpuStart = process.cpuUsage();
        const composer = createComposer({ trending, search: searchEngine, size: SIZE, now });
        const personalizer = arm === 'vectors'
          ? createPersonalizer({ store, trending, search: vectorEngine, size: SIZE, now, weights })
          : createPersonalizer({ store, trending, search: searchEngine, size: SIZE, now, weights: { ...weights, vectors: 0 } });
        const lists: Candidates[] = [];
        for (const [k, i] of group.entries()) {
          const choice = { topics: [], categories: arm === 'trending' ? [] : [i[0]], topicMode: 'only' as const };
          const base = await composer.candidates(choice, window);
          if (!personal) {
            lists.push(base);
            continue;
          }
          const t = performance.now();
          const c = process.cpuUsage();
          lists.push(await personalizer.personalize(choice, mine[k], base));
          if (arm === 'feedback') (k === 0 ? firstOfDay : marginal).push(performance.now() - t);
          if (k > 0) {
            const used = process.cpuUsage(c);
            (arm === 'feedback' ? marginalCpu : vectorCpu).push((used.user + used.system) / 1000);
            if (arm === 'feedback') sizes.push({ likes: mine[k]!.feedback.filter((f) => f.kind === 'more').length, dislikes: mine[k]!.feedback.filter((f) => f.kind === 'less').length, day: n });
          }
        }
        ms[arm] += performance.now() - started;
        const used = process.cpuUsage(cpuStart);
        cpu[arm] += (used.user + used.system) / 1000;
        heap[arm] = Math.max(heap[arm], process.memoryUsage().heapUsed - before);
        const dayHits: number[] = [];
        for (const [k, i] of group.entries()) {
          const ids = lists[k]!.items.map((x) => x.paperId).filter((id) => !shown[k]![arm].has(id)).slice(0, SIZE);
          for (const id of ids) shown[k]![arm].add(id);
          const rowsOf = new Map([...(byDay.get(day) ?? []), ...(byDay.get(prev) ?? [])].map((r) => [r.id, r]));
          const got = ids.filter((id) => wanted.has(id) && wants(i, rowsOf.get(id)!));
          dayHits.push(got.length);
          if (!personal) continue;
          // The subscriber's clicks, on what this digest showed them.
          const at = `${day}T08:00:00Z`;
          for (const id of got) mine[k]!.feedback.push({ paperId: id, kind: 'more', at });
          for (const id of ids.filter((x) => !got.includes(x)).slice(0, 2)) mine[k]!.feedback.push({ paperId: id, kind: 'less', at });
        }
        hits[arm].push(dayHits);
      }
    }
    return { hits, ms, cpu, heap, marginal, marginalCpu, vectorCpu, sizes, firstOfDay, profiles, digests: group.length * days.length };
  }

  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const after5 = (r: Result, arm: Arm) => mean(r.hits[arm].slice(5).map(mean));
  // Tuning: the prior's weight and the "like" threshold, on the tuning half only.
  let best = { weights: DEFAULT_WEIGHTS, score: -1 };
  for (const prior of flags.tune ? [0.05, 0.15, 0.3] : []) {
    for (const disliked of [0.25, 0.5]) {
      const weights = { ...DEFAULT_WEIGHTS, prior, disliked };
      const r = await replay(tune, weights);
      const score = after5(r, 'feedback');
      say(`  tuning prior=${prior} disliked=${disliked}: hits@10 after day 5 ${score.toFixed(2)} (topics only ${after5(r, 'topics').toFixed(2)})`);
      if (score > best.score) best = { weights, score };
    }
  }
  // The weight of the similarity by meaning, on the tuning half only (the arm "topics + feedback + vectors").
  let bestVectors = { weight: 0, score: -1 };
  for (const weight of [0.1, 0.25, 0.5, 1]) {
    const r = await replay(tune, { ...best.weights, vectors: weight });
    const score = after5(r, 'vectors');
    say(`  tuning vectors=${weight}: hits@10 after day 5 ${score.toFixed(2)} (words only ${after5(r, 'feedback').toFixed(2)})`);
    if (score > bestVectors.score) bestVectors = { weight, score };
  }
  best = { ...best, weights: { ...best.weights, vectors: bestVectors.weight } };
  const tuned = await replay(tune, best.weights);
  const report = await replay(held, best.weights);

  const row = (r: Result, d: number) => `| ${d + 1} | ${days[d]} | ${mean(r.hits.trending[d]!).toFixed(2)} | ${mean(r.hits.topics[d]!).toFixed(2)} | ${mean(r.hits.feedback[d]!).toFixed(2)} | ${mean(r.hits.vectors[d]!).toFixed(2)} |`;
  const summary = (name: string, r: Result) => `${name}: hits@10 after day 5 — trending ${after5(r, 'trending').toFixed(2)}, topics ${after5(r, 'topics').toFixed(2)}, topics+feedback ${after5(r, 'feedback').toFixed(2)} (${(after5(r, 'feedback') / Math.max(1e-9, after5(r, 'topics'))).toFixed(2)}× topics only), topics+feedback+vectors ${after5(r, 'vectors').toFixed(2)} (${(after5(r, 'vectors') / Math.max(1e-9, after5(r, 'topics'))).toFixed(2)}×)`;
  const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
  const marginal = (r: Result) => `personalize() per subscriber after the day's first: wall median ${pct(r.marginal, 0.5).toFixed(2)} ms, p95 ${pct(r.marginal, 0.95).toFixed(2)} ms; CPU median ${pct(r.marginalCpu, 0.5).toFixed(2)} ms, mean ${mean(r.marginalCpu).toFixed(2)} ms, p95 ${pct(r.marginalCpu, 0.95).toFixed(2)} ms, max ${Math.max(...r.marginalCpu).toFixed(2)} ms; the day's first (window set-up, shared by every subscriber): wall median ${pct(r.firstOfDay, 0.5).toFixed(1)} ms`;
  // The calls at or above the p95 of CPU against the rest: how many likes and dislikes they had, and on which day.
  const slowest = (r: Result) => {
    const p95 = pct(r.marginalCpu, 0.95);
    const group = (slow: boolean) => r.marginalCpu.flatMap((t, i) => ((t >= p95) === slow ? [r.sizes[i]!] : []));
    const describe = (g: { likes: number; dislikes: number; day: number }[]) => `${g.length} calls, likes mean ${mean(g.map((x) => x.likes)).toFixed(1)}, dislikes mean ${mean(g.map((x) => x.dislikes)).toFixed(1)}, day mean ${mean(g.map((x) => x.day + 1)).toFixed(1)}`;
    return `profile of the slowest personalize() calls (CPU ≥ p95 ${p95.toFixed(2)} ms): ${describe(group(true))}; the others: ${describe(group(false))}`;
  };
  const cost = (r: Result) => `compose per digest: topics only ${(r.ms.topics / r.digests).toFixed(2)} ms wall (${(r.cpu.topics / r.digests).toFixed(2)} ms CPU), topics+feedback ${(r.ms.feedback / r.digests).toFixed(2)} ms wall (${(r.cpu.feedback / r.digests).toFixed(2)} ms CPU); heap grown in a day's round, at most: topics only ${(r.heap.topics / 1e6).toFixed(1)} MB, topics+feedback ${(r.heap.feedback / 1e6).toFixed(1)} MB`;
  process.stdout.write([
    `days ${days[0]} … ${days.at(-1)} (${days.length}), ${rows.length} papers, ${interests.length} subscribers (${tune.length} tuning, ${held.length} held out)`,
    `chosen on the tuning half: prior=${best.weights.prior} disliked=${best.weights.disliked} liked=${best.weights.liked} likeThreshold=${best.weights.likeThreshold} vectors=${best.weights.vectors}`,
    summary('tuning half (not a result)', tuned),
    summary('held-out half', report),
    cost(report),
    marginal(report),
    slowest(report),
    `personalize() with vectors, per subscriber after the day's first: CPU median ${pct(report.vectorCpu, 0.5).toFixed(2)} ms, mean ${mean(report.vectorCpu).toFixed(2)} ms, p95 ${pct(report.vectorCpu, 0.95).toFixed(2)} ms; compose per digest ${(report.cpu.vectors / report.digests).toFixed(2)} ms CPU`,
    '',
    '| day | date | trending only | topics only | topics + feedback | topics + feedback + vectors |',
    '|---|---|---|---|---|---|',
    ...days.map((_, d) => row(report, d)),
    `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
  ].join('\n') + '\n');
  if (flags.round) {
    const taught = held.map((i, k) => ({ category: i[0], profile: report.profiles[k]! }));
    process.stdout.write(`${await measureRound(store, days.at(-1)!, flags.round, flags.share, taught)}\n`);
  }
  await store.close();
}

/**
 * One digest round of `date` for `n` subscribers, planned (composed, personalised,
 * recorded in the outbox) by the real planner twice on the same subscribers: without the
 * model, as today, then with it. A share of them carry the feedback one of the held-out
 * subscribers gave over the replay (and that subscriber's category); the others pick
 * categories or everything. Delivery is not included (bench:digest measures it).
 */
async function measureRound(store: ReturnType<typeof openSqliteStore>, date: string, n: number, share: number, taught: { category: string; profile: PersonalProfile }[]): Promise<string> {
  const categories = ['cs.LG', 'cs.CV', 'cs.CL', 'cs.AI', 'cs.RO', 'cs.CR', 'cs.IR', 'cs.SE', 'cs.HC', 'cs.NE'];
  const stamp = `${date}T00:00:00.000Z`;
  // The round's subscribers, through the store; each planning gets its own set (the same
  // choices and feedback under other addresses), so the second plans the same digests
  // without undoing the first. The first set is not due again: planning moved its slot.
  let personalised = 0;
  const seedRound = async (set: string) => {
    const rnd = prng(20260701);
    personalised = 0;
    for (let i = 0; i < n; i++) {
      const t = rnd() < share ? taught[Math.floor(rnd() * taught.length)] : undefined;
      const cats = t ? [t.category] : rnd() < 0.35 ? [] : [categories[Math.floor(categories.length * rnd() ** 2)]!];
      const email = `${set}${i}@bench.example.org`;
      await store.changeSubscriber({ email }, () => ({ result: null, set: {
        email, status: 'active', topics: [], categories: cats, topicMode: 'only', sendHour: 7, timeZone: 'UTC', frequency: 'daily',
        weekday: 1, consent: 'operator-import', createdAt: stamp, updatedAt: stamp, confirmedAt: stamp, nextDueAt: stamp,
      } }));
      if (!t) continue;
      personalised++;
      const { id } = (await store.findSubscriber(email))!;
      for (const f of t.profile.feedback) await store.changePersonal(id, { feedback: [{ paperId: f.paperId, kind: f.kind }] }, f.at);
    }
  };
  const config = { ...DEFAULT_CONFIG, mail: { ...DEFAULT_CONFIG.mail, from: 'Paperboy <digest@papers.example.org>' } };
  const now = new Date(`${date}T12:00:00Z`);
  const once = async (withModel: boolean) => {
    await seedRound(withModel ? 'model' : 'round');
    const trending = createTrending(store, DEFAULT_CONFIG.trending);
    const search = createSearchEngine(store, { trending });
    const shared = createComposer({ trending, search, size: SIZE, now });
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let calls = 0;
    // The planner never waits for a timer (the store answers synchronously), so the heap is sampled every 50 digests.
    const composer: typeof shared = {
      ...shared,
      candidates: async (choice, w) => {
        if (++calls % 50 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
        return shared.candidates(choice, w);
      },
    };
    const personalizer = withModel ? createPersonalizer({ store, trending, search, size: SIZE, now }) : undefined;
    const cpu = process.cpuUsage();
    const t = performance.now();
    const summary = await planDigests({ store, composer, personalizer, config, now }, { date, batchSize: 500 });
    const wall = performance.now() - t;
    const used = process.cpuUsage(cpu);
    return { wall, cpu: (used.user + used.system) / 1000, heapMb: (peak - before) / 1e6, planned: summary.planned };
  };
  const today = await once(false);
  const model = await once(true);
  const extra = (model.cpu - today.cpu) / Math.max(1, personalised);
  return [
    `round of ${date}: ${n} subscribers, ${personalised} of them with feedback (${(share * 100).toFixed(0)}%); planned (composed and recorded, not delivered):`,
    `  without the model: ${(today.wall / 1000).toFixed(1)} s wall, ${(today.cpu / 1000).toFixed(1)} s CPU, ${(today.cpu / n).toFixed(3)} ms CPU per subscriber, heap grown at most ${today.heapMb.toFixed(0)} MB, ${today.planned} digests with papers`,
    `  with the model:    ${(model.wall / 1000).toFixed(1)} s wall, ${(model.cpu / 1000).toFixed(1)} s CPU, ${(model.cpu / n).toFixed(3)} ms CPU per subscriber, heap grown at most ${model.heapMb.toFixed(0)} MB, ${model.planned} digests with papers`,
    `  the model's extra CPU per subscriber with feedback: ${extra.toFixed(2)} ms`,
  ].join('\n');
}
