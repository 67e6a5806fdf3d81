// An immutable inverted index over a batch of papers, laid out in typed arrays so a
// million papers fit in a few hundred MB and a query touches memory sequentially.
// Each posting stores the BM25F saturation of a term in a paper (0..1, quantised to
// 16 bits); the query multiplies by the term's IDF, so IDF can use the statistics of
// every segment together.

import type { SearchDocument } from '../../store/store.js';
import { forEachWord, termOf } from './analyze.js';

/** A paper as the index sees it: the store hands these out (see SearchDocument). */
export type IndexedDocument = SearchDocument;

/** Per field: title, author names, abstract, and a source's summary with its keywords (e.g. Hugging Face's ai_summary, ai_keywords). */
export type PerField = [title: number, authors: number, abstract: number, summary: number];
export const FIELDS = 4;

/** BM25F parameters: per-field weight and length normalisation, and the saturation k1. */
export interface Bm25Params {
  k1: number;
  weights: PerField;
  b: PerField;
}

// A summary says in one sentence what the abstract says at length, and its keywords name
// the topic: its words weigh like the abstract's, with less length normalisation. k1 = 1.4
// (rather than the usual 1.2) goes with the dampened IDF of lexical-index.ts: together they
// keep SciFact where it was and rank described papers better (docs/benchmarks.md).
export const DEFAULT_BM25: Bm25Params = { k1: 1.4, weights: [3, 1.5, 1, 1], b: [0.4, 0.3, 0.75, 0.5] };

export interface FieldLengths { avg: PerField }

export interface Segment {
  size: number;
  keys: Int32Array;
  ids: string[];
  days: Int32Array;
  terms: Map<string, number>;
  /** Per term, a word that made it, as written (lower-cased): what a spelling suggestion offers. */
  surface: string[];
  /** Postings of term t are [start[t], start[t+1]). */
  start: Uint32Array;
  docs: Uint32Array;
  sat: Uint16Array;
  /** The highest saturation among each term's postings: its best possible contribution. */
  maxSat: Uint16Array;
  /**
   * Bit i (byte i >> 3, bit i & 7) of posting i: the term is in the paper's title, so a
   * title condition ("title:word") is answered from the postings (an eighth of a byte each).
   */
  inTitle: Uint8Array;
  lengths: FieldLengths;
  /**
   * The terms in order, where known: a saved index carries them (segment-file.ts), so a
   * server's first prefix query does not sort a million papers' words; otherwise they are
   * sorted on the first prefix asked (lexical-index.ts).
   */
  sortedTerms?: string[];
  /** Papers newest first (by day, then later-added first), for date windows without words. */
  byDay: Uint32Array;
  /** Papers (ascending) per category, cross-lists included. */
  categories: Map<string, Uint32Array>;
}

export const SAT_SCALE = 65535;

export function saturation(sat: number): number {
  return sat / SAT_SCALE;
}

export interface SegmentBuilder {
  add(doc: IndexedDocument): void;
  finish(): Segment;
}

/**
 * Builds a segment one paper at a time (a million abstracts never sit in memory at once);
 * `lengths` fixes the average field lengths, so a small delta scores like the main segment.
 */
export function segmentBuilder(params: Bm25Params = DEFAULT_BM25, lengths?: FieldLengths): SegmentBuilder {
  const terms = new Map<string, number>();
  const surface: string[] = [];
  const categories = new Map<string, number[]>();
  const keys: number[] = [];
  const ids: string[] = [];
  const days: number[] = [];
  // Document-major scratch: for each (doc, term) its term id and counts per field.
  let pairTerm = new Uint32Array(1 << 16);
  let pairTf = new Uint8Array(FIELDS << 16);
  let pairs = 0;
  const pairStart: number[] = [0];
  const fieldLen: number[] = [];
  const lenSum = [0, 0, 0, 0];

  // Per-word memo (raw word → its slot: term id, -1 when the word does not count, and how
  // often it was seen, so each term's surface word is its commonest form) and per-term
  // counters stamped with the document number, so adding a paper allocates nothing.
  const wordIds = new Map<string, number>();
  const slotTerm: number[] = [];
  const slotWord: string[] = [];
  let slotSeen = new Uint32Array(1 << 16);
  let stamp = new Int32Array(1 << 16).fill(-1);
  let tf = new Uint8Array(FIELDS << 16);
  const touched: number[] = [];

  const termIdOf = (word: string): number => {
    const slot = wordIds.get(word);
    if (slot !== undefined) {
      slotSeen[slot]!++;
      return slotTerm[slot]!;
    }
    let id: number | undefined;
    const term = termOf(word);
    if (term === null) id = -1;
    else {
      id = terms.get(term);
      if (id === undefined) {
        terms.set(term, (id = terms.size));
        surface.push(word.toLowerCase());
      }
      if (id >= stamp.length) {
        stamp = copyInto(new Int32Array(stamp.length * 2).fill(-1), stamp);
        tf = copyInto(new Uint8Array(tf.length * 2), tf);
      }
    }
    if (wordIds.size < 2_000_000) {
      if (slotTerm.length === slotSeen.length) slotSeen = copyInto(new Uint32Array(slotSeen.length * 2), slotSeen);
      wordIds.set(word, slotTerm.length);
      slotSeen[slotTerm.length] = 1;
      slotTerm.push(id);
      slotWord.push(word);
    }
    return id;
  };

  const add = (d: IndexedDocument) => {
    const doc = keys.length;
    touched.length = 0;
    [d.title, d.authorNames, d.abstract, d.summary ?? ''].forEach((text, f) => {
      let len = 0;
      forEachWord(text, (word) => {
        const id = termIdOf(word);
        if (id < 0) return;
        len++;
        if (stamp[id] !== doc) {
          stamp[id] = doc;
          tf.fill(0, id * FIELDS, id * FIELDS + FIELDS);
          touched.push(id);
        }
        if (tf[id * FIELDS + f]! < 255) tf[id * FIELDS + f]!++;
      });
      fieldLen.push(len);
      lenSum[f]! += len;
    });
    const counts = { size: touched.length };
    if (pairs + counts.size > pairTerm.length) {
      const grow = Math.max(pairTerm.length * 2, pairs + counts.size);
      pairTerm = copyInto(new Uint32Array(grow), pairTerm);
      pairTf = copyInto(new Uint8Array(grow * FIELDS), pairTf);
    }
    for (const id of touched) {
      pairTerm[pairs] = id;
      pairTf.set(tf.subarray(id * FIELDS, id * FIELDS + FIELDS), pairs * FIELDS);
      pairs++;
    }
    pairStart.push(pairs);
    for (const c of new Set(d.categories)) {
      const list = categories.get(c) ?? [];
      list.push(doc);
      categories.set(c, list);
    }
    keys.push(d.key);
    ids.push(d.id);
    days.push(d.day);
  };

  const finish = (): Segment => {
    const size = keys.length;
    const best = new Uint32Array(terms.size);
    for (let w = 0; w < slotTerm.length; w++) {
      const t = slotTerm[w]!;
      if (t >= 0 && slotSeen[w]! > best[t]!) {
        best[t] = slotSeen[w]!;
        surface[t] = slotWord[w]!.toLowerCase();
      }
    }
    const avg = lengths?.avg ?? (lenSum.map((s) => (size ? s / size : 0)) as PerField);
    // Transpose to term-major: count, prefix-sum, fill (docs come out ascending per term).
    const start = new Uint32Array(terms.size + 1);
    for (let i = 0; i < pairs; i++) start[pairTerm[i]! + 1]!++;
    for (let t = 0; t < terms.size; t++) start[t + 1]! += start[t]!;
    const fill = start.slice(0, terms.size);
    const docs = new Uint32Array(pairs);
    const sat = new Uint16Array(pairs);
    const maxSat = new Uint16Array(terms.size);
    const inTitle = new Uint8Array((pairs + 7) >>> 3);
    const { k1, weights: w, b } = params;
    for (let doc = 0; doc < size; doc++) {
      const norm = [0, 1, 2, 3].map((f) => {
        const len = fieldLen[doc * FIELDS + f]!;
        return 1 - b[f]! + b[f]! * (avg[f]! > 0 ? len / avg[f]! : 1);
      });
      for (let i = pairStart[doc]!; i < pairStart[doc + 1]!; i++) {
        let tf = 0;
        for (let f = 0; f < FIELDS; f++) tf += w[f]! * pairTf[i * FIELDS + f]! / norm[f]!;
        const term = pairTerm[i]!;
        const slot = fill[term]!++;
        const value = Math.round((tf / (k1 + tf)) * SAT_SCALE);
        docs[slot] = doc;
        sat[slot] = value;
        if (pairTf[i * FIELDS]! > 0) inTitle[slot >>> 3]! |= 1 << (slot & 7);
        if (value > maxSat[term]!) maxSat[term] = value;
      }
    }
    const dayArray = Int32Array.from(days);
    const byDay = Uint32Array.from({ length: size }, (_, i) => i).sort((a, b) => dayArray[b]! - dayArray[a]! || b - a);
    return {
      byDay, size, keys: Int32Array.from(keys), ids, days: dayArray, terms, surface, start, docs, sat, maxSat, inTitle, lengths: { avg },
      categories: new Map([...categories].map(([c, list]) => [c, Uint32Array.from(list)])),
    };
  };
  return { add, finish };
}

function copyInto<T extends Uint8Array | Uint32Array | Int32Array>(target: T, source: T): T {
  target.set(source);
  return target;
}
