// The JSON API over a real SQLite store: Hugging Face-like shapes, date windows, paging
// links, a 400 naming the parameter for every malformed one, 404s, CORS, and an OpenAPI
// document that describes exactly the routes and parameters the app serves.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { ZodObject } from 'zod';
import { silentLogger } from '../src/logger.js';
import { emptyRecord, type PaperRecord } from '../src/papers/paper.js';
import { createSearchEngine } from '../src/search/search.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createApp } from '../src/web/app.js';
import { dailyPapersQuery } from '../src/web/api/daily-papers.js';
import { openApiDocument } from '../src/web/api/openapi.js';
import { listQuery, searchQuery, similarQuery, v1SearchQuery } from '../src/web/api/papers.js';
import { citeQuery } from '../src/web/api/citations.js';

const HOSTILE_TITLE = `Bounds for $x<y$ & <script>alert(1)</script> "quoted" 'single'`;
const paper = (id: string, title: string, extra: Partial<PaperRecord> = {}): PaperRecord =>
  ({ ...emptyRecord(id, title, `About ${title.toLowerCase()}.`), authors: [{ name: 'Ada Lovelace' }], categories: ['cs.LG'], ...extra });

const store = openSqliteStore(path.join(mkdtempSync(path.join(tmpdir(), 'paperboy-api-')), 'api.db'));
await store.migrate();
await store.ingest({
  papers: [
    paper('2503.11731', HOSTILE_TITLE, { abstract: 'We show <img src=x onerror=alert(1)> that a < b & c > d.', authors: [{ name: 'Eve "<b>" Hacker' }, { name: 'Bob & Alice' }],
      categories: ['cs.LG', 'stat.ML'], announcedAt: '2025-03-18', submittedAt: '2025-03-17T12:00:00Z' }),
    paper('2503.11800', 'Graph neural networks for molecules', { announcedAt: '2025-03-18' }),
    paper('2503.11900', 'Graph kernels, dated by submission only', { submittedAt: '2025-03-18T23:30:00Z' }),
    paper('2503.20001', 'Graph transformers for molecules at scale', { categories: ['cs.CL'], announcedAt: '2025-03-25' }),
    paper('2502.00001', 'Sampling in February', { announcedAt: '2025-02-28' }),
    paper('hep-th/9901001', 'Old strings', { categories: ['hep-th'], announcedAt: '1999-01-04' }),
  ],
  signals: [
    { paperId: '2503.11731', kind: 'upvotes', source: 'hf-daily', observedAt: '2025-03-18T08:00:00Z', value: 5 },
    { paperId: '2503.11731', kind: 'upvotes', source: 'hf-daily', observedAt: '2025-03-19T08:00:00Z', value: 12 },
    { paperId: '2503.11731', kind: 'comments', source: 'hf-daily', observedAt: '2025-03-19T08:00:00Z', value: 3 },
  ],
});
const app = createApp({ store, search: createSearchEngine(store), logger: silentLogger, http: { rateLimit: { perMinute: 0, postsPerMinute: 0 } } });

async function get<T = unknown>(url: string, status = 200, init?: RequestInit): Promise<{ body: T; res: Response }> {
  const res = await app.request(url, init);
  const text = await res.text();
  assert.equal(res.status, status, `${url}: ${text.slice(0, 300)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return { body: JSON.parse(text) as T, res };
}

interface Daily { paper: { id: string; title: string; summary: string; authors: { name: string }[]; upvotes: number; publishedAt: string }; publishedAt: string; title: string; summary: string; numComments: number }
const ids = (items: Daily[]) => items.map((i) => i.paper.id);

test('daily_papers: a day, an ISO week, a month or every date, by trending score or newest first, in Hugging Face\'s shape', async () => {
  const { body: day, res } = await get<Daily[]>('/api/daily_papers?date=2025-03-18');
  assert.deepEqual(ids(day).sort(), ['2503.11731', '2503.11800', '2503.11900']);
  assert.equal(res.headers.get('x-total-count'), '3');
  const hostile = day.find((d) => d.paper.id === '2503.11731')!;
  assert.equal(hostile.title, HOSTILE_TITLE, 'JSON carries raw text; escaping is for renderers');
  assert.equal(hostile.paper.summary, 'We show <img src=x onerror=alert(1)> that a < b & c > d.');
  assert.deepEqual(hostile.paper.authors.map((a) => a.name), ['Eve "<b>" Hacker', 'Bob & Alice']);
  assert.equal(hostile.paper.upvotes, 12, 'the latest upvote observation');
  assert.equal(hostile.numComments, 3);
  assert.equal(hostile.publishedAt, '2025-03-18T00:00:00.000Z');
  assert.equal(hostile.paper.publishedAt, '2025-03-17T12:00:00.000Z', 'in the one form Hugging Face\'s client parses');
  assert.equal(day.find((d) => d.paper.id === '2503.11800')!.paper.upvotes, 0);
  assert.deepEqual(ids((await get<Daily[]>('/api/daily_papers?week=2025-W12')).body).sort(), ['2503.11731', '2503.11800', '2503.11900']);
  assert.deepEqual(ids((await get<Daily[]>('/api/daily_papers?week=2025-W13')).body), ['2503.20001']);
  assert.deepEqual(ids((await get<Daily[]>('/api/daily_papers?month=2025-02')).body), ['2502.00001']);
  const month = ids((await get<Daily[]>('/api/daily_papers?month=2025-03&sort=publishedAt')).body);
  assert.equal(month[0], '2503.20001');
  type Ranked = Daily & { trending: { score: number; components: { contribution: number; label: string }[] } };
  const trending = (await get<Ranked[]>('/api/daily_papers?month=2025-03&sort=trending')).body;
  assert.deepEqual(ids(trending), ['2503.11731', ...month.filter((id) => id !== '2503.11731')], 'the upvoted paper first, the others newest first');
  for (const [i, d] of trending.entries()) {
    assert.ok(i === 0 || d.trending.score <= trending[i - 1]!.trending.score);
    assert.ok(Math.abs(d.trending.components.reduce((s, x) => s + x.contribution, 0) - d.trending.score) < 1e-9, 'parts add up to the score');
  }
  assert.ok(trending[0]!.trending.components.some((x) => x.label === '12 upvotes on Hugging Face'));
  assert.deepEqual(ids((await get<Daily[]>('/api/daily_papers')).body), ['2503.20001'], 'no date: the latest day, as Hugging Face');
  assert.deepEqual(ids((await get<Daily[]>('/api/daily_papers?month=2025-03')).body), month, 'newest first unless sort=trending, as Hugging Face');
  assert.deepEqual((await get<Daily[]>('/api/daily_papers?date=2024-01-01')).body, []);
  assert.equal((await app.request('/api/daily_papers?date=2025-03-18', { method: 'HEAD' })).status, 200);
});

test('daily_papers pages with Link headers of absolute paths', async () => {
  const first = await get<Daily[]>('/api/daily_papers?month=2025-03&limit=2');
  assert.equal(first.body.length, 2);
  assert.equal(first.res.headers.get('link'), '</api/daily_papers?month=2025-03&limit=2&p=1>; rel="next"', 'p counts from 0, as on Hugging Face');
  const second = await get<Daily[]>('/api/daily_papers?month=2025-03&limit=2&p=1');
  assert.equal(second.body.length, 2);
  assert.equal(second.res.headers.get('link'), '</api/daily_papers?month=2025-03&limit=2&p=0>; rel="prev"');
  assert.deepEqual(new Set([...ids(first.body), ...ids(second.body)]).size, 4);
});

const BAD: [string, string][] = [
  ['/api/daily_papers?date=2025-02-30', 'date'], ['/api/daily_papers?date=2025-3-1', 'date'], ['/api/daily_papers?date=%3Cscript%3E', 'date'],
  ['/api/daily_papers?week=2025-W53', 'week'], ['/api/daily_papers?week=2025-W00', 'week'], ['/api/daily_papers?week=2025-12', 'week'],
  ['/api/daily_papers?month=2025-13', 'month'], ['/api/daily_papers?month=2025', 'month'], ['/api/daily_papers?sort=hot', 'sort'],
  ['/api/daily_papers?limit=0', 'limit'], ['/api/daily_papers?limit=101', 'limit'], ['/api/daily_papers?limit=1e1', 'limit'],
  ['/api/daily_papers?limit=', 'limit'], ['/api/daily_papers?p=-1', 'p'], ['/api/daily_papers?p=1.5', 'p'], ['/api/daily_papers?p=10001', 'p'],
  ['/api/daily_papers?date=2025-03-18&week=2025-W12', 'week'], ['/api/daily_papers?week=2025-W12&month=2025-03', 'month'],
  ['/api/papers/search?q=x&limit=1000', 'limit'], ['/api/papers/search?q=x&p=-1', 'p'], ['/api/v1/search?q=x&p=0', 'p'],
  ['/api/v1/search?q=x&mode=%3Cb%3E', 'mode'], ['/api/daily_papers?submitter=' + 'x'.repeat(101), 'submitter'], ['/api/papers?cat=%3Cscript%3E', 'cat'],
  ['/api/papers?limit=x', 'limit'], ['/api/papers/not-an-id', 'id'], ['/api/papers/2513.00001', 'id'], ['/api/papers/not-an-id/similar', 'id'],
  ['/api/papers/2503.11800/similar?limit=51', 'limit'],
];

test('every malformed parameter is a 400 whose error names it', async () => {
  for (const [url, parameter] of BAD) {
    const { body } = await get<{ error: { code: string; message: string; parameter: string } }>(url, 400);
    assert.equal(body.error.code, 'bad_input', url);
    assert.equal(body.error.parameter, parameter, url);
    assert.ok(body.error.message.includes(parameter), `${url}: ${body.error.message}`);
  }
  assert.ok((await get('/api/daily_papers?week=2026-W53')).body, '2026 has 53 ISO weeks');
  const long = await get<{ error: { code: string; parameter: string } }>(`/api/v1/search?q=${'x'.repeat(3000)}`, 413);
  assert.deepEqual([long.body.error.code, long.body.error.parameter], ['too_large', 'q']);
});

test('unknown ids and endpoints are JSON 404s', async () => {
  for (const url of ['/api/papers/2401.00001', '/api/papers/2401.00001/similar', '/api/nothing-here']) {
    const { body } = await get<{ error: { code: string; message: string } }>(url, 404);
    assert.equal(body.error.code, 'not_found', url);
  }
  assert.match((await get<{ error: { message: string } }>('/api/papers/2401.00001v3', 404)).body.error.message, /2401\.00001/);
  await store.ingest({ papers: [paper('2503.15457', 'One version only', { versions: [{ version: 1, submittedAt: '2025-03-19T10:00:00Z' }] })] });
  assert.equal((await get<{ id: string }>('/api/papers/2503.15457v1')).body.id, '2503.15457');
  const noV2 = await get<{ error: { code: string; message: string } }>('/api/papers/2503.15457v2', 404);
  assert.match(noV2.body.error.message, /no version 2/, 'a version that does not exist is not the paper (it used to answer 200)');
});

interface SearchBody { total: number; page: number; results: { id: string; upvotes: number }[]; links: { next: string | null; prev: string | null } }

test('search pages with links in the body and the Link header', async () => {
  const first = await get<SearchBody>('/api/v1/search?q=graph&limit=1');
  assert.equal(first.body.total, 3);
  assert.deepEqual(first.body.links, { next: '/api/v1/search?q=graph&limit=1&p=2', prev: null });
  assert.equal(first.res.headers.get('link'), '</api/v1/search?q=graph&limit=1&p=2>; rel="next"');
  const last = await get<SearchBody>('/api/v1/search?q=graph&limit=1&p=3');
  assert.deepEqual(last.body.links, { next: null, prev: '/api/v1/search?q=graph&limit=1&p=2' });
  const seen = new Set([first.body, (await get<SearchBody>('/api/v1/search?q=graph&limit=1&p=2')).body, last.body].map((b) => b.results[0]!.id));
  assert.equal(seen.size, 3);
  const hostile = await get<SearchBody>(`/api/v1/search?q=${encodeURIComponent('"><script>alert(2)</script>')}`);
  assert.equal(hostile.res.status, 200);
  assert.equal((await get<SearchBody>('/api/v1/search?q=bounds')).body.results[0]!.upvotes, 12);
  const empty = (await get<SearchBody & { notes: string[] }>('/api/v1/search?q=')).body;
  assert.deepEqual([empty.total, empty.results.length], [0, 0], 'an empty query finds nothing (it used to list every paper)');
  assert.match(empty.notes[0]!, /Type a query/);
  const moded = (await get<{ mode: string; total: number }>('/api/v1/search?q=graph&mode=lexical')).body;
  assert.deepEqual([moded.mode, moded.total], ['lexical', 3], 'mode is passed to the search engine');
});

test('a paper by id (any spelling), its signals, and papers like it', async () => {
  const { body } = await get<{ id: string; title: string; upvotes: number; summary: string; signals: unknown[] }>('/api/papers/arXiv:2503.11731v2');
  assert.deepEqual([body.id, body.title, body.upvotes, body.signals.length], ['2503.11731', HOSTILE_TITLE, 12, 3]);
  assert.equal((await get<{ id: string }>('/api/papers/hep-th/9901001')).body.id, 'hep-th/9901001');
  const similar = await get<{ id: string; results: { id: string; score: number }[] }>('/api/papers/2503.11800/similar');
  assert.equal(similar.body.id, '2503.11800');
  assert.ok(similar.body.results.some((r) => r.id === '2503.20001'));
  assert.ok(!similar.body.results.some((r) => r.id === '2503.11800'), 'never the paper itself');
  assert.ok((await get<{ results: unknown[] }>('/api/papers/2503.11800/similar?limit=1')).body.results.length <= 1);
  assert.equal((await get<{ id: string }>('/api/papers/hep-th/9901001/similar')).body.id, 'hep-th/9901001');
  const list = await get<{ id: string }[]>('/api/papers?cat=cs.CL');
  assert.deepEqual(list.body.map((p) => p.id), ['2503.20001']);
  assert.equal((await get('/api/papers?limit=2')).res.headers.get('link'), '</api/papers?limit=2&p=2>; rel="next"');
});

test('CORS: any origin may GET, preflights allow only reads, errors carry the headers too', async () => {
  const origin = { headers: { Origin: 'https://example.org' } };
  const ok = await app.request('/api/daily_papers?limit=1', origin);
  assert.equal(ok.headers.get('access-control-allow-origin'), '*');
  assert.match(ok.headers.get('access-control-expose-headers') ?? '', /Link/);
  assert.equal((await app.request('/api/papers/not-an-id', origin)).headers.get('access-control-allow-origin'), '*');
  const preflight = await app.request('/api/papers/search', { method: 'OPTIONS', headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'GET' } });
  assert.equal(preflight.status, 204);
  const methods = (preflight.headers.get('access-control-allow-methods') ?? '').split(',').map((m) => m.trim());
  assert.deepEqual(methods.sort(), ['GET', 'HEAD', 'OPTIONS']);
});

test('the OpenAPI document describes exactly the routes and parameters served under /api', async () => {
  const { body: doc } = await get<typeof openApiDocument>('/api/openapi.json');
  assert.equal(doc.openapi, '3.1.0');
  const served = new Set(app.routes.filter((r) => r.method === 'GET' && r.path.startsWith('/api/'))
    .map((r) => r.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')));
  assert.deepEqual([...served].sort(), Object.keys(doc.paths).sort());
  const schemas: Record<string, ZodObject> = {
    '/api/daily_papers': dailyPapersQuery, '/api/papers': listQuery, '/api/papers/search': searchQuery, '/api/papers/{id}/similar': similarQuery,
    '/api/v1/search': v1SearchQuery, '/api/papers/{id}/cite': citeQuery,
  };
  for (const [route, item] of Object.entries(doc.paths)) {
    const documented = item.get.parameters.filter((p) => p.in === 'query').map((p) => p.name).sort();
    assert.deepEqual(documented, Object.keys(schemas[route]?.shape ?? {}).sort(), route);
    const pathParams = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    assert.deepEqual(item.get.parameters.filter((p) => p.in === 'path').map((p) => p.name), pathParams, route);
  }
  // Every $ref resolves, and the documented required fields are in real answers.
  for (const [, name] of JSON.stringify(doc).matchAll(/"#\/components\/schemas\/(\w+)"/g)) assert.ok(doc.components.schemas[name!], name);
  const required = (name: string) => doc.components.schemas[name]!.required as string[];
  const [daily] = (await get<Record<string, Record<string, unknown>>[]>('/api/daily_papers?date=2025-03-18')).body;
  for (const k of required('DailyPaper')) assert.ok(k in daily!, `DailyPaper.${k}`);
  for (const k of required('Paper')) assert.ok(k in daily!.paper!, `Paper.${k}`);
  const search = (await get<Record<string, unknown>>('/api/v1/search?q=graph')).body;
  for (const k of required('SearchResponse')) assert.ok(k in search, `SearchResponse.${k}`);
});

test('upvotes cast on this site add to the imported count, as on the pages', async () => {
  await store.addVote('2503.11731', 'visitor-a');
  await store.addVote('2503.11731', 'visitor-b');
  const { body } = await get<{ upvotes: number }>('/api/papers/2503.11731');
  assert.equal(body.upvotes, 14);
  await store.removeVote('2503.11731', 'visitor-a');
  await store.removeVote('2503.11731', 'visitor-b');
});
