// Operations around every route, over a real SQLite store: Prometheus metrics, access
// logs without query strings, ETag/304 and Cache-Control, security headers on errors,
// rate limits; compression and size limits through a real HTTP server on loopback.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, silentLogger } from '../src/logger.js';
import { emptyRecord } from '../src/papers/paper.js';
import { createSearchEngine } from '../src/search/search.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createApp, type AppDeps } from '../src/web/app.js';
import { keyedBuckets } from '../src/rate-limit.js';
import { serveOnLoopback } from './support/loopback.js';

const store = openSqliteStore(path.join(mkdtempSync(path.join(tmpdir(), 'paperboy-ops-')), 'ops.db'));
await store.migrate();
const abstract = 'We study how operational middleware behaves under load. '.repeat(20);
await store.ingest({ papers: ['2503.11731', '2503.11732', '2503.11733'].map((id) => ({
  ...emptyRecord(id, `Paper ${id}`, abstract), categories: ['cs.LG'], announcedAt: '2025-03-18' })) });
await store.saveHarvestState({ name: 'oai:arXivRaw:cs', nextFrom: '2025-03-18', resumptionToken: null, currentFrom: null,
  currentResponseDate: null, pages: 1, records: 3, lastSuccessAt: '2025-03-18T01:30:00.000Z', lastError: null, updatedAt: '2025-03-18T01:30:00.000Z' });
after(() => store.close());

const appWith = (extra: Partial<AppDeps> = {}) => createApp({ store, search: createSearchEngine(store), logger: silentLogger, ...extra });

test('/metrics counts requests by route pattern and status and exposes the store gauges', async () => {
  const app = appWith();
  for (const url of ['/', '/papers/2503.11731', '/papers/2503.11732', '/papers/2401.00001', '/no/such/page?q=x']) await app.request(url);
  const res = await app.request('/metrics');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const text = await res.text();
  for (const [route, status, n] of [['/papers/:id{.+}', 200, 2], ['/papers/:id{.+}', 404, 1], ['/', 200, 1], ['unmatched', 404, 1]] as const) {
    assert.ok(text.includes(`\nhttp_requests_total{route="${route}",method="GET",status="${status}"} ${n}\n`), `${route} ${status}`);
  }
  assert.ok(!text.includes('2503.11731') && !text.includes('/no/such'), 'raw paths never become labels');
  assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
  assert.match(text, /^http_request_duration_seconds_bucket\{route="\/",method="GET",le="\+Inf"\} 1$/m);
  assert.match(text, /^http_request_duration_seconds_count\{route="\/papers\/:id\{\.\+\}",method="GET"\} 3$/m);
  assert.match(text, /^paperboy_papers 3$/m);
  assert.match(text, /^paperboy_last_harvest_timestamp_seconds\{harvest="oai:arXivRaw:cs"\} 1742261400$/m);
});

test('GET answers carry a weak ETag and Cache-Control; a matching If-None-Match gets an empty 304', async () => {
  const app = appWith();
  // Readers share pages; a voter's pages carry their votes and form token, so only their browser may keep them.
  const voted = await app.request('/papers/2503.11731/upvote', { method: 'POST', headers: { 'Sec-Fetch-Site': 'same-origin' } });
  const cookie = (voted.headers.get('set-cookie') ?? '').split(';')[0]!;
  assert.match(cookie, /^pb_visitor=/);
  const cases = [['/', {}, /^public, max-age=60$/], ['/papers/2503.11731', {}, /^public, max-age=60$/],
    ['/', { cookie }, /^private\b/], ['/papers/2503.11731', { cookie }, /^private\b/],
    ['/api/papers/2503.11731', {}, /^public, max-age=60$/]] as const;
  for (const [url, headers, policy] of cases) {
    const first = await app.request(url, { headers });
    const tag = first.headers.get('etag');
    assert.match(tag ?? '', /^W\/"[0-9a-f]{40}"$/, url);
    assert.match(first.headers.get('cache-control') ?? '', policy, url);
    const again = await app.request(url, { headers: { ...headers, 'If-None-Match': tag! } });
    assert.equal(again.status, 304, url);
    assert.equal(await again.text(), '');
    assert.equal(again.headers.get('etag'), tag);
    assert.equal(again.headers.get('cache-control'), first.headers.get('cache-control'));
  }
  assert.equal((await app.request('/api/papers/2503.11731', { headers: { cookie } })).headers.get('cache-control'), 'private, max-age=60',
    'an answer to a request with cookies may depend on them');
});

test('errors and POST answers are never stored and still carry the security headers', async () => {
  const app = appWith();
  for (const res of [await app.request('/papers/2401.00001'), await app.request('/', { method: 'POST', body: 'x=1' })]) {
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.ok(!/script-src[^;]*unsafe-inline/.test(csp), 'no inline script');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
  }
});

test('access logs name method, route, status, time and bytes, and never the query string', async () => {
  const lines: string[] = [];
  const app = appWith({ logger: createLogger({ format: 'json', write: (l) => lines.push(l) }) });
  await app.request('/papers?q=someone%40example.com&token=s3cret', { headers: { 'Accept-Encoding': 'gzip' } });
  await app.request('/papers/2503.11731?token=s3cret');
  const logs = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
  assert.equal(logs.length, 2);
  assert.deepEqual({ ...logs[1], time: 0, ms: 0 }, { time: 0, level: 'info', msg: 'request', method: 'GET', route: '/papers/:id{.+}',
    path: '/papers/2503.11731', status: 200, ms: 0, bytes: logs[1]!.bytes });
  assert.ok(typeof logs[1]!.bytes === 'number' && logs[1]!.bytes > 1000);
  const all = lines.join('\n');
  assert.ok(!/s3cret|example\.com|someone|\?/.test(all), all);
});

test('rate limits answer 429 with Retry-After, per client, and recover once tokens are back', async () => {
  const app = appWith({ http: { rateLimit: { perMinute: 120, postsPerMinute: 2 }, trustProxy: true } });
  const from = (ip: string, method = 'GET') => app.request('/healthz', { method, headers: { 'X-Forwarded-For': `10.9.9.9, ${ip}` } });
  assert.equal((await from('10.0.0.1', 'POST')).status, 404);
  assert.equal((await from('10.0.0.1', 'POST')).status, 404);
  const post = await from('10.0.0.1', 'POST');
  assert.deepEqual([post.status, post.headers.get('retry-after'), post.headers.get('cache-control'), post.headers.get('x-content-type-options')],
    [429, '30', 'no-store', 'nosniff']);
  assert.match(await post.text(), /Too many requests; try again in 30 s/);
  const unsubscribe = await app.request('/unsubscribe', { method: 'POST', headers: { 'X-Forwarded-For': '10.0.0.1' } });
  assert.notEqual(unsubscribe.status, 429, 'one-click unsubscribes come from shared mail-provider addresses: never limited');

  let limited: Response | undefined;
  for (let i = 0; i < 400 && !limited; i++) {
    const res = await from('10.0.0.2');
    if (res.status === 429) limited = res;
  }
  assert.ok(limited, 'the bucket ran dry');
  assert.equal((await from('10.0.0.3')).status, 200, 'another client is not affected');
  const wait = Number(limited.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= 2);
  await sleep(wait * 1000);
  assert.equal((await from('10.0.0.2')).status, 200);
  assert.equal((await appWith().request('/healthz')).status, 200, 'requests without a peer address are not limited');
});

test('token buckets refill evenly and sweep full buckets, so memory stays bounded', () => {
  let t = 0;
  const buckets = keyedBuckets({ capacity: 60, periodMs: 60_000, now: () => t, maxKeys: 1000 });
  for (let i = 0; i < 60; i++) assert.equal(buckets.take('a'), 0);
  assert.equal(buckets.take('a'), 1000);
  t += 1000;
  assert.equal(buckets.take('a'), 0);
  for (let i = 0; i < 500; i++) buckets.take(`client-${i}`);
  assert.equal(buckets.size(), 501);
  t += 61_000;
  buckets.take('b');
  assert.equal(buckets.size(), 1, 'refilled buckets were swept');
  for (let i = 0; i < 1500; i++) buckets.take(`flood-${i}`);
  assert.ok(buckets.size() <= 1000);
});

test('through a real HTTP server: compression, 413 for large bodies, 414 for long addresses', async () => {
  const app = appWith({ http: { maxBodyBytes: 64 * 1024 } });
  const { server, port, base } = await serveOnLoopback(app.fetch);
  try {
    const plain = await fetch(`${base}/`, { headers: { 'Accept-Encoding': 'identity' } });
    const html = await plain.text();
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(Number(plain.headers.get('content-length')), Buffer.byteLength(html));
    for (const encoding of ['gzip', 'br']) {
      const res = await fetch(`${base}/`, { headers: { 'Accept-Encoding': encoding } });
      assert.equal(res.headers.get('content-encoding'), encoding);
      assert.match(res.headers.get('vary') ?? '', /Accept-Encoding/);
      assert.ok(Number(res.headers.get('content-length')) < Buffer.byteLength(html) / 3, 'the repeated abstracts compress well');
      assert.equal(await res.text(), html, 'fetch decodes it back to the same page');
    }

    const big = await fetch(`${base}/api/papers/search`, { method: 'POST', body: 'x'.repeat(70_000), headers: { Accept: 'application/json' } });
    assert.equal(big.status, 413);
    assert.deepEqual(await big.json(), { error: { code: 'too_large', message: 'The request body is larger than 64 kB.' } });
    assert.equal(big.headers.get('cache-control'), 'no-store');

    const long = await fetch(`${base}/papers?q=${'a'.repeat(9000)}`);
    assert.equal(long.status, 414);
    assert.match(long.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.match(await long.text(), /address is longer than 8,192 characters/);
    assert.equal((await fetch(`${base}/papers?q=${'a'.repeat(7000)}`)).status, 200, 'long but allowed');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
