// Trending: an explainable ranking of what the community is excited about. The score is
// in score.ts (documented in docs/trending.md), per-paper features in features.ts, windows
// in windows.ts and the cached ranking service in rank.ts.

export type { FeatureKind, ScoreComponent, ScoreParams, SignalFeatures, Trending, TrendingCandidate, TrendingEntry, TrendingOptions } from './types.js';
export { FEATURE_KINDS } from './types.js';
export { createTrending, scoreParams, type TrendingConfig, type TrendingDeps } from './rank.js';
export { computeFeatures, featureOptions, type FeatureOptions } from './features.js';
export { ageHours, compareScored, scoreOf } from './score.js';
export { checkDay, dayRange, endOfDay, isDay, isoWeekRange, lastDays, monthRange, type DayRange } from './windows.js';
