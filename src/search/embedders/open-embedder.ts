// Builds the embedder the configuration asks for, when it is an external one: a local ONNX
// model folder or an OpenAI-compatible HTTP endpoint. The built-in embedder is trained from
// the corpus elsewhere; for it this returns null.

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import { PaperboyError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Embedder } from './embedder.js';
import { createHttpEmbedder } from './http.js';
import { modelFolderName } from './hub.js';
import { createOnnxEmbedder } from './onnx.js';

export interface ExternalEmbedderDeps { logger?: Logger }

/** Where `paperboy models pull` puts models. */
export function modelsDir(config: Config): string {
  return path.join(config.dataDir, 'models');
}

/** The folder of the configured ONNX model: onnx.path, else the pulled onnx.model. */
export function onnxModelDir(config: Config): string {
  const { path: dir, model } = config.search.embedder.onnx;
  if (dir) return path.resolve(dir);
  if (!model) throw new PaperboyError('bad_config', 'search.embedder.onnx.path or search.embedder.onnx.model must be set for the onnx provider');
  return path.resolve(modelsDir(config), modelFolderName(model));
}

export async function openExternalEmbedder(config: Config, deps: ExternalEmbedderDeps = {}): Promise<Embedder | null> {
  const e = config.search.embedder;
  if (e.provider === 'builtin') return null;
  if (e.provider === 'onnx') {
    const dir = onnxModelDir(config);
    if (!e.onnx.path && !existsSync(dir)) {
      throw new PaperboyError('bad_config', `The model "${e.onnx.model}" has not been pulled (no folder ${dir}): run "paperboy models pull ${e.onnx.model}"`);
    }
    const { path: _path, model: _model, ...settings } = e.onnx;
    return createOnnxEmbedder({ ...settings, path: dir, dimensions: e.dimensions, logger: deps.logger });
  }
  const h = e.http;
  if (!h.url || !h.model) throw new PaperboyError('bad_config', 'search.embedder.http.url and search.embedder.http.model must be set for the http provider');
  return createHttpEmbedder({ ...h, url: h.url, model: h.model, dimensions: e.dimensions, logger: deps.logger });
}
