// End-to-end `paperboy add`: the real CLI as a child process against a local fake arXiv
// API and real SQLite files — ids and URLs, invalid and unknown ids, re-adding, a new
// version, search paging, and the API's error feed.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fetchByIds } from '../src/ingest/arxiv-api.js';
import { createPoliteHttpClient } from '../src/ingest/polite-http.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { paperIds } from './support/paper-ids.js';
import { atomFixture, entriesOf, feed, startFakeArxivApi, type FakeArxivApi } from './support/fake-arxiv-api.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'paperboy-add-'));
let dbCount = 0;
const newDb = () => path.join(tmp, `a${++dbCount}.db`);

interface Run { code: number | null; stdout: string; stderr: string }
function cli(db: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--db', db, 'add', ...args, '--url', api.url], {
      cwd: repoRoot,
      env: { ...process.env, PAPERBOY_REQUEST_INTERVAL_MS: '10', LOG_LEVEL: 'warn', PAPERBOY_CONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d; });
    child.stderr.on('data', (d: Buffer) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function inStore<T>(db: string, fn: (s: ReturnType<typeof openSqliteStore>) => Promise<T>): Promise<T> {
  const store = openSqliteStore(db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
const ids = (db: string) => inStore(db, paperIds);

let api: FakeArxivApi;
const V1 = entriesOf('v1-2503.11731.xml').get('2503.11731')!;
const V2 = entriesOf('new-style.xml').get('2503.11731')!;
before(async () => { api = await startFakeArxivApi(); });
beforeEach(() => { api.requests.length = 0; api.answer = undefined; api.entries.set('2503.11731', V2); });
after(() => api.close());

describe('paperboy add', () => {
  test('ids and URLs: stores them, reports invalid and unknown ids, re-adding changes nothing, v2 updates', async () => {
    const db = newDb();
    api.entries.set('2503.11731', V1);
    const first = await cli(db, ['2503.11731', 'https://arxiv.org/abs/hep-th/9901001v3', 'arXiv:2503.10002', 'not-an-id', '2503.99999']);
    assert.equal(first.code, 65, first.stderr);
    assert.match(first.stderr, /not an arXiv id or URL, skipped: "not-an-id"/);
    assert.match(first.stderr, /not found on arXiv: 2503\.99999/);
    assert.match(first.stdout, /Added 3, updated 0, unchanged 0\./);
    assert.equal(api.requests.length, 1, 'one id_list request');
    assert.equal(api.requests[0]!.get('id_list'), '2503.11731,hep-th/9901001,2503.10002,2503.99999');
    assert.equal(api.requests[0]!.get('max_results'), '4');
    assert.deepEqual(await ids(db), ['2503.10002', '2503.11731', 'hep-th/9901001']);
    await inStore(db, async (s) => {
      const p = await s.getPaper('2503.11731');
      assert.equal(p?.title, 'Sparse Diffusion Samplers');
      assert.deepEqual(p?.versions.map((v) => v.version), [1]);
      const old = await s.getPaper('hep-th/9901001');
      assert.deepEqual(old?.versions.map((v) => v.version), [1, 3]);
      assert.deepEqual(old?.categories, ['hep-th', 'math.AG']);
      assert.deepEqual(old?.authors[0], { name: 'F. Old', affiliations: ['Somewhere Institute'] });
    });

    api.entries.set('2503.11731', V1);
    const again = await cli(db, ['2503.11731', 'hep-th/9901001', '2503.10002']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Added 0, updated 0, unchanged 3\./);

    api.entries.set('2503.11731', V2);
    const newer = await cli(db, ['https://arxiv.org/abs/2503.11731v2']);
    assert.equal(newer.code, 0, newer.stderr);
    assert.match(newer.stdout, /^2503\.11731v2 {2}Sparse Diffusion Samplers for Tabular Data$/m);
    assert.match(newer.stdout, /Added 0, updated 1, unchanged 0\./);
    await inStore(db, async (s) => {
      const p = await s.getPaper('2503.11731');
      assert.equal(p?.title, 'Sparse Diffusion Samplers for Tabular Data');
      assert.deepEqual(p?.versions.map((v) => [v.version, v.submittedAt]), [[1, '2025-03-14T17:59:58.000Z'], [2, '2025-03-20T10:15:00.000Z']]);
      assert.equal(p?.latestVersion, 2);
      assert.equal(p?.submittedAt, '2025-03-14T17:59:58.000Z');
      assert.deepEqual(p?.categories, ['cs.LG', 'cs.AI', 'stat.ML']);
      assert.equal(p?.doi, '10.0000/fixture.2025.001');
    });
  });

  test('--query pages with start/max_results up to --max, then to totalResults', async () => {
    const db = newDb();
    const first = await cli(db, ['--query', 'cat:cs.LG AND ti:diffusion', '--max', '4', '--page-size', '2']);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(api.requests.map((q) => [q.get('search_query'), q.get('start'), q.get('max_results')]),
      [['cat:cs.LG AND ti:diffusion', '0', '2'], ['cat:cs.LG AND ti:diffusion', '2', '2']]);
    assert.match(first.stdout, /Query matched 5 papers on arXiv; fetched 4\./);
    assert.equal((await ids(db)).length, 4);

    api.requests.length = 0;
    const all = await cli(db, ['--query', 'cat:cs.LG', '--max', '50', '--page-size', '2']);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(api.requests.map((q) => q.get('start')), ['0', '2', '4'], 'stops at totalResults');
    assert.match(all.stdout, /Added 1, updated 0, unchanged 4\./);
    assert.equal((await ids(db)).length, 5);
  });

  test('--query stops at an empty page', async () => {
    const db = newDb();
    api.answer = (q) => (q.get('start') === '2' ? [200, feed([], 5, 2)] : undefined);
    const run = await cli(db, ['--query', 'all:anything', '--page-size', '2']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(api.requests.map((q) => q.get('start')), ['0', '2']);
    assert.equal((await ids(db)).length, 2);
  });

  test('the API error feed, a malformed answer and missing arguments are clear errors', async () => {
    const db = newDb();
    api.answer = () => [400, atomFixture('error.xml')];
    const bad = await cli(db, ['--query', 'ti:(']);
    assert.equal(bad.code, 65);
    assert.match(bad.stderr, /^paperboy: arXiv API error: incorrect id format for 1234\.12345$/m);

    api.answer = () => [200, atomFixture('malformed.xml')];
    const broken = await cli(db, ['2503.11731']);
    assert.equal(broken.code, 76);
    assert.match(broken.stderr, /Malformed arXiv API response/);
    assert.deepEqual(await ids(db), []);

    const none = await cli(db, []);
    assert.equal(none.code, 65);
    assert.match(none.stderr, /Give arXiv ids or URLs to add, or --query/);
  });
});

describe('fetchByIds', () => {
  test('asks for at most 100 ids a request and reports the ones arXiv did not return', async () => {
    const http = createPoliteHttpClient({ minIntervalMs: 0, maxRetries: 0 });
    const unknown = Array.from({ length: 148 }, (_, i) => `2401.${String(i).padStart(5, '0')}`);
    const res = await fetchByIds(http, api.url, ['2503.10002v1', ...unknown, 'quant-ph/0210005', '2503.10002']);
    assert.deepEqual(api.requests.map((q) => q.get('id_list')!.split(',').length), [100, 50]);
    assert.deepEqual(res.records.map((r) => r.id), ['2503.10002', 'quant-ph/0210005']);
    assert.equal(res.missing.length, 148);
    assert.equal(res.missing[0], '2401.00000');
  });
});
