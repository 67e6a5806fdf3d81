// The HTTP provider against a real local server speaking the OpenAI embeddings API:
// batches, vector order and normalisation, retries (429 with Retry-After, 5xx, dropped
// connections, timeouts), clear errors for refusals and malformed answers, dimension
// checks, prefixes, and an API key that never shows in logs or errors.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { PaperboyError } from '../src/errors.js';
import { createLogger } from '../src/logger.js';
import { createHttpEmbedder, endpointOf, type HttpEmbedderOptions } from '../src/search/embedders/http.js';
import { bagOfWords, startFakeEmbeddings } from './support/fake-embeddings.js';

const KEY = 'sk-test-0123456789abcdef';
const api = await startFakeEmbeddings();
const locked = await startFakeEmbeddings({ key: KEY });
after(async () => { await api.close(); await locked.close(); });

const logLines: string[] = [];
const logger = createLogger({ level: 'debug', format: 'json', write: (l) => logLines.push(l) });
const make = (o: Partial<HttpEmbedderOptions> = {}) => createHttpEmbedder({ url: api.url, model: 'test-embed', retryBaseMs: 10, logger, ...o });
const unit = (v: number[]) => { const l = Math.hypot(...v); return v.map((x) => x / l); };
function assertClose(actual: Float32Array, expected: number[]) {
  assert.equal(actual.length, expected.length);
  actual.forEach((x, i) => assert.ok(Math.abs(x - expected[i]!) < 1e-6, `[${i}] ${x} ≠ ${expected[i]}`));
}
async function rejection(p: Promise<unknown>): Promise<PaperboyError> {
  const e = await p.then(() => null, (err: unknown) => err);
  assert.ok(e instanceof PaperboyError, `expected a PaperboyError, got ${String(e)}`);
  return e;
}
function reset() { api.requests.length = 0; api.next.length = 0; }

test('batches of batchSize, vectors in input order and of unit length; the dimension is learnt from a first request', async () => {
  reset();
  const e = await make({ batchSize: 4 });
  assert.equal(e.dimensions, 16);
  assert.equal(e.name, 'http:test-embed');
  const texts = Array.from({ length: 10 }, (_, i) => `paper ${i} about graphs ${'and nodes '.repeat(i)}`);
  const vectors = await e.embedDocuments(texts);
  assert.deepEqual(api.requests.map((r) => r.body.input?.length), [1, 4, 4, 2], 'the probe, then three batches');
  assert.ok(api.requests.every((r) => r.path === '/v1/embeddings' && r.body.model === 'test-embed' && r.headers.authorization === undefined));
  vectors.forEach((v, i) => assertClose(v, unit(bagOfWords(texts[i]!, 16))));
  assert.deepEqual(await e.embedDocuments([]), []);
  await e.embedDocuments(['']);
  assert.deepEqual(api.requests.at(-1)!.body.input, [' '], 'an empty text is sent as a space (some servers refuse "")');
});

test('the URL may be the endpoint or its base', () => {
  for (const u of ['http://h:1', 'http://h:1/', 'http://h:1/v1', 'http://h:1/v1/', 'http://h:1/v1/embeddings']) assert.equal(endpointOf(u), 'http://h:1/v1/embeddings', u);
  assert.equal(endpointOf('https://api.example.org/openai/v1'), 'https://api.example.org/openai/v1/embeddings');
  assert.throws(() => endpointOf('ftp://h/v1'), /must be an http\(s\) URL/);
  assert.throws(() => endpointOf('localhost:11434'), /must be an http\(s\) URL/);
});

test('429 waits as long as Retry-After says, then succeeds', async () => {
  reset();
  const e = await make({ dimensions: 16 });
  api.next.push({ status: 429, headers: { 'Retry-After': '1' } });
  const [v] = await e.embedDocuments(['graph nodes']);
  assertClose(v!, unit(bagOfWords('graph nodes', 16)));
  assert.equal(api.requests.length, 2);
  assert.ok(api.requests[1]!.at - api.requests[0]!.at >= 950, `waited ${api.requests[1]!.at - api.requests[0]!.at} ms`);
  assert.ok(logLines.some((l) => /retrying/.test(l) && /HTTP 429/.test(l) && /"waitMs":1000/.test(l)));
});

test('500, 503, a dropped connection: retried with backoff until an answer', async () => {
  reset();
  const e = await make({ dimensions: 16, maxRetries: 3 });
  api.next.push({ status: 500 }, { status: 503 }, { drop: true });
  const [v] = await e.embedDocuments(['cells']);
  assertClose(v!, unit(bagOfWords('cells', 16)));
  assert.equal(api.requests.length, 4);
  api.next.push({ status: 502 }, { status: 502 }, { status: 502 }, { status: 502 });
  const err = await rejection(e.embedDocuments(['cells']));
  assert.equal(err.code, 'upstream_unavailable');
  assert.match(err.message, /unavailable after 3 retries: HTTP 502/);
});

test('a slow answer times out and is retried; too slow every time is upstream_unavailable', async () => {
  reset();
  const e = await make({ dimensions: 16, timeoutMs: 150, maxRetries: 1 });
  api.next.push({ delayMs: 1000 });
  assert.equal((await e.embedDocuments(['x'])).length, 1, 'the retry got an answer');
  api.next.push({ delayMs: 1000 }, { delayMs: 1000 });
  const started = Date.now();
  const err = await rejection(e.embedDocuments(['x']));
  assert.equal(err.code, 'upstream_unavailable');
  assert.match(err.message, /no answer within 150 ms/);
  assert.ok(Date.now() - started < 900, 'gave up without waiting for the slow server');
});

test('malformed answers fail at once with what was wrong (no retry)', async () => {
  const e = await make({ dimensions: 16 });
  const cases: [string, RegExp][] = [
    ['<html>Bad gateway</html>', /answered HTTP 200 with something that is not JSON/],
    ['{"object":"list"}', /without a "data" list/],
    ['{"data":[{"index":0,"embedding":[1,2]},{"index":1,"embedding":[1,2]}]}', /2 embeddings for 1 texts/],
    ['{"data":[{"index":0,"embedding":["a",2]}]}', /not a list of finite numbers/],
    ['{"data":[{"index":3,"embedding":[1,2]}]}', /wrong or repeated "index"/],
  ];
  for (const [body, re] of cases) {
    reset();
    api.next.push({ body });
    const err = await rejection(e.embedDocuments(['x']));
    assert.equal(err.code, 'upstream_protocol');
    assert.match(err.message, re);
    assert.equal(api.requests.length, 1);
  }
});

test('base64 vectors are read like lists', async () => {
  reset();
  const e = await make({ dimensions: 4 });
  const b64 = Buffer.from(new Float32Array([3, 0, 4, 0]).buffer).toString('base64');
  api.next.push({ body: JSON.stringify({ data: [{ index: 0, embedding: b64 }] }) });
  assertClose((await e.embedDocuments(['x']))[0]!, [0.6, 0, 0.8, 0]);
});

test('dimension: a configured one that the server does not give is refused; so is a server changing it', async () => {
  reset();
  const configured = await rejection(make({ dimensions: 384 }).then((e) => e.embedQuery('x')));
  assert.equal(configured.code, 'bad_config');
  assert.match(configured.message, /gave 16-dimensional vectors for model "test-embed", but search\.embedder\.dimensions is 384/);
  const e = await make();
  api.next.push({ dimensions: 8 });
  const changed = await rejection(e.embedDocuments(['x']));
  assert.equal(changed.code, 'upstream_protocol');
  assert.match(changed.message, /gave 8-dimensional vectors .* earlier answers had 16/);
});

test('sendDimensions asks the server for the size and names it', async () => {
  reset();
  const e = await make({ dimensions: 8, sendDimensions: true });
  assert.equal((await e.embedQuery('x')).length, 8);
  assert.equal(api.requests.at(-1)!.body.dimensions, 8);
  assert.equal(e.name, 'http:test-embed/d8');
});

test('prefixes of known models (nomic: search_query / search_document), overridable', async () => {
  reset();
  const nomic = await make({ model: 'nomic-embed-text', dimensions: 16 });
  await nomic.embedQuery('graph');
  await nomic.embedDocuments(['a paper']);
  assert.deepEqual(api.requests.map((r) => r.body.input), [['search_query: graph'], ['search_document: a paper']]);
  assert.match(nomic.name, /^http:nomic-embed-text:doc=[0-9a-f]{6}$/);
  const plain = await make({ model: 'nomic-embed-text', dimensions: 16, queryPrefix: '', documentPrefix: '' });
  await plain.embedQuery('graph');
  assert.deepEqual(api.requests.at(-1)!.body.input, ['graph']);
});

test('the API key is sent, and never appears in errors or logs, even when the server echoes it', async () => {
  logLines.length = 0;
  const e = await make({ url: `${locked.url}/v1`, apiKey: KEY, dimensions: 16 });
  await e.embedQuery('x');
  assert.equal(locked.requests.at(-1)!.headers.authorization, `Bearer ${KEY}`);
  locked.next.push({ status: 503, body: `overloaded (key ${KEY})` }, { status: 500, body: KEY });
  await e.embedQuery('x');
  const wrong = await rejection(make({ url: locked.url, apiKey: `${KEY}-old`, dimensions: 16 }).then((x) => x.embedQuery('x')));
  assert.equal(wrong.code, 'bad_config');
  assert.match(wrong.message, /refused the request \(HTTP 401: Incorrect API key provided: \*\*\*\); check search\.embedder\.http\.apiKey/);
  locked.next.push({ status: 500, body: KEY }, { status: 500, body: KEY });
  const down = await rejection(make({ url: locked.url, apiKey: KEY, dimensions: 16, maxRetries: 1 }).then((x) => x.embedQuery('x')));
  const everything = [wrong.message, JSON.stringify(wrong.details), down.message, JSON.stringify(down.details), ...logLines].join('\n');
  assert.ok(logLines.length >= 2, 'retries were logged');
  assert.ok(!everything.includes(KEY) && !everything.includes('sk-test'), 'the key leaked');
});

test('a wrong URL or model is a clear configuration error', async () => {
  const model = await rejection(make({ model: 'no-such-model' }));
  assert.equal(model.code, 'bad_config');
  assert.match(model.message, /No embeddings endpoint at http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings, or no model "no-such-model" there \(HTTP 404: model "no-such-model" not found/);
  const path = await rejection(make({ url: `${api.url}/api/v2/embeddings` }));
  assert.match(path.message, /HTTP 404/);
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const { port } = closed.address() as AddressInfo;
  await new Promise((r) => closed.close(r));
  const nobody = await rejection(make({ url: `http://127.0.0.1:${port}`, maxRetries: 0 }));
  assert.equal(nobody.code, 'upstream_unavailable');
  assert.match(nobody.message, /ECONNREFUSED/);
  await assert.rejects(make({ batchSize: 0 }), /batchSize must be a whole number ≥ 1/);
  await assert.rejects(make({ model: ' ' }), /http\.model must name the model/);
});

test('an aborted call stops waiting for a retry at once', async () => {
  reset();
  const e = await make({ dimensions: 16 });
  api.next.push({ status: 429, headers: { 'Retry-After': '30' } });
  const controller = new AbortController();
  const started = Date.now();
  const call = e.embedDocuments(['x'], { signal: controller.signal });
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(call, { name: 'AbortError' });
  assert.ok(Date.now() - started < 2000);
});
