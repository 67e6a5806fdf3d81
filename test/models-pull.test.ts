// `paperboy models pull` against a local server playing the Hugging Face Hub: only the
// files an ONNX embedder needs, every one checked (sha256 for LFS files, git blob ids for
// the rest), resumption with HTTP Range after a dropped connection or a killed process,
// clear refusals (unknown model, no ONNX export, corrupted bytes), and the pulled folder
// loading as an embedder.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { PaperboyError } from '../src/errors.js';
import { createLogger } from '../src/logger.js';
import { listModels, MANIFEST, pullModel, type PullOptions } from '../src/search/embedders/hub.js';
import { createOnnxEmbedder } from '../src/search/embedders/onnx.js';
import { startFakeHub } from './support/fake-hub.js';
import { writeTinyModel } from './support/tiny-onnx-model.js';

const root = mkdtempSync(path.join(tmpdir(), 'paperboy-pull-'));
const hub = await startFakeHub();
after(async () => { await hub.close(); rmSync(root, { recursive: true, force: true }); });

/** The files of a tiny model as a Hub repository holds them, plus files a pull must skip. */
function repoFiles(dim = 64): Record<string, Buffer> {
  const src = path.join(root, `src-${dim}-${Math.random().toString(36).slice(2)}`);
  writeTinyModel(src, { dim, extra: { 'modules.json': [{ idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' }], '1_Pooling/config.json': { pooling_mode_mean_tokens: true } } });
  const files: Record<string, Buffer> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(src, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else files[r] = readFileSync(path.join(src, r));
    }
  };
  walk('');
  files['README.md'] = Buffer.from('# tiny\n');
  files['pytorch_model.bin'] = Buffer.alloc(5000, 1);
  files['onnx/model_quantized.onnx'] = Buffer.alloc(3000, 2);
  return files;
}
const SHA = 'a'.repeat(40);
hub.repos.set('test-org/tiny-embed', { sha: SHA, files: repoFiles() });
hub.repos.set('test-org/no-onnx', { sha: 'b'.repeat(40), files: { 'config.json': Buffer.from('{}'), 'tokenizer.json': Buffer.from('{}'), 'pytorch_model.bin': Buffer.alloc(10) } });
const ONNX_SIZE = hub.repos.get('test-org/tiny-embed')!.files['onnx/model.onnx']!.length;

let n = 0;
const dest = () => path.join(root, `models-${++n}`, 'tiny-embed');
const pull = (o: Partial<PullOptions> = {}) => pullModel({ name: 'test-org/tiny-embed', dir: dest(), hubUrl: hub.url, retryBaseMs: 10, ...o });
async function rejection(p: Promise<unknown>): Promise<PaperboyError> {
  const e = await p.then(() => null, (err: unknown) => err);
  assert.ok(e instanceof PaperboyError, `expected a PaperboyError, got ${String(e)}`);
  return e;
}

test('pulls only what an ONNX embedder needs, verified, at the listed commit; the folder loads as an embedder', async () => {
  hub.requests.length = 0;
  const r = await pull();
  assert.equal(hub.requests[0]!.path, '/api/models/test-org/tiny-embed/revision/main?blobs=true');
  const fetched = hub.requests.filter((q) => q.path.includes('/resolve/') || q.path.startsWith('/cdn/')).map((q) => q.path);
  assert.ok(fetched.every((p) => p.includes(`/${SHA}/`)), 'files come from the commit the listing named, not a moving branch');
  assert.deepEqual(r.manifest.files.map((f) => f.path).sort(),
    ['1_Pooling/config.json', 'config.json', 'modules.json', 'onnx/model.onnx', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json']);
  assert.ok(!existsSync(path.join(r.dir, 'pytorch_model.bin')) && !existsSync(path.join(r.dir, 'onnx/model_quantized.onnx')) && !existsSync(path.join(r.dir, 'README.md')));
  const onnx = r.manifest.files.find((f) => f.path === 'onnx/model.onnx')!;
  assert.match(onnx.sha256!, /^[0-9a-f]{64}$/);
  assert.ok(r.manifest.files.find((f) => f.path === 'config.json')!.gitSha1, 'small files are checked by git blob id');
  assert.equal(r.manifest.commit, SHA);
  assert.ok(readdirSync(path.join(r.dir, 'onnx')).every((f) => !f.endsWith('.part')));

  const e = await createOnnxEmbedder({ path: r.dir, batchSize: 2 });
  assert.equal(e.dimensions, 64);
  assert.match(e.name, new RegExp(`^onnx:tiny-embed@${onnx.sha256!.slice(0, 12)}:mean:`), 'the name carries the weights\' sha256');
  await e.close?.();

  const [listed] = listModels(path.dirname(r.dir));
  assert.deepEqual([listed!.name, listed!.pulled, listed!.complete, listed!.repo, listed!.onnxFile], ['tiny-embed', true, true, 'test-org/tiny-embed', 'onnx/model.onnx']);
});

test('pulling again fetches nothing; --file picks another ONNX variant and drops the old one', async () => {
  const dir = dest();
  await pull({ dir });
  hub.requests.length = 0;
  const again = await pull({ dir });
  assert.equal(again.fetchedBytes, 0);
  assert.equal(again.reusedFiles, again.manifest.files.length);
  assert.equal(hub.requests.length, 1, 'only the listing');
  const quantized = await pull({ dir, file: 'onnx/model_quantized.onnx' });
  assert.equal(quantized.manifest.onnxFile, 'onnx/model_quantized.onnx');
  assert.ok(existsSync(path.join(dir, 'onnx/model_quantized.onnx')) && !existsSync(path.join(dir, 'onnx/model.onnx')));
});

test('a dropped connection is resumed with a Range request; the file is whole and verified', async () => {
  hub.requests.length = 0;
  hub.dropAfter.set('onnx/model.onnx', [4000]);
  const r = await pull();
  const tries = hub.requests.filter((q) => q.path.startsWith('/cdn/') && q.path.endsWith('model.onnx'));
  assert.deepEqual(tries.map((q) => q.range), [undefined, 'bytes=4000-']);
  assert.equal(tries.reduce((s, q) => s + q.bytesSent, 0), ONNX_SIZE, 'no byte fetched twice');
  assert.equal(statSync(path.join(r.dir, 'onnx/model.onnx')).size, ONNX_SIZE);
});

test('an interrupted pull leaves a .part that the next run continues; a server ignoring Range restarts it cleanly', async () => {
  const dir = dest();
  hub.dropAfter.set('onnx/model.onnx', [3000]);
  const first = await rejection(pull({ dir, maxRetries: 0 }));
  assert.equal(first.code, 'upstream_unavailable');
  assert.match(first.message, /run the command again to resume/);
  assert.equal(statSync(path.join(dir, 'onnx/model.onnx.part')).size, 3000);
  assert.ok(!existsSync(path.join(dir, MANIFEST)), 'an incomplete folder has no record');
  assert.equal(listModels(path.dirname(dir))[0]!.complete, false);

  hub.requests.length = 0;
  const r = await pull({ dir });
  assert.equal(hub.requests.find((q) => q.path.startsWith('/cdn/') && q.path.endsWith('model.onnx'))!.range, 'bytes=3000-');
  assert.equal(r.fetchedBytes, ONNX_SIZE - 3000);

  const other = dest();
  hub.dropAfter.set('onnx/model.onnx', [2000]);
  await rejection(pull({ dir: other, maxRetries: 0 }));
  hub.ignoreRange = true;
  try {
    const restarted = await pull({ dir: other });
    assert.equal(statSync(path.join(other, 'onnx/model.onnx')).size, ONNX_SIZE);
    assert.equal(restarted.manifest.files.length, 7);
  } finally {
    hub.ignoreRange = false;
  }
});

test('a stale partial file (another revision\'s bytes) is noticed and the file fetched whole again', async () => {
  const dir = dest();
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  writeFileSync(path.join(dir, 'onnx/model.onnx.part'), Buffer.alloc(3000, 7));
  const lines: string[] = [];
  hub.requests.length = 0;
  await pull({ dir, logger: createLogger({ level: 'warn', write: (l) => lines.push(l) }) });
  assert.deepEqual(hub.requests.filter((q) => q.path.startsWith('/cdn/') && q.path.endsWith('model.onnx')).map((q) => q.range), ['bytes=3000-', undefined]);
  assert.ok(lines.some((l) => /did not match; fetching the file again/.test(l)));
  assert.ok(readFileSync(path.join(dir, 'onnx/model.onnx')).equals(hub.repos.get('test-org/tiny-embed')!.files['onnx/model.onnx']!));
});

test('bytes that do not match the listed sha256 are refused and removed', async () => {
  const dir = dest();
  const good = hub.repos.get('test-org/tiny-embed')!.files['onnx/model.onnx']!;
  const bad = Buffer.from(good);
  bad[bad.length - 10] = bad[bad.length - 10]! ^ 0xff;
  hub.corrupt.set('onnx/model.onnx', bad);
  try {
    const err = await rejection(pull({ dir }));
    assert.equal(err.code, 'upstream_protocol');
    assert.match(err.message, /model\.onnx from .* does not match the Hub's listing \(expected \d+ bytes with sha256 [0-9a-f]{64}, got \d+ bytes with [0-9a-f]{64}\); the download was removed/);
    assert.ok(!existsSync(path.join(dir, 'onnx/model.onnx')) && !existsSync(path.join(dir, 'onnx/model.onnx.part')) && !existsSync(path.join(dir, MANIFEST)));
  } finally {
    hub.corrupt.clear();
  }
});

test('unknown repositories, names and revisions, and repositories without an ONNX export, are refused clearly', async () => {
  const missing = await rejection(pull({ name: 'test-org/nothing-here' }));
  assert.equal(missing.code, 'not_found');
  assert.match(missing.message, /No model test-org\/nothing-here at revision "main" on http:\/\/127\.0\.0\.1:\d+ \(HTTP 404\)/);
  assert.match((await rejection(pull({ revision: 'v9' }))).message, /at revision "v9"/);
  assert.equal((await pull({ revision: 'v1' })).manifest.revision, 'v1');
  const unknown = await rejection(pull({ name: 'best-model-ever' }));
  assert.equal(unknown.code, 'bad_input');
  assert.match(unknown.message, /Unknown model "best-model-ever": give a Hub repository .* or one of all-MiniLM-L6-v2, bge-small-en-v1\.5/);
  const noOnnx = await rejection(pull({ name: 'test-org/no-onnx' }));
  assert.match(noOnnx.message, /test-org\/no-onnx has no ONNX export in a place Paperboy knows/);
  assert.match((await rejection(pull({ file: 'onnx/model_fp16.onnx' }))).message, /has no onnx\/model_fp16\.onnx; its ONNX files: onnx\/model\.onnx, onnx\/model_quantized\.onnx/);
});

test('the command: a pull killed mid-download resumes on the next run; models list shows it', async () => {
  const dataDir = path.join(root, 'cli');
  const big = repoFiles(512); // ~90 KB of weights, so the kill lands mid-file
  hub.repos.set('test-org/big-embed', { sha: 'c'.repeat(40), files: big });
  const run = (...args: string[]) => spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', dataDir, '--log-level', 'warn', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const finished = (child: ReturnType<typeof run>) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d));
    child.stderr!.on('data', (d: Buffer) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });

  hub.stallAfter.set('onnx/model.onnx', [20_000]); // sends 20 KB and stalls; the test kills the process
  const part = path.join(dataDir, 'models', 'big-embed', 'onnx', 'model.onnx.part');
  const first = run('models', 'pull', 'test-org/big-embed', '--hub-url', hub.url);
  const firstDone = finished(first);
  // Starting the command takes seconds on a busy machine; wait for the stalled bytes, however long.
  let exited = false;
  void firstDone.then(() => (exited = true));
  const deadline = Date.now() + 90_000;
  while (!exited && Date.now() < deadline && !(existsSync(part) && statSync(part).size >= 20_000)) await new Promise((r) => setTimeout(r, 50));
  if (exited) assert.fail(`the first pull ended before it was killed: ${(await firstDone).err}`);
  first.kill('SIGKILL');
  await firstDone;
  assert.equal(statSync(part).size, 20_000);

  hub.requests.length = 0;
  const second = await finished(run('models', 'pull', 'test-org/big-embed', '--hub-url', hub.url));
  assert.equal(second.code, 0, second.err);
  assert.equal(hub.requests.find((q) => q.path.startsWith('/cdn/') && q.path.endsWith('model.onnx'))!.range, 'bytes=20000-');
  assert.match(second.out, /test-org\/big-embed@cccccccccccc → .*big-embed\n {2}7 files, .* all checked against the Hub's checksums; model file onnx\/model\.onnx/);

  const list = await finished(run('models', 'list', '--json'));
  const models = JSON.parse(list.out) as { name: string; pulled: boolean; commit: string }[];
  assert.deepEqual(models.map((m) => [m.name, m.pulled, m.commit]), [['big-embed', true, 'c'.repeat(40)]]);
});
