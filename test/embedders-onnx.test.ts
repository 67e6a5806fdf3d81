// The ONNX provider end to end with a model the test writes itself (an embedding lookup in
// a real ONNX file, a real WordPiece tokenizer.json, run by transformers.js on
// onnxruntime-node): pooling, normalisation, prefixes, batching, truncation, the name that
// follows the weights, and the errors a user gets for a broken folder.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { PaperboyError } from '../src/errors.js';
import type { Embedder } from '../src/search/embedders/embedder.js';
import { createOnnxEmbedder } from '../src/search/embedders/onnx.js';
import { writeTinyModel, type TinyModelOptions } from './support/tiny-onnx-model.js';

const root = mkdtempSync(path.join(tmpdir(), 'paperboy-onnx-'));
const open: Embedder[] = [];
after(async () => {
  for (const e of open) await e.close?.();
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
function model(name = `tiny-${++n}`, o: TinyModelOptions = {}) {
  const dir = path.join(root, `${++n}`, name);
  return { dir, ...writeTinyModel(dir, o) };
}
async function embedder(opts: Parameters<typeof createOnnxEmbedder>[0]) {
  const e = await createOnnxEmbedder(opts);
  open.push(e);
  return e;
}
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (v: Float32Array) => Math.sqrt(dot(v, v));
function unit(v: number[]): number[] {
  const l = Math.hypot(...v);
  return v.map((x) => x / l);
}
function assertClose(actual: Float32Array, expected: number[], msg?: string) {
  assert.equal(actual.length, expected.length, msg);
  actual.forEach((x, i) => assert.ok(Math.abs(x - expected[i]!) < 1e-5, `${msg ?? ''} [${i}] ${x} ≠ ${expected[i]}`));
}
/** Mean of the table rows of the given tokens, normalised: what mean pooling must give. */
function meanOf(table: Float32Array[], vocab: string[], tokens: string[]) {
  const rows = tokens.map((t) => table[vocab.indexOf(t)]!);
  return unit(Array.from(rows[0]!, (_, d) => rows.reduce((s, r) => s + r[d]!, 0) / rows.length));
}

test('mean pooling over real tokens: unit vectors equal to the mean of the looked-up rows, named by model and weights', async () => {
  const m = model('all-MiniLM-L6-v2');
  const e = await embedder({ path: m.dir });
  assert.equal(e.dimensions, 8);
  assert.match(e.name, /^onnx:all-MiniLM-L6-v2@[0-9a-f]{12}:mean:256$/);
  const [v] = await e.embedDocuments(['Graph Neural networks']);
  assert.ok(Math.abs(norm(v!) - 1) < 1e-6);
  assertClose(v!, meanOf(m.table, m.vocab, ['[CLS]', 'graph', 'neural', 'networks', '[SEP]']), 'lower-cased, [CLS] … [SEP], mean, normalised');
});

test('texts on one topic are closer to each other than to texts on another', async () => {
  const e = await embedder({ path: model().dir });
  const [g1, g2, b1, b2] = await e.embedDocuments([
    'message passing on graph nodes and edges', 'neural networks for graphs', 'protein folding and enzyme binding', 'gene expression in cells',
  ]);
  const q = await e.embedQuery('graph neural network');
  assert.ok(dot(g1!, g2!) > dot(g1!, b1!) + 0.3 && dot(b1!, b2!) > dot(b2!, g2!) + 0.3, 'same topic closer');
  assert.ok(dot(q, g2!) > dot(q, b2!), 'a query finds its topic');
});

test('batches: many texts of mixed lengths give the same vectors, in order, as one at a time', async () => {
  const e = await embedder({ path: model().dir, batchSize: 4 });
  const words = ['graph', 'protein', 'node', 'cell', 'edges', 'dna', 'unknownword', 'message', 'folding'];
  const texts = Array.from({ length: 23 }, (_, i) => Array.from({ length: 1 + ((i * 7) % 11) }, (_, k) => words[(i + k * 3) % words.length]).join(' '));
  const together = await e.embedDocuments(texts);
  assert.equal(together.length, texts.length);
  for (let i = 0; i < texts.length; i++) assertClose(together[i]!, [...(await e.embedDocuments([texts[i]!]))[0]!], `text ${i} (padding must not leak)`);
  assert.deepEqual(await e.embedDocuments([]), []);
});

test('cls pooling from the folder\'s sentence-transformers files; settings override it', async () => {
  const st = { 'modules.json': [{ idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' }, { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' }],
    '1_Pooling/config.json': { word_embedding_dimension: 8, pooling_mode_cls_token: true, pooling_mode_mean_tokens: false } };
  const m = model('some-model', { extra: st });
  const cls = await embedder({ path: m.dir });
  assert.match(cls.name, /:cls:/);
  const clsRow = unit([...m.table[m.vocab.indexOf('[CLS]')]!]);
  for (const v of await cls.embedDocuments(['graph', 'protein folding'])) assertClose(v, clsRow, 'the [CLS] token\'s vector');
  const mean = await embedder({ path: m.dir, pooling: 'mean' });
  assertClose((await mean.embedDocuments(['graph']))[0]!, meanOf(m.table, m.vocab, ['[CLS]', 'graph', '[SEP]']));
  assert.notEqual(mean.name, cls.name, 'pooling changes the vectors, so the name');
});

test('prefixes: a known model (e5) prefixes queries and passages; a folder\'s prompts and the config override the table', async () => {
  const plain = await embedder({ path: model('plain').dir });
  const e5 = await embedder({ path: model('e5-small-v2').dir });
  assertClose(await e5.embedQuery('graph nodes'), [...(await plain.embedDocuments(['query: graph nodes']))[0]!]);
  assertClose((await e5.embedDocuments(['graph nodes']))[0]!, [...(await plain.embedDocuments(['passage: graph nodes']))[0]!]);
  assert.match(e5.name, /:doc=[0-9a-f]{6}$/, 'a document prefix changes stored vectors, so the name says so');

  const bge = await embedder({ path: model('bge-small-en-v1.5').dir, pooling: 'mean' });
  assertClose(await bge.embedQuery('cells'), [...(await plain.embedDocuments(['Represent this sentence for searching relevant passages: cells']))[0]!], 'bge\'s query instruction');

  const prompts = model('bge-small-en-v1.5', { extra: { 'config_sentence_transformers.json': { prompts: { query: 'represent this sentence: ', document: '' } } } });
  const fromFile = await embedder({ path: prompts.dir, pooling: 'mean' });
  assertClose(await fromFile.embedQuery('cells'), [...(await plain.embedDocuments(['represent this sentence: cells']))[0]!], 'the folder\'s prompt wins over the table');
  const overridden = await embedder({ path: prompts.dir, pooling: 'mean', queryPrefix: '' });
  assertClose(await overridden.embedQuery('cells'), [...(await plain.embedDocuments(['cells']))[0]!], 'the config wins over the folder');
});

test('long texts are truncated to maxTokens; the name changes with the weights, not with the folder\'s place', async () => {
  const m = model('bge-small-en-v1.5');
  const e = await embedder({ path: m.dir, maxTokens: 6, pooling: 'mean' });
  const long = `graph nodes edges ${'protein '.repeat(3000)}`;
  assertClose((await e.embedDocuments([long]))[0]!, meanOf(m.table, m.vocab, ['[CLS]', 'graph', 'nodes', 'edges', 'protein', '[SEP]']));

  const copy = path.join(root, 'copy', 'bge-small-en-v1.5');
  cpSync(m.dir, copy, { recursive: true });
  const retrained = model('bge-small-en-v1.5', { seed: 7 });
  const [a, b, c] = await Promise.all([embedder({ path: m.dir }), embedder({ path: copy }), embedder({ path: retrained.dir })]);
  assert.equal(a.name, b.name);
  assert.notEqual(a.name, c.name, 'new weights force a re-embed');
  assert.match(a.name, /^onnx:bge-small-en-v1\.5@[0-9a-f]{12}:cls:512$/, 'bge pools the [CLS] token (known-model table)');
});

test('a query is not kept waiting behind queued document batches, and an aborted call stops', async () => {
  const e = await embedder({ path: model().dir, batchSize: 1 });
  const finished: string[] = [];
  const docs = e.embedDocuments(Array.from({ length: 40 }, () => 'graph nodes edges')).then(() => finished.push('docs'));
  const query = e.embedQuery('protein').then(() => finished.push('query'));
  await Promise.all([docs, query]);
  assert.deepEqual(finished, ['query', 'docs']);
  await assert.rejects(e.embedDocuments(['graph'], { signal: AbortSignal.abort() }), { name: 'AbortError' });
});

test('clear errors for a missing folder, missing files, broken JSON, an unknown pooling and a wrong dimension', async () => {
  const bad = async (opts: Parameters<typeof createOnnxEmbedder>[0], re: RegExp) => {
    const err = await createOnnxEmbedder(opts).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof PaperboyError, `expected a PaperboyError, got ${String(err)}`);
    assert.equal(err.code, 'bad_config');
    assert.match(err.message, re);
  };
  await bad({ path: path.join(root, 'nowhere') }, /model folder not found: .*nowhere.*models pull/);
  await bad({ path: model('a', { omit: ['tokenizer.json'] }).dir }, /has no tokenizer\.json/);
  await bad({ path: model('b', { omit: ['onnx/model.onnx'] }).dir }, /has no ONNX file \(looked for onnx\/model\.onnx/);
  await bad({ path: model('c').dir, file: '../../etc/passwd' }, /must be a \.onnx file inside the model folder/);
  const broken = model('d');
  writeFileSync(path.join(broken.dir, 'config.json'), '{ "model_type": ');
  await bad({ path: broken.dir }, /config\.json in the model folder .* is not valid JSON/);
  await bad({ path: model('e', { extra: { '1_Pooling/config.json': { pooling_mode_max_tokens: true } } }).dir }, /pooling Paperboy does not do/);
  await bad({ path: model('f').dir, dimensions: 384 }, /gives 8-dimensional vectors, but search\.embedder\.dimensions is 384/);
  const garbage = model('g');
  writeFileSync(path.join(garbage.dir, 'onnx/model.onnx'), 'not a model');
  await bad({ path: garbage.dir }, /Cannot load the ONNX model in/);
  await bad({ path: model('h', { onnxFile: 'model_quantized.onnx' }).dir, batchSize: 0 }, /batchSize must be a whole number/);
});

test('architectures of the models in the table load the same way (ModernBERT for granite, XLM-RoBERTa, MPNet, NomicBERT)', async () => {
  for (const modelType of ['modernbert', 'xlm-roberta', 'mpnet', 'nomic_bert']) {
    const m = model(`arch-${modelType}`, { modelType });
    const e = await embedder({ path: m.dir });
    assertClose((await e.embedDocuments(['graph']))[0]!, meanOf(m.table, m.vocab, ['[CLS]', 'graph', '[SEP]']), modelType);
  }
});

test('other layouts: model.onnx at the top or a quantized file only', async () => {
  const top = model('flat', { onnxFile: 'model_quantized.onnx' });
  const e = await embedder({ path: top.dir });
  assertClose((await e.embedDocuments(['graph']))[0]!, meanOf(top.table, top.vocab, ['[CLS]', 'graph', '[SEP]']));
});
