// createTrending: rankings and explanations over a store.
//
// Cost. Before each call the store recomputes the features of papers whose signals changed
// (a few rows, usually none) and reports a version. Most papers of a window have no
// signals, and their score depends on their day only, falling with age; so they are in
// score order already in the store's recency index (newest first, then by id, the
// tie-break). A window therefore needs just its papers with signals, read once per version
// and scored once per scoring time, merged with as many signal-less papers as the page
// reaches. A month over millions of papers reads a few thousand small rows, and a digest
// ranking the same window for many subscribers, or the home page under load, reads it
// once per change and scores it once per minute (the default `now` is rounded to the minute).

import type { Config } from '../config.js';
import { fail } from '../errors.js';
import type { Store } from '../store/store.js';
import { compareScored, dayStartMs, scoreOf } from './score.js';
import { candidateAt, rankTable, toTable, type CandidateTable, type Ranking } from './table.js';
import { refreshTrendingFeatures } from './refresh-features.js';
import type { ScoreComponent, ScoreParams, Trending, TrendingCandidate, TrendingEntry, TrendingOptions } from './types.js';
import { checkDay } from './windows.js';

export type TrendingConfig = Config['trending'];

export interface TrendingDeps {
  clock?: () => Date;
  /** Scored papers kept across cached windows (default 400,000: ~40 MB). */
  maxCachedPapers?: number;
}

export function scoreParams(config: TrendingConfig): ScoreParams {
  return { weights: { ...config.weights }, momentum: { ...config.momentum }, gravity: { ...config.gravity }, freshness: { ...config.freshness } };
}

interface WindowEntry { version: string; table: CandidateTable; total: number; rankings: Map<number, Ranking> }

const MINUTE = 60_000;
/** Rankings kept per window: a few scoring times (the current minute, a digest's fixed time). */
const RANKINGS_PER_WINDOW = 4;

export function createTrending(store: Store, config: TrendingConfig, deps: TrendingDeps = {}): Trending {
  const params = scoreParams(config);
  const clock = deps.clock ?? (() => new Date());
  const maxCached = deps.maxCachedPapers ?? 400_000;
  const windows = new Map<string, WindowEntry>(); // insertion order = least recently used first
  const loading = new Map<string, Promise<WindowEntry>>();

  const version = async () => {
    const features = await refreshTrendingFeatures(store, { momentumHalfLifeHours: params.momentum.halfLifeHours, momentumAfterDays: params.momentum.afterDays });
    const content = await store.contentVersion({ cached: true });
    return `${features}:${content.maxKey}:${content.changeSeq}`;
  };

  const nowOf = (now?: Date) => {
    if (now === undefined) return Math.floor(clock().getTime() / MINUTE) * MINUTE;
    const t = now instanceof Date ? now.getTime() : Number.NaN;
    return Number.isFinite(t) ? t : fail('bad_input', 'now must be a valid Date');
  };

  async function windowOf(key: string, v: string, load: () => Promise<{ scored: TrendingCandidate[]; total: number }>): Promise<WindowEntry> {
    const hit = windows.get(key);
    if (hit && hit.version === v) {
      windows.delete(key);
      windows.set(key, hit);
      return hit;
    }
    const pending = loading.get(key);
    if (pending) return pending;
    const p = load().then(({ scored, total }) => {
      const entry: WindowEntry = { version: v, table: toTable(scored), total, rankings: new Map() };
      windows.delete(key);
      windows.set(key, entry);
      evict();
      return entry;
    }).finally(() => loading.delete(key));
    loading.set(key, p);
    return p;
  }

  function evict() {
    let total = 0;
    for (const w of windows.values()) total += w.table.size;
    for (const [key, w] of windows) {
      if (total <= maxCached || windows.size === 1) break;
      windows.delete(key);
      total -= w.table.size;
    }
  }

  function rankingAt(w: WindowEntry, nowMs: number): Ranking {
    let r = w.rankings.get(nowMs);
    if (!r) {
      r = rankTable(w.table, nowMs, params);
      w.rankings.set(nowMs, r);
      if (w.rankings.size > RANKINGS_PER_WINDOW) w.rankings.delete(w.rankings.keys().next().value!);
    }
    return r;
  }

  const entryOf = (c: TrendingCandidate, nowMs: number): TrendingEntry => {
    const components: ScoreComponent[] = [];
    const score = scoreOf(c, nowMs, params, components);
    return { paperId: c.paperId, score, components };
  };

  /**
   * Signal-less papers come in score order from the recency index only when their score
   * strictly falls with age: some age term is on, and no day of the window is after now
   * (papers of days not begun yet are all of age 0, hence tied).
   */
  const recencyOrderHolds = (to: string, nowMs: number) =>
    (params.gravity.exponent > 0 || params.freshness.points > 0) && dayStartMs(to)! <= nowMs;

  /** The page [offset, offset + limit) of the window, merging its scored papers with the signal-less ones. */
  async function mergedPage(w: WindowEntry, q: { from: string; to: string; category?: string }, nowMs: number, offset: number, limit: number): Promise<TrendingEntry[]> {
    const r = rankingAt(w, nowMs);
    const need = offset + limit;
    const plain = need > 0 && w.total > w.table.size ? await store.unscoredInWindow(q, need) : [];
    const plainScore = plain.map((u) => scoreOf({ paperId: u.paperId, day: u.day, features: null }, nowMs, params));
    const page: TrendingEntry[] = [];
    let i = 0;
    let j = 0;
    for (let k = 0; k < need && (i < r.order.length || j < plain.length); k++) {
      const si = i < r.order.length ? r.order[i]! : -1;
      const takeScored = j >= plain.length || (si >= 0 && compareScored(r.scores[si]!, w.table.ids[si]!, plainScore[j]!, plain[j]!.paperId) <= 0);
      const c: TrendingCandidate = takeScored ? candidateAt(w.table, si) : { paperId: plain[j]!.paperId, day: plain[j]!.day, features: null };
      if (takeScored) i++;
      else j++;
      if (k >= offset) page.push(entryOf(c, nowMs));
    }
    return page;
  }

  /** Every candidate scored and sorted: for id lists, and windows whose recency order does not hold. */
  function fullPage(candidates: TrendingCandidate[], nowMs: number, offset: number, limit: number) {
    const table = toTable(candidates);
    const { order } = rankTable(table, nowMs, params);
    const entries: TrendingEntry[] = [];
    for (let j = offset; j < Math.min(order.length, offset + limit); j++) entries.push(entryOf(candidateAt(table, order[j]!), nowMs));
    return { total: order.length, entries };
  }

  return {
    async rank(opts: TrendingOptions) {
      const from = checkDay(opts.from, 'from');
      const to = checkDay(opts.to, 'to');
      if (from > to) fail('bad_input', `from (${from}) is after to (${to})`);
      const limit = whole(opts.limit, 'limit');
      const offset = whole(opts.offset ?? 0, 'offset');
      const nowMs = nowOf(opts.now);
      const category = opts.category || undefined;
      const q = { from, to, category };
      const v = await version();
      if (opts.paperIds) {
        const ids = [...new Set(opts.paperIds)];
        return fullPage(ids.length ? await store.trendingCandidates({ ...q, paperIds: ids }) : [], nowMs, offset, limit);
      }
      if (!recencyOrderHolds(to, nowMs)) return fullPage(await store.trendingCandidates(q), nowMs, offset, limit);
      const w = await windowOf(`${from}|${to}|${category ?? ''}`, v, () => store.trendingWindow(q));
      return { total: w.total, entries: await mergedPage(w, q, nowMs, offset, limit) };
    },

    async explain(paperId: string, now?: Date) {
      const nowMs = nowOf(now);
      await version();
      const [c] = await store.trendingCandidates({ paperIds: [paperId] });
      return c ? entryOf(c, nowMs) : null;
    },
  };
}

function whole(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 0) fail('bad_input', `${name} must be a whole number ≥ 0, got ${String(n)}`);
  return n;
}
