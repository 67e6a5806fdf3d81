// The in-memory lexical index: a large immutable main segment plus a small delta that
// takes papers added or changed since the main one was built (their old postings are
// tombstoned). Queries are scored document at a time with pruning (match.ts); long
// queries keep only their rarest terms.

import { gallop, matchAll, matchAny, type MatchContext, type WeightedTerm } from './match.js';
import { DEFAULT_BM25, SAT_SCALE, saturation, segmentBuilder, type Bm25Params, type IndexedDocument, type Segment } from './segment.js';
import { KeyMarks } from '../key-set.js';

export interface IndexQuery {
  /** Clauses of analysed terms; a clause matches when any of its terms does. */
  groups: string[][];
  /** 'all': a paper must match every clause; 'any': at least one. */
  mode: 'all' | 'any';
  /** In 'any' mode, keep this many terms, the rarest. */
  maxTerms?: number;
  /**
   * In 'any' mode, leave out words found in a large share of papers (past the rarest few).
   * Cheap for pasted abstracts; a costly loss for a described paper, whose common words
   * may be all it shares with the paper (see selectTerms).
   */
  dropCommonTerms?: boolean;
  /** Only papers in one of these categories. */
  categories?: string[];
  /** YYYYMMDD bounds: since inclusive, before exclusive. */
  since?: number;
  before?: number;
  /** Extra condition on the store key (phrases, authors, exclusions checked elsewhere). */
  allow?: (key: number) => boolean;
  sort: 'relevance' | 'newest';
  limit: number;
  offset: number;
}

export interface IndexHit { key: number; id: string; score: number }
export interface IndexResult {
  total: number;
  /** False when pruning stopped counting papers that could not reach the page (total is then a lower bound). */
  exact: boolean;
  hits: IndexHit[];
  terms: string[];
}

/** In a long query, a word in more than this share of papers is dropped (see selectTerms). */
const COMMON_TERM_SHARE = 0.2;
/** …and in more than this many papers… */
const COMMON_TERM_MIN_PAPERS = 5000;
/** …unless it is among this many rarest words of the query. */
const MIN_TERMS_KEPT = 3;
/**
 * A described paper keeps its common words (they may be all it shares with the paper), up
 * to this many postings a word: past it, reading the list costs more than the word adds
 * (at 1M papers, keeping every word of a title query made it several times slower). No
 * word of a collection under this size is ever dropped.
 */
const MAX_POSTINGS_READ = 100_000;

/**
 * IDF is dampened (raised to this power): a rare query word then outweighs common ones a
 * little less. A described paper shares mostly common words with its description, while
 * the description's rare words tend to match some other paper by chance (in its title, often);
 * with full IDF one such word outranked several shared common ones. Tuned on the
 * development halves (docs/benchmarks.md, "Lexical search on described papers").
 */
const IDF_EXPONENT = 0.9;

/** Merge a term's postings with the candidates when it has at most this many per candidate (else gallop). */
const MERGE_RATIO = 4;

export class LexicalIndex {
  private main: Segment;
  private delta: Segment;
  private deltaDocs = new Map<number, IndexedDocument>();
  private deltaRowOfKey = new Map<number, number>();
  private deadInMain: Uint8Array;
  private deadCount = 0;
  private gen = 0;
  private scratch = { acc: new Float32Array(0) };

  constructor(main: Segment, private readonly params: Bm25Params = DEFAULT_BM25) {
    this.main = main;
    this.deadInMain = new Uint8Array(main.size);
    this.delta = segmentBuilder(params, main.lengths).finish();
    this.ensureScratch();
  }

  /** Papers searchable now. */
  get size(): number {
    return this.main.size - this.deadCount + this.delta.size;
  }

  /** Changes whenever papers are added or replaced, so results derived from the index can be cached. */
  get generation(): number {
    return this.gen;
  }

  /** The large immutable segment, e.g. to save it (segment-file.ts). */
  get mainSegment(): Segment {
    return this.main;
  }

  /** The small segment of papers added or changed since (their old postings in the main one are dead). */
  get deltaSegment(): Segment {
    return this.delta;
  }

  get deltaSize(): number {
    return this.delta.size;
  }

  /** Adds or replaces papers (by key) without rebuilding the main segment. */
  upsert(documents: Iterable<IndexedDocument>): void {
    let changed = false;
    for (const d of documents) {
      this.deltaDocs.set(d.key, d);
      const i = binarySearch(this.main.keys, d.key);
      if (i >= 0 && !this.deadInMain[i]) {
        this.deadInMain[i] = 1;
        this.deadCount++;
      }
      changed = true;
    }
    if (!changed) return;
    this.gen++;
    const builder = segmentBuilder(this.params, this.main.lengths);
    for (const d of this.deltaDocs.values()) builder.add(d);
    this.delta = builder.finish();
    this.deltaRowOfKey = new Map(Array.from(this.delta.keys.subarray(0, this.delta.size), (key, row) => [key, row]));
    this.ensureScratch();
  }

  /**
   * The index's words as written (one per term, e.g. "symmetry" for the term "symmetri"),
   * with the term and the papers holding it: the vocabulary of spelling suggestions.
   */
  *vocabulary(minPapers = 1): Generator<{ word: string; term: string; papers: number }> {
    for (const [term, t] of this.main.terms) {
      const papers = this.documentFrequency(term);
      if (papers >= minPapers) yield { word: this.main.surface[t]!, term, papers };
    }
    for (const [term, t] of this.delta.terms) {
      const papers = postingCount(this.delta, term);
      if (papers >= minPapers && !this.main.terms.has(term)) yield { word: this.delta.surface[t]!, term, papers };
    }
  }

  /**
   * The live papers (by key) holding any of these terms, or a term that begins with any of
   * these prefixes (index terms: folded and stemmed, see analyze.ts), in their title only
   * when asked: what the index answers of a query's text conditions itself
   * (search/text-conditions.ts).
   */
  papersWithAny(terms: string[], prefixes: string[], inTitle = false): KeyMarks {
    const { main, delta, deadInMain } = this;
    let maxKey = main.size ? main.keys[main.size - 1]! : 0;
    for (let d = 0; d < delta.size; d++) maxKey = Math.max(maxKey, delta.keys[d]!);
    const marks = new KeyMarks(maxKey, this.size);
    for (const [seg] of this.segments()) {
      const wanted = new Set(terms.filter((t) => seg.terms.has(t)));
      for (const p of prefixes) for (const t of termsStartingWith(seg, p)) wanted.add(t);
      for (const term of wanted) {
        const t = seg.terms.get(term)!;
        for (let i = seg.start[t]!; i < seg.start[t + 1]!; i++) {
          const d = seg.docs[i]!;
          if ((seg === main && deadInMain[d]) || (inTitle && !(seg.inTitle[i >>> 3]! & (1 << (i & 7))))) continue;
          marks.add(seg.keys[d]!);
        }
      }
    }
    return marks;
  }

  /** Number of papers containing the term, across segments. */
  documentFrequency(term: string): number {
    return postingCount(this.main, term) + postingCount(this.delta, term);
  }

  search(q: IndexQuery): IndexResult {
    const groups = this.selectTerms(q);
    const allowedByCategory = this.categoryFilter(q.categories);
    const { main, delta, deadInMain } = this;
    const passes = (d: number): boolean => {
      const inMain = d < main.size;
      const local = inMain ? d : d - main.size;
      if (inMain && deadInMain[local]) return false;
      if (allowedByCategory && !allowedByCategory[d]) return false;
      const day = (inMain ? main.days : delta.days)[local]!;
      if ((q.since !== undefined && day < q.since) || (q.before !== undefined && day >= q.before)) return false;
      return !q.allow || q.allow((inMain ? main.keys : delta.keys)[local]!);
    };
    const heap = new TopK(q.offset + q.limit, q.sort === 'newest');
    let total = 0;
    let exact = true;

    if (q.groups.length === 0) {
      // No words: every paper that passes the filters, newest first. Each segment keeps its
      // papers in date order, so a date window reads only the papers inside it.
      for (const [seg, offset] of this.segments()) {
        const from = firstOnOrBefore(seg, q.before === undefined ? Number.POSITIVE_INFINITY : q.before - 1);
        for (let i = from; i < seg.byDay.length; i++) {
          const local = seg.byDay[i]!;
          if (q.since !== undefined && seg.days[local]! < q.since) break;
          const d = offset + local;
          if (!passes(d)) continue;
          total++;
          heap.push(d, 0, seg.days[local]!);
        }
      }
    } else if (groups.length > 0) {
      // (Words none of which is in the index leave no groups: nothing matches.) Pruning
      // keeps the best-scoring papers, so a date order counts and ranks every match.
      const ctx: MatchContext = {
        segments: this.segments(),
        passes: allowedByCategory || q.since !== undefined || q.before !== undefined || q.allow || this.deadCount ? passes : null,
        collect: (d, raw) => {
          heap.push(d, saturation(raw), this.dayOf(d));
          return heap.floor() * SAT_SCALE;
        },
      };
      const weighted = (term: string): WeightedTerm => ({ term, idf: this.idf(term) });
      if (q.mode === 'all') {
        // The rarest clause is walked; the others are only searched for its papers.
        const byCost = [...groups].sort((a, b) => this.postingsOf(a) - this.postingsOf(b));
        total = matchAll(byCost.map((g) => g.map(weighted)), ctx);
      } else {
        // Rarest first: the order in which scores are summed (as they always were).
        const sorted = groups.flat().sort((a, b) => this.documentFrequency(a) - this.documentFrequency(b));
        const run = matchAny(sorted.map(weighted), ctx);
        ({ total, exact } = run);
        // Without filters every paper with a word matches: a pruned count can say at least
        // that many, and at least as many as the commonest word has.
        if (!exact && !ctx.passes) total = Math.max(total, run.seen, ...sorted.map((t) => this.documentFrequency(t)));
      }
    }

    const hits = heap.sorted().slice(q.offset).map(({ doc, score }) => {
      const [seg, local] = this.locate(doc);
      return { key: seg.keys[local]!, id: seg.ids[local]!, score };
    });
    return { total, exact, hits, terms: groups.flat() };
  }

  /**
   * What the query's words give each of these papers (by key; 0 for a paper with none of
   * them, or unknown): hybrid ranking scores the papers found only by meaning on the same
   * scale as the word matches, instead of taking them for papers without a word in common.
   */
  scoresOf(q: Pick<IndexQuery, 'groups' | 'mode' | 'maxTerms' | 'dropCommonTerms'>, keys: number[]): number[] {
    const docs = keys.map((key) => this.docOfKey(key));
    const found = [...new Set(docs.filter((d) => d >= 0))].sort((a, b) => a - b);
    const { acc } = this.scratch;
    for (const term of this.selectTerms({ ...q, sort: 'relevance', limit: 0, offset: 0 }).flat()) this.lookup(term, found, null);
    const scores = docs.map((d) => (d >= 0 ? saturation(acc[d]!) : 0));
    for (const d of found) acc[d] = 0;
    return scores;
  }

  /** The index's number for a live paper with this key, or −1. */
  private docOfKey(key: number): number {
    const i = binarySearch(this.main.keys, key);
    if (i >= 0 && !this.deadInMain[i]) return i;
    const local = this.deltaRowOfKey.get(key);
    return local === undefined ? -1 : this.main.size + local;
  }

  /** Adds a term's score to the given papers (ascending) that contain it; marks them in `hit`. */
  private lookup(term: string, candidates: ArrayLike<number>, hit: Uint8Array | null): void {
    const { acc } = this.scratch;
    const idf = this.idf(term);
    for (const [seg, offset] of this.segments()) {
      const t = seg.terms.get(term);
      if (t === undefined) continue;
      const { docs, sat } = seg;
      let lo = seg.start[t]!;
      const end = seg.start[t + 1]!;
      if (end - lo <= MERGE_RATIO * candidates.length) {
        // About as many postings as candidates: walking both lists together reads memory
        // in order, which beats a search per candidate.
        for (let c = 0, i = lo; c < candidates.length && i < end;) {
          const local = candidates[c]! - offset;
          if (local < 0) c++;
          else if (local >= seg.size) break;
          else if (docs[i]! < local) i++;
          else if (docs[i]! > local) c++;
          else {
            acc[candidates[c]!]! += idf * sat[i]!;
            if (hit) hit[c] = 1;
            c++;
            i++;
          }
        }
        continue;
      }
      for (let c = 0; c < candidates.length && lo < end; c++) {
        const local = candidates[c]! - offset;
        if (local < 0 || local >= seg.size) continue;
        lo = gallop(docs, local, lo, end);
        if (lo < end && docs[lo] === local) {
          acc[candidates[c]!]! += idf * sat[lo]!;
          if (hit) hit[c] = 1;
        }
      }
    }
  }

  private idf(term: string): number {
    return inverseDocumentFrequency(this.documentFrequency(term), this.size);
  }

  private postingsOf(group: string[]): number {
    return group.reduce((n, t) => n + this.documentFrequency(t), 0);
  }

  private segments(): [Segment, number][] {
    return [[this.main, 0], [this.delta, this.main.size]];
  }

  private locate(d: number): [Segment, number] {
    return d < this.main.size ? [this.main, d] : [this.delta, d - this.main.size];
  }

  private dayOf(d: number): number {
    return d < this.main.size ? this.main.days[d]! : this.delta.days[d - this.main.size]!;
  }

  /** Distinct terms per clause; in 'any' mode at most maxTerms, the rarest (most telling). */
  private selectTerms(q: IndexQuery): string[][] {
    const groups = q.groups.map((g) => [...new Set(g)]).filter((g) => g.length > 0);
    if (q.mode !== 'any' || !q.maxTerms) return groups;
    const terms = [...new Set(groups.flat())].filter((t) => this.documentFrequency(t) > 0);
    terms.sort((a, b) => this.documentFrequency(a) - this.documentFrequency(b) || (a < b ? -1 : 1));
    if (!q.dropCommonTerms) {
      return terms.filter((t, i) => i < MIN_TERMS_KEPT || this.documentFrequency(t) <= MAX_POSTINGS_READ).slice(0, q.maxTerms).map((t) => [t]);
    }
    // Words in a large share of all papers ("model", "data") barely change BM25 but cost the
    // most to read; past the rarest few they are left out.
    // Only lists long enough to cost something are dropped: a small collection keeps every word.
    const common = Math.max(COMMON_TERM_SHARE * this.size, COMMON_TERM_MIN_PAPERS);
    const kept = terms.filter((t, i) => i < MIN_TERMS_KEPT || this.documentFrequency(t) <= common);
    return kept.slice(0, q.maxTerms).map((t) => [t]);
  }

  private categoryFilter(categories: string[] | undefined): Uint8Array | null {
    if (!categories?.length) return null;
    const allowed = new Uint8Array(this.main.size + this.delta.size);
    for (const c of categories) {
      this.main.categories.get(c)?.forEach((d) => { allowed[d] = 1; });
      this.delta.categories.get(c)?.forEach((d) => { allowed[this.main.size + d] = 1; });
    }
    return allowed;
  }

  private ensureScratch(): void {
    const cap = this.main.size + this.delta.size;
    if (this.scratch.acc.length >= cap) return;
    const size = Math.ceil(cap * 1.25) + 1024;
    this.scratch = { acc: new Float32Array(size) };
  }
}

/**
 * A term's weight from the number of papers holding it: BM25's IDF, dampened (see
 * IDF_EXPONENT). The count includes postings of changed papers not yet rebuilt, so it can
 * exceed the papers searchable: such a word weighs 0 (a negative base would make it NaN).
 */
export function inverseDocumentFrequency(df: number, papers: number): number {
  return Math.log(1 + Math.max(0, papers - df + 0.5) / (df + 0.5)) ** IDF_EXPONENT;
}

/** Position in seg.byDay (newest first) of the first paper dated on or before `day`. */
function firstOnOrBefore(seg: Segment, day: number): number {
  let lo = 0;
  let hi = seg.byDay.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seg.days[seg.byDay[mid]!]! > day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Each segment's terms in order, for a segment that does not carry them (see
// Segment.sortedTerms), made on the first prefix asked of it: a prefix's terms are then
// found by binary search (a segment never changes; a new one gets its own).
const sortedTerms = new WeakMap<Segment, string[]>();

/** A segment's terms that begin with `prefix`. */
function termsStartingWith(seg: Segment, prefix: string): string[] {
  let sorted = seg.sortedTerms ?? sortedTerms.get(seg);
  if (!sorted) sortedTerms.set(seg, (sorted = [...seg.terms.keys()].sort()));
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!);
  return out;
}

function postingCount(seg: Segment, term: string): number {
  const t = seg.terms.get(term);
  return t === undefined ? 0 : seg.start[t + 1]! - seg.start[t]!;
}

function binarySearch(sorted: Int32Array, key: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === key) return mid;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The best k hits by score (or by day for newest-first), ties broken by index order. */
class TopK {
  private items: { doc: number; score: number; day: number }[] = [];
  constructor(private readonly k: number, private readonly byDay: boolean) {}

  /** True when a is worse than b. */
  private worse(a: { doc: number; score: number; day: number }, b: { doc: number; score: number; day: number }): boolean {
    const pa = this.byDay ? a.day : a.score;
    const pb = this.byDay ? b.day : b.score;
    return pa !== pb ? pa < pb : this.byDay ? a.doc < b.doc : a.doc > b.doc;
  }

  push(doc: number, score: number, day: number): void {
    if (this.k <= 0) return;
    const h = this.items;
    if (h.length < this.k) {
      h.push({ doc, score, day });
      this.up(h.length - 1);
      return;
    }
    const root = h[0]!;
    // Most papers lose to the current k-th best: compare before allocating anything.
    const better = this.byDay
      ? day > root.day || (day === root.day && doc > root.doc)
      : score > root.score || (score === root.score && doc < root.doc);
    if (better) {
      h[0] = { doc, score, day };
      this.down(0);
    }
  }

  /** The score a paper must beat to get in (−Infinity while there is room, or when ranking by date). */
  floor(): number {
    return this.byDay || this.items.length < this.k || this.k <= 0 ? Number.NEGATIVE_INFINITY : this.items[0]!.score;
  }

  sorted(): { doc: number; score: number }[] {
    return [...this.items].sort((a, b) => (this.worse(a, b) ? 1 : this.worse(b, a) ? -1 : 0));
  }

  private up(i: number): void {
    const h = this.items;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.worse(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.worse(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.worse(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
