// Keeps stored per-paper features current: before a ranking reads them, the papers whose
// signals, votes or date changed (the store marks them) are recomputed with
// computeFeatures, a chunk per transaction so a full recomputation (new parameters)
// never holds a writer's lock for long. The computation is here; the store only keeps
// the marks and the rows.

import type { Store } from '../store/store.js';
import { computeFeatures } from './features.js';
import { dayStartMs } from './score.js';

/** Bump when computeFeatures changes meaning: stored features are then recomputed. */
const FEATURES_FORMAT = 1;
/** Papers recomputed per transaction. */
const CHUNK = 2000;

/** What stored features depend on (the momentum parameters of the configuration). */
export interface FeatureParams { momentumHalfLifeHours: number; momentumAfterDays: number }

/** Recomputes what changed; returns the features' version (it changes whenever any feature does). */
export async function refreshTrendingFeatures(store: Store, p: FeatureParams): Promise<number> {
  const key = JSON.stringify({ format: FEATURES_FORMAT, halfLifeHours: p.momentumHalfLifeHours, afterDays: p.momentumAfterDays });
  for (;;) {
    const { done, version } = await store.recomputeFeatures(key, (i) => computeFeatures(i.signals, i.votes, {
      halfLifeHours: p.momentumHalfLifeHours, afterDays: p.momentumAfterDays, dayStartMs: dayStartMs(i.day),
    }), CHUNK);
    if (done) return version;
  }
}
