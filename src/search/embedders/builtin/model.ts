// The built-in embedder: word vectors trained from the corpus itself (train.ts), so search
// by meaning works offline with nothing to download. A text's vector is the normalised,
// idf-weighted sum of its known words' vectors: embedding costs microseconds, so the
// whole corpus is re-embedded whenever the model is retrained.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { documentText, type Embedder } from '../embedder.js';
import { bagOfWords, buildVocabulary, type Vocabulary, type VocabularyOptions } from './vocabulary.js';
import { trainWordVectors, mulberry32, type TrainOptions } from './train.js';

export interface BuiltinModel extends Embedder {
  readonly vocabulary: Vocabulary;
  readonly vectors: Float32Array;
  /** Papers the model learnt from (to decide when the corpus has grown enough to retrain). */
  readonly trainedOn: number;
}

export interface TrainModelOptions extends TrainOptions, VocabularyOptions {
  /** Learn from at most this many papers (a random sample); embedding covers them all. */
  maxTrainingPapers?: number;
}

export const BUILTIN_DEFAULTS = { dimensions: 256, maxTrainingPapers: 60_000 } as const;

/** Trains a model on papers' titles and abstracts (papers without either are skipped for training). */
export async function trainBuiltinModel(papers: { title: string; abstract: string }[], opts: TrainModelOptions = {}): Promise<BuiltinModel> {
  const vocabulary = buildVocabulary(papers.map((p) => `${p.title} ${p.abstract}`), opts);
  const usable = papers.filter((p) => p.title.trim() && p.abstract.trim());
  const sample = sampleOf(usable, opts.maxTrainingPapers ?? BUILTIN_DEFAULTS.maxTrainingPapers, opts.seed ?? 1);
  const pairs = sample.map((p) => ({ query: bagOfWords(vocabulary, p.title), document: bagOfWords(vocabulary, p.abstract) }));
  const dimensions = opts.dimensions ?? BUILTIN_DEFAULTS.dimensions;
  const vectors = await trainWordVectors(vocabulary.idf.length, pairs, { ...opts, dimensions });
  return modelOf(vocabulary, vectors, dimensions, sample.length);
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

/** The paper text the built-in model embeds (the same for every provider). */
export { documentText };

const Header = z.object({
  format: z.literal('paperboy-builtin-embedder'),
  version: z.literal(1),
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
    format: 'paperboy-builtin-embedder', version: 1, dimensions: model.dimensions, terms,
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
