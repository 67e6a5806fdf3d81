// The vector index: every paper's unit vector, quantised to int8 with a scale of its own
// (a quarter of the memory of floats, rankings barely change), with the paper's day and categories so that filters
// apply to vector results exactly as to words. Unfiltered queries on a large index go
// through an HNSW graph (usearch) for candidates, which are then ranked by the same int8
// scores as the exact scan; filtered queries, small indexes, and anything the graph
// cannot fill are answered by an exact scan of the rows that pass the filters.
//
// A saved graph is memory-mapped, not read (usearch's `view`): it is read-only, so papers
// added after it was saved go into a small graph of their own, and papers replaced since
// are skipped when the mapped graph returns them.

import usearch, { type MetricKind, type ScalarKind } from 'usearch';
import type { KeySet } from '../key-set.js';

export interface VectorDocument { key: number; id: string; day: number; categories: string[] }

export interface VectorQuery {
  limit: number;
  categories?: string[];
  /** YYYYMMDD bounds: since inclusive, before exclusive (as the lexical index). */
  since?: number;
  before?: number;
  /**
   * Only these papers, by key (a phrase's or an author's papers): when they are few, they
   * are scored one by one instead of scanning every row.
   */
  within?: KeySet;
  /**
   * Never these papers, by key (exclusions). Alone, they leave the graph in use: it gathers
   * far more candidates than asked, and a scan follows only if too few remain.
   */
  without?: { has(key: number): boolean };
  /** Leave this paper out (similar papers). */
  excludeKey?: number;
  /** Scan every row instead of walking the graph (to measure the graph's recall). */
  exact?: boolean;
  /** Graph candidates to rank, instead of GRAPH_CANDIDATES (to measure the trade-off). */
  candidates?: number;
}

export interface VectorHit { key: number; id: string; score: number }

type Graph = InstanceType<typeof usearch.Index>;

/** What saved graph files cover (vector-file.ts keeps it in its header). */
export interface SavedGraphs {
  /** The main graph holds rows below this (those alive when it was saved) … */
  rows: number;
  /** … this many of them. */
  size: number;
  /** The graph of rows added after the main graph was saved, if any. */
  added: { size: number } | null;
  /** What the graphs subtract from every vector (null: nothing, as graphs saved before it). */
  centre: number[] | null;
}

/** The index's rows as plain arrays (saving and loading, vector-file.ts). */
export interface VectorIndexSnapshot {
  rows: number;
  keys: Float64Array;
  days: Int32Array;
  scales: Float32Array;
  dead: Uint8Array;
  matrix: Int8Array;
  ids: string[];
  categoryNames: string[];
  categoryRows: number[][];
}

/** Below this many papers an exact scan is as fast as the graph and never misses. */
export const ANN_MIN_PAPERS = 20_000;
/** Rows per insert into the graph. */
const GRAPH_CHUNK = 4096;

/**
 * HNSW settings. The graph keeps half-precision copies: unit vectors of 128 dimensions
 * have small components, and usearch's int8 (a fixed scale) blurred them so much that
 * recall stayed near 0.92 however far the search looked.
 */
export const HNSW = { connectivity: 32, expansionAdd: 128 } as const;
/**
 * How many candidates a graph search gathers (its expansion) before they are ranked by
 * the int8 scores; at least the number of results asked for. With 32 links a paper, chosen
 * for recall@10 ≥ 0.95 against the exact scan at 1M papers (0.961; 640 gave 0.942, and
 * 16 links 0.919 at 1,000), docs/benchmarks.md. A graph saved with other settings keeps its own.
 */
export const GRAPH_CANDIDATES = 1000;
const QUANT = 127;
/** A `within` set this many times smaller than the index is scored paper by paper rather than by a scan. */
const WITHIN_SCAN_RATIO = 8;

export class VectorIndex {
  private rows = 0;
  private live = 0;
  private matrix: Int8Array;
  private scales: Float32Array;
  private keys: Float64Array;
  private days: Int32Array;
  private dead: Uint8Array;
  private ids: string[] = [];
  private categoryIds = new Map<string, number>();
  private categoryRows: number[][] = [];
  private rowOfId = new Map<string, number>();
  /** Rows by key, sorted (built when first asked; rows appended since are checked one by one). */
  private byKey: { keys: Float64Array; rows: Int32Array; upTo: number } | null = null;
  /** The graph that takes new rows: all of them, or those added since the mapped graph was saved. */
  private ann: Graph | null = null;
  /** A saved graph, memory-mapped: rows below `rows` (the dead ones skipped at search). */
  private mapped: { graph: Graph; file: string; rows: number } | null = null;
  /**
   * The mean of the papers' vectors when the graph was built, subtracted from every vector
   * the graphs hold. Built-in embeddings of papers share a large common direction (their
   * mean has length ~0.7), so uncentred neighbours differ in small remainders and the
   * graph's links carry little; centred, they spread out. A query's inner products with
   * centred vectors differ from its true ones by the same constant (q·μ), so the order the
   * graph searches for is unchanged.
   */
  private centre: Float32Array | null = null;

  /**
   * While building a whole index, rows are added without the graph, which is then built
   * once (finishGraph): one large multi-threaded insert is several times faster than
   * hundreds of small ones. Searches meanwhile scan every row.
   */
  private graphLater: boolean;

  constructor(readonly model: string, readonly dimensions: number, capacity = 1024, opts: { graphLater?: boolean } = {}) {
    this.graphLater = opts.graphLater ?? false;
    this.matrix = new Int8Array(capacity * dimensions);
    this.scales = new Float32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.days = new Int32Array(capacity);
    this.dead = new Uint8Array(capacity);
  }

  get size(): number {
    return this.live;
  }

  /** Adds papers, or replaces the vectors of papers already in the index. */
  upsert(docs: VectorDocument[], vectors: Float32Array[]): void {
    const added: number[] = [];
    docs.forEach((doc, i) => {
      const vector = vectors[i]!;
      if (vector.length !== this.dimensions) throw new Error(`vector of ${vector.length} dimensions for an index of ${this.dimensions}`);
      const old = this.rowOfId.get(doc.id);
      if (old !== undefined) {
        this.dead[old] = 1;
        this.live--;
        if (!this.mapped || old >= this.mapped.rows) this.ann?.remove(BigInt(old));
      }
      const row = this.appendRow(doc, vector);
      added.push(row);
    });
    if (this.graphLater) return;
    if (this.ann || this.mapped) {
      this.ann ??= this.newGraph();
      this.addToGraph(added);
    } else if (this.live >= ANN_MIN_PAPERS) this.buildGraph();
  }

  /**
   * Ends a bulk build: builds the graph over every row when the index is large enough for
   * one, a chunk at a time with `pause` between chunks (a server answers meanwhile).
   */
  async finishGraph(opts: { onProgress?: (done: number, total: number) => void; pause?: () => Promise<void> } = {}): Promise<void> {
    if (!this.graphLater) return;
    if (this.ann || this.live < ANN_MIN_PAPERS) {
      this.graphLater = false;
      return;
    }
    const graph = this.newGraph();
    const start = this.rows;
    const rows: number[] = [];
    for (let row = 0; row < start; row++) if (!this.dead[row]) rows.push(row);
    this.centre = this.meanOf(rows);
    for (let from = 0; from < rows.length; from += GRAPH_CHUNK) {
      this.addToGraph(rows.slice(from, from + GRAPH_CHUNK), graph);
      opts.onProgress?.(Math.min(from + GRAPH_CHUNK, rows.length), rows.length);
      await opts.pause?.();
    }
    // Papers may have been added or replaced during the pauses.
    for (const row of rows) if (this.dead[row]) graph.remove(BigInt(row));
    const added: number[] = [];
    for (let row = start; row < this.rows; row++) if (!this.dead[row]) added.push(row);
    this.addToGraph(added, graph);
    this.ann = graph;
    this.graphLater = false;
  }

  /** The stored (dequantised) vector of a paper, or null; written into `into` when given (of the index's dimensions). */
  vectorOf(id: string, into?: Float32Array): Float32Array | null {
    const row = this.rowOfId.get(id);
    if (row === undefined) return null;
    const out = into ?? new Float32Array(this.dimensions);
    const scale = this.scales[row]!;
    for (let k = 0, o = row * this.dimensions; k < this.dimensions; k++) out[k] = this.matrix[o + k]! * scale;
    return out;
  }

  /** The query's similarity to each of these papers (null for a paper without a vector). */
  similarities(query: Float32Array, ids: string[]): (number | null)[] {
    const q = new Float32Array(query);
    return ids.map((id) => {
      const row = this.rowOfId.get(id);
      return row === undefined ? null : this.score(q, row);
    });
  }

  search(query: Float32Array, q: VectorQuery): VectorHit[] {
    const filter = this.filterOf(q);
    if ((this.ann || this.mapped) && !filter.active && !q.exact) {
      const wanted = q.limit + (q.excludeKey === undefined ? 0 : 1);
      const found = this.searchGraph(query, wanted, q.candidates ?? GRAPH_CANDIDATES, filter.passes);
      if (found.length >= Math.min(wanted, this.live)) return found.filter((h) => h.key !== q.excludeKey).slice(0, q.limit);
    }
    if (q.within && q.within.size * WITHIN_SCAN_RATIO < this.rows) return this.scanRows(query, q.limit, this.rowsOf(q.within), filter.passes);
    return this.scan(query, q.limit, filter.passes);
  }

  /** The file the main graph is memory-mapped from, if it is. */
  get mappedGraphFile(): string | null {
    return this.mapped?.file ?? null;
  }

  /**
   * Writes the graphs to files: the main one to `mainFile` (null: leave it where it is
   * mapped from) and, beside a mapped one, the graph of rows added since to `addedFile`.
   * Returns what the files cover, or null when there is no graph.
   */
  saveGraphs(mainFile: string | null, addedFile: string): SavedGraphs | null {
    if (this.mapped) {
      if (mainFile) this.mapped.graph.save(mainFile);
      this.ann?.save(addedFile);
      return { rows: this.mapped.rows, size: this.mapped.graph.size(), added: this.ann ? { size: this.ann.size() } : null, centre: this.centreList() };
    }
    if (!this.ann || !mainFile) return null;
    this.ann.save(mainFile);
    return { rows: this.rows, size: this.ann.size(), added: null, centre: this.centreList() };
  }

  snapshot(): VectorIndexSnapshot {
    const n = this.rows;
    return {
      rows: n, keys: this.keys.subarray(0, n), days: this.days.subarray(0, n), scales: this.scales.subarray(0, n), dead: this.dead.subarray(0, n),
      matrix: this.matrix.subarray(0, n * this.dimensions), ids: this.ids.slice(0, n),
      categoryNames: [...this.categoryIds.keys()], categoryRows: this.categoryRows,
    };
  }

  /**
   * An index from saved rows and, if given, its saved graphs: the main one memory-mapped,
   * the one of rows added after it (small) read into memory, where new papers go too.
   */
  static fromSnapshot(model: string, dimensions: number, snap: VectorIndexSnapshot, graphs: (SavedGraphs & { file: string; addedFile: string }) | null): VectorIndex {
    const index = new VectorIndex(model, dimensions, Math.max(1024, snap.rows));
    index.rows = snap.rows;
    index.matrix.set(snap.matrix);
    index.keys.set(snap.keys);
    index.days.set(snap.days);
    index.scales.set(snap.scales);
    index.dead.set(snap.dead);
    index.ids = snap.ids;
    snap.categoryNames.forEach((name, i) => index.categoryIds.set(name, i));
    index.categoryRows = snap.categoryRows;
    for (let row = 0; row < snap.rows; row++) {
      if (index.dead[row]) continue;
      index.rowOfId.set(snap.ids[row]!, row);
      index.live++;
    }
    if (graphs) {
      index.centre = graphs.centre ? Float32Array.from(graphs.centre) : null;
      const mapped = index.newGraph();
      mapped.view(graphs.file);
      if (mapped.size() !== graphs.size) throw new Error(`the graph holds ${mapped.size()} vectors, its header says ${graphs.size}`);
      index.mapped = { graph: mapped, file: graphs.file, rows: graphs.rows };
      if (graphs.added) {
        index.ann = index.newGraph();
        index.ann.load(graphs.addedFile);
        if (index.ann.size() !== graphs.added.size) throw new Error(`the graph of added papers holds ${index.ann.size()} vectors, its header says ${graphs.added.size}`);
      }
    } else if (index.live >= ANN_MIN_PAPERS) index.buildGraph();
    return index;
  }

  /** Exact: every row that passes, scored against the query (int8 dot products). */
  private scan(query: Float32Array, limit: number, passes: (row: number) => boolean): VectorHit[] {
    const q = new Float32Array(query);
    const top = new BoundedTop(limit);
    for (let row = 0; row < this.rows; row++) if (passes(row)) top.push(row, this.score(q, row));
    return top.sorted().map(({ row, score }) => this.hit(row, score));
  }

  private scanRows(query: Float32Array, limit: number, rows: Iterable<number>, passes: (row: number) => boolean): VectorHit[] {
    const q = new Float32Array(query);
    const top = new BoundedTop(limit);
    for (const row of rows) if (passes(row)) top.push(row, this.score(q, row));
    return top.sorted().map(({ row, score }) => this.hit(row, score));
  }

  /** Every row (live or dead) of these keys. */
  private *rowsOf(keys: KeySet): Generator<number> {
    // Rebuilt once the rows appended since outnumber an eighth of those sorted.
    if (!this.byKey || this.rows - this.byKey.upTo > Math.max(4096, this.byKey.upTo / 8)) {
      const order = Int32Array.from({ length: this.rows }, (_, row) => row).sort((a, b) => this.keys[a]! - this.keys[b]! || a - b);
      this.byKey = { keys: Float64Array.from(order, (row) => this.keys[row]!), rows: order, upTo: this.rows };
    }
    const { keys: sorted, rows, upTo } = this.byKey;
    for (const key of keys) {
      let lo = 0, hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid]! < key) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < sorted.length && sorted[i] === key; i++) yield rows[i]!;
    }
    for (let row = upTo; row < this.rows; row++) if (keys.has(this.keys[row]!)) yield row;
  }

  /** The int8 dot product of a row with the query, scaled back: its cosine, give or take the rounding. */
  private score(q: Float32Array, row: number): number {
    const d = this.dimensions;
    const matrix = this.matrix;
    let s = 0;
    for (let k = 0, o = row * d; k < d; k++) s += q[k]! * matrix[o + k]!;
    return s * this.scales[row]!;
  }

  /**
   * The graphs' candidates ranked by the exact scan's scores: the graph's own (half-precision)
   * order would disagree with the scan on near-ties, and a wider pool than the results
   * asked for finds what its walk ranked just below them.
   */
  private searchGraph(query: Float32Array, k: number, candidates: number, passes: (row: number) => boolean): VectorHit[] {
    const q = new Float32Array(query);
    const top = new BoundedTop(k);
    for (const graph of [this.mapped?.graph, this.ann]) {
      const size = graph?.size() ?? 0;
      if (!size) continue;
      const matches = graph!.search(q, Math.min(Math.max(k, candidates), size), 1);
      for (const key of matches.keys) {
        const row = Number(key);
        if (passes(row)) top.push(row, this.score(q, row));
      }
    }
    return top.sorted().map(({ row, score }) => this.hit(row, score));
  }

  private hit(row: number, score: number): VectorHit {
    return { key: this.keys[row]!, id: this.ids[row]!, score };
  }

  private filterOf(q: VectorQuery): { active: boolean; passes: (row: number) => boolean } {
    let allowedRows: Uint8Array | null = null;
    if (q.categories?.length) {
      allowedRows = new Uint8Array(this.rows);
      for (const c of q.categories) {
        const id = this.categoryIds.get(c);
        if (id !== undefined) for (const row of this.categoryRows[id]!) allowedRows[row] = 1;
      }
    }
    const { since, before, within, without, excludeKey } = q;
    const active = allowedRows !== null || since !== undefined || before !== undefined || within !== undefined;
    const passes = (row: number): boolean => {
      if (this.dead[row]) return false;
      if (allowedRows && !allowedRows[row]) return false;
      const day = this.days[row]!;
      if ((since !== undefined && day < since) || (before !== undefined && day >= before)) return false;
      const key = this.keys[row]!;
      return key !== excludeKey && (!within || within.has(key)) && !without?.has(key);
    };
    return { active, passes };
  }

  private appendRow(doc: VectorDocument, vector: Float32Array): number {
    if (this.rows === this.keys.length) this.grow();
    const row = this.rows++;
    const d = this.dimensions;
    let max = 0;
    for (let k = 0; k < d; k++) max = Math.max(max, Math.abs(vector[k]!));
    const scale = max > 0 ? max / QUANT : 1;
    for (let k = 0; k < d; k++) this.matrix[row * d + k] = Math.round(vector[k]! / scale);
    this.scales[row] = scale;
    this.keys[row] = doc.key;
    this.days[row] = doc.day;
    this.ids[row] = doc.id;
    for (const c of doc.categories) {
      let id = this.categoryIds.get(c);
      if (id === undefined) {
        id = this.categoryRows.length;
        this.categoryIds.set(c, id);
        this.categoryRows.push([]);
      }
      this.categoryRows[id]!.push(row);
    }
    this.rowOfId.set(doc.id, row);
    this.live++;
    return row;
  }

  private grow(): void {
    const capacity = this.keys.length * 2;
    const copy = <T extends Int8Array | Float32Array | Float64Array | Int32Array | Uint8Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.matrix = copy(this.matrix, capacity * this.dimensions);
    this.scales = copy(this.scales, capacity);
    this.keys = copy(this.keys, capacity);
    this.days = copy(this.days, capacity);
    this.dead = copy(this.dead, capacity);
  }

  private newGraph(): Graph {
    return new usearch.Index({
      dimensions: this.dimensions, metric: 'ip' as MetricKind, quantization: 'f16' as ScalarKind,
      // A search expands to max(expansion_search, results asked): the candidates asked decide alone.
      connectivity: HNSW.connectivity, expansion_add: HNSW.expansionAdd, expansion_search: 1, multi: false,
    });
  }

  private buildGraph(): void {
    this.ann = this.newGraph();
    const rows: number[] = [];
    for (let row = 0; row < this.rows; row++) if (!this.dead[row]) rows.push(row);
    this.centre = this.meanOf(rows);
    this.addToGraph(rows);
  }

  /** The mean of these rows' vectors. */
  private meanOf(rows: number[]): Float32Array {
    const d = this.dimensions;
    const sum = new Float64Array(d);
    for (const row of rows) {
      const scale = this.scales[row]!;
      for (let k = 0, o = row * d; k < d; k++) sum[k]! += this.matrix[o + k]! * scale;
    }
    return Float32Array.from(sum, (x) => x / Math.max(1, rows.length));
  }

  private centreList(): number[] | null {
    return this.centre ? Array.from(this.centre) : null;
  }

  /** Adds rows to the graph, every core working on each chunk (chunks bound the float copy's memory and each pause of the event loop). */
  private addToGraph(rows: number[], graph: Graph = this.ann!): void {
    const d = this.dimensions;
    for (let from = 0; from < rows.length; from += GRAPH_CHUNK) {
      const chunk = rows.slice(from, from + GRAPH_CHUNK);
      const batch = new Float32Array(chunk.length * d);
      const centre = this.centre;
      chunk.forEach((row, i) => {
        const scale = this.scales[row]!;
        for (let k = 0; k < d; k++) batch[i * d + k] = this.matrix[row * d + k]! * scale - (centre ? centre[k]! : 0);
      });
      graph.add(BigUint64Array.from(chunk, (r) => BigInt(r)), batch, 0);
    }
  }
}

/** The best `limit` rows by score (a min-heap on score). */
class BoundedTop {
  private rows: number[] = [];
  private scores: number[] = [];
  constructor(private readonly limit: number) {}
  push(row: number, score: number): void {
    if (this.rows.length < this.limit) {
      this.rows.push(row);
      this.scores.push(score);
      this.up(this.rows.length - 1);
    } else if (this.limit > 0 && score > this.scores[0]!) {
      this.rows[0] = row;
      this.scores[0] = score;
      this.down(0);
    }
  }
  sorted(): { row: number; score: number }[] {
    return this.rows.map((row, i) => ({ row, score: this.scores[i]! })).sort((a, b) => b.score - a.score || a.row - b.row);
  }
  private swap(i: number, j: number): void {
    [this.rows[i], this.rows[j]] = [this.rows[j]!, this.rows[i]!];
    [this.scores[i], this.scores[j]] = [this.scores[j]!, this.scores[i]!];
  }
  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.scores[p]! <= this.scores[i]!) return;
      this.swap(i, p);
      i = p;
    }
  }
  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < this.rows.length && this.scores[l]! < this.scores[m]!) m = l;
      if (r < this.rows.length && this.scores[r]! < this.scores[m]!) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
