// What trending and its signal connectors need from a store: per-paper features kept
// current as signals and votes change (so a ranking never reads raw signals), the
// candidates of a ranking by announcement day, and the GitHub repositories papers link to.

import type { Signal } from '../papers/paper.js';
import type { SignalFeatures, TrendingCandidate } from '../trending/types.js';

/** What a paper's features are computed from. */
export interface FeatureInput {
  paperId: string;
  /** The paper's day (announced, else submitted); null when it has none. */
  day: string | null;
  signals: Signal[];
  /** When each local vote was cast (ISO times). */
  votes: string[];
}

/** Computes a paper's features; null when it has nothing to score (its features are then dropped). */
export type ComputeFeatures = (input: FeatureInput) => SignalFeatures | null;

export interface TrendingCandidateQuery {
  /** Inclusive YYYY-MM-DD bounds on the paper's day (announced, else submitted). Required without paperIds. */
  from?: string;
  to?: string;
  /** Only papers in this category, cross-lists included. */
  category?: string;
  /** Only these papers; with no bounds, whatever their date (or lack of one). */
  paperIds?: string[];
}

/** Inclusive YYYY-MM-DD days, optionally one category (cross-lists included). */
export interface WindowQuery { from: string; to: string; category?: string }

export interface RepoLink {
  paperId: string;
  /** "owner/name", lower case. */
  repo: string;
  /** Where the link was seen: hf-daily, arxiv-text, … */
  source: string;
}

export interface RepoToRefresh { repo: string; paperIds: string[]; checkedAt: string | null }

export interface RepoCheck {
  repo: string;
  checkedAt: string;
  /** Stargazers counted at checkedAt; null when the check failed. */
  stars: number | null;
  status: 'ok' | 'not_found' | 'failed';
}

export interface TrendingStore {
  /**
   * One step of keeping features current (the loop is src/trending/refresh-features.ts):
   * in one transaction, recomputes with `compute` up to `limit` papers marked dirty — a
   * paper is marked whenever a signal of it is added or changed, a vote added or removed,
   * or its date changes while it has features; every paper with features, signals or
   * votes is marked when `paramsKey` differs from the one stored. A paper marked again
   * while this runs stays marked. `version` changes whenever any feature does; `done`
   * when nothing is left marked. A read-only store computes nothing.
   */
  recomputeFeatures(paramsKey: string, compute: ComputeFeatures, limit: number): Promise<{ done: boolean; version: number }>;
  /** The papers a ranking considers, with their features (null for papers without signals). */
  trendingCandidates(q: TrendingCandidateQuery): Promise<TrendingCandidate[]>;
  /** A window's papers that have features, and how many papers the window holds in all. */
  trendingWindow(q: WindowQuery): Promise<{ scored: TrendingCandidate[]; total: number }>;
  /** The window's first `limit` papers without features, newest first (day, then id, descending). */
  unscoredInWindow(q: WindowQuery, limit: number): Promise<{ paperId: string; day: string }[]>;
  /** Remembers which repositories papers link to; unknown papers are skipped. Returns how many links were new. */
  saveRepoLinks(links: RepoLink[]): Promise<number>;
  /** Main repositories of papers dated since `sinceDay` (Hugging Face's link first, else the first seen), never-checked and least recently checked first; gone ones only after recheckGoneAfterDays (7). */
  reposToRefresh(opts: { sinceDay: string; limit: number; recheckGoneAfterDays?: number }): Promise<RepoToRefresh[]>;
  /** Records a check and, with a star count, a github_stars signal for every paper whose main repository it is. Returns signals added. */
  saveRepoCheck(check: RepoCheck): Promise<number>;
  /** Papers dated since `sinceDay` whose comment or abstract contains `text` (case-insensitive). */
  papersMentioning(text: string, sinceDay: string): Promise<{ id: string; comment: string | null; abstract: string }[]>;
}
