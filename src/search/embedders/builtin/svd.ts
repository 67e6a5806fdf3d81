// Word vectors from a truncated SVD of the weighted document-term matrix (latent semantic
// analysis), used to start the contrastive training: words that occur in the same papers
// start near each other, so a rare word that training seldom sees is not random noise in
// every text it appears in. Randomised SVD (Halko, Martinsson & Tropp 2011) with a few
// power iterations, written over the sparse bags directly: one pass over the corpus
// costs 2 × (non-zeros) × (dimensions + oversampling) multiply-adds.

import type { BagOfWords } from './vocabulary.js';

export interface SvdOptions {
  /** Extra random directions that make the top ones accurate (default 10). */
  oversample?: number;
  /** Power iterations (default 2): each sharpens the spectrum at one more pass over the corpus. */
  iterations?: number;
  /** Each word vector is its right singular coordinates × singular value ^ power (default 0). */
  power?: number;
  random: () => number;
}

/** terms × k word vectors, row-major, rescaled so that the mean row length is 1. */
export function svdWordVectors(terms: number, docs: BagOfWords[], k: number, opts: SvdOptions): Float32Array {
  const l = Math.min(terms, k + (opts.oversample ?? 10));
  const rowScale = docs.map((bag) => {
    let s = 0;
    for (let t = 0; t < bag.weights.length; t++) s += bag.weights[t]! * bag.weights[t]!;
    return s > 0 ? 1 / Math.sqrt(s) : 0;
  });
  // gram(Q) = Xᵀ X Q, X the documents' unit-length weighted bags.
  const y = new Float64Array(l);
  const gram = (q: Float64Array, out: Float64Array): void => {
    out.fill(0);
    docs.forEach((bag, i) => {
      y.fill(0);
      const scale = rowScale[i]!;
      for (let t = 0; t < bag.ids.length; t++) {
        const w = bag.weights[t]! * scale, r = bag.ids[t]! * l;
        for (let j = 0; j < l; j++) y[j]! += w * q[r + j]!;
      }
      for (let t = 0; t < bag.ids.length; t++) {
        const w = bag.weights[t]! * scale, r = bag.ids[t]! * l;
        for (let j = 0; j < l; j++) out[r + j]! += w * y[j]!;
      }
    });
  };
  let q = new Float64Array(terms * l);
  for (let i = 0; i < q.length; i++) q[i] = gaussian(opts.random);
  let z = new Float64Array(terms * l);
  for (let it = 0; it <= (opts.iterations ?? 2); it++) {
    gram(q, z);
    [q, z] = [z, q];
    orthonormalize(q, terms, l);
    orthonormalize(q, terms, l); // twice: Cholesky QR alone loses orthogonality when ill-conditioned
  }
  gram(q, z);
  // T = Qᵀ Xᵀ X Q (l × l), whose eigenvectors rotate Q onto the right singular vectors.
  const tMat = new Float64Array(l * l);
  for (let r = 0; r < terms; r++) {
    const o = r * l;
    for (let a = 0; a < l; a++) {
      const qa = q[o + a]!;
      if (qa === 0) continue;
      for (let b = 0; b < l; b++) tMat[a * l + b]! += qa * z[o + b]!;
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) tMat[a * l + b] = tMat[b * l + a] = (tMat[a * l + b]! + tMat[b * l + a]!) / 2;
  const { values, vectors } = jacobiEigen(tMat, l);
  const order = Array.from(values.keys()).sort((a, b) => values[b]! - values[a]!).slice(0, k);
  const power = opts.power ?? 0;
  const out = new Float32Array(terms * k);
  const factor = order.map((c) => Math.pow(Math.sqrt(Math.max(values[c]!, 1e-12)), power));
  // A vocabulary smaller than k leaves the last columns zero (training may still use them).
  for (let r = 0; r < terms; r++) {
    for (let c = 0; c < order.length; c++) {
      const col = order[c]!;
      let s = 0;
      for (let a = 0; a < l; a++) s += q[r * l + a]! * vectors[a * l + col]!;
      out[r * k + c] = s * factor[c]!;
    }
  }
  let total = 0;
  for (let r = 0; r < terms; r++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += out[r * k + c]! * out[r * k + c]!;
    total += Math.sqrt(s);
  }
  const scale = total > 0 ? terms / total : 1;
  for (let i = 0; i < out.length; i++) out[i]! *= scale;
  return out;
}

/** Makes the columns of a rows × l row-major matrix orthonormal (Cholesky QR). */
function orthonormalize(m: Float64Array, rows: number, l: number): void {
  const c = new Float64Array(l * l);
  for (let r = 0; r < rows; r++) {
    const o = r * l;
    for (let a = 0; a < l; a++) {
      const x = m[o + a]!;
      if (x === 0) continue;
      for (let b = a; b < l; b++) c[a * l + b]! += x * m[o + b]!;
    }
  }
  // C = Rᵀ R, R upper triangular.
  const rMat = new Float64Array(l * l);
  let maxDiag = 0;
  for (let a = 0; a < l; a++) maxDiag = Math.max(maxDiag, c[a * l + a]!);
  for (let a = 0; a < l; a++) {
    let s = c[a * l + a]! + 1e-12 * maxDiag;
    for (let p = 0; p < a; p++) s -= rMat[p * l + a]! * rMat[p * l + a]!;
    const d = Math.sqrt(Math.max(s, 1e-300));
    rMat[a * l + a] = d;
    for (let b = a + 1; b < l; b++) {
      let t = c[a * l + b]!;
      for (let p = 0; p < a; p++) t -= rMat[p * l + a]! * rMat[p * l + b]!;
      rMat[a * l + b] = t / d;
    }
  }
  // M ← M R⁻¹, row by row (forward substitution).
  const row = new Float64Array(l);
  for (let r = 0; r < rows; r++) {
    const o = r * l;
    for (let b = 0; b < l; b++) {
      let s = m[o + b]!;
      for (let p = 0; p < b; p++) s -= row[p]! * rMat[p * l + b]!;
      row[b] = s / rMat[b * l + b]!;
    }
    for (let b = 0; b < l; b++) m[o + b] = row[b]!;
  }
}

/** Eigenvalues and eigenvectors (columns, row-major n × n) of a symmetric matrix, cyclic Jacobi. */
function jacobiEigen(input: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0, diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i]! * a[i * n + i]!;
      for (let j = i + 1; j < n; j++) off += a[i * n + j]! * a[i * n + j]!;
    }
    if (off <= 1e-22 * diag) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cos = 1 / Math.sqrt(t * t + 1), sin = t * cos;
        for (let k = 0; k < n; k++) { // columns p, q
          const akp = a[k * n + p]!, akq = a[k * n + q]!;
          a[k * n + p] = cos * akp - sin * akq;
          a[k * n + q] = sin * akp + cos * akq;
        }
        for (let k = 0; k < n; k++) { // rows p, q
          const apk = a[p * n + k]!, aqk = a[q * n + k]!;
          a[p * n + k] = cos * apk - sin * aqk;
          a[q * n + k] = sin * apk + cos * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!, vkq = v[k * n + q]!;
          v[k * n + p] = cos * vkp - sin * vkq;
          v[k * n + q] = sin * vkp + cos * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]!;
  return { values, vectors: v };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
}
