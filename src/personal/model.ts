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
import { createSlab } from './slab.js';

export interface SparseVector { ids: Int32Array; weights: Float32Array }

/** A text's term counts: the title's words count twice. */
interface Counts { terms: Int32Array; counts: Float32Array }

/** What is kept of a counted text: its counts, its title (for reasons) and the lengths that tell whether it changed. */
interface Counted { counts: Counts; title: string; titleLength: number; abstractLength: number }

// Term ids shared by every vocabulary, and each text's counts kept across rounds: a
// digest round re-weights the same papers (candidates, what subscribers liked) every
// day, and splitting their words was most of its cost.
const termIds = new Map<string, number>();
const counted = new LRUCache<string, Counted>({ max: 50_000 });

function countsOf(key: string, title: string, abstract: string): Counts {
  const known = counted.get(key);
  // A paper whose text changed is counted again.
  if (known && known.titleLength === title.length && known.abstractLength === abstract.length) return known.counts;
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
  const counts = { terms: Int32Array.from(sorted, (e) => e[0]), counts: Float32Array.from(sorted, (e) => e[1]) };
  counted.set(key, { counts, title, titleLength: title.length, abstractLength: abstract.length });
  return counts;
}

// 1 + log(count) for the counts most terms have (a text's counts are whole numbers), looked up rather than computed: weighing
// vectors is done for every liked paper of every subscriber in a round.
const TF_WEIGHTS = Float64Array.from({ length: 64 }, (_, n) => 1 + Math.log(n));
const tfWeight = (count: number) => (count < TF_WEIGHTS.length && Number.isInteger(count) ? TF_WEIGHTS[count]! : 1 + Math.log(count));

export interface Text { key: string; title: string; abstract: string }

export interface Vocabulary {
  /**
   * The unit TF-IDF vector of a text, whether or not it was in the background. A text
   * counted before (in this process, recently) can be weighed from its counts alone
   * (counted()): a paper liked days ago need not be read from the store again. Its words
   * are as they were when counted, which is close enough for a profile.
   */
  vector(t: Text): SparseVector;
  /** The same for a text counted before, with its title; undefined when it is not known (see countedTitle). */
  counted(key: string): { v: SparseVector; title: string } | undefined;
}

/** Inverse document frequencies from a background set of texts (the window's papers). */
export function createVocabulary(background: Text[]): Vocabulary {
  const docs = background.map((d) => countsOf(d.key, d.title, d.abstract));
  // Indexed by term id; a word the window never uses counts as the rarest.
  const n = background.length;
  const rarest = Math.log(n + 1) + 1;
  const idf = new Float64Array(termIds.size).fill(rarest);
  const df = new Uint32Array(termIds.size);
  for (const c of docs) for (const t of c.terms) df[t]!++;
  for (let t = 0; t < df.length; t++) if (df[t]) idf[t] = Math.log((n + 1) / (df[t]! + 1)) + 1;
  // The vocabulary's vectors are kept as long as it is (a round): cut from shared buffers.
  const slab = createSlab();
  const covered = idf.length;
  const weigh = ({ terms, counts }: Counts): SparseVector => {
    const weights = slab.take(terms.length);
    let norm = 0;
    for (let i = 0; i < weights.length; i++) {
      const t = terms[i]!;
      const w = tfWeight(counts[i]!) * (t < covered ? idf[t]! : rarest);
      weights[i] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < weights.length; i++) weights[i]! /= norm;
    return { ids: terms, weights };
  };
  return {
    vector: (t) => weigh(countsOf(t.key, t.title, t.abstract)),
    counted(key) {
      const c = counted.get(key);
      return c && { v: weigh(c.counts), title: c.title };
    },
  };
}

/**
 * The unit direction of what a subscriber liked, by meaning: the centroid of the liked
 * papers' vectors minus `disliked` times the centroid of the disliked ones; null without
 * any liked vector.
 */
export function denseProfile(liked: Float32Array[], disliked: Float32Array[], dislikedWeight: number): Float32Array | null {
  if (!liked.length) return null;
  const out = new Float32Array(liked[0]!.length);
  for (const v of liked) for (let k = 0; k < out.length; k++) out[k]! += v[k]! / liked.length;
  for (const v of disliked) for (let k = 0; k < out.length; k++) out[k]! -= (dislikedWeight * v[k]!) / disliked.length;
  let norm = 0;
  for (let k = 0; k < out.length; k++) norm += out[k]! * out[k]!;
  if (!norm) return null;
  norm = Math.sqrt(norm);
  for (let k = 0; k < out.length; k++) out[k]! /= norm;
  return out;
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
  /**
   * Weight of the similarity by meaning (paper vectors, when search by meaning has them)
   * between a candidate and the centroid of what was liked or saved minus `disliked` of
   * the centroid of what was disliked; 0: words only. See personalize.ts.
   */
  vectors: number;
}

/** Chosen on the benchmark's tuning subscribers (see docs/benchmarks.md, bench:personal). */
export const DEFAULT_WEIGHTS: ModelWeights = { prior: 0.05, liked: 1, disliked: 0.25, likeThreshold: 0.2, vectors: 0.25 };

/** A subscriber's model: the centroids of what they liked and disliked, spread over term ids for fast lookups. */
export interface Profile {
  /** A candidate's score: its trending prior (`rank` is its place, 0 = first, of `count`) plus its similarity to the profile. Also sets `bound`. */
  score(v: SparseVector, rank: number, count: number, w?: ModelWeights): number;
  /** For the vector last scored: an upper bound of its similarity to any single liked vector (below the threshold, similarities() need not be asked). */
  bound: number;
  /**
   * The similarity of a vector to each liked vector, in their order (for reasons: "like
   * a paper you saved"). The array is scratch space, overwritten by the next call.
   */
  similarities(v: SparseVector): Float64Array;
  /**
   * Scores every vector of a term index at once (see indexTerms): writes each one's
   * similarity to the liked centroid, to the disliked centroid and its bound (see
   * `bound`) at its place in `like`, `unlike` and `most`; combine() makes the score. The
   * same figures as score(), to the last bit.
   */
  scoreAll(index: TermIndex, like: Float64Array, unlike: Float64Array, most: Float64Array): void;
  /** Gives the arrays back for the next subscriber (they are shared scratch space). */
  release(): void;
}

/**
 * A fixed list of vectors (a round's shared candidates) turned around: each term, in
 * increasing id, with the vectors that have it and their weights. Scoring them all
 * against a profile then visits only the terms the profile has, each once, where scoring
 * them one by one looked every term of every candidate up in the profile (most are not
 * there). Each vector still gathers its terms in increasing id, as one by one, so the
 * sums are the same to the last bit.
 */
export interface TermIndex {
  /** How many vectors. */
  size: number;
  /** The terms, in increasing id. */
  terms: Int32Array;
  /** The entries of terms[i] are start[i] to start[i + 1]. */
  start: Int32Array;
  /** Per entry, the vector's place in the list and its weight for the term. */
  vector: Int32Array;
  weight: Float32Array;
}

// How many entries each term has, while an index is built (zero between builds); grown with the vocabulary.
let termCounts = new Int32Array(0);

export function indexTerms(vectors: SparseVector[]): TermIndex {
  if (termCounts.length < termIds.size) termCounts = new Int32Array(termIds.size * 2);
  const counts = termCounts;
  let entries = 0;
  for (const v of vectors) entries += v.ids.length;
  const seen = new Int32Array(entries);
  let distinct = 0;
  for (const v of vectors) for (let i = 0; i < v.ids.length; i++) if (counts[v.ids[i]!]!++ === 0) seen[distinct++] = v.ids[i]!;
  const terms = seen.slice(0, distinct).sort();
  const start = new Int32Array(distinct + 1);
  // From here a term's count is the cursor where its next entry goes.
  for (let i = 0, at = 0; i < distinct; i++) {
    const t = terms[i]!;
    start[i] = at;
    at += counts[t]!;
    counts[t] = start[i]!;
  }
  start[distinct] = entries;
  const vector = new Int32Array(entries);
  const weight = new Float32Array(entries);
  for (const [c, v] of vectors.entries()) {
    for (let i = 0; i < v.ids.length; i++) {
      const k = counts[v.ids[i]!]!++;
      vector[k] = c;
      weight[k] = v.weights[i]!;
    }
  }
  for (let i = 0; i < distinct; i++) counts[terms[i]!] = 0;
  return { size: vectors.length, terms, start, vector, weight };
}

/** A candidate's score from its similarities to the liked and the disliked centroids; `rank` is its place (0 = first) among `count`. */
export function combine(like: number, unlike: number, rank: number, count: number, w: ModelWeights = DEFAULT_WEIGHTS): number {
  const prior = count > 1 ? 1 - rank / count : 1;
  return w.prior * prior + w.liked * like - w.disliked * unlike;
}

// Scratch arrays reused subscriber after subscriber, so a profile allocates nothing and
// clears only what it wrote. `slot` maps a term id to its place (plus one; 0: none) among
// the profile's own terms, those of what was liked or disliked: a few thousand, so the
// arrays below are small and stay in cache, where arrays over the whole vocabulary were
// read at random. Per place, `terms` holds side by side (one memory read for the three)
// the liked centroid's weight, the disliked centroid's weight and the largest weight any
// liked vector gives the term. The liked vectors are also indexed by term (`owner` and
// `weight`, each term's entries together, ending at `end[place]`, `count[place]` of them),
// so comparing a candidate with every liked paper visits only the terms they share.
const LIKED = 0;
const DISLIKED = 1;
const MOST = 2;
const STRIDE = 3;
const scratch = {
  slot: new Int32Array(0), placed: new Int32Array(0), placeOf: new Int32Array(0), terms: new Float64Array(0), end: new Int32Array(0), count: new Int32Array(0),
  owner: new Int32Array(0), weight: new Float32Array(0), sims: new Float64Array(0), busy: false,
};

/**
 * Gives each term of these vectors a place; returns how many places are taken. Each
 * entry's place (0-based) is also noted in `placeOf`, entry after entry, list after list,
 * so what follows reads it in order rather than looking `slot`, an array over the whole
 * vocabulary, up again.
 */
function place(lists: SparseVector[][]): number {
  let total = 0;
  for (const list of lists) for (const v of list) total += v.ids.length;
  if (scratch.placed.length < total) {
    scratch.placed = new Int32Array(total * 2);
    scratch.placeOf = new Int32Array(total * 2);
  }
  const { slot, placed, placeOf } = scratch;
  let n = 0;
  let e = 0;
  for (const list of lists) {
    for (const { ids } of list) {
      for (let i = 0; i < ids.length; i++) {
        const t = ids[i]!;
        let s = slot[t]!;
        if (s === 0) {
          placed[n] = t;
          slot[t] = s = ++n;
        }
        placeOf[e++] = s - 1;
      }
    }
  }
  if (scratch.end.length < n) {
    scratch.terms = new Float64Array(n * 2 * STRIDE);
    scratch.end = new Int32Array(n * 2);
    scratch.count = new Int32Array(n * 2);
  }
  return n;
}

/** Adds the centroid of these vectors, whose first entry is entry `from` of `placeOf`, to the terms' column `at`. */
function spread(at: number, vectors: SparseVector[], from: number): void {
  const { placeOf, terms } = scratch;
  const n = vectors.length;
  let e = from;
  for (const { weights } of vectors) for (let i = 0; i < weights.length; i++) terms[placeOf[e++]! * STRIDE + at]! += weights[i]! / n;
}

/** Indexes the liked vectors (the first entries of `placeOf`) by term; returns how many entries they have. */
function index(liked: SparseVector[], places: number): number {
  const { placeOf, count, end, terms } = scratch;
  let total = 0;
  for (const v of liked) total += v.ids.length;
  if (scratch.owner.length < total) {
    scratch.owner = new Int32Array(total * 2);
    scratch.weight = new Float32Array(total * 2);
  }
  if (scratch.sims.length < liked.length) scratch.sims = new Float64Array(liked.length * 2);
  for (let e = 0; e < total; e++) count[placeOf[e]!]!++;
  // Each place's entries start where the previous place's end; `end` is the write cursor, then the end.
  let at = 0;
  for (let s = 0; s < places; s++) {
    end[s] = at;
    at += count[s]!;
  }
  const { owner, weight } = scratch;
  let e = 0;
  for (const [j, { weights }] of liked.entries()) {
    for (let i = 0; i < weights.length; i++) {
      const s = placeOf[e++]!;
      const w = weights[i]!;
      if (w > terms[s * STRIDE + MOST]!) terms[s * STRIDE + MOST] = w;
      const k = end[s]!++;
      owner[k] = j;
      weight[k] = w;
    }
  }
  return total;
}

/** Scoring is synchronous: one profile is in use at a time. */
export function profileOf(liked: SparseVector[], disliked: SparseVector[]): Profile {
  if (scratch.busy) throw new Error('a profile is still in use');
  if (scratch.slot.length < termIds.size) scratch.slot = new Int32Array(termIds.size * 2);
  scratch.busy = true;
  const places = place([liked, disliked]);
  const likedEntries = index(liked, places);
  spread(LIKED, liked, 0);
  spread(DISLIKED, disliked, likedEntries);
  const { slot, terms, end, count, owner, weight } = scratch;
  const size = slot.length;
  // One view for every comparison with this profile's liked vectors.
  const sims = scratch.sims.subarray(0, liked.length);
  // A term of the candidate that is in no liked or disliked vector adds nothing (0) and is skipped.
  const p: Profile = {
    bound: 0,
    score(v, rank, count, w = DEFAULT_WEIGHTS) {
      let like = 0;
      let unlike = 0;
      let most = 0;
      for (let i = 0; i < v.ids.length; i++) {
        const t = v.ids[i]!;
        // A term newer than the arrays is in no liked or disliked vector.
        if (t >= size) continue;
        const s = slot[t]!;
        if (s === 0) continue;
        const x = v.weights[i]!;
        const at = (s - 1) * STRIDE;
        like += terms[at + LIKED]! * x;
        unlike += terms[at + DISLIKED]! * x;
        most += terms[at + MOST]! * x;
      }
      // Each term adds to a similarity at most its weight times the largest weight any liked vector gives it.
      p.bound = most;
      return combine(like, unlike, rank, count, w);
    },
    scoreAll(index, like, unlike, most) {
      like.fill(0, 0, index.size);
      unlike.fill(0, 0, index.size);
      most.fill(0, 0, index.size);
      const { terms: indexed, start, vector, weight: x } = index;
      for (let i = 0; i < indexed.length; i++) {
        const t = indexed[i]!;
        if (t >= size) continue;
        const s = slot[t]!;
        if (s === 0) continue;
        const at = (s - 1) * STRIDE;
        const liked = terms[at + LIKED]!;
        const disliked = terms[at + DISLIKED]!;
        const largest = terms[at + MOST]!;
        // Read once: writing to the sums could, for all the compiler knows, change `start`.
        const from = start[i]!;
        const to = start[i + 1]!;
        // A term only liked or only disliked would add 0 to the other sums, which changes no sum: those are left alone.
        if (!disliked) {
          for (let k = from; k < to; k++) {
            const c = vector[k]!;
            like[c]! += liked * x[k]!;
            most[c]! += largest * x[k]!;
          }
        } else if (!liked) {
          for (let k = from; k < to; k++) unlike[vector[k]!]! += disliked * x[k]!;
        } else {
          for (let k = from; k < to; k++) {
            const c = vector[k]!;
            like[c]! += liked * x[k]!;
            unlike[c]! += disliked * x[k]!;
            most[c]! += largest * x[k]!;
          }
        }
      }
    },
    similarities(v) {
      sims.fill(0);
      for (let i = 0; i < v.ids.length; i++) {
        const t = v.ids[i]!;
        if (t >= size) continue;
        const s = slot[t]! - 1;
        if (s < 0) continue;
        const w = v.weights[i]!;
        // Read once: writing to `sims` could, for all the compiler knows, change `end`.
        const last = end[s]!;
        for (let k = last - count[s]!; k < last; k++) sims[owner[k]!]! += w * weight[k]!;
      }
      return sims;
    },
    release() {
      const { placed } = scratch;
      for (let s = 0; s < places; s++) slot[placed[s]!] = 0;
      terms.fill(0, 0, places * STRIDE);
      end.fill(0, 0, places);
      count.fill(0, 0, places);
      scratch.busy = false;
    },
  };
  return p;
}

/** A candidate's score: `rank` is its place in the trending list (0 = first) of `count`. */
export function scoreCandidate(p: Profile, v: SparseVector, rank: number, count: number, w: ModelWeights = DEFAULT_WEIGHTS): number {
  return p.score(v, rank, count, w);
}
