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
  const queryTerms = (text: string): number[] => {
    const ids = new Set<number>();
    for (const term of analyze(text)) {
      const id = vocabulary.ids.get(term);
      if (id !== undefined) ids.add(id);
    }
    return [...ids];
  };
  return (queryText) => {
    const query = queryTerms(queryText);
    if (!query.length) return null;
    const n = query.length;
    let total = 0;
    for (const q of query) total += vocabulary.idf[q]!;
    // The query's unit vectors side by side. Each distinct paper word's cosines with them are
    // computed once per query, as the head's papers share many words: `rowOf` maps a word to
    // its row of `cosines`.
    const unit = new Float32Array(n * d);
    query.forEach((q, i) => { for (let k = 0; k < d; k++) unit[i * d + k] = vectors[q * d + k]! * norms[q]!; });
    const rowOf = new Map<number, number>();
    let cosines = new Float32Array(n * 1024);
    let rows = 0;
    const best = new Float32Array(n);
    return (paperText) => {
      best.fill(0);
      const seen = new Set<number>();
      for (const term of analyze(paperText)) {
        const t = vocabulary.ids.get(term);
        if (t === undefined || seen.has(t)) continue;
        seen.add(t);
        let row = rowOf.get(t);
        if (row === undefined) {
          if ((rows + 1) * n > cosines.length) {
            const grown = new Float32Array(cosines.length * 2);
            grown.set(cosines);
            cosines = grown;
          }
          row = rows++;
          rowOf.set(t, row);
          const tr = t * d, scale = norms[t]!;
          for (let i = 0, u = 0; i < n; i++, u += d) {
            // Four sums at a time: the loop is the matcher's whole cost.
            let s0 = 0, s1 = 0, s2 = 0, s3 = 0, k = 0;
            for (; k + 3 < d; k += 4) {
              s0 += unit[u + k]! * vectors[tr + k]!;
              s1 += unit[u + k + 1]! * vectors[tr + k + 1]!;
              s2 += unit[u + k + 2]! * vectors[tr + k + 2]!;
              s3 += unit[u + k + 3]! * vectors[tr + k + 3]!;
            }
            for (; k < d; k++) s0 += unit[u + k]! * vectors[tr + k]!;
            cosines[row * n + i] = query[i] === t ? 1 : (s0 + s1 + s2 + s3) * scale;
          }
        }
        for (let i = 0, r = row * n; i < n; i++) if (cosines[r + i]! > best[i]!) best[i] = cosines[r + i]!;
      }
      let score = 0;
      for (let i = 0; i < n; i++) score += vocabulary.idf[query[i]!]! * best[i]!;
      return score / total;
    };
  };
}
