// The built-in model's vocabulary: the index terms (stemmed, stop words dropped, as the
// lexical index sees them) that occur in enough papers to learn a vector for, with
// their inverse document frequencies. Rarer words are left to the lexical index.

import { analyze } from '../../lexical/analyze.js';

export interface Vocabulary {
  ids: Map<string, number>;
  /** log(1 + N / df) by term id: rare words weigh more in a text's vector. */
  idf: Float32Array;
  documents: number;
}

export interface VocabularyOptions {
  /** A term must occur in at least this many papers (default 3). */
  minDf?: number;
  /** At most this many terms, the most frequent kept (default 200,000). */
  maxTerms?: number;
}

export function buildVocabulary(texts: Iterable<string>, opts: VocabularyOptions = {}): Vocabulary {
  const minDf = opts.minDf ?? 3;
  const maxTerms = opts.maxTerms ?? 200_000;
  const df = new Map<string, number>();
  let documents = 0;
  for (const text of texts) {
    documents++;
    for (const term of new Set(analyze(text))) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const kept = [...df].filter(([, n]) => n >= minDf && n < documents * 0.5 + 1)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, maxTerms);
  const ids = new Map<string, number>();
  const idf = new Float32Array(kept.length);
  kept.forEach(([term, n], i) => {
    ids.set(term, i);
    idf[i] = Math.log(1 + documents / n);
  });
  return { ids, idf, documents };
}

/** A text as term ids and weights (idf × sublinear term frequency), unknown words skipped. */
export interface BagOfWords { ids: Int32Array; weights: Float32Array }

export function bagOfWords(vocab: Vocabulary, text: string): BagOfWords {
  const tf = new Map<number, number>();
  for (const term of analyze(text)) {
    const id = vocab.ids.get(term);
    if (id !== undefined) tf.set(id, (tf.get(id) ?? 0) + 1);
  }
  const ids = new Int32Array(tf.size);
  const weights = new Float32Array(tf.size);
  let i = 0;
  for (const [id, n] of tf) {
    ids[i] = id;
    weights[i++] = vocab.idf[id]! * (1 + Math.log(n));
  }
  return { ids, weights };
}
