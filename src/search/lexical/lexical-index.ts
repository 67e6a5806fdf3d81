// The in-memory lexical index: a large immutable main segment plus a small delta that
// takes papers added or changed since the main one was built (their old postings are
// tombstoned). Queries are scored term-at-a-time into a reused accumulator, which costs
// time in proportion to the postings read; long queries keep only their rarest terms.

import { DEFAULT_BM25, saturation, segmentBuilder, type Bm25Params, type IndexedDocument, type Segment } from './segment.js';

export interface IndexQuery {
  /** Clauses of analysed terms; a clause matches when any of its terms does. */
  groups: string[][];
  /** 'all': a paper must match every clause; 'any': at least one. */
  mode: 'all' | 'any';
  /** In 'any' mode, keep this many terms, the rarest. */
  maxTerms?: number;
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
export interface IndexResult { total: number; hits: IndexHit[]; terms: string[] }

export class LexicalIndex {
  private main: Segment;
  private delta: Segment;
  private deltaDocs = new Map<number, IndexedDocument>();
  private deadInMain: Uint8Array;
  private deadCount = 0;
  private scratch = { acc: new Float32Array(0), groupSeen: new Uint16Array(0), matched: new Uint8Array(0), touched: new Uint32Array(0) };

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
    const builder = segmentBuilder(this.params, this.main.lengths);
    for (const d of this.deltaDocs.values()) builder.add(d);
    this.delta = builder.finish();
    this.ensureScratch();
  }

  /** Number of papers containing the term, across segments. */
  documentFrequency(term: string): number {
    return postingCount(this.main, term) + postingCount(this.delta, term);
  }

  search(q: IndexQuery): IndexResult {
    const groups = this.selectTerms(q);
    const { acc, groupSeen, matched, touched } = this.scratch;
    const segments: [Segment, number][] = [[this.main, 0], [this.delta, this.main.size]];
    const n = this.size;
    let touchedCount = 0;

    groups.forEach((group, g) => {
      const stamp = g + 1;
      for (const term of group) {
        const idf = Math.log(1 + (n - this.documentFrequency(term) + 0.5) / (this.documentFrequency(term) + 0.5));
        for (const [seg, offset] of segments) {
          const t = seg.terms.get(term);
          if (t === undefined) continue;
          const { docs, sat } = seg;
          for (let i = seg.start[t]!, end = seg.start[t + 1]!; i < end; i++) {
            const d = offset + docs[i]!;
            if (groupSeen[d] === 0) touched[touchedCount++] = d;
            if (groupSeen[d] !== stamp) {
              groupSeen[d] = stamp;
              matched[d]!++;
            }
            acc[d]! += idf * sat[i]!;
          }
        }
      }
    });

    const need = q.mode === 'all' ? groups.length : 1;
    const allowedByCategory = this.categoryFilter(q.categories);
    const keep = q.offset + q.limit;
    const heap = new TopK(keep, q.sort === 'newest');
    let total = 0;
    const consider = (d: number, score: number) => {
      const [seg, local] = d < this.main.size ? [this.main, d] : [this.delta, d - this.main.size];
      if (seg === this.main && this.deadInMain[local]) return;
      if (allowedByCategory && !allowedByCategory[d]) return;
      const day = seg.days[local]!;
      if ((q.since !== undefined && day < q.since) || (q.before !== undefined && day >= q.before)) return;
      if (q.allow && !q.allow(seg.keys[local]!)) return;
      total++;
      heap.push(d, score, day);
    };

    if (groups.length === 0) {
      // No words: every paper that passes the filters, newest first.
      for (let d = 0; d < this.main.size + this.delta.size; d++) consider(d, 0);
    } else {
      for (let i = 0; i < touchedCount; i++) {
        const d = touched[i]!;
        if (matched[d]! >= need) consider(d, saturation(acc[d]!));
        acc[d] = 0;
        groupSeen[d] = 0;
        matched[d] = 0;
      }
    }

    const hits = heap.sorted().slice(q.offset).map(({ doc, score }) => {
      const [seg, local] = doc < this.main.size ? [this.main, doc] : [this.delta, doc - this.main.size];
      return { key: seg.keys[local]!, id: seg.ids[local]!, score };
    });
    return { total, hits, terms: groups.flat() };
  }

  /** Distinct terms per clause; in 'any' mode at most maxTerms, the rarest (most telling). */
  private selectTerms(q: IndexQuery): string[][] {
    const groups = q.groups.map((g) => [...new Set(g)]).filter((g) => g.length > 0);
    if (q.mode !== 'any' || !q.maxTerms) return groups;
    const terms = [...new Set(groups.flat())].filter((t) => this.documentFrequency(t) > 0);
    terms.sort((a, b) => this.documentFrequency(a) - this.documentFrequency(b) || (a < b ? -1 : 1));
    return terms.slice(0, q.maxTerms).map((t) => [t]);
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
    this.scratch = { acc: new Float32Array(size), groupSeen: new Uint16Array(size), matched: new Uint8Array(size), touched: new Uint32Array(size) };
  }
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
    const item = { doc, score, day };
    const h = this.items;
    if (h.length < this.k) {
      h.push(item);
      this.up(h.length - 1);
    } else if (this.worse(h[0]!, item)) {
      h[0] = item;
      this.down(0);
    }
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
