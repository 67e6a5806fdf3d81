// Query evaluation document at a time: the query's posting lists are walked together in
// paper order, so each paper's score is complete when it is reached and goes straight
// into the top k, and nothing is accumulated in a corpus-sized array. This is what makes
// pruning cheap (MaxScore, Turtle & Flood 1995): once the k-th best score beats the most
// a set of low-weight words could give a paper together, a paper found only by those
// words cannot make the top k, so their lists are no longer walked but only searched for
// the papers the other words found. Pruning never changes the result: a paper is
// skipped only when an upper bound of its score cannot beat the k-th best.
//
// Scores are summed exactly as before this module (a Float32 running sum, the words in
// the query's order), so the same papers come back with the very same scores.

import type { Segment } from './segment.js';

/** A query word with its weight (IDF). */
export interface WeightedTerm { term: string; idf: number }

export interface MatchContext {
  /** The segments and the number of their first paper. */
  segments: [Segment, number][];
  /** Whether a paper passes the query's filters. */
  passes: (d: number) => boolean;
  /**
   * Takes a matching paper and its raw score (the sum of IDF × quantised saturation) and
   * returns the raw score a later paper must beat to be kept (−Infinity: any paper).
   */
  collect: (d: number, raw: number) => number;
}

export interface MatchTotal {
  total: number;
  /** False when pruning skipped papers (total is then a lower bound). */
  exact: boolean;
}

/**
 * Upper bounds are widened by this factor: a Float32 running sum of up to a few dozen
 * terms can exceed the exact sum of its parts by a few parts in 10⁷.
 */
const SLACK = 1 + 1e-5;
const NONE = 0xffffffff;

/** The words' postings in one segment: position, end and the word's weight, per word. */
interface Cursors {
  pos: Int32Array;
  end: Int32Array;
  idf: Float64Array;
  /** The word's best contribution in this segment (IDF × its highest saturation). */
  best: Float64Array;
}

function cursorsOf(seg: Segment, terms: WeightedTerm[]): Cursors {
  const n = terms.length;
  const c: Cursors = { pos: new Int32Array(n), end: new Int32Array(n), idf: new Float64Array(n), best: new Float64Array(n) };
  terms.forEach(({ term, idf }, j) => {
    const t = seg.terms.get(term);
    c.idf[j] = idf;
    if (t === undefined) return;
    c.pos[j] = seg.start[t]!;
    c.end[j] = seg.start[t + 1]!;
    c.best[j] = idf * seg.maxSat[t]!;
  });
  return c;
}

/**
 * Papers with at least one of the words (given in the order their scores are summed),
 * best first into `collect`, skipping papers that cannot beat its threshold.
 */
export function matchAny(terms: WeightedTerm[], ctx: MatchContext): MatchTotal {
  let total = 0;
  let exact = true;
  let floor = Number.NEGATIVE_INFINITY;
  const n = terms.length;
  const found = new Int32Array(n);
  for (const [seg, offset] of ctx.segments) {
    if (seg.size === 0) continue;
    const { pos, end, idf, best } = cursorsOf(seg, terms);
    const { docs, sat } = seg;
    // By best contribution, lowest first: the words that become non-essential first.
    const order = Int32Array.from({ length: n }, (_, j) => j).sort((a, b) => best[a]! - best[b]!);
    // upTo[m]: the most the words order[0..m] can give a paper together.
    const upTo = new Float64Array(n);
    for (let m = 0, sum = 0; m < n; m++) upTo[m] = sum += best[order[m]!]!;
    // Words order[0..essential) are non-essential: together they cannot lift a paper past the floor.
    let essential = 0;
    while (essential < n && upTo[essential]! * SLACK <= floor) essential++;
    for (;;) {
      let d = NONE;
      for (let m = essential; m < n; m++) {
        const j = order[m]!;
        if (pos[j]! < end[j]! && docs[pos[j]!]! < d) d = docs[pos[j]!]!;
      }
      if (d === NONE) break;
      let partial = 0;
      for (let m = essential; m < n; m++) {
        const j = order[m]!;
        const p = pos[j]!;
        if (p < end[j]! && docs[p]! === d) {
          found[j] = sat[p]!;
          partial += idf[j]! * sat[p]!;
          pos[j] = p + 1;
        } else found[j] = -1;
      }
      // The non-essential words, best first, while they could still lift the paper past the floor.
      let m = essential - 1;
      for (; m >= 0; m--) {
        if ((partial + upTo[m]!) * SLACK <= floor) break;
        const j = order[m]!;
        const p = (pos[j] = gallop(docs, d, pos[j]!, end[j]!));
        if (p < end[j]! && docs[p]! === d) {
          found[j] = sat[p]!;
          partial += idf[j]! * sat[p]!;
        } else found[j] = -1;
      }
      if (m >= 0) {
        exact = false;
        continue;
      }
      // Every word was looked at: the paper counts, though it may not rank.
      const doc = offset + d;
      if (!ctx.passes(doc)) continue;
      total++;
      if (partial * SLACK <= floor) continue;
      let raw = 0;
      for (let j = 0; j < n; j++) if (found[j]! >= 0) raw = Math.fround(raw + idf[j]! * found[j]!);
      floor = ctx.collect(doc, raw);
      while (essential < n && upTo[essential]! * SLACK <= floor) essential++;
    }
    if (essential > 0) exact = false;
  }
  return { total, exact };
}

/**
 * Papers with at least one word of every clause (clauses in the order their scores are
 * summed; the first is walked, the others searched): all counted, each into `collect`.
 */
export function matchAll(groups: WeightedTerm[][], ctx: MatchContext): number {
  const flat = groups.flat();
  const groupEnd = new Int32Array(groups.length);
  groups.reduce((sum, g, i) => (groupEnd[i] = sum + g.length), 0);
  const firstEnd = groupEnd[0]!;
  const n = flat.length;
  const found = new Int32Array(n);
  let total = 0;
  for (const [seg, offset] of ctx.segments) {
    if (seg.size === 0) continue;
    const { pos, end, idf } = cursorsOf(seg, flat);
    const { docs, sat } = seg;
    next: for (;;) {
      let d = NONE;
      for (let j = 0; j < firstEnd; j++) if (pos[j]! < end[j]! && docs[pos[j]!]! < d) d = docs[pos[j]!]!;
      if (d === NONE) break;
      for (let j = 0; j < firstEnd; j++) {
        const p = pos[j]!;
        if (p < end[j]! && docs[p]! === d) {
          found[j] = sat[p]!;
          pos[j] = p + 1;
        } else found[j] = -1;
      }
      for (let g = 1, j = firstEnd; g < groups.length; g++) {
        let any = false;
        for (; j < groupEnd[g]!; j++) {
          const p = (pos[j] = gallop(docs, d, pos[j]!, end[j]!));
          if (p < end[j]! && docs[p]! === d) {
            found[j] = sat[p]!;
            any = true;
          } else found[j] = -1;
        }
        if (!any) continue next;
      }
      const doc = offset + d;
      if (!ctx.passes(doc)) continue;
      total++;
      let raw = 0;
      for (let j = 0; j < n; j++) if (found[j]! >= 0) raw = Math.fround(raw + idf[j]! * found[j]!);
      ctx.collect(doc, raw);
    }
  }
  return total;
}

/** First index in [lo, end) whose doc is >= target: exponential then binary search. */
export function gallop(docs: Uint32Array, target: number, lo: number, end: number): number {
  let step = 1;
  let hi = lo;
  while (hi < end && docs[hi]! < target) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  hi = Math.min(hi, end);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
