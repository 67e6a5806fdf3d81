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
import { inspectModelFolder, weightsHash, type ModelSettings } from './model-folder.js';
import { encode, pool, rows, type Model, type TensorClass, type Tokenizer } from './tokens.js';

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

function positive(n: number, key: string): number {
  if (!Number.isInteger(n) || n < 1) throw new PaperboyError('bad_config', `search.embedder.onnx.${key} must be a whole number ≥ 1, got ${n}`);
  return n;
}
