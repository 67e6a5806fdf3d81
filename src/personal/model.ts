// The per-subscriber model: Rocchio on TF-IDF. A paper is the unit vector of its title
// (counted twice) and abstract terms, weighted by inverse document frequency over the
// papers of the run's window. A subscriber's profile is the centroid of what they liked
// or saved minus a share of the centroid of what they marked "less like this"; a
// candidate's score is its trending prior plus its similarity to the profile. Cheap on
// purpose: a text's words are split once (and kept across rounds), a profile is the
// centroid of at most a hundred recent papers, and scoring a candidate is one pass over
// its terms.

import { LRUCache } from 'lru-cache';
import { forEachWord, termOf } from '../search/lexical/analyze.js';

export interface SparseVector { ids: Int32Array; weights: Float32Array }

/** A text's term counts: the title's words count twice. */
interface Counts { terms: Int32Array; counts: Float32Array }

// Term ids shared by every vocabulary, and each text's counts kept across rounds: a
// digest round re-weights the same papers (candidates, what subscribers liked) every
// day, and splitting their words was most of its cost.
const termIds = new Map<string, number>();
const counted = new LRUCache<string, Counts>({ max: 50_000 });

function countsOf(key: string, title: string, abstract: string): Counts {
  // The lengths in the key: a paper whose text changed is counted again.
  const k = `${key}\u0000${title.length}\u0000${abstract.length}`;
  let c = counted.get(k);
  if (c) return c;
  const tf = new Map<number, number>();
  const add = (w: string, n: number) => {
    const t = termOf(w);
    if (!t) return;
    let id = termIds.get(t);
    if (id === undefined) termIds.set(t, (id = termIds.size));
    tf.set(id, (tf.get(id) ?? 0) + n);
  };
  forEachWord(title, (w) => add(w, 2));
  forEachWord(abstract, (w) => add(w, 1));
  const sorted = [...tf.entries()].sort((a, b) => a[0] - b[0]);
  c = { terms: Int32Array.from(sorted, (e) => e[0]), counts: Float32Array.from(sorted, (e) => e[1]) };
  counted.set(k, c);
  return c;
}

export interface Text { key: string; title: string; abstract: string }

export interface Vocabulary {
  /** The unit TF-IDF vector of a text, whether or not it was in the background. */
  vector(t: Text): SparseVector;
}

/** Inverse document frequencies from a background set of texts (the window's papers). */
export function createVocabulary(background: Text[]): Vocabulary {
  const df = new Map<number, number>();
  for (const d of background) for (const t of countsOf(d.key, d.title, d.abstract).terms) df.set(t, (df.get(t) ?? 0) + 1);
  const n = background.length;
  return {
    vector(t) {
      const c = countsOf(t.key, t.title, t.abstract);
      const weights = new Float32Array(c.terms.length);
      let norm = 0;
      for (let i = 0; i < weights.length; i++) {
        // A word the window never uses counts as the rarest.
        const w = (1 + Math.log(c.counts[i]!)) * (Math.log((n + 1) / ((df.get(c.terms[i]!) ?? 0) + 1)) + 1);
        weights[i] = w;
        norm += w * w;
      }
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < weights.length; i++) weights[i]! /= norm;
      return { ids: c.terms, weights };
    },
  };
}

export function dot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x === y) s += a.weights[i++]! * b.weights[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return s;
}

export interface ModelWeights {
  /** Weight of the trending prior (1 for the first candidate, falling with rank). */
  prior: number;
  /** Weight of the similarity to what was liked or saved. */
  liked: number;
  /** Weight of the similarity to what was marked less like this. */
  disliked: number;
  /** Similarity to one liked paper above which a candidate is said to be "like" it. */
  likeThreshold: number;
}

/** Chosen on the benchmark's tuning subscribers (see docs/benchmarks.md, bench:personal). */
export const DEFAULT_WEIGHTS: ModelWeights = { prior: 0.05, liked: 1, disliked: 0.25, likeThreshold: 0.2 };

/** A subscriber's model: the centroids of what they liked and disliked, spread over term ids for fast lookups. */
export interface Profile {
  liked: Float64Array | null;
  disliked: Float64Array | null;
  /** Gives the arrays back for the next subscriber (they are shared scratch space). */
  release(): void;
}

// Two arrays over every term id, reused subscriber after subscriber: a profile only
// writes (and on release, clears) its own terms, so none allocates or zeroes a vocabulary.
const scratch = { liked: new Float64Array(0), disliked: new Float64Array(0), busy: false };

function spread(into: Float64Array, vectors: SparseVector[]): Float64Array | null {
  if (!vectors.length) return null;
  for (const v of vectors) for (let i = 0; i < v.ids.length; i++) into[v.ids[i]!]! += v.weights[i]! / vectors.length;
  return into;
}

/** Scoring is synchronous: one profile is in use at a time. */
export function profileOf(liked: SparseVector[], disliked: SparseVector[]): Profile {
  if (scratch.busy) throw new Error('a profile is still in use');
  if (scratch.liked.length < termIds.size) {
    scratch.liked = new Float64Array(termIds.size * 2);
    scratch.disliked = new Float64Array(termIds.size * 2);
  }
  scratch.busy = true;
  return {
    liked: spread(scratch.liked, liked),
    disliked: spread(scratch.disliked, disliked),
    release() {
      for (const v of liked) for (const id of v.ids) scratch.liked[id] = 0;
      for (const v of disliked) for (const id of v.ids) scratch.disliked[id] = 0;
      scratch.busy = false;
    },
  };
}

function against(c: Float64Array | null, v: SparseVector): number {
  if (!c) return 0;
  let s = 0;
  for (let i = 0; i < v.ids.length; i++) s += (c[v.ids[i]!] ?? 0) * v.weights[i]!;
  return s;
}

/** A candidate's score: `rank` is its place in the trending list (0 = first) of `count`. */
export function scoreCandidate(p: Profile, v: SparseVector, rank: number, count: number, w: ModelWeights = DEFAULT_WEIGHTS): number {
  const prior = count > 1 ? 1 - rank / count : 1;
  return w.prior * prior + w.liked * against(p.liked, v) - w.disliked * against(p.disliked, v);
}
