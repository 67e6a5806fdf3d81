// Query sets for the search benchmark, drawn from the corpus with a seeded generator so
// every engine and every run gets the same list: keyword queries (2–4 consecutive
// content words of a random paper's title or abstract), whole titles and whole abstracts.

import type Database from 'better-sqlite3';
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
 * `perKind` queries of each kind from random papers of a SQLite store (by primary key, so
 * a grown corpus is sampled across its real and synthetic papers alike).
 */
export function sampleQueries(db: Database.Database, perKind: number, seed: number): BenchQuery[] {
  const rand = prng(seed);
  const maxPk = db.prepare('SELECT max(pk) FROM papers').pluck().get() as number;
  const byPk = db.prepare('SELECT title, abstract FROM papers WHERE pk = ?');
  const randomPaper = (): { title: string; abstract: string } => {
    for (;;) {
      const row = byPk.get(randomInt(rand, 1, maxPk)) as { title: string; abstract: string } | undefined;
      if (row && row.title && row.abstract) return row;
    }
  };
  const out: BenchQuery[] = [];
  while (out.filter((q) => q.kind === 'keyword').length < perKind) {
    const p = randomPaper();
    const words = contentWords(rand() < 0.5 ? p.title : p.abstract);
    const n = randomInt(rand, 2, 4);
    if (words.length < n) continue;
    const start = randomInt(rand, 0, words.length - n);
    out.push({ kind: 'keyword', text: words.slice(start, start + n).join(' ') });
  }
  for (let i = 0; i < perKind; i++) out.push({ kind: 'title', text: randomPaper().title });
  for (let i = 0; i < perKind; i++) out.push({ kind: 'abstract', text: randomPaper().abstract });
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
