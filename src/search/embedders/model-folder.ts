// Reads a local sentence-embedding model folder (the layout of Hugging Face repos with an
// ONNX export) and settles how to use it: which .onnx file, pooling, query and document
// prefixes, longest input. Settings win over the folder's own sentence-transformers files,
// which win over the table of known models. Every missing piece is a clear bad_config error.

import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PaperboyError } from '../../errors.js';
import { findKnownModel, type Pooling } from './known-models.js';

export interface ModelSettings {
  /** Short model name used in the embedder's name (default: the folder's name). */
  name?: string;
  /** The .onnx file, relative to the folder (default: onnx/model.onnx, else model.onnx, else a quantized one). */
  file?: string;
  pooling?: Pooling;
  queryPrefix?: string;
  documentPrefix?: string;
  maxTokens?: number;
}

export interface ModelFolder {
  dir: string;
  name: string;
  /** Relative to dir, with forward slashes. */
  onnxFile: string;
  /** How many external-data files (model.onnx_data, _data_1, …) sit beside it. */
  externalDataChunks: number;
  pooling: Pooling;
  queryPrefix: string;
  documentPrefix: string;
  maxTokens: number;
}

/** Where each ONNX export tool puts the weights, best (full precision) first. */
export const ONNX_CANDIDATES = ['onnx/model.onnx', 'model.onnx', 'onnx/model_quantized.onnx', 'model_quantized.onnx', 'onnx/model_int8.onnx', 'onnx/model_uint8.onnx'];
export const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
const NOT_A_LIMIT = 100_000; // tokenizer_config's model_max_length is 1e30 when unset

export function inspectModelFolder(folder: string, settings: ModelSettings = {}): ModelFolder {
  const dir = path.resolve(folder);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new PaperboyError('bad_config', `ONNX model folder not found: ${dir} (set search.embedder.onnx.path to a model folder, or fetch one with "paperboy models pull NAME")`);
  }
  const missing = REQUIRED_FILES.filter((f) => !existsSync(path.join(dir, f)));
  if (missing.length) {
    throw new PaperboyError('bad_config', `The model folder ${dir} has no ${missing.join(', ')}; a model folder needs ${REQUIRED_FILES.join(', ')} and an ONNX file (onnx/model.onnx)`);
  }
  const config = readJson(dir, 'config.json') as { max_position_embeddings?: number };
  const tokenizerConfig = readJson(dir, 'tokenizer_config.json') as { model_max_length?: number };

  const onnxFile = settings.file ?? ONNX_CANDIDATES.find((f) => existsSync(path.join(dir, f)));
  if (!onnxFile) throw new PaperboyError('bad_config', `The model folder ${dir} has no ONNX file (looked for ${ONNX_CANDIDATES.join(', ')}); set search.embedder.onnx.file to the one it has`);
  const onnxPath = path.resolve(dir, onnxFile);
  if (!onnxPath.startsWith(dir + path.sep) || !onnxPath.endsWith('.onnx')) {
    throw new PaperboyError('bad_config', `search.embedder.onnx.file must be a .onnx file inside the model folder, got "${onnxFile}"`);
  }
  if (!existsSync(onnxPath)) throw new PaperboyError('bad_config', `The model folder ${dir} has no ${onnxFile}`);

  const name = settings.name ?? path.basename(dir);
  const known = findKnownModel(name)?.model;
  const st = sentenceTransformersSettings(dir);
  const positions = Math.min(config.max_position_embeddings ?? Infinity, (tokenizerConfig.model_max_length ?? Infinity) < NOT_A_LIMIT ? tokenizerConfig.model_max_length! : Infinity);
  return {
    dir,
    name,
    onnxFile: path.relative(dir, onnxPath).split(path.sep).join('/'),
    externalDataChunks: countExternalData(onnxPath),
    pooling: settings.pooling ?? st.pooling ?? known?.pooling ?? 'mean',
    queryPrefix: settings.queryPrefix ?? st.queryPrefix ?? known?.queryPrefix ?? '',
    documentPrefix: settings.documentPrefix ?? st.documentPrefix ?? known?.documentPrefix ?? '',
    maxTokens: settings.maxTokens ?? st.maxTokens ?? known?.maxTokens ?? (Number.isFinite(positions) ? positions : 512),
  };
}

/** sha256 of the weights (the .onnx file and its external data), hex. */
export async function weightsHash(folder: ModelFolder): Promise<string> {
  const hash = createHash('sha256');
  const main = path.join(folder.dir, folder.onnxFile);
  for (const file of [main, ...externalDataNames(main, folder.externalDataChunks)]) {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

interface StSettings { pooling?: Pooling; queryPrefix?: string; documentPrefix?: string; maxTokens?: number }

/** What a sentence-transformers export says about itself: modules.json → Pooling config, prompts, max_seq_length. */
function sentenceTransformersSettings(dir: string): StSettings {
  const out: StSettings = {};
  let poolingDir = '1_Pooling';
  if (existsSync(path.join(dir, 'modules.json'))) {
    const modules = readJson(dir, 'modules.json');
    const pool = Array.isArray(modules) ? modules.find((m: { type?: string }) => m.type?.endsWith('.Pooling')) as { path?: string } | undefined : undefined;
    if (pool?.path) poolingDir = pool.path;
  }
  if (existsSync(path.join(dir, poolingDir, 'config.json'))) {
    const p = readJson(dir, `${poolingDir}/config.json`) as Record<string, unknown>;
    if (p.pooling_mode_cls_token) out.pooling = 'cls';
    else if (p.pooling_mode_lasttoken) out.pooling = 'last';
    else if (p.pooling_mode_mean_tokens) out.pooling = 'mean';
    else if (p.pooling_mode_max_tokens || p.pooling_mode_mean_sqrt_len_tokens || p.pooling_mode_weightedmean_tokens) {
      throw new PaperboyError('bad_config', `${path.join(dir, poolingDir, 'config.json')} asks for a pooling Paperboy does not do (it does mean, cls and last); set search.embedder.onnx.pooling to override`);
    }
  }
  if (existsSync(path.join(dir, 'config_sentence_transformers.json'))) {
    const prompts = (readJson(dir, 'config_sentence_transformers.json') as { prompts?: Record<string, unknown> }).prompts ?? {};
    const pick = (...keys: string[]) => keys.map((k) => prompts[k]).find((v): v is string => typeof v === 'string');
    out.queryPrefix = pick('query', 'search_query');
    out.documentPrefix = pick('document', 'passage', 'search_document', 'corpus');
  }
  if (existsSync(path.join(dir, 'sentence_bert_config.json'))) {
    const max = (readJson(dir, 'sentence_bert_config.json') as { max_seq_length?: unknown }).max_seq_length;
    if (typeof max === 'number' && max > 0) out.maxTokens = max;
  }
  return out;
}

function countExternalData(onnxPath: string): number {
  let n = 0;
  while (existsSync(externalDataNames(onnxPath, n + 1)[n]!)) n++;
  return n;
}

function externalDataNames(onnxPath: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${onnxPath}_data${i === 0 ? '' : `_${i}`}`);
}

function readJson(dir: string, file: string): unknown {
  try {
    return JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  } catch (e) {
    throw new PaperboyError('bad_config', `${file} in the model folder ${dir} is not valid JSON: ${(e as Error).message}`);
  }
}
