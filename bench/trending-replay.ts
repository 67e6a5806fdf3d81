// Trending replay: the 580 real Hugging Face Daily Papers days (../shared/data/hf-daily/raw)
// imported day by day into a fresh store. After each day, with now = the end of that day
// (so only signals observed up to then exist), it ranks
//   - the day's papers (daily trending) and compares the order with the day's upvote
//     order: Kendall tau-b, and overlap@10 on days with more than 10 papers;
//   - the 7 days ending that day (weekly trending) and compares its top 10 with the
//     previous day's: how stable the weekly list is, and how much of it is 0-1 days old.
// The HF listing day stands in for the announcement day (as on the site, where a day's page
// lists what arXiv announced that day). Then the same metrics for variants of the
// parameters, computed in memory with the same feature and score functions, then the time
// to rank day/week/month windows over the 74,728-paper arXiv corpus with the HF signals.
//   npm run bench:trending [-- --skip-corpus] [--scale [N]]   (--scale: see trending-scale.ts)

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG } from '../src/config.js';
import { readHfDaily } from '../src/ingest/hf-daily.js';
import { importFiles } from '../src/ingest/import-files.js';
import type { PaperRecord, Signal } from '../src/papers/paper.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { refreshTrendingFeatures } from '../src/trending/refresh-features.js';
import { addDays } from '../src/days.js';
import {
  computeFeatures, createTrending, featureOptions, endOfDay, scoreOf, scoreParams, compareScored,
  type ScoreParams, type TrendingConfig,
} from '../src/trending/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HF = path.resolve(repoRoot, '../shared/data/hf-daily/raw');
const ARXIV = path.resolve(repoRoot, '../shared/data/arxiv/daily-arxiv-cs-2025-03-18_2026-07-01.jsonl.gz');
const say = (msg: string) => process.stdout.write(`${msg}\n`);

interface Day { day: string; papers: PaperRecord[]; signals: Signal[]; upvotes: Map<string, number>; listOrder: string[] }

async function loadDays(): Promise<Day[]> {
  const files = readdirSync(HF).filter((f) => /^\d{4}-\d{2}-\d{2}\.json(\.gz)?$/.test(f)).sort();
  const days: Day[] = [];
  for (const f of files) {
    const day = f.slice(0, 10);
    const items = await readHfDaily(path.join(HF, f));
    const d: Day = { day, papers: [], signals: [], upvotes: new Map(), listOrder: [] };
    for (const it of items) {
      if (!('record' in it)) continue;
      d.papers.push({ ...it.record, announcedAt: day });
      d.signals.push(...it.signals);
      d.upvotes.set(it.record.id, it.signals.find((s) => s.kind === 'upvotes')?.value ?? 0);
      d.listOrder.push(it.record.id);
    }
    days.push(d);
  }
  return days;
}

/** Kendall tau-b between two score maps over their common keys (ties in either count as in tau-b). */
export function kendallTauB(a: Map<string, number>, b: Map<string, number>): number | null {
  const keys = [...a.keys()].filter((k) => b.has(k));
  let concordant = 0, discordant = 0, tiesA = 0, tiesB = 0;
  for (let i = 0; i < keys.length; i++) {
    for (let j = i + 1; j < keys.length; j++) {
      const da = Math.sign(a.get(keys[i]!)! - a.get(keys[j]!)!);
      const db = Math.sign(b.get(keys[i]!)! - b.get(keys[j]!)!);
      if (da === 0 && db === 0) continue;
      if (da === 0) tiesA++;
      else if (db === 0) tiesB++;
      else if (da === db) concordant++;
      else discordant++;
    }
  }
  const denom = Math.sqrt((concordant + discordant + tiesA) * (concordant + discordant + tiesB));
  return denom === 0 ? null : (concordant - discordant) / denom;
}

/** Share of our top 10 among the reference's top 10, counting papers tied with the reference's 10th as in it. */
function overlapAt10(ours: string[], upvotes: Map<string, number>): number {
  const sorted = [...upvotes.values()].sort((x, y) => y - x);
  const tenth = sorted[9]!;
  return ours.slice(0, 10).filter((id) => (upvotes.get(id) ?? -1) >= tenth).length / 10;
}

interface Metrics { tau: number; overlap10: number; weeklyStability: number; weeklyFresh: number; weeklyTauVsUpvotes: number; days: number }

interface Ranked { paperId: string; score: number }

/** Accumulates the replay metrics from each day's daily and weekly rankings (best first). */
function metricsCollector() {
  const taus: number[] = [], overlaps: number[] = [], stab: number[] = [], fresh: number[] = [], weeklyTaus: number[] = [];
  let prevWeekly: string[] | null = null;
  const scores = (r: Ranked[]) => new Map(r.map((e) => [e.paperId, e.score]));
  return {
    day(d: Day, daily: Ranked[], weekly: Ranked[], dayOf: (id: string) => string | undefined, upvotesOf: (id: string) => number) {
      const tau = kendallTauB(scores(daily), d.upvotes);
      if (tau !== null) taus.push(tau);
      if (d.upvotes.size > 10) overlaps.push(overlapAt10(daily.map((e) => e.paperId), d.upvotes));
      const top = weekly.slice(0, 10).map((e) => e.paperId);
      if (prevWeekly) stab.push(top.filter((id) => prevWeekly!.includes(id)).length / Math.max(1, top.length));
      prevWeekly = top;
      const wt = kendallTauB(scores(weekly), new Map(weekly.map((e) => [e.paperId, upvotesOf(e.paperId)])));
      if (wt !== null) weeklyTaus.push(wt);
      const recent = new Set([d.day, addDays(d.day, -1)]);
      fresh.push(top.filter((id) => recent.has(dayOf(id) ?? '')).length / Math.max(1, top.length));
    },
    result(): Metrics {
      const mean = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0) / Math.max(1, xs.length);
      return { tau: mean(taus), overlap10: mean(overlaps), weeklyStability: mean(stab), weeklyFresh: mean(fresh), weeklyTauVsUpvotes: mean(weeklyTaus), days: taus.length };
    },
  };
}

/** The replay with the configured defaults, through a real store and createTrending. */
async function replayStore(days: Day[], config: TrendingConfig): Promise<{ m: Metrics; rankMs: number[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-trending-'));
  const store = openSqliteStore(path.join(dir, 'replay.db'));
  await store.migrate();
  const trending = createTrending(store, config);
  const collect = metricsCollector();
  const rankMs: number[] = [];
  const upvotes = new Map<string, number>();
  const dayOf = new Map<string, string>();
  try {
    for (const d of days) {
      await store.ingest({ papers: d.papers, signals: d.signals });
      for (const [id, v] of d.upvotes) {
        upvotes.set(id, v);
        if (!dayOf.has(id)) dayOf.set(id, d.day);
      }
      const now = endOfDay(d.day);
      let t0 = performance.now();
      const daily = await trending.rank({ from: d.day, to: d.day, limit: 1000, now });
      rankMs.push(performance.now() - t0);
      t0 = performance.now();
      const weekly = await trending.rank({ from: addDays(d.day, -6), to: d.day, limit: 1000, now });
      rankMs.push(performance.now() - t0);
      collect.day(d, daily.entries, weekly.entries, (id) => dayOf.get(id), (id) => upvotes.get(id) ?? 0);
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { m: collect.result(), rankMs };
}

/** The same replay in memory for a variant of the parameters (no store: features from the same function). */
function replayMemory(days: Day[], p: ScoreParams): Metrics {
  const signals = new Map<string, Signal[]>();
  const dayOf = new Map<string, string>();
  const upvotes = new Map<string, number>();
  const collect = metricsCollector();
  const byDay = new Map<string, string[]>();
  for (const d of days) {
    for (const s of d.signals) signals.set(s.paperId, [...(signals.get(s.paperId) ?? []), s]);
    for (const [id, v] of d.upvotes) {
      upvotes.set(id, v);
      if (!dayOf.has(id)) { dayOf.set(id, d.day); byDay.set(d.day, [...(byDay.get(d.day) ?? []), id]); }
    }
    const now = endOfDay(d.day).getTime();
    const rank = (ids: string[]) => ids.map((id) => ({
      paperId: id, score: scoreOf({ paperId: id, day: dayOf.get(id)!, features: computeFeatures(signals.get(id) ?? [], [], featureOptions(p, dayOf.get(id)!)) }, now, p),
    })).sort((a, b) => compareScored(a.score, a.paperId, b.score, b.paperId));
    const daily = rank(byDay.get(d.day) ?? []);
    const weekIds = Array.from({ length: 7 }, (_, i) => byDay.get(addDays(d.day, -i)) ?? []).flat();
    const weekly = rank(weekIds);
    collect.day(d, daily, weekly, (id) => dayOf.get(id), (id) => upvotes.get(id) ?? 0);
  }
  return collect.result();
}

const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);
const inDays = (n: number) => (Number.isFinite(n) ? String(n) : 'never');

function variants(base: TrendingConfig): [string, TrendingConfig][] {
  const w = (weights: Partial<TrendingConfig['weights']>): TrendingConfig => ({ ...base, weights: { ...base.weights, ...weights } });
  const g = (gravity: Partial<TrendingConfig['gravity']>): TrendingConfig => ({ ...base, gravity: { ...base.gravity, ...gravity } });
  return [
    ['defaults', base],
    ['upvotes only (comments 0, stars 0)', w({ comments: 0, githubStars: 0 })],
    ['comments 1, stars 0.5', w({ comments: 1, githubStars: 0.5 })],
    ['stars 1', w({ githubStars: 1 })],
    ['gravity 0 (no age penalty)', g({ exponent: 0 })],
    ['gravity 2', g({ exponent: 2 })],
    ['gravity 4', g({ exponent: 4 })],
    ['gravity scale 3 days', g({ scaleHours: 72 })],
    ['gravity scale 14 days', g({ scaleHours: 336 })],
    ['no freshness bonus', { ...base, freshness: { ...base.freshness, points: 0 } }],
  ];
}

/**
 * Days until a burst stops pinning: a paper that got 250 upvotes on its first day (the
 * most any paper got in the data) against a paper of the current day with `fresh` upvotes.
 */
function burstDays(p: ScoreParams, fresh: number): number {
  const at = (day: string, hours: number) => new Date(Date.parse(`${day}T00:00:00Z`) + hours * 3_600_000).toISOString();
  const paper = (id: string, day: string, points: [number, number][]) => ({
    paperId: id, day,
    features: computeFeatures(points.map(([h, value]) => ({ paperId: id, kind: 'upvotes' as const, source: 'hf-daily', observedAt: at(day, h), value })), [], featureOptions(p, day)),
  });
  const burst = paper('b', '2026-01-01', [[6, 0], [12, 120], [20, 250]]);
  for (let d = 1; d <= 90; d++) {
    const day = addDays('2026-01-01', d);
    const now = Date.parse(at(day, 20));
    if (scoreOf(paper('f', day, [[19, fresh]]), now, p) > scoreOf(burst, now, p)) return d;
  }
  return Number.POSITIVE_INFINITY;
}

async function corpusTiming(days: Day[], config: TrendingConfig): Promise<void> {
  if (!existsSync(ARXIV)) {
    say(`\n(skipping the 75k-corpus timing: ${path.basename(ARXIV)} not found)`);
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-trending-corpus-'));
  const store = openSqliteStore(path.join(dir, 'corpus.db'));
  try {
    await store.migrate();
    let t0 = performance.now();
    await importFiles(store, [ARXIV]);
    for (const d of days) await store.ingest({ papers: d.papers.map((p) => ({ ...p, announcedAt: null })), signals: d.signals });
    say(`\nRanking over the arXiv cs corpus with the HF signals (import ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const stats = await store.stats();
    t0 = performance.now();
    const version = await refreshTrendingFeatures(store, { momentumHalfLifeHours: config.momentum.halfLifeHours, momentumAfterDays: config.momentum.afterDays });
    say(`  ${stats.papers.toLocaleString('en-US')} papers, ${stats.signals.toLocaleString('en-US')} signals; first feature computation: ${(performance.now() - t0).toFixed(0)} ms (version ${version})`);
    const trending = createTrending(store, config);
    const last = '2026-06-30';
    const windows: [string, { from: string; to: string; category?: string }][] = [
      ['day', { from: last, to: last }], ['week', { from: addDays(last, -6), to: last }],
      ['month', { from: addDays(last, -29), to: last }], ['month, cs.LG', { from: addDays(last, -29), to: last, category: 'cs.LG' }],
      ['year', { from: addDays(last, -364), to: last }],
    ];
    say('  window          papers   first call   same minute   next minute (re-score)');
    for (const [name, w] of windows) {
      const now = new Date(`${last}T20:00:00Z`);
      const time = async (at: Date) => { const s = performance.now(); const r = await trending.rank({ ...w, limit: 25, now: at }); return { ms: performance.now() - s, total: r.total }; };
      const cold = await time(now);
      const warm = await time(now);
      const next = await time(new Date(now.getTime() + 60_000));
      say(`  ${name.padEnd(14)} ${String(cold.total).padStart(7)}   ${cold.ms.toFixed(1).padStart(7)} ms   ${warm.ms.toFixed(2).padStart(8)} ms   ${next.ms.toFixed(1).padStart(8)} ms`);
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  if (!existsSync(HF)) {
    process.stderr.write(`bench trending: ${HF} not found.\nIt is the Hugging Face Daily Papers archive expected next to the repository under ../shared/data/hf-daily/raw.\n`);
    process.exit(1);
  }
  const config = DEFAULT_CONFIG.trending;
  const t0 = performance.now();
  const days = await loadDays();
  say(`Trending replay: ${days.length} days (${days[0]!.day} … ${days.at(-1)!.day}), ${days.reduce((n, d) => n + d.papers.length, 0).toLocaleString('en-US')} listed papers; machine ${cpus().length} cores, node ${process.version}`);
  const { m, rankMs } = await replayStore(days, config);
  say(`\nThrough the store (createTrending, defaults), now = end of each day:`);
  say(`  daily vs upvote order   Kendall tau-b ${f3(m.tau)} (${m.days} days), overlap@10 ${f2(m.overlap10)} (days with > 10 papers)`);
  say(`  weekly top 10           kept from the day before ${f2(m.weeklyStability)}, listed that day or the day before ${f2(m.weeklyFresh)}, tau-b vs the week's upvotes ${f3(m.weeklyTauVsUpvotes)}`);
  say(`  rank() per call         median ${f2(pct(rankMs, 0.5))} ms, p95 ${f2(pct(rankMs, 0.95))} ms (a day's import makes each window re-read)`);
  say(`  replay time             ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  say(`\nVariants (in memory, same functions):`);
  say(`  ${'variant'.padEnd(36)} daily tau  overlap@10  weekly kept  weekly fresh  weekly tau  burst days (6 / 29)`);
  for (const [name, c] of variants(config)) {
    const p = scoreParams(c);
    const v = replayMemory(days, p);
    say(`  ${name.padEnd(36)} ${f3(v.tau).padStart(9)}  ${f2(v.overlap10).padStart(10)}  ${f2(v.weeklyStability).padStart(11)}  ${f2(v.weeklyFresh).padStart(12)}  ${f3(v.weeklyTauVsUpvotes).padStart(10)}  ${inDays(burstDays(p, 6)).padStart(6)} / ${inDays(burstDays(p, 29))}`);
  }
  say('  (burst days: days until a fresh paper with 6 (median) / 29 (p90) upvotes outranks one that got 250 on its first day)');
  if (!process.argv.includes('--skip-corpus')) await corpusTiming(days, config);
  const scale = process.argv.indexOf('--scale');
  if (scale >= 0) {
    const n = Number(process.argv[scale + 1] ?? 2_700_000);
    await (await import('./trending-scale.js')).runScale(Number.isInteger(n) && n > 0 ? n : 2_700_000);
  }
}
