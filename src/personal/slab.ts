// Small float arrays carved out of large ones. A digest round weighs and keeps thousands
// of short vectors (each liked paper of each subscriber, by words and by meaning), and
// giving each its own buffer cost several times the work of filling it, and garbage
// collection the rest. A chunk lives as long as any array cut from it: a round's.

export interface Slab {
  /** A zeroed array of n floats. */
  take(n: number): Float32Array;
}

export function createSlab(chunk = 1 << 16): Slab {
  let buffer = new Float32Array(chunk);
  let used = 0;
  return {
    take(n) {
      if (used + n > buffer.length) {
        buffer = new Float32Array(Math.max(chunk, n));
        used = 0;
      }
      used += n;
      return buffer.subarray(used - n, used);
    },
  };
}
