// The JSON shapes of papers. On Hugging Face's paths they are Hugging Face's own (a daily
// entry wraps its paper; see hf-api.ts for how its Python client reads them); Paperboy's
// fields (abstract, categories, links, versions, …) ride along inside the paper, where
// Hugging Face's clients ignore what they do not know.

import { displayDay, type Paper, type Signal, type SignalKind } from '../../papers/paper.js';
import { NO_LINKS, type PaperLinks } from '../../store/extras-store.js';
import type { Store } from '../../store/store.js';
import type { ScoreComponent, TrendingEntry } from '../../trending/index.js';

export interface Engagement {
  upvotes: number;
  numComments: number;
  githubStars: number | null;
}

/** What the API says of a paper beyond its record: counts, and links and summaries from Hugging Face. */
export interface PaperFacts extends Engagement {
  links: PaperLinks;
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

/** Facts per paper; upvotes count votes cast here plus the latest imported count, as the pages show. */
export async function factsOf(store: Store, papers: Paper[]): Promise<PaperFacts[]> {
  const ids = papers.map((p) => p.id);
  const [votes, links] = ids.length ? await Promise.all([store.voteSummaries(ids, null), store.linksOf(ids)]) : [new Map(), new Map()];
  return Promise.all(papers.map(async (p) => {
    const e = engagement(await store.signalsFor(p.id));
    const v = votes.get(p.id);
    return { ...e, ...(v ? { upvotes: v.local + v.imported } : {}), links: links.get(p.id) ?? NO_LINKS };
  }));
}

/** The day a paper is listed under (papers/paper.ts). */
export const paperDay = displayDay;

/**
 * A timestamp as Hugging Face writes them (2025-03-17T12:00:00.000Z): its client's
 * parse_datetime accepts only that form, so offsets and bare dates are normalised here.
 */
export function hfTime(s: string | null): string | null {
  if (!s) return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export const githubUrl = (repo: string) => `https://github.com/${repo}`;

/** Hugging Face's fields of a paper: the same names, in both the nested paper and the entry. */
export function hfFields(f: PaperFacts) {
  return {
    githubRepo: f.links.repos[0] ? githubUrl(f.links.repos[0]) : null,
    githubStars: f.githubStars,
    projectPage: f.links.projectPage,
    ai_summary: f.links.aiSummary,
    ai_keywords: f.links.aiKeywords.length ? f.links.aiKeywords : null,
  };
}

export type PaperJson = ReturnType<typeof paperJson>;

/** A paper: Paperboy's record with Hugging Face's names (summary, publishedAt = first submission, upvotes, …). */
export function paperJson(p: Paper, f: PaperFacts) {
  return {
    ...p,
    // Hugging Face's authors carry a `hidden` flag; its client reads each author's name.
    authors: p.authors.map((a) => ({ ...a, hidden: false })),
    summary: p.abstract,
    publishedAt: hfTime(p.submittedAt) ?? hfTime(p.announcedAt),
    upvotes: f.upvotes,
    numComments: f.numComments,
    ...hfFields(f),
  };
}

/**
 * A daily-papers (or search) entry. Hugging Face's client takes authors, summary, upvotes
 * and the paper's publishedAt from `paper`, but title, numComments and the fields of
 * hfFields only from the entry itself; the entry's publishedAt is when it was listed.
 */
export function dailyPaperJson(p: Paper, f: PaperFacts) {
  return {
    paper: { ...paperJson(p, f), submittedOnDailyAt: hfTime(paperDay(p)) },
    publishedAt: hfTime(paperDay(p)),
    title: p.title,
    summary: p.abstract,
    numComments: f.numComments,
    ...hfFields(f),
    isAuthorParticipating: false,
  };
}

export interface TrendingJson { score: number; components: ScoreComponent[] }

/** Why a paper ranks where it does: its trending score and the parts adding up to it. */
export function trendingJson(e: TrendingEntry): TrendingJson {
  return { score: e.score, components: e.components };
}
