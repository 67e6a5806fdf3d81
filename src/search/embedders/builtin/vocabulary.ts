// The built-in model's vocabulary: the index terms (stemmed, stop words dropped, as the
// lexical index sees them) that occur in enough papers to learn a vector for, with the
// weight each term carries in a text's vector. Rarer words are left to the lexical index.

import { analyze } from '../../lexical/analyze.js';

export interface Vocabulary {
  ids: Map<string, number>;
  /** Each term's weight in a text's vector, by term id (see TermWeighting). */
  idf: Float32Array;
  documents: number;
}

/**
 * How much a word counts in a text's vector: "idf" log(1 + N/df); "sqrt-idf" its square
 * root (flatter); "sif" a/(a + p(w)) with p(w) the word's share of all words (smooth
 * inverse frequency, Arora et al. 2017), which treats every rare word alike.
 */
export type TermWeighting = 'idf' | 'sqrt-idf' | 'sif';

export interface VocabularyOptions {
  /** A term must occur in at least this many papers (default 3). */
  minDf?: number;
  /** At most this many terms, the most frequent kept (default 200,000). */
  maxTerms?: number;
  weighting?: TermWeighting;
  /** The a of SIF weights (default 1e-3). */
  sifA?: number;
}

export function buildVocabulary(texts: Iterable<string>, opts: VocabularyOptions = {}): Vocabulary {
  return vocabularyOfTerms((function* () { for (const t of texts) yield analyze(t); })(), opts);
}

/** The vocabulary of texts already analysed into their terms. */
export function vocabularyOfTerms(texts: Iterable<string[]>, opts: VocabularyOptions = {}): Vocabulary {
  const counter = termCounter();
  for (const terms of texts) counter.add(terms);
  return counter.vocabulary(opts);
}

/** Counts terms paper by paper (so a caller can pause between papers), then makes the vocabulary. */
export function termCounter() {
  const df = new Map<string, number>();
  const cf = new Map<string, number>();
  let documents = 0, tokens = 0;
  return {
    add(terms: string[]): void {
      documents++;
      tokens += terms.length;
      for (const term of terms) cf.set(term, (cf.get(term) ?? 0) + 1);
      for (const term of new Set(terms)) df.set(term, (df.get(term) ?? 0) + 1);
    },
    vocabulary(opts: VocabularyOptions = {}): Vocabulary {
      const minDf = opts.minDf ?? 3;
      const maxTerms = opts.maxTerms ?? 200_000;
      const kept = [...df].filter(([, n]) => n >= minDf && n < documents * 0.5 + 1)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, maxTerms);
      const ids = new Map<string, number>();
      const idf = new Float32Array(kept.length);
      const weighting = opts.weighting ?? 'idf';
      const a = opts.sifA ?? 1e-3;
      kept.forEach(([term, n], i) => {
        ids.set(term, i);
        const w = Math.log(1 + documents / n);
        idf[i] = weighting === 'sif' ? a / (a + cf.get(term)! / Math.max(1, tokens)) : weighting === 'sqrt-idf' ? Math.sqrt(w) : w;
      });
      return { ids, idf, documents };
    },
  };
}

/** A text as term ids and weights (term weight × sublinear term frequency), unknown words skipped. */
export interface BagOfWords { ids: Int32Array; weights: Float32Array }

export function bagOfWords(vocab: Vocabulary, text: string): BagOfWords {
  return bagOfTerms(vocab, analyze(text));
}

export function bagOfTerms(vocab: Vocabulary, terms: Iterable<string>): BagOfWords {
  const tf = new Map<number, number>();
  for (const term of terms) {
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
