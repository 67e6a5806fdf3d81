// The per-subscriber model: Rocchio on TF-IDF. A paper is the unit vector of its title
// (counted twice) and abstract terms, weighted by inverse document frequency over the
// papers of the run's window. A subscriber's profile is the centroid of what they liked
// or saved minus a share of the centroid of what they marked "less like this"; a
// candidate's score is its trending prior plus its similarity to the profile. Cheap on
// purpose: vectors are built once per paper per run, and a profile is one dense array
// over the run's vocabulary, so scoring a candidate is one pass over its terms.

import { forEachWord, termOf } from '../search/lexical/analyze.js';

export interface SparseVector { ids: Int32Array; weights: Float32Array }

export interface Vocabulary {
  /** The unit TF-IDF vector of a text, whether or not it was in the background. */
  vector(title: string, abstract: string): SparseVector;
  size(): number;
}

/** Term ids and document frequencies from a background set of texts (the window's papers). */
export function createVocabulary(background: { title: string; abstract: string }[]): Vocabulary {
  const ids = new Map<string, number>();
  const df: number[] = [];
  const termsOf = (title: string, abstract: string) => {
    const tf = new Map<string, number>();
    const add = (w: string, n: number) => {
      const t = termOf(w);
      if (t) tf.set(t, (tf.get(t) ?? 0) + n);
    };
    forEachWord(title, (w) => add(w, 2));
    forEachWord(abstract, (w) => add(w, 1));
    return tf;
  };
  for (const d of background) {
    for (const t of termsOf(d.title, d.abstract).keys()) {
      let id = ids.get(t);
      if (id === undefined) {
        ids.set(t, (id = df.length));
        df.push(0);
      }
      df[id]!++;
    }
  }
  const n = background.length;
  const idf = (id: number) => Math.log((n + 1) / ((df[id] ?? 0) + 1)) + 1;
  return {
    vector(title, abstract) {
      const tf = termsOf(title, abstract);
      const list: [number, number][] = [];
      for (const [t, count] of tf) {
        let id = ids.get(t);
        // A word the window never uses: as rare as can be, and given an id so profiles can hold it.
        if (id === undefined) {
          ids.set(t, (id = df.length));
          df.push(0);
        }
        list.push([id, (1 + Math.log(count)) * idf(id)]);
      }
      const norm = Math.hypot(...list.map(([, w]) => w)) || 1;
      list.sort((a, b) => a[0] - b[0]);
      return { ids: Int32Array.from(list, ([id]) => id), weights: Float32Array.from(list, ([, w]) => w / norm) };
    },
    size: () => df.length,
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
export const DEFAULT_WEIGHTS: ModelWeights = { prior: 0.15, liked: 1, disliked: 0.5, likeThreshold: 0.2 };

export interface Profile {
  liked: Float64Array | null;
  disliked: Float64Array | null;
}

function centroid(vectors: SparseVector[], size: number): Float64Array | null {
  if (!vectors.length) return null;
  const c = new Float64Array(size);
  for (const v of vectors) for (let i = 0; i < v.ids.length; i++) c[v.ids[i]!]! += v.weights[i]! / vectors.length;
  return c;
}

export function profileOf(liked: SparseVector[], disliked: SparseVector[], size: number): Profile {
  return { liked: centroid(liked, size), disliked: centroid(disliked, size) };
}

function against(dense: Float64Array | null, v: SparseVector): number {
  if (!dense) return 0;
  let s = 0;
  for (let i = 0; i < v.ids.length; i++) s += (dense[v.ids[i]!] ?? 0) * v.weights[i]!;
  return s;
}

/** A candidate's score: `rank` is its place in the trending list (0 = first) of `count`. */
export function scoreCandidate(p: Profile, v: SparseVector, rank: number, count: number, w: ModelWeights = DEFAULT_WEIGHTS): number {
  const prior = count > 1 ? 1 - rank / count : 1;
  return w.prior * prior + w.liked * against(p.liked, v) - w.disliked * against(p.disliked, v);
}
