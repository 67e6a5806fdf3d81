// Word-by-word meaning match, for re-ordering the head of a hybrid list. A text's single
// vector averages its words away: a researcher's description of a paper names each of its
// ideas in other words, and the paper's vector only roughly sums them. Here each query word
// is matched with its nearest word of the paper (cosine of the built-in model's word
// vectors; 1 for the word itself), and the matches are averaged with the words' weights:
// a paper that answers every idea of the query, in whatever words, scores high.
// (docs/benchmarks.md, "Word-by-word meaning match": chosen on the dev halves.)

import { analyze } from '../lexical/analyze.js';
import type { BuiltinModel } from '../embedders/builtin/model.js';

/** A query's scorer of paper texts (0..1), or null when no query word is in the model's vocabulary. */
export type WordMatcher = (queryText: string) => ((paperText: string) => number) | null;

const inverseNorms = new WeakMap<BuiltinModel, Float32Array>();

export function wordMatcher(model: BuiltinModel): WordMatcher {
  const { vocabulary, vectors, dimensions: d } = model;
  let inverse = inverseNorms.get(model);
  if (!inverse) {
    // One float per word instead of a normalised copy of every vector (up to 100 MB at 200k words).
    inverse = new Float32Array(vocabulary.idf.length);
    for (let t = 0; t < inverse.length; t++) {
      let s = 0;
      for (let k = 0, r = t * d; k < d; k++) s += vectors[r + k]! * vectors[r + k]!;
      inverse[t] = s > 0 ? 1 / Math.sqrt(s) : 0;
    }
    inverseNorms.set(model, inverse);
  }
  const norms = inverse;
  const termIds = (text: string): number[] => {
    const ids = new Set<number>();
    for (const term of analyze(text)) {
      const id = vocabulary.ids.get(term);
      if (id !== undefined) ids.add(id);
    }
    return [...ids];
  };
  return (queryText) => {
    const query = termIds(queryText);
    if (!query.length) return null;
    let total = 0;
    for (const q of query) total += vocabulary.idf[q]!;
    // The query's unit vectors side by side; each distinct paper word's cosines with them
    // are computed once per query (the head's papers share many words).
    const unit = new Float32Array(query.length * d);
    query.forEach((q, i) => { for (let k = 0; k < d; k++) unit[i * d + k] = vectors[q * d + k]! * norms[q]!; });
    const cosines = new Map<number, Float32Array>();
    const cosinesOf = (t: number): Float32Array => {
      let row = cosines.get(t);
      if (row) return row;
      row = new Float32Array(query.length);
      const tr = t * d, scale = norms[t]!;
      for (let i = 0, u = 0; i < query.length; i++, u += d) {
        let s = 0;
        for (let k = 0; k < d; k++) s += unit[u + k]! * vectors[tr + k]!;
        row[i] = query[i] === t ? 1 : s * scale;
      }
      cosines.set(t, row);
      return row;
    };
    return (paperText) => {
      const best = new Float32Array(query.length).fill(0);
      for (const t of termIds(paperText)) {
        const row = cosinesOf(t);
        for (let i = 0; i < row.length; i++) if (row[i]! > best[i]!) best[i] = row[i]!;
      }
      let score = 0;
      for (let i = 0; i < query.length; i++) score += vocabulary.idf[query[i]!]! * best[i]!;
      return score / total;
    };
  };
}
