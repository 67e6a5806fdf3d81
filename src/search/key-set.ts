// Sets of paper keys as search's filters use them. The word index can name hundreds of
// thousands of papers for one condition ("-learning" at a million papers), and a `Set`
// of that many numbers costs more to build than the search itself; marks in an array
// indexed by key cost a byte a paper and nothing per lookup. Keys are the store's
// sequential row numbers in either engine, so such an array is as long as the
// collection; a key space far larger than that falls back to a `Set`.

/** What filters read: membership, and size and iteration to score a few papers one by one. */
export interface KeySet {
  readonly size: number;
  has(key: number): boolean;
  [Symbol.iterator](): Iterator<number>;
}

/** A key space this many times the papers (plus slack) is too sparse for marks. */
const SPARSE_RATIO = 4;
const SPARSE_SLACK = 1 << 20;

export class KeyMarks implements KeySet {
  private readonly marks: Uint8Array | null;
  private readonly set: Set<number> | null;
  private count = 0;

  /** Room for keys 0..maxKey; `papers` is how many there are (for the sparseness check). */
  constructor(maxKey: number, papers: number) {
    const dense = maxKey >= 0 && maxKey <= papers * SPARSE_RATIO + SPARSE_SLACK;
    this.marks = dense ? new Uint8Array(maxKey + 1) : null;
    this.set = dense ? null : new Set();
  }

  get size(): number {
    return this.set ? this.set.size : this.count;
  }

  add(key: number): void {
    if (this.set) this.set.add(key);
    else if (this.marks![key] === 0) {
      this.marks![key] = 1;
      this.count++;
    }
  }

  has(key: number): boolean {
    return this.set ? this.set.has(key) : key >= 0 && key < this.marks!.length && this.marks![key] === 1;
  }

  /** Adds every key of `other`. */
  addAll(other: Iterable<number>): this {
    for (const key of other) this.add(key);
    return this;
  }

  /** Keeps only the keys `other` also has. */
  keepOnly(other: { has(key: number): boolean }): this {
    if (this.set) {
      for (const key of this.set) if (!other.has(key)) this.set.delete(key);
      return this;
    }
    const marks = this.marks!;
    for (let key = 0; key < marks.length; key++) {
      if (marks[key] === 1 && !other.has(key)) {
        marks[key] = 0;
        this.count--;
      }
    }
    return this;
  }

  *[Symbol.iterator](): Iterator<number> {
    if (this.set) {
      yield* this.set;
      return;
    }
    const marks = this.marks!;
    for (let key = 0; key < marks.length; key++) if (marks[key] === 1) yield key;
  }
}
