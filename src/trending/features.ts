// A paper's engagement reduced to what the score reads, from its raw observations. Every
// store engine gets this (refresh-features.ts) when a paper's signals, votes or date change, so a ranking
// reads one small row per paper instead of every observation.
//
// Signals are counts observed at a time (12 upvotes at 10:00, 30 at 16:00), not events.
// Per kind, the latest observation is the count (the level terms of the score). The
// momentum terms read gains: differences between consecutive observations, and each
// local vote as a gain of one when it was cast. Only gains made after a paper's launch
// (its first `afterDays` days) count as momentum: most engagement comes in those days and
// is already in the level, so counting it twice would only favour whichever paper we
// happened to observe more often, and would make a week's papers compete on age instead
// of engagement. A paper's first observation is a baseline, never a gain: seen for the
// first time with 500 stars says nothing about when those stars came.

import type { Signal } from '../papers/paper.js';
import { dayStartMs } from './score.js';
import type { FeatureKind, ScoreParams, SignalFeatures } from './types.js';

export interface FeatureOptions {
  /** Half-life of a gain's weight. */
  halfLifeHours: number;
  /** Start of the paper's announcement day (ms); null when unknown (then every gain counts). */
  dayStartMs: number | null;
  /** Days after the announcement whose gains are the launch, not momentum. */
  afterDays: number;
}

/** The options for a paper announced on `day` under the score's momentum parameters. */
export function featureOptions(p: Pick<ScoreParams, 'momentum'>, day: string | null): FeatureOptions {
  return { halfLifeHours: p.momentum.halfLifeHours, afterDays: p.momentum.afterDays, dayStartMs: dayStartMs(day) };
}

/** Which feature an observation feeds; local upvote signals are left to the votes table. */
function kindOf(s: Signal): FeatureKind | null {
  switch (s.kind) {
    case 'upvotes': return s.source === 'local' ? null : 'upvotes';
    case 'comments': return 'comments';
    case 'github_stars': return 'githubStars';
    case 'views': return 'views';
    default: return null;
  }
}

const zeros = (): Record<FeatureKind, number> => ({ upvotes: 0, localUpvotes: 0, comments: 0, githubStars: 0, views: 0 });

interface Point { t: number; v: number }

/**
 * Features from one paper's signals and the times its local votes were cast; null when
 * there is nothing usable. Unreadable times and negative or non-finite counts are skipped.
 */
export function computeFeatures(signals: Signal[], voteTimes: string[], o: FeatureOptions): SignalFeatures | null {
  const series = new Map<FeatureKind, Point[]>();
  for (const s of signals) {
    const kind = kindOf(s);
    const t = Date.parse(s.observedAt);
    if (!kind || !Number.isFinite(t) || !Number.isFinite(s.value) || s.value < 0) continue;
    let list = series.get(kind);
    if (!list) series.set(kind, (list = []));
    list.push({ t, v: s.value });
  }
  const votes = voteTimes.map((v) => Date.parse(v)).filter(Number.isFinite);
  if (!series.size && !votes.length) return null;

  let heatAt = Number.NEGATIVE_INFINITY;
  for (const list of series.values()) {
    // Two sources observed at the same time are ordered by count (the larger one is then
    // the latest), so the result never depends on the order the rows came in.
    list.sort((a, b) => a.t - b.t || a.v - b.v);
    heatAt = Math.max(heatAt, list[list.length - 1]!.t);
  }
  for (const t of votes) heatAt = Math.max(heatAt, t);

  const launchEnd = o.dayStartMs === null ? Number.NEGATIVE_INFINITY : o.dayStartMs + o.afterDays * 86_400_000;
  const halfLifeMs = Math.max(o.halfLifeHours, 1e-6) * 3_600_000;
  const weight = (t: number) => (t < launchEnd ? 0 : 2 ** (-(heatAt - t) / halfLifeMs));
  const counts = zeros();
  const heat = zeros();
  for (const [kind, list] of series) {
    counts[kind] = list[list.length - 1]!.v;
    for (let i = 1; i < list.length; i++) heat[kind] += (list[i]!.v - list[i - 1]!.v) * weight(list[i]!.t);
  }
  counts.localUpvotes = votes.length;
  for (const t of votes) heat.localUpvotes += weight(t);
  return { counts, heat, heatAt };
}
