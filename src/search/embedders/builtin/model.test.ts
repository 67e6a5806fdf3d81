import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadBuiltinModel, saveBuiltinModel, trainBuiltinModel } from './model.js';

const topics = [
  ['spin', 'glass', 'replica', 'magnet', 'disorder', 'temperature'],
  ['neural', 'translation', 'attention', 'encoder', 'decoder', 'language'],
];
const papers = Array.from({ length: 60 }, (_, i) => {
  const words = topics[i % 2]!;
  const pick = (n: number) => Array.from({ length: n }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' ');
  return { title: `${pick(3)} study ${i}`, abstract: `We ${pick(8)}. Results ${pick(6)}. Further ${pick(5)} work.` };
});

test('a model trained on a tiny corpus embeds unit vectors, topic by topic, and survives a save and load', async () => {
  const model = await trainBuiltinModel(papers, { dimensions: 16, minDf: 2, batchSize: 8 });
  const a = await model.embedQuery('replica spin glass');
  const b = await model.embedQuery('magnet disorder temperature');
  const c = await model.embedQuery('neural translation attention');
  const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, k) => s + v * y[k]!, 0);
  assert.ok(Math.abs(dot(a, a) - 1) < 1e-5);
  assert.ok(dot(a, b) > dot(a, c), 'same topic nearer');
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'builtin-')), 'model.bin');
  saveBuiltinModel(file, model);
  const loaded = loadBuiltinModel(file)!;
  assert.equal(loaded.name, model.name);
  assert.deepEqual([...(await loaded.embedQuery('replica spin glass'))], [...a]);
  // A file of the previous format version is not loaded (the model is retrained instead).
  const bytes = readFileSync(file);
  const newline = bytes.indexOf(10);
  const header = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
  writeFileSync(file, Buffer.concat([Buffer.from(JSON.stringify({ ...header, version: 1 }) + '\n'), bytes.subarray(newline + 1)]));
  assert.equal(loadBuiltinModel(file), null);
});
