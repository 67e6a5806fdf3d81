// Word-by-word meaning match, for re-ordering the head of a hybrid list. A text's single
// vector averages its words away: a researcher's description of a paper names each of its
// ideas in other words, and the paper's vector only roughly sums them. Here each query word
// is matched with its nearest word of the paper (cosine of the built-in model's word
// vectors; 1 for the word itself), and the matches are averaged with the words' weights:
// a paper that answers every idea of the query, in whatever words, scores high.
// (docs/benchmarks.md, "Word-by-word meaning match": chosen on the dev halves.)

import { forEachWord, termOf } from '../lexical/analyze.js';
import type { BuiltinModel } from '../embedders/builtin/model.js';

/** A query's scorer of paper texts (0..1), or null when no query word is in the model's vocabulary. */
export type WordMatcher = (queryText: string) => ((paperText: string) => number) | null;

/**
 * What a model's matcher keeps between queries. Scoring 50 papers reads ~7,000 words, so a
 * word's vocabulary id is remembered by its spelling (one lookup instead of stemming and
 * two), and per-word marks live in arrays over the vocabulary, told apart by a stamp per
 * paper and per query instead of being cleared.
 */
interface Kept {
  inverseNorms: Float32Array;
  idOf: Map<string, number>;
  paperStamp: Int32Array;
  queryStamp: Int32Array;
  rowOf: Int32Array;
  papers: number;
  queries: number;
}
const kept = new WeakMap<BuiltinModel, Kept>();
/** Spellings remembered; past this the memory starts again (an adversarial stream of new words cannot grow it). */
const SPELLINGS = 200_000;

function keptFor(model: BuiltinModel): Kept {
  let k = kept.get(model);
  if (k) return k;
  const { vocabulary, vectors, dimensions: d } = model;
  const n = vocabulary.idf.length;
  // One float per word instead of a normalised copy of every vector (up to 100 MB at 200k words).
  const inverseNorms = new Float32Array(n);
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let j = 0, r = t * d; j < d; j++) s += vectors[r + j]! * vectors[r + j]!;
    inverseNorms[t] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  k = { inverseNorms, idOf: new Map(), paperStamp: new Int32Array(n), queryStamp: new Int32Array(n), rowOf: new Int32Array(n), papers: 0, queries: 0 };
  kept.set(model, k);
  return k;
}

export function wordMatcher(model: BuiltinModel): WordMatcher {
  const { vocabulary, vectors, dimensions: d } = model;
  const k = keptFor(model);
  const { inverseNorms: norms, idOf, paperStamp, queryStamp, rowOf } = k;
  /** Calls back with the vocabulary id of each word of a text the model knows. */
  const forEachId = (text: string, cb: (id: number) => void): void => forEachWord(text, (word) => {
    let id = idOf.get(word);
    if (id === undefined) {
      const term = termOf(word);
      id = term === null ? -1 : vocabulary.ids.get(term) ?? -1;
      if (idOf.size >= SPELLINGS) idOf.clear();
      idOf.set(word, id);
    }
    if (id >= 0) cb(id);
  });
  return (queryText) => {
    const ids = new Set<number>();
    forEachId(queryText, (id) => ids.add(id));
    const query = [...ids];
    if (!query.length) return null;
    const n = query.length;
    let total = 0;
    for (const q of query) total += vocabulary.idf[q]!;
    // The query's unit vectors side by side. Each distinct paper word's cosines with them are
    // computed once per query, as the head's papers share many words: the word's row of
    // `cosines` is rowOf[t] while queryStamp[t] is this query's stamp.
    const unit = new Float32Array(n * d);
    query.forEach((q, i) => { for (let j = 0; j < d; j++) unit[i * d + j] = vectors[q * d + j]! * norms[q]!; });
    const stamp = ++k.queries;
    let cosines = new Float32Array(n * 1024);
    let rows = 0;
    const best = new Float32Array(n);
    const visit = (t: number): void => {
      if (paperStamp[t] === k.papers) return; // seen in this paper
      paperStamp[t] = k.papers;
      let row: number;
      if (queryStamp[t] === stamp) row = rowOf[t]!;
      else {
        if ((rows + 1) * n > cosines.length) {
          const grown = new Float32Array(cosines.length * 2);
          grown.set(cosines);
          cosines = grown;
        }
        row = rows++;
        queryStamp[t] = stamp;
        rowOf[t] = row;
        const tr = t * d, scale = norms[t]!;
        for (let i = 0, u = 0; i < n; i++, u += d) {
          // Four sums at a time: the loop is most of the matcher's arithmetic.
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0, j = 0;
          for (; j + 3 < d; j += 4) {
            s0 += unit[u + j]! * vectors[tr + j]!;
            s1 += unit[u + j + 1]! * vectors[tr + j + 1]!;
            s2 += unit[u + j + 2]! * vectors[tr + j + 2]!;
            s3 += unit[u + j + 3]! * vectors[tr + j + 3]!;
          }
          for (; j < d; j++) s0 += unit[u + j]! * vectors[tr + j]!;
          cosines[row * n + i] = query[i] === t ? 1 : (s0 + s1 + s2 + s3) * scale;
        }
      }
      for (let i = 0, r = row * n; i < n; i++) if (cosines[r + i]! > best[i]!) best[i] = cosines[r + i]!;
    };
    return (paperText) => {
      best.fill(0);
      ++k.papers;
      forEachId(paperText, visit);
      let score = 0;
      for (let i = 0; i < n; i++) score += vocabulary.idf[query[i]!]! * best[i]!;
      return score / total;
    };
  };
}
