// The search.embedder configuration and openExternalEmbedder: the built-in default needs
// nothing, the environment selects a provider, a pulled model is found by name, and every
// incomplete setting is a bad_config error naming the key.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../src/config.js';
import { PaperboyError } from '../src/errors.js';
import { onnxModelDir, openExternalEmbedder } from '../src/search/embedders/open-embedder.js';
import { startFakeEmbeddings } from './support/fake-embeddings.js';
import { writeTinyModel } from './support/tiny-onnx-model.js';

const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-embedder-config-'));
const KEY = 'sk-config-secret-42';
const api = await startFakeEmbeddings({ key: KEY });
after(async () => { await api.close(); rmSync(dir, { recursive: true, force: true }); });
const config = (env: Record<string, string>, flags = {}) => loadConfig({ env, cwd: dir, flags });

test('the default is the built-in embedder, for which there is nothing to open', async () => {
  const c = config({});
  assert.equal(c.search.embedder.provider, 'builtin');
  assert.equal(c.models.hubUrl, 'https://huggingface.co');
  assert.equal(await openExternalEmbedder(c), null);
});

test('the environment selects the HTTP provider; the key is sent and kept out of sight', async () => {
  const c = config({ PAPERBOY_EMBEDDER: 'http', PAPERBOY_EMBEDDINGS_URL: `${api.url}/v1`, PAPERBOY_EMBEDDINGS_MODEL: 'test-embed', PAPERBOY_EMBEDDINGS_API_KEY: KEY });
  assert.equal(c.search.embedder.http.apiKey, KEY);
  const e = await openExternalEmbedder(c);
  assert.equal(e!.name, 'http:test-embed');
  assert.equal((await e!.embedQuery('graphs')).length, 16);
  assert.equal(api.requests.at(-1)!.headers.authorization, `Bearer ${KEY}`);
});

test('an incomplete provider setting is refused, naming the key', () => {
  const err = (env: Record<string, string>) => {
    try { config(env); } catch (e) { assert.ok(e instanceof PaperboyError); assert.equal(e.code, 'bad_config'); return e.message; }
    assert.fail('expected an error');
  };
  assert.match(err({ PAPERBOY_EMBEDDER: 'http', PAPERBOY_EMBEDDINGS_API_KEY: KEY }), /search\.embedder\.http\.url: set http\.url for the http provider\n.*search\.embedder\.http\.model: set http\.model/);
  assert.ok(!err({ PAPERBOY_EMBEDDER: 'http', PAPERBOY_EMBEDDINGS_API_KEY: KEY }).includes(KEY), 'the key is not repeated in config errors');
  assert.match(err({ PAPERBOY_EMBEDDER: 'onnx' }), /search\.embedder\.onnx\.path: set onnx\.path \(a model folder\) or onnx\.model \(a pulled model\)/);
  assert.match(err({ PAPERBOY_EMBEDDER: 'openai' }), /search\.embedder\.provider/);
  assert.match(err({ PAPERBOY_EMBEDDER: 'http', PAPERBOY_EMBEDDINGS_URL: 'localhost:11434', PAPERBOY_EMBEDDINGS_MODEL: 'x' }), /search\.embedder\.http\.url \(from PAPERBOY_EMBEDDINGS_URL="localhost:11434"\): must be/);
});

test('a pulled model is found by name under DATA_DIR/models; a model not pulled says how to get it', async () => {
  const dataDir = path.join(dir, 'data');
  const c = config({ PAPERBOY_EMBEDDER: 'onnx', PAPERBOY_ONNX_MODEL: 'Xenova/tiny-test-model' }, { dataDir });
  assert.equal(onnxModelDir(c), path.resolve(dataDir, 'models', 'tiny-test-model'));
  await assert.rejects(openExternalEmbedder(c), /The model "Xenova\/tiny-test-model" has not been pulled .*run "paperboy models pull Xenova\/tiny-test-model"/);
  writeTinyModel(onnxModelDir(c));
  const e = await openExternalEmbedder(c);
  assert.match(e!.name, /^onnx:tiny-test-model@/);
  await e!.close?.();

  const byPath = config({ PAPERBOY_EMBEDDER: 'onnx', PAPERBOY_ONNX_PATH: onnxModelDir(c) }, { search: { embedder: { onnx: { pooling: 'cls', batchSize: 4 } } } });
  const cls = await openExternalEmbedder(byPath);
  assert.match(cls!.name, /:cls:/, 'file settings reach the embedder');
  await cls!.close?.();
});
