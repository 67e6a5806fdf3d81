// The built-in embedder: word vectors learnt from the corpus itself, so search by meaning
// works offline with nothing to download. They start from a truncated SVD of the papers'
// weighted words (svd.ts, latent semantic analysis) and are then trained contrastively so
// that titles and abstract sentences land near the rest of their paper (train.ts). A text's
// vector is the normalised, idf-weighted sum of its known words' vectors: embedding costs
// microseconds, so the whole corpus is re-embedded whenever the model is retrained.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { documentText, type Embedder } from '../embedder.js';
import { analyze } from '../../lexical/analyze.js';
import { bagOfTerms, bagOfWords, termCounter, type BagOfWords, type Vocabulary, type VocabularyOptions } from './vocabulary.js';
import { svdWordVectors } from './svd.js';
import { trainWordVectors, type TrainOptions } from './train.js';
import { mulberry32 } from '../../../random.js';

export interface BuiltinModel extends Embedder {
  readonly vocabulary: Vocabulary;
  readonly vectors: Float32Array;
  /** Papers the model learnt from (to decide when the corpus has grown enough to retrain). */
  readonly trainedOn: number;
}

export interface TrainModelOptions extends Omit<TrainOptions, 'init'>, VocabularyOptions {
  /** Learn from at most this many papers (a random sample); embedding covers them all. */
  maxTrainingPapers?: number;
  /** Where word vectors start: "svd" (LSA of the corpus) or "random". */
  init?: 'svd' | 'random' | Float32Array;
  /** Papers the SVD reads (a random sample; default all). */
  maxSvdPapers?: number;
  svdIterations?: number;
  /** Word vectors start as right singular vectors × singular value ^ svdPower. */
  svdPower?: number;
  /** Share of training papers that also give a pair "one abstract sentence → title and the rest". */
  sentencePairs?: number;
  /** Remove the corpus' common direction from every vector (SIF's first principal component). */
  removeCommonDirection?: boolean;
}

// Chosen on the dev halves of the described-paper queries and SciFact (docs/benchmarks.md):
// LSA start + one contrastive epoch on a 40k sample beats longer random-start training in
// quality and costs a fraction of it.
export const BUILTIN_DEFAULTS = {
  dimensions: 128, maxTrainingPapers: 40_000, init: 'svd', maxSvdPapers: 40_000, svdIterations: 1, svdPower: 0, sentencePairs: 0.5,
} as const;

/** Trains a model on papers' titles and abstracts (papers without either are skipped for training). */
export async function trainBuiltinModel(papers: { title: string; abstract: string }[], opts: TrainModelOptions = {}): Promise<BuiltinModel> {
  const random = mulberry32((opts.seed ?? 1) + 7);
  // Every paper counts towards the vocabulary, but only the sampled ones are kept analysed:
  // a million papers' term lists would not fit in memory. Pauses let a server answer meanwhile.
  const counter = termCounter();
  for (let i = 0; i < papers.length; i++) {
    counter.add([...analyze(papers[i]!.title), ...analyze(papers[i]!.abstract)]);
    if (i % 2000 === 1999) await opts.yieldEvery?.();
  }
  const vocabulary = counter.vocabulary(opts);
  const analyse = (p: { title: string; abstract: string }) => ({ title: analyze(p.title), abstract: analyze(p.abstract), raw: p.abstract });
  const dimensions = opts.dimensions ?? BUILTIN_DEFAULTS.dimensions;
  const start = opts.init ?? BUILTIN_DEFAULTS.init;
  let init = start instanceof Float32Array ? start : undefined;
  if (start === 'svd') {
    const docs = sampleOf(papers, opts.maxSvdPapers ?? BUILTIN_DEFAULTS.maxSvdPapers, (opts.seed ?? 1) + 1).map(analyse);
    await opts.yieldEvery?.();
    init = svdWordVectors(vocabulary.idf.length, docs.map((p) => bagOfTerms(vocabulary, [...p.title, ...p.abstract])), dimensions,
      { iterations: opts.svdIterations ?? BUILTIN_DEFAULTS.svdIterations, power: opts.svdPower ?? BUILTIN_DEFAULTS.svdPower, random });
  }
  const usable = papers.filter((p) => p.title.trim() && p.abstract.trim());
  const sample = sampleOf(usable, opts.maxTrainingPapers ?? BUILTIN_DEFAULTS.maxTrainingPapers, opts.seed ?? 1).map(analyse)
    .filter((p) => p.title.length && p.abstract.length);
  await opts.yieldEvery?.();
  const pairs = sample.map((p) => ({ query: bagOfTerms(vocabulary, p.title), document: bagOfTerms(vocabulary, p.abstract) }));
  const share = opts.sentencePairs ?? BUILTIN_DEFAULTS.sentencePairs;
  if (share > 0) {
    for (const p of sample) {
      if (random() >= share) continue;
      const sentences = p.raw.split(/(?<=[.!?])\s+(?=[A-Z])/).map((s) => analyze(s));
      if (sentences.length < 3) continue;
      const pick = Math.floor(random() * sentences.length);
      const rest = [...p.title, ...sentences.filter((_, i) => i !== pick).flat()];
      if (sentences[pick]!.length >= 4) pairs.push({ query: bagOfTerms(vocabulary, sentences[pick]!), document: bagOfTerms(vocabulary, rest) });
    }
  }
  let vectors = await trainWordVectors(vocabulary.idf.length, pairs, { ...opts, dimensions, init });
  if (opts.removeCommonDirection) vectors = withoutCommonDirection(vectors, dimensions, sample.slice(0, 20_000).map((p) => bagOfTerms(vocabulary, [...p.title, ...p.abstract])));
  return modelOf(vocabulary, vectors, dimensions, sample.length);
}

/** Word vectors minus their component along the first principal direction of the papers' vectors. */
function withoutCommonDirection(vectors: Float32Array, d: number, docs: BagOfWords[]): Float32Array {
  const rows = docs.map((bag) => {
    const v = new Float64Array(d);
    for (let t = 0; t < bag.ids.length; t++) for (let k = 0, r = bag.ids[t]! * d; k < d; k++) v[k]! += bag.weights[t]! * vectors[r + k]!;
    let s = 0;
    for (let k = 0; k < d; k++) s += v[k]! * v[k]!;
    if (s > 0) for (let k = 0, inv = 1 / Math.sqrt(s); k < d; k++) v[k]! *= inv;
    return v;
  });
  let u = new Float64Array(d).fill(1 / Math.sqrt(d));
  for (let it = 0; it < 30; it++) { // power iteration on Σ v vᵀ
    const next = new Float64Array(d);
    for (const v of rows) {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += v[k]! * u[k]!;
      for (let k = 0; k < d; k++) next[k]! += dot * v[k]!;
    }
    let s = 0;
    for (let k = 0; k < d; k++) s += next[k]! * next[k]!;
    if (s === 0) return vectors;
    for (let k = 0; k < d; k++) next[k]! /= Math.sqrt(s);
    u = next;
  }
  const out = Float32Array.from(vectors);
  for (let r = 0; r < out.length; r += d) {
    let dot = 0;
    for (let k = 0; k < d; k++) dot += out[r + k]! * u[k]!;
    for (let k = 0; k < d; k++) out[r + k]! -= dot * u[k]!;
  }
  return out;
}

export function modelOf(vocabulary: Vocabulary, vectors: Float32Array, dimensions: number, trainedOn: number): BuiltinModel {
  const hash = createHash('sha256').update(new Uint8Array(vectors.buffer, vectors.byteOffset, Math.min(vectors.byteLength, 1 << 20))).digest('hex').slice(0, 12);
  const embed = (text: string): Float32Array => {
    const bag = bagOfWords(vocabulary, text);
    const out = new Float32Array(dimensions);
    for (let t = 0; t < bag.ids.length; t++) {
      const w = bag.weights[t]!;
      const row = bag.ids[t]! * dimensions;
      for (let k = 0; k < dimensions; k++) out[k]! += w * vectors[row + k]!;
    }
    let s = 0;
    for (let k = 0; k < dimensions; k++) s += out[k]! * out[k]!;
    if (s > 0) for (let k = 0, inv = 1 / Math.sqrt(s); k < dimensions; k++) out[k]! *= inv;
    return out;
  };
  return {
    name: `builtin:${dimensions}d:${hash}`, dimensions, vocabulary, vectors, trainedOn,
    embedDocuments: async (texts) => texts.map(embed),
    embedQuery: async (text) => embed(text),
  };
}

/** Whether an embedder is the built-in model (whose vocabulary and word vectors other parts read). */
export function isBuiltinModel(embedder: Embedder): embedder is BuiltinModel {
  const e = embedder as Partial<BuiltinModel>;
  return e.vocabulary !== undefined && e.vectors instanceof Float32Array;
}

/** The paper text the built-in model embeds (the same for every provider). */
export { documentText };

// Version 2: vectors that start from the LSA; a version-1 file is not loaded, so the model is retrained.
const Header = z.object({
  format: z.literal('paperboy-builtin-embedder'),
  version: z.literal(2),
  dimensions: z.number().int().positive(),
  terms: z.array(z.string()),
  documents: z.number().int().nonnegative(),
  trainedOn: z.number().int().nonnegative(),
});

/** Saves a model as a JSON header line, then each term's idf and vector as raw floats (via a temporary file, renamed). */
export function saveBuiltinModel(file: string, model: BuiltinModel): void {
  const terms: string[] = new Array(model.vocabulary.ids.size);
  for (const [term, id] of model.vocabulary.ids) terms[id] = term;
  const header = Buffer.from(JSON.stringify({
    format: 'paperboy-builtin-embedder', version: 2, dimensions: model.dimensions, terms,
    documents: model.vocabulary.documents, trainedOn: model.trainedOn,
  }) + '\n');
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const idf = model.vocabulary.idf;
  writeFileSync(tmp, Buffer.concat([header, Buffer.from(idf.buffer, idf.byteOffset, idf.byteLength), Buffer.from(model.vectors.buffer, model.vectors.byteOffset, model.vectors.byteLength)]));
  renameSync(tmp, file);
}

/** The saved model, or null when the file is missing or not a whole model of this format. */
export function loadBuiltinModel(file: string): BuiltinModel | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  const newline = bytes.indexOf(10);
  if (newline < 0) return null;
  let header: z.infer<typeof Header>;
  try {
    header = Header.parse(JSON.parse(bytes.subarray(0, newline).toString('utf8')));
  } catch {
    return null;
  }
  const n = header.terms.length;
  const body = bytes.subarray(newline + 1);
  if (body.byteLength !== n * (1 + header.dimensions) * 4) return null;
  // Copied out: a Buffer's offset in its pool need not be aligned for floats.
  const floats = new Float32Array(n * (1 + header.dimensions));
  new Uint8Array(floats.buffer).set(body);
  const vocabulary = { ids: new Map(header.terms.map((t, i) => [t, i])), idf: floats.subarray(0, n), documents: header.documents };
  return modelOf(vocabulary, floats.subarray(n), header.dimensions, header.trainedOn);
}

function sampleOf<T>(items: T[], n: number, seed: number): T[] {
  if (items.length <= n) return items;
  const random = mulberry32(seed);
  const picked = [...items];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (picked.length - i));
    [picked[i], picked[j]] = [picked[j]!, picked[i]!];
  }
  return picked.slice(0, n);
}
