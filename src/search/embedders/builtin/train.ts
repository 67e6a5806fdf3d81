// Trains the built-in model's word vectors from the corpus itself: a text's vector is the
// normalised, idf-weighted sum of its words' vectors, and the words are moved so that a
// paper's title lands nearer its own abstract than the other abstracts of a batch
// (contrastive, in-batch negatives, both directions). Titles are the queries papers
// naturally come with; learning to match them to abstracts that say the same thing in
// other words is what teaches "rotation-invariant" to find "SO(3)-equivariant".
//
// Vectors start from the LSA of the corpus (svd.ts) when given, else random: a random
// start makes a text's vector a random projection of its weighted words (cosine then
// approximates word overlap), and rare words that training seldom sees stay noise.

import type { BagOfWords } from './vocabulary.js';
import { mulberry32 } from '../../../random.js';

export interface TrainingPair { query: BagOfWords; document: BagOfWords }

export interface TrainOptions {
  dimensions?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Softmax temperature of the similarity scores. */
  temperature?: number;
  seed?: number;
  /** Starting word vectors (terms × dimensions); random when absent. */
  init?: Float32Array;
  onProgress?: (done: number, total: number) => void;
  /** Called between batches so a server can answer requests while training. */
  yieldEvery?: () => Promise<void>;
}

// Chosen on the dev halves (docs/benchmarks.md), for word vectors that start from the LSA.
export const TRAIN_DEFAULTS = { dimensions: 128, epochs: 1, batchSize: 256, learningRate: 0.1, temperature: 0.05, seed: 1 } as const;

/** Word vectors (terms × dimensions, row-major) trained on the pairs. */
export async function trainWordVectors(terms: number, pairs: TrainingPair[], opts: TrainOptions = {}): Promise<Float32Array> {
  const o = { ...TRAIN_DEFAULTS, ...opts };
  const d = o.dimensions;
  const random = mulberry32(o.seed);
  const vectors = new Float32Array(terms * d);
  if (o.init) vectors.set(o.init);
  else for (let i = 0, scale = 1 / Math.sqrt(d); i < vectors.length; i++) vectors[i] = gaussian(random) * scale;
  // Row-wise Adagrad: one accumulator per word keeps rare words' steps large.
  const accum = new Float32Array(terms).fill(1e-6);

  const order = Array.from(pairs.keys());
  const batches = o.epochs > 0 ? Math.floor(pairs.length / o.batchSize) : 0;
  const total = batches * o.epochs;
  const b = o.batchSize;
  const q = new Float32Array(b * d), p = new Float32Array(b * d);
  const qNorm = new Float32Array(b), pNorm = new Float32Array(b);
  const gq = new Float32Array(b * d), gp = new Float32Array(b * d);
  const scores = new Float32Array(b * b), grad = new Float32Array(b * b);
  let done = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffle(order, random);
    for (let batch = 0; batch < batches; batch++) {
      const items = order.slice(batch * b, batch * b + b).map((i) => pairs[i]!);
      items.forEach((pair, i) => {
        qNorm[i] = sumInto(vectors, d, pair.query, q, i);
        pNorm[i] = sumInto(vectors, d, pair.document, p, i);
      });
      // scores[i][j] = cos(query i, document j) / temperature
      for (let i = 0; i < b; i++) {
        for (let j = 0; j < b; j++) {
          let s = 0;
          for (let k = 0, qi = i * d, pj = j * d; k < d; k++) s += q[qi + k]! * p[pj + k]!;
          scores[i * b + j] = s / o.temperature;
        }
      }
      softmaxGradients(scores, grad, b, o.temperature);
      // Gradients with respect to the unit vectors, then through the normalisation.
      gq.fill(0);
      gp.fill(0);
      for (let i = 0; i < b; i++) {
        for (let j = 0; j < b; j++) {
          const g = grad[i * b + j]!;
          if (g === 0) continue;
          for (let k = 0, qi = i * d, pj = j * d; k < d; k++) {
            gq[qi + k]! += g * p[pj + k]!;
            gp[pj + k]! += g * q[qi + k]!;
          }
        }
      }
      const lr = o.learningRate * (1 - done / total) + 1e-4;
      items.forEach((pair, i) => {
        throughNorm(gq, q, i, d, qNorm[i]!);
        throughNorm(gp, p, i, d, pNorm[i]!);
        update(vectors, accum, d, pair.query, gq, i, lr);
        update(vectors, accum, d, pair.document, gp, i, lr);
      });
      done++;
      o.onProgress?.(done, total);
      if (o.yieldEvery && done % 8 === 0) await o.yieldEvery();
    }
  }
  return vectors;
}

/** out[row] = normalised Σ weight · vector[id]; returns the length before normalising. */
function sumInto(vectors: Float32Array, d: number, bag: BagOfWords, out: Float32Array, row: number): number {
  const o = row * d;
  out.fill(0, o, o + d);
  for (let t = 0; t < bag.ids.length; t++) {
    const w = bag.weights[t]!;
    const v = bag.ids[t]! * d;
    for (let k = 0; k < d; k++) out[o + k]! += w * vectors[v + k]!;
  }
  let s = 0;
  for (let k = 0; k < d; k++) s += out[o + k]! * out[o + k]!;
  const norm = Math.sqrt(s) || 1;
  for (let k = 0; k < d; k++) out[o + k]! /= norm;
  return norm;
}

/** Symmetric InfoNCE: d(loss)/d(cosine) for every pair; the diagonal holds the true pairs. */
function softmaxGradients(scores: Float32Array, grad: Float32Array, b: number, temperature: number): void {
  grad.fill(0);
  const scale = 1 / (2 * b * temperature);
  for (let i = 0; i < b; i++) { // queries → documents (rows)
    let max = -Infinity;
    for (let j = 0; j < b; j++) max = Math.max(max, scores[i * b + j]!);
    let sum = 0;
    for (let j = 0; j < b; j++) sum += Math.exp(scores[i * b + j]! - max);
    for (let j = 0; j < b; j++) grad[i * b + j]! += (Math.exp(scores[i * b + j]! - max) / sum - (i === j ? 1 : 0)) * scale;
  }
  for (let j = 0; j < b; j++) { // documents → queries (columns)
    let max = -Infinity;
    for (let i = 0; i < b; i++) max = Math.max(max, scores[i * b + j]!);
    let sum = 0;
    for (let i = 0; i < b; i++) sum += Math.exp(scores[i * b + j]! - max);
    for (let i = 0; i < b; i++) grad[i * b + j]! += (Math.exp(scores[i * b + j]! - max) / sum - (i === j ? 1 : 0)) * scale;
  }
}

/** Gradient of the unit vector u = s/|s| → gradient of the sum s: (g − (g·u)u)/|s|. */
function throughNorm(g: Float32Array, u: Float32Array, row: number, d: number, norm: number): void {
  const o = row * d;
  let dot = 0;
  for (let k = 0; k < d; k++) dot += g[o + k]! * u[o + k]!;
  for (let k = 0; k < d; k++) g[o + k] = (g[o + k]! - dot * u[o + k]!) / norm;
}

function update(vectors: Float32Array, accum: Float32Array, d: number, bag: BagOfWords, g: Float32Array, row: number, lr: number): void {
  const o = row * d;
  let sq = 0;
  for (let k = 0; k < d; k++) sq += g[o + k]! * g[o + k]!;
  sq /= d;
  for (let t = 0; t < bag.ids.length; t++) {
    const id = bag.ids[t]!;
    const w = bag.weights[t]!;
    accum[id]! += w * w * sq;
    const step = (lr * w) / Math.sqrt(accum[id]!);
    const v = id * d;
    for (let k = 0; k < d; k++) vectors[v + k]! -= step * g[o + k]!;
  }
}


function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
}

function shuffle<T>(a: T[], random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
}
