// Query evaluation in paper order: the query's posting lists are walked together (typed
// keywords), or read a window of papers at a time (long queries), so each paper's score
// is complete when it is reached and goes straight into the top k; no corpus-sized array
// is filled and cleared. This is what makes pruning cheap (MaxScore, Turtle & Flood 1995):
// once the k-th best score beats the most a set of low-weight words could give a paper
// together, a paper found only by those words cannot make the top k, so their lists are
// no longer read but only searched for the papers the other words found. Pruning never
// changes the result: a paper is skipped only when an upper bound of its score cannot
// beat the k-th best.
//
// Scores are summed exactly as before this module (a Float32 running sum, the words in
// the query's order), so the same papers come back with the very same scores
// (match.test.ts checks both against scoring every paper).

import type { Segment } from './segment.js';

/** A query word with its weight (IDF). */
export interface WeightedTerm { term: string; idf: number }

export interface MatchContext {
  /** The segments and the number of their first paper. */
  segments: [Segment, number][];
  /** Whether a paper passes the query's filters; null: every paper does. */
  passes: ((d: number) => boolean) | null;
  /**
   * Takes a matching paper and its raw score (the sum of IDF × quantised saturation) and
   * returns the raw score a later paper must beat to be kept (−Infinity: any paper).
   */
  collect: (d: number, raw: number) => number;
}

export interface MatchTotal {
  /** Matching papers that pass the filters, among those looked at. */
  total: number;
  /** False when pruning skipped papers (total is then a lower bound). */
  exact: boolean;
  /** Papers found in the lists walked, filters not checked (each has a word of the query). */
  seen: number;
}

/**
 * Upper bounds are widened by this factor: a Float32 running sum of up to a few dozen
 * terms can exceed the exact sum of its parts by a few parts in 10⁷.
 */
const SLACK = 1 + 1e-5;
/** A cursor past its last posting (above any paper number). */
const DONE = 0x7fffffff;

/**
 * The words' postings in one segment, one cursor per word in the given order: position,
 * end, the paper at the position (DONE past the end), the word's weight, and its best
 * contribution in this segment (IDF × its highest saturation).
 */
interface Cursors { pos: Int32Array; end: Int32Array; cur: Int32Array; idf: Float64Array; best: Float64Array }

function cursorsOf(seg: Segment, terms: WeightedTerm[]): Cursors {
  const n = terms.length;
  const c: Cursors = { pos: new Int32Array(n), end: new Int32Array(n), cur: new Int32Array(n).fill(DONE), idf: new Float64Array(n), best: new Float64Array(n) };
  terms.forEach(({ term, idf }, j) => {
    const t = seg.terms.get(term);
    c.idf[j] = idf;
    if (t === undefined || seg.start[t]! === seg.start[t + 1]!) return;
    c.pos[j] = seg.start[t]!;
    c.end[j] = seg.start[t + 1]!;
    c.cur[j] = seg.docs[c.pos[j]!]!;
    c.best[j] = idf * seg.maxSat[t]!;
  });
  return c;
}

/** Moves cursor j to its first paper ≥ d; returns that paper (DONE past the end). */
function seek(c: Cursors, docs: Uint32Array, j: number, d: number): number {
  let p = c.pos[j]!;
  const end = c.end[j]!;
  // Dense lists are usually a step or two away: look there before galloping.
  if (p < end && docs[p]! < d) p++;
  if (p < end && docs[p]! < d) p = gallop(docs, d, p + 1, end);
  c.pos[j] = p;
  return (c.cur[j] = p < end ? docs[p]! : DONE);
}

/** Papers per window of matchAny: its scores fit in the fastest cache. */
const WINDOW = 4096;

/**
 * Papers with at least one of the words (given in the order their scores are summed),
 * best first into `collect`, skipping papers that cannot beat its threshold. The lists of
 * the essential words are read a window of papers at a time into a small score array
 * (a loop without branches to speak of: a paper has only a word or two of a long query);
 * then each paper of the window is checked against the floor, the non-essential words
 * looked up for those that may pass it, and the few that do are scored exactly.
 */
export function matchAny(terms: WeightedTerm[], ctx: MatchContext): MatchTotal {
  let seen = 0;
  let total = 0;
  const { passes } = ctx;
  let exact = true;
  let floor = Number.NEGATIVE_INFINITY;
  const n = terms.length;
  const acc = new Float64Array(WINDOW);
  const mark = new Uint8Array(WINDOW);
  const touched = new Int32Array(WINDOW);
  for (const [seg, offset] of ctx.segments) {
    if (seg.size === 0) continue;
    const { docs, sat } = seg;
    // Words by best contribution, lowest first: the words that become non-essential first.
    const byBest = cursorsOf(seg, terms).best;
    const order = Int32Array.from({ length: n }, (_, j) => j).sort((a, b) => byBest[a]! - byBest[b]!);
    const ordered = Array.from(order, (j) => terms[j]!);
    // Two cursors per word: one reads the essential lists window by window, one looks papers up.
    const walk = cursorsOf(seg, ordered);
    const probe = cursorsOf(seg, ordered);
    const { idf, best } = walk;
    // byRank[r]: the word summed r-th.
    const byRank = new Int32Array(n);
    order.forEach((j, m) => { byRank[j] = m; });
    // upTo[m]: the most the words 0..m can give a paper together.
    const upTo = new Float64Array(n);
    for (let m = 0, sum = 0; m < n; m++) upTo[m] = sum += best[m]!;
    // Words 0..essential-1 are non-essential: together they cannot lift a paper past the floor.
    let essential = 0;
    while (essential < n && upTo[essential]! * SLACK <= floor) essential++;
    for (let base = 0; ;) {
      // Start at the window of the next paper any essential word has.
      let next = DONE;
      for (let m = essential; m < n; m++) if (walk.pos[m]! < walk.end[m]! && docs[walk.pos[m]!]! < next) next = docs[walk.pos[m]!]!;
      if (next === DONE) break;
      base = Math.max(base, next - (next % WINDOW));
      const limit = base + WINDOW;
      // Fixed for the window: the essential words' scores are in acc, the others are looked up.
      const ess = essential;
      let count = 0;
      for (let m = ess; m < n; m++) {
        const w = idf[m]!;
        const e = walk.end[m]!;
        let p = walk.pos[m]!;
        for (; p < e; p++) {
          const d = docs[p]!;
          if (d >= limit) break;
          const l = d - base;
          acc[l]! += w * sat[p]!;
          if (mark[l] === 0) {
            mark[l] = 1;
            touched[count++] = l;
          }
        }
        walk.pos[m] = p;
      }
      const rest = ess > 0 ? upTo[ess - 1]! : 0;
      // The window's papers in order: a few sorted, or many by a pass over the marks.
      const sparse = count * 16 < WINDOW;
      if (sparse) touched.subarray(0, count).sort();
      for (let i = 0, l = 0; sparse ? i < count : l < WINDOW; i++, l++) {
        if (sparse) l = touched[i]!;
        else if (mark[l] === 0) continue;
        mark[l] = 0;
        let partial = acc[l]!;
        acc[l] = 0;
        seen++;
        if ((partial + rest) * SLACK <= floor) {
          exact = false;
          continue;
        }
        const d = base + l;
        // The non-essential words, best first, while they could still lift the paper past the floor.
        let m = ess - 1;
        for (; m >= 0; m--) {
          if ((partial + upTo[m]!) * SLACK <= floor) break;
          if (seek(probe, docs, m, d) === d) partial += idf[m]! * sat[probe.pos[m]!]!;
        }
        if (m >= 0) {
          exact = false;
          continue;
        }
        // Every word was looked at: the paper counts, though it may not rank.
        const doc = offset + d;
        if (passes && !passes(doc)) continue;
        total++;
        if (partial * SLACK <= floor) continue;
        let raw = 0;
        for (let r = 0; r < n; r++) {
          const w = byRank[r]!;
          if (seek(probe, docs, w, d) === d) raw = Math.fround(raw + idf[w]! * sat[probe.pos[w]!]!);
        }
        floor = ctx.collect(doc, raw);
        while (essential < n && upTo[essential]! * SLACK <= floor) essential++;
      }
      base = limit;
    }
    if (essential > 0) exact = false;
  }
  return { total, exact, seen };
}

/**
 * Papers with at least one word of every clause (clauses in the order their scores are
 * summed; the first is walked, the others searched): all counted, each into `collect`.
 */
export function matchAll(groups: WeightedTerm[][], ctx: MatchContext): number {
  if (groups.every((g) => g.length === 1)) return matchEveryWord(groups.map((g) => g[0]!), ctx);
  const flat = groups.flat();
  const groupEnd = new Int32Array(groups.length);
  groups.reduce((sum, g, i) => (groupEnd[i] = sum + g.length), 0);
  const firstEnd = groupEnd[0]!;
  const n = flat.length;
  const on = new Int32Array(n);
  const found = new Uint16Array(n);
  let total = 0;
  const { passes } = ctx;
  let floor = Number.NEGATIVE_INFINITY;
  for (const [seg, offset] of ctx.segments) {
    if (seg.size === 0) continue;
    const c = cursorsOf(seg, flat);
    const { pos, end, cur, idf } = c;
    const { docs, sat } = seg;
    on.fill(-1);
    next: for (;;) {
      let d = DONE;
      for (let j = 0; j < firstEnd; j++) if (cur[j]! < d) d = cur[j]!;
      if (d === DONE) break;
      for (let j = 0; j < firstEnd; j++) {
        if (cur[j]! !== d) continue;
        const p = pos[j]!;
        on[j] = d;
        found[j] = sat[p]!;
        pos[j] = p + 1;
        cur[j] = p + 1 < end[j]! ? docs[p + 1]! : DONE;
      }
      for (let g = 1, j = firstEnd; g < groups.length; g++) {
        let any = false;
        for (; j < groupEnd[g]!; j++) {
          if (seek(c, docs, j, d) !== d) continue;
          on[j] = d;
          found[j] = sat[pos[j]!]!;
          any = true;
        }
        if (!any) continue next;
      }
      const doc = offset + d;
      if (passes && !passes(doc)) continue;
      total++;
      let raw = 0;
      for (let j = 0; j < n; j++) if (on[j] === d) raw = Math.fround(raw + idf[j]! * found[j]!);
      // Most papers of a common clause cannot beat the k-th best: leave those out of the top k.
      if (raw * SLACK > floor) floor = ctx.collect(doc, raw);
    }
  }
  return total;
}

/**
 * matchAll when every clause is one word (typed keywords): the first (rarest) word's
 * papers are walked, and the walk leaps ahead whenever another word's next paper is
 * further on.
 */
function matchEveryWord(terms: WeightedTerm[], ctx: MatchContext): number {
  const n = terms.length;
  let total = 0;
  const { passes } = ctx;
  let floor = Number.NEGATIVE_INFINITY;
  for (const [seg, offset] of ctx.segments) {
    const { pos, end, cur, idf } = cursorsOf(seg, terms);
    if (cur.includes(DONE)) continue;
    const { docs, sat } = seg;
    const idf0 = idf[0]!;
    const end0 = end[0]!;
    walk: for (let p0 = pos[0]!; p0 < end0; p0++) {
      const d = docs[p0]!;
      for (let j = 1; j < n; j++) {
        let p = pos[j]!;
        const e = end[j]!;
        // Dense lists are usually a step or two away: look there before galloping.
        if (docs[p]! < d && ++p < e && docs[p]! < d) p = gallop(docs, d, p + 1, e);
        pos[j] = p;
        if (p >= e) break walk;
        if (docs[p]! !== d) {
          // No paper before docs[p] has word j: leap there.
          p0 = gallop(docs, docs[p]!, p0 + 1, end0) - 1;
          continue walk;
        }
      }
      const doc = offset + d;
      if (passes && !passes(doc)) continue;
      total++;
      let raw = Math.fround(idf0 * sat[p0]!);
      for (let j = 1; j < n; j++) raw = Math.fround(raw + idf[j]! * sat[pos[j]!]!);
      // Most papers of common words cannot beat the k-th best: leave those out of the top k.
      if (raw * SLACK > floor) floor = ctx.collect(doc, raw);
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
