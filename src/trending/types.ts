// The trending contract other parts of Paperboy use (pages, API, search, digest), and the
// parameters of the score. The formula is documented in docs/trending.md.

export interface TrendingOptions {
  /** YYYY-MM-DD inclusive, UTC announcement day of papers. */
  from: string;
  /** YYYY-MM-DD inclusive. */
  to: string;
  /** e.g. cs.LG; matches cross-lists. */
  category?: string;
  /** Restrict the ranking to these papers (e.g. the search hits of a topic). */
  paperIds?: string[];
  limit: number;
  offset?: number;
  /** Scoring time; default: now (to the minute, so that repeated calls share a cache). */
  now?: Date;
}

/** One part of a score. `label` is one human line, e.g. "12 upvotes on Hugging Face". */
export interface ScoreComponent { name: string; value: number; contribution: number; label: string }

/** The contributions of `components` add up to `score`. */
export interface TrendingEntry { paperId: string; score: number; components: ScoreComponent[] }

export interface Trending {
  rank(opts: TrendingOptions): Promise<{ total: number; entries: TrendingEntry[] }>;
  /** The score of one paper and why; null for a paper not in the store. */
  explain(paperId: string, now?: Date): Promise<TrendingEntry | null>;
}

/** The counts a score reads, one per kind of engagement. */
export type FeatureKind = 'upvotes' | 'localUpvotes' | 'comments' | 'githubStars' | 'views';
export const FEATURE_KINDS: readonly FeatureKind[] = ['upvotes', 'localUpvotes', 'comments', 'githubStars', 'views'];

/** The score's parameters (a subset of the `trending` configuration). */
export interface ScoreParams {
  /** Points per doubling of each count (the level terms), and the scale of its momentum term. */
  weights: Record<FeatureKind, number>;
  /** Gains after a paper's first `afterDays` days: their weight relative to the level terms, and their half-life. */
  momentum: { weight: number; halfLifeHours: number; afterDays: number };
  /** The age penalty: exponent × log2(1 + (age / scaleHours)²). */
  gravity: { exponent: number; scaleHours: number };
  /** The recency prior: points for a paper just announced, halving every halfLifeHours. */
  freshness: { points: number; halfLifeHours: number };
}

/** What the store keeps per paper: latest counts and decayed recent gains (see features.ts). */
export interface SignalFeatures {
  counts: Record<FeatureKind, number>;
  /** Gains of each count after the paper's launch, each weighted by 2^(-(heatAt - t)/halfLife) for its time t. */
  heat: Record<FeatureKind, number>;
  /** The latest observation (ms since the epoch); null when there is none. */
  heatAt: number | null;
}

/** A paper to rank: its day (announced, else submitted; null when unknown) and features. */
export interface TrendingCandidate {
  paperId: string;
  day: string | null;
  features: SignalFeatures | null;
}
