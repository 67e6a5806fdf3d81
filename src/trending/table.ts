// A window's candidates kept compactly (typed arrays, ~100 bytes a paper) so that many
// windows can stay cached, and their ranking at a given time: every paper scored once,
// sorted once; pages and id filters are then slices of that order.

import { compareScored, scoreOf } from './score.js';
import { FEATURE_KINDS, type ScoreParams, type TrendingCandidate } from './types.js';

const K = FEATURE_KINDS.length;
/** Per paper: K counts, K heats, heatAt (NaN when none), hasFeatures (0/1). */
const STRIDE = 2 * K + 2;

export interface CandidateTable {
  size: number;
  ids: string[];
  days: (string | null)[];
  data: Float64Array;
}

export interface Ranking {
  /** Row indices of the table, best first. */
  order: Uint32Array;
  scores: Float64Array;
}

export function toTable(candidates: TrendingCandidate[]): CandidateTable {
  const data = new Float64Array(candidates.length * STRIDE);
  candidates.forEach((c, i) => {
    const o = i * STRIDE;
    const f = c.features;
    if (!f) return;
    FEATURE_KINDS.forEach((k, j) => {
      data[o + j] = f.counts[k];
      data[o + K + j] = f.heat[k];
    });
    data[o + 2 * K] = f.heatAt ?? Number.NaN;
    data[o + 2 * K + 1] = 1;
  });
  return { size: candidates.length, ids: candidates.map((c) => c.paperId), days: candidates.map((c) => c.day), data };
}

export function candidateAt(t: CandidateTable, i: number): TrendingCandidate {
  const o = i * STRIDE;
  const d = t.data;
  if (d[o + 2 * K + 1] !== 1) return { paperId: t.ids[i]!, day: t.days[i]!, features: null };
  const counts = {} as Record<(typeof FEATURE_KINDS)[number], number>;
  const heat = { ...counts };
  FEATURE_KINDS.forEach((k, j) => {
    counts[k] = d[o + j]!;
    heat[k] = d[o + K + j]!;
  });
  const heatAt = d[o + 2 * K]!;
  return { paperId: t.ids[i]!, day: t.days[i]!, features: { counts, heat, heatAt: Number.isNaN(heatAt) ? null : heatAt } };
}

export function rankTable(t: CandidateTable, nowMs: number, params: ScoreParams): Ranking {
  const scores = new Float64Array(t.size);
  for (let i = 0; i < t.size; i++) scores[i] = scoreOf(candidateAt(t, i), nowMs, params);
  const order = Uint32Array.from({ length: t.size }, (_, i) => i);
  order.sort((a, b) => compareScored(scores[a]!, t.ids[a]!, scores[b]!, t.ids[b]!));
  return { order, scores };
}
