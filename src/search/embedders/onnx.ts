// The local ONNX provider: a sentence-embedding model folder run with transformers.js on
// onnxruntime-node, offline (remote models disabled). Texts are tokenized and run in
// batches on a bounded number of threads; Paperboy pools and normalises the token vectors
// itself so that pooling follows the model's own configuration.

import { availableParallelism } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { PaperboyError } from '../../errors.js';
import { silentLogger, type Logger } from '../../logger.js';
import { normalize, type Embedder } from './embedder.js';
import type { Pooling } from './known-models.js';
import { inspectModelFolder, weightsHash, type ModelSettings } from './model-folder.js';

export interface OnnxEmbedderOptions extends ModelSettings {
  /** The model folder (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx). */
  path: string;
  /** Texts per forward pass (default 16); more uses more memory for little gain on a CPU. */
  batchSize?: number;
  /** Threads onnxruntime may use (default: 2, or fewer cores if the machine has fewer). */
  threads?: number;
  /** The dimension the caller expects; a model that gives another one is refused. */
  dimensions?: number;
  logger?: Logger;
}

/** The slice of transformers.js this module uses (loaded lazily: it brings a native runtime). */
interface Tensor { data: Float32Array | BigInt64Array; dims: number[] }
interface Tokenizer {
  (texts: string[], o: { padding: false; truncation: false; return_tensor: false }): Record<string, number[][]>;
  pad_token_id?: number | null;
  padding_side: string;
  all_special_ids: number[];
}
interface Model { (inputs: Record<string, Tensor>): Promise<Record<string, Tensor>>; dispose(): Promise<unknown> }
type TensorClass = new (type: 'int64', data: BigInt64Array, dims: number[]) => Tensor;

/** A token is rarely longer than this many characters: text beyond maxTokens × this is never read. */
const MAX_CHARS_PER_TOKEN = 16;

export async function createOnnxEmbedder(opts: OnnxEmbedderOptions): Promise<Embedder> {
  const folder = inspectModelFolder(opts.path, opts);
  const logger = opts.logger ?? silentLogger;
  const batchSize = positive(opts.batchSize ?? 16, 'batchSize');
  const threads = positive(opts.threads ?? Math.min(2, availableParallelism()), 'threads');

  const { env, AutoTokenizer, AutoModel, Tensor } = await import('@huggingface/transformers');
  // Never reach the network, and read files from the folder rather than a cache of copies.
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useFSCache = false;
  env.useBrowserCache = false;

  let tokenizer: Tokenizer;
  let model: Model;
  try {
    tokenizer = (await AutoTokenizer.from_pretrained(folder.dir, { local_files_only: true })) as unknown as Tokenizer;
    const subfolder = path.posix.dirname(folder.onnxFile);
    model = (await AutoModel.from_pretrained(folder.dir, {
      local_files_only: true,
      device: 'cpu',
      dtype: 'fp32', // i.e. no suffix: model_file_name already names the exact file
      subfolder: subfolder === '.' ? '' : subfolder,
      model_file_name: path.posix.basename(folder.onnxFile, '.onnx'),
      use_external_data_format: folder.externalDataChunks,
      session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
    })) as unknown as Model;
  } catch (e) {
    throw new PaperboyError('bad_config', `Cannot load the ONNX model in ${folder.dir}: ${(e as Error).message}`);
  }

  const weights = (await weightsHash(folder)).slice(0, 12);
  const docPart = folder.documentPrefix ? `:doc=${createHash('sha256').update(folder.documentPrefix).digest('hex').slice(0, 6)}` : '';
  const name = `onnx:${folder.name}@${weights}:${folder.pooling}:${folder.maxTokens}${docPart}`;

  // One forward pass at a time (the threads are shared); a query waits for at most the
  // batch running, never for queued document batches.
  let busy = false;
  const queries: (() => void)[] = [];
  const documents: (() => void)[] = [];
  async function exclusive<T>(urgent: boolean, fn: () => Promise<T>): Promise<T> {
    if (busy) await new Promise<void>((go) => (urgent ? queries : documents).push(go));
    else busy = true;
    try {
      return await fn();
    } finally {
      const next = queries.shift() ?? documents.shift(); // the turn passes on directly: nobody can slip in between
      if (next) next();
      else busy = false;
    }
  }

  async function forward(texts: string[]): Promise<Float32Array[]> {
    const inputs = encode(tokenizer, Tensor as unknown as TensorClass, texts, folder.maxTokens);
    const out = await model(inputs);
    const hidden = out.last_hidden_state ?? out.token_embeddings;
    if (hidden) return pool(hidden, inputs.attention_mask, folder.pooling);
    const pooled = out.sentence_embedding;
    if (!pooled) throw new PaperboyError('bad_config', `The ONNX model in ${folder.dir} has no last_hidden_state, token_embeddings or sentence_embedding output (it has ${Object.keys(out).join(', ')})`);
    return rows(pooled).map(normalize);
  }

  async function embed(texts: string[], urgent: boolean, signal?: AbortSignal): Promise<Float32Array[]> {
    const result = new Array<Float32Array>(texts.length);
    // Similar lengths in a batch waste less on padding; results go back in input order.
    const order = texts.map((_, i) => i).sort((a, b) => texts[b]!.length - texts[a]!.length);
    for (let start = 0; start < order.length; start += batchSize) {
      signal?.throwIfAborted();
      const ids = order.slice(start, start + batchSize);
      const vectors = await exclusive(urgent, () => forward(ids.map((i) => texts[i]!)));
      ids.forEach((id, k) => (result[id] = vectors[k]!));
    }
    return result;
  }

  // The dimension comes from the model itself; a caller expecting another one is told so now.
  let dimensions: number;
  try {
    const [probe] = await embed(['dimension probe'], true).catch((e: unknown) => {
      throw e instanceof PaperboyError ? e : new PaperboyError('bad_config', `The ONNX model in ${folder.dir} fails on a test sentence: ${(e as Error).message}`);
    });
    dimensions = probe!.length;
    if (opts.dimensions !== undefined && opts.dimensions !== dimensions) {
      throw new PaperboyError('bad_config', `The ONNX model in ${folder.dir} gives ${dimensions}-dimensional vectors, but search.embedder.dimensions is ${opts.dimensions}`);
    }
  } catch (e) {
    await model.dispose();
    throw e;
  }
  logger.info('ONNX embedder ready', { model: folder.name, file: folder.onnxFile, dimensions, pooling: folder.pooling, threads });

  return {
    name,
    dimensions,
    embedDocuments: (texts, o) => embed(texts.map((t) => folder.documentPrefix + t), false, o?.signal),
    embedQuery: async (text, o) => (await embed([folder.queryPrefix + text], true, o?.signal))[0]!,
    close: async () => { await model.dispose(); },
  };
}

/**
 * Tokenizes and pads a batch. Truncation is done here rather than by transformers.js,
 * which cuts the end off and with it the closing special token ([SEP], </s>) that the
 * model was trained to see: like the Python tokenizers, keep it and cut the text instead.
 */
function encode(tokenizer: Tokenizer, TensorCtor: TensorClass, texts: string[], maxTokens: number): Record<string, Tensor> & { attention_mask: Tensor } {
  const enc = tokenizer(texts.map((t) => t.slice(0, maxTokens * MAX_CHARS_PER_TOKEN)), { padding: false, truncation: false, return_tensor: false });
  const special = new Set(tokenizer.all_special_ids);
  const ids = enc.input_ids!;
  const keep = ids.map((row) => Math.min(row.length, maxTokens));
  const width = Math.max(1, ...keep);
  const left = tokenizer.padding_side === 'left';
  const out: Record<string, Tensor> = {};
  for (const [key, rows] of Object.entries(enc)) {
    const pad = key === 'input_ids' ? BigInt(tokenizer.pad_token_id ?? 0) : 0n;
    const data = new BigInt64Array(texts.length * width).fill(pad);
    rows.forEach((row, b) => {
      const n = keep[b]!;
      let kept = row.length > n ? row.slice(0, n) : row;
      if (row.length > n && special.has(ids[b]!.at(-1)!)) kept = [...row.slice(0, n - 1), row.at(-1)!];
      const offset = b * width + (left ? width - n : 0);
      kept.forEach((v, i) => (data[offset + i] = BigInt(v)));
    });
    out[key] = new TensorCtor('int64', data, [texts.length, width]);
  }
  return out as Record<string, Tensor> & { attention_mask: Tensor };
}

/** Pools token vectors [batch, tokens, dim] into one unit vector per text, padding excluded. */
export function pool(hidden: Tensor, mask: Tensor, pooling: Pooling): Float32Array[] {
  const [batch, tokens, dim] = hidden.dims as [number, number, number];
  const h = hidden.data as Float32Array;
  const m = mask.data;
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(dim);
    let first = -1;
    let last = 0;
    let count = 0;
    for (let t = 0; t < tokens; t++) {
      if (Number(m[b * tokens + t]) === 0) continue; // padding (on either side)
      if (first < 0) first = t;
      last = t;
      count++;
      if (pooling === 'mean') for (let d = 0; d < dim; d++) v[d]! += h[(b * tokens + t) * dim + d]!;
    }
    if (pooling === 'mean') {
      if (count > 0) for (let d = 0; d < dim; d++) v[d]! /= count;
    } else {
      const at = (b * tokens + (pooling === 'cls' ? Math.max(first, 0) : last)) * dim;
      v.set(h.subarray(at, at + dim));
    }
    out.push(normalize(v));
  }
  return out;
}

function rows(t: Tensor): Float32Array[] {
  const [n, dim] = t.dims as [number, number];
  return Array.from({ length: n }, (_, i) => Float32Array.from((t.data as Float32Array).subarray(i * dim, (i + 1) * dim)));
}

function positive(n: number, key: string): number {
  if (!Number.isInteger(n) || n < 1) throw new PaperboyError('bad_config', `search.embedder.onnx.${key} must be a whole number ≥ 1, got ${n}`);
  return n;
}
