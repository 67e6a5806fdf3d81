// The trending score of one paper at a time `now`, as a sum of explainable parts
// (docs/trending.md):
//
//   score = Σ_k w_k·log2(1 + count_k)                        level: how much engagement
//           (votes cast here join Hugging Face's upvotes on one curve; see localShare)
//         + Σ_k m·w_k·log2(1 + gains_k decayed to now)       momentum: gains after its first days
//         + F·2^(-age / h_F)                                  freshness: a prior for new papers
//         − G·log2(1 + (age / τ)²)                            age: older papers sink
//
// Counts enter through log2 so that one point means "twice as many", whatever the kind,
// and no single huge count (a famous repository's stars) can drown everything else. The
// age term is gravity in log space: it shifts every paper of a day by the same amount (so
// a day's ranking is pure engagement); squared, it costs almost nothing in a paper's first
// days (a week's papers compete on engagement, which keeps weekly lists stable) and then
// 2G points per doubling of age, so a burst fades within about ten days; and as it depends
// on ratios of ages it hardly reorders last year's papers among themselves. Papers of
// unknown date are scored as a year old.

import { FEATURE_KINDS, type FeatureKind, type ScoreComponent, type ScoreParams, type TrendingCandidate } from './types.js';

const HOUR_MS = 3_600_000;
export const UNKNOWN_AGE_HOURS = 365 * 24;

/** Start of a YYYY-MM-DD day in UTC (ms), or null when it is not a day. */
export function dayStartMs(day: string | null): number | null {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(t) ? t : null;
}

/** Hours since the paper's day began; 0 for days after `now`. */
export function ageHours(day: string | null, nowMs: number): number {
  const start = dayStartMs(day);
  return start === null ? UNKNOWN_AGE_HOURS : Math.max(0, (nowMs - start) / HOUR_MS);
}

const finite = (x: number) => (Number.isFinite(x) && x > 0 ? x : 0);
const positive = (x: number) => (Number.isFinite(x) && x > 0 ? x : 1e-6);

/**
 * The score; when `out` is given, its components are appended to it, contributions in
 * the same order and arithmetic as the sum, so that they add up to the score exactly.
 * Zero signals are left out of the components; freshness and age are always there.
 */
export function scoreOf(c: TrendingCandidate, nowMs: number, p: ScoreParams, out?: ScoreComponent[]): number {
  let score = 0;
  const f = c.features;
  if (f) {
    // Votes cast here are upvotes like Hugging Face's, on the same curve: one vote on a
    // paper with 38 adds what a 39th upvote adds, not a doubling of its own.
    const counts = (k: FeatureKind) => finite(f.counts[k]);
    for (const k of FEATURE_KINDS) {
      const n = counts(k);
      if (n === 0 || p.weights[k] === 0) continue;
      const contribution = k === 'localUpvotes' ? localShare(n, counts('upvotes'), p) : p.weights[k] * Math.log2(1 + n);
      score += contribution;
      out?.push({ name: k, value: n, contribution, label: LEVEL_LABEL[k](n) });
    }
    // Gains decay from the latest observation to now; a `now` before it counts them as they were.
    const elapsed = f.heatAt === null ? 0 : Math.max(0, nowMs - f.heatAt);
    const decay = 2 ** (-elapsed / (positive(p.momentum.halfLifeHours) * HOUR_MS));
    const gains = (k: FeatureKind) => finite(f.heat[k] * decay);
    for (const k of FEATURE_KINDS) {
      const gained = gains(k);
      const w = p.momentum.weight * p.weights[k];
      if (gained === 0 || w === 0) continue;
      const contribution = k === 'localUpvotes' ? p.momentum.weight * localShare(gained, gains('upvotes'), p) : w * Math.log2(1 + gained);
      score += contribution;
      out?.push({ name: `${k}Momentum`, value: gained, contribution, label: momentumLabel(k, gained, p.momentum.halfLifeHours) });
    }
  }
  const age = ageHours(c.day, nowMs);
  const fresh = p.freshness.points * 2 ** (-age / positive(p.freshness.halfLifeHours));
  score += fresh;
  out?.push({ name: 'freshness', value: round(age / 24), contribution: fresh, label: freshnessLabel(c.day, age, p.freshness.halfLifeHours) });
  const penalty = -p.gravity.exponent * Math.log2(1 + (age / positive(p.gravity.scaleHours)) ** 2);
  score += penalty;
  out?.push({ name: 'age', value: round(age / 24), contribution: penalty, label: ageLabel(c.day, age) });
  return score;
}

/**
 * What `local` votes add on top of `imported` upvotes, on the upvotes' curve: each vote
 * counts as weights.localUpvotes / weights.upvotes upvotes. Without an upvotes weight
 * they stand on their own curve.
 */
function localShare(local: number, imported: number, p: ScoreParams): number {
  const wUp = p.weights.upvotes;
  if (wUp <= 0) return p.weights.localUpvotes * Math.log2(1 + local);
  const asUpvotes = (p.weights.localUpvotes / wUp) * local;
  return wUp * (Math.log2(1 + imported + asUpvotes) - Math.log2(1 + imported));
}

/** Higher score first; equal scores by id, descending (newer arXiv numbers first), so every ranking is total and repeatable. */
export function compareScored(scoreA: number, idA: string, scoreB: number, idB: string): number {
  return scoreB - scoreA || (idA < idB ? 1 : idA > idB ? -1 : 0);
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const count = (n: number) => Math.round(n).toLocaleString('en-US');
const noun = (n: number, one: string, many = `${one}s`) => `${count(n)} ${Math.round(n) === 1 ? one : many}`;

const LEVEL_LABEL: Record<FeatureKind, (n: number) => string> = {
  upvotes: (n) => `${noun(n, 'upvote')} on Hugging Face`,
  localUpvotes: (n) => `${noun(n, 'upvote')} on this site`,
  comments: (n) => `${noun(n, 'comment')} on Hugging Face`,
  githubStars: (n) => `${noun(n, 'star')} on its GitHub repository`,
  views: (n) => `${noun(n, 'page view')}`,
};

const GAINED: Record<FeatureKind, [one: string, many: string]> = {
  upvotes: ['upvote on Hugging Face', 'upvotes on Hugging Face'], localUpvotes: ['upvote on this site', 'upvotes on this site'],
  comments: ['comment on Hugging Face', 'comments on Hugging Face'], githubStars: ['GitHub star', 'GitHub stars'], views: ['page view', 'page views'],
};

function momentumLabel(k: FeatureKind, gained: number, halfLifeHours: number): string {
  // "1 upvote", never "about 1 upvotes": a decayed gain that rounds to one reads as one.
  const [one, many] = GAINED[k];
  const about = gained < 1 ? `less than one ${one}` : Math.round(gained) === 1 ? `1 ${one}` : `about ${count(gained)} ${many}`;
  return `still gaining: ${about} lately (a gain counts half after ${span(halfLifeHours, 'a day')})`;
}

function ago(ageH: number): string {
  if (ageH < 24) return 'within the last day';
  const d = Math.floor(ageH / 24);
  return `${d} ${d === 1 ? 'day' : 'days'} ago`;
}

function freshnessLabel(day: string | null, ageH: number, halfLifeHours: number): string {
  if (dayStartMs(day) === null) return 'no freshness bonus: announcement date unknown';
  return `freshness bonus: announced ${ago(ageH)} (halves every ${span(halfLifeHours, 'day')})`;
}

function ageLabel(day: string | null, ageH: number): string {
  if (dayStartMs(day) === null) return 'announcement date unknown: ranked as a year old';
  return `age: announced ${ago(ageH)}; older papers rank lower`;
}

/** 24 → "a day" (or "day"), 72 → "3 days", 12 → "12 h". */
function span(h: number, oneDay: string): string {
  if (h === 24) return oneDay;
  return h % 24 === 0 ? `${h / 24} days` : `${h} h`;
}
