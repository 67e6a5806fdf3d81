// Query sets for the search benchmark, drawn from the corpus with a seeded generator so
// every engine and every run gets the same list: keyword queries (2–4 consecutive
// content words of a random paper's title or abstract), whole titles and whole abstracts.

import type { Store } from '../src/store/store.js';
import { STOP_WORDS } from '../src/text/stopwords.js';
import { mulberry32 } from '../src/random.js';

export const QUERY_KINDS = ['keyword', 'title', 'abstract'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export interface BenchQuery { kind: QueryKind; text: string }

/** The project's seeded generator (src/random.ts). */
export const prng = mulberry32;

export function randomInt(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function contentWords(text: string): string[] {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? [])
    .map((w) => w.toLowerCase())
    .filter((w) => w.length >= 3 && !STOP_WORDS.has(w) && !/^\d+$/.test(w));
}

/**
 * `perKind` queries of each kind from random papers of a store, drawn by paper key (so a
 * grown corpus is sampled across its real and synthetic papers alike), through the store
 * interface: any engine, the same queries for the same papers.
 */
export async function sampleQueries(store: Pick<Store, 'searchDocuments' | 'getPapers'>, perKind: number, seed: number): Promise<BenchQuery[]> {
  const rand = prng(seed);
  // Key → id: one pass over the papers (no engine hands out random papers).
  const idByKey: string[] = [];
  for await (const d of store.searchDocuments()) idByKey[d.key] = d.id;
  const maxKey = idByKey.length - 1;
  const randomPaper = async (): Promise<{ title: string; abstract: string }> => {
    for (;;) {
      const id = idByKey[randomInt(rand, 1, maxKey)];
      const paper = id === undefined ? undefined : (await store.getPapers([id]))[0];
      if (paper && paper.title && paper.abstract) return paper;
    }
  };
  const out: BenchQuery[] = [];
  while (out.filter((q) => q.kind === 'keyword').length < perKind) {
    const p = await randomPaper();
    const words = contentWords(rand() < 0.5 ? p.title : p.abstract);
    const n = randomInt(rand, 2, 4);
    if (words.length < n) continue;
    const start = randomInt(rand, 0, words.length - n);
    out.push({ kind: 'keyword', text: words.slice(start, start + n).join(' ') });
  }
  for (let i = 0; i < perKind; i++) out.push({ kind: 'title', text: (await randomPaper()).title });
  for (let i = 0; i < perKind; i++) out.push({ kind: 'abstract', text: (await randomPaper()).abstract });
  return out;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface LatencyStats { p50: number; p95: number; p99: number; mean: number; n: number }

export function latencyStats(ms: number[]): LatencyStats {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), mean, n: s.length };
}
