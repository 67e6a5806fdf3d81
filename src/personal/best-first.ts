// The best of a list first, sorted only as far as it is read (incremental quicksort,
// Paredes and Navarro, 2006). A digest is filled from the head of a few hundred scored
// candidates, often from a third of them: sorting them all was work thrown away. `before`
// must order any two entries strictly (no ties), so the order read is the one a full sort
// gives.

/** Items with at most this many entries left unsorted are sorted by insertion, at once. */
const SMALL = 16;

/**
 * Reorders `items[0..n)` in place as it is read: `at(i)`, for i = 0, 1, 2, … in turn,
 * returns the entry a full sort by `before` puts at place i.
 */
export function bestFirst(items: Int32Array, n: number, before: (a: number, b: number) => boolean): (i: number) => number {
  // Places whose entry is final, each with every entry before it ahead of it in the order; n closes the list.
  const settled = [n];
  return (i) => {
    for (;;) {
      const end = settled[settled.length - 1]!;
      if (end === i) {
        settled.pop();
        return items[i]!;
      }
      if (end - i <= SMALL) {
        for (let k = i + 1; k < end; k++) {
          const x = items[k]!;
          let j = k - 1;
          for (; j >= i && before(x, items[j]!); j--) items[j + 1] = items[j]!;
          items[j + 1] = x;
        }
        for (let k = end - 1; k >= i; k--) settled.push(k);
        continue;
      }
      settled.push(partition(items, i, end - 1, before));
    }
  };
}

/** Splits items[lo..hi] around the median of its first, middle and last entries; returns where that one ends. */
function partition(items: Int32Array, lo: number, hi: number, before: (a: number, b: number) => boolean): number {
  const mid = (lo + hi) >>> 1;
  // The median of three, moved to hi.
  if (before(items[mid]!, items[lo]!)) swap(items, mid, lo);
  if (before(items[hi]!, items[lo]!)) swap(items, hi, lo);
  if (before(items[mid]!, items[hi]!)) swap(items, mid, hi);
  const pivot = items[hi]!;
  let store = lo;
  for (let k = lo; k < hi; k++) {
    if (before(items[k]!, pivot)) swap(items, k, store++);
  }
  swap(items, store, hi);
  return store;
}

function swap(items: Int32Array, a: number, b: number): void {
  const x = items[a]!;
  items[a] = items[b]!;
  items[b] = x;
}
