// The JSON shapes of papers. They keep Hugging Face's field names (summary, publishedAt,
// upvotes, numComments, a daily entry wrapping its paper) next to Paperboy's own, so a
// script written for Hugging Face's API needs little more than a new base URL.

import { displayDay, type Paper, type Signal, type SignalKind } from '../../papers/paper.js';
import type { Store } from '../../store/store.js';
import type { ScoreComponent, TrendingEntry } from '../../trending/index.js';

export interface Engagement {
  upvotes: number;
  numComments: number;
  githubStars: number | null;
}

/** The latest observation of each kind (signals are counts at a time, not increments). */
export function engagement(signals: Signal[]): Engagement {
  const latest = new Map<SignalKind, Signal>();
  for (const s of signals) {
    const seen = latest.get(s.kind);
    if (!seen || s.observedAt >= seen.observedAt) latest.set(s.kind, s);
  }
  return {
    upvotes: latest.get('upvotes')?.value ?? 0,
    numComments: latest.get('comments')?.value ?? 0,
    githubStars: latest.get('github_stars')?.value ?? null,
  };
}

/** Engagement per paper; upvotes count votes cast here plus the latest imported count, as the pages show. */
export async function engagementOf(store: Store, papers: Paper[]): Promise<Engagement[]> {
  const votes = papers.length ? await store.voteSummaries(papers.map((p) => p.id), null) : new Map();
  return Promise.all(papers.map(async (p) => {
    const e = engagement(await store.signalsFor(p.id));
    const v = votes.get(p.id);
    return v ? { ...e, upvotes: v.local + v.imported } : e;
  }));
}

const midnight = (day: string | null) => (day ? `${day}T00:00:00.000Z` : null);

export type PaperJson = Paper & { summary: string; publishedAt: string | null; upvotes: number; numComments: number; githubStars: number | null };

/** A paper with Hugging Face's names added: publishedAt is the first submission, as there. */
export function paperJson(p: Paper, e: Engagement): PaperJson {
  return { ...p, summary: p.abstract, publishedAt: p.submittedAt ?? midnight(p.announcedAt), ...e };
}

export interface DailyPaperJson {
  paper: PaperJson;
  /** When the paper joined the listing: the day it was announced. */
  publishedAt: string | null;
  title: string;
  summary: string;
  numComments: number;
}

export function dailyPaperJson(p: Paper, e: Engagement): DailyPaperJson {
  return { paper: paperJson(p, e), publishedAt: midnight(displayDay(p)), title: p.title, summary: p.abstract, numComments: e.numComments };
}

export interface TrendingJson { score: number; components: ScoreComponent[] }

/** Why a paper ranks where it does: its trending score and the parts adding up to it. */
export function trendingJson(e: TrendingEntry): TrendingJson {
  return { score: e.score, components: e.components };
}
