// The site over a real SQLite file: pages list what the store holds, escape every
// paper field, and answer unknown or malformed ids with a 404/400, never a 500.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../src/logger.js';
import { emptyRecord } from '../src/papers/paper.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createSearchEngine } from '../src/search/search.js';
import { createApp } from '../src/web/app.js';

const store = openSqliteStore(path.join(mkdtempSync(path.join(tmpdir(), 'paperboy-web-')), 'web.db'));
await store.migrate();
await store.ingest({ papers: [
  { ...emptyRecord('2503.11731', 'Bounds for $O(n<m)$ & <script>alert(1)</script>', 'We show <img src=x onerror=alert(1)> that a < b.'),
    authors: [{ name: 'Eve "<b>" Hacker' }], categories: ['cs.LG'], announcedAt: '2025-03-18' },
  { ...emptyRecord('hep-th/9901001', 'Old strings', 'An old-style id.'), announcedAt: '1999-01-04' },
] });
const app = createApp({ store, search: createSearchEngine(store), logger: silentLogger });

test('home shows the latest day\'s papers, older days by date, every field escaped', async () => {
  const res = await app.request('/');
  assert.equal(res.status, 200);
  const body = await res.text();
  assert.ok(body.includes('2503.11731') && !body.includes('hep-th/9901001'));
  assert.ok((await (await app.request('/?date=1999-01-04')).text()).includes('hep-th/9901001'));
  assert.ok(!body.includes('<script>alert(1)</script>'));
  assert.ok(!body.includes('<img src=x'));
  assert.ok(body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(body.includes('Eve &quot;&lt;b&gt;&quot; Hacker'));
  assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
});

test('paper pages resolve old-style and versioned ids; unknown ids get a 404 page', async () => {
  assert.equal((await app.request('/papers/hep-th/9901001')).status, 200);
  const v2 = await app.request('/papers/2503.11731v2');
  assert.equal(v2.status, 200);
  assert.match(await v2.text(), /https:\/\/arxiv\.org\/abs\/2503\.11731/);
  const missing = await app.request('/papers/2401.00001');
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /is not in this collection/);
  assert.equal((await app.request('/papers/%3Cscript%3E')).status, 404);
});

test('the JSON API returns a paper, 404 for unknown and 400 for malformed ids', async () => {
  const ok = await app.request('/api/papers/2503.11731');
  assert.equal(ok.status, 200);
  const paper = await ok.json() as { id: string; title: string; links: { pdf: string } };
  assert.equal(paper.id, '2503.11731');
  assert.match(paper.title, /<script>/, 'JSON carries the raw title; escaping is the renderer\'s job');
  assert.equal((await app.request('/api/papers/2401.00001')).status, 404);
  const bad = await app.request('/api/papers/not-an-id');
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'bad_input');
});

test('search results highlight matches, escape everything and page', async () => {
  const res = await app.request('/papers?q=bounds');
  assert.equal(res.status, 200);
  const body = await res.text();
  assert.match(body, /1 papers|1 paper/);
  assert.ok(!body.includes('<script>alert(1)</script>'));
  const hostile = await app.request(`/papers?q=${encodeURIComponent('"><script>alert(2)</script> author:"')}`);
  assert.equal(hostile.status, 200);
  assert.ok(!(await hostile.text()).includes('<script>alert(2)'));
  const marked = await (await app.request('/papers?q=show')).text();
  assert.match(marked, /<mark>show<\/mark>/);
  const byId = await app.request('/papers?q=2503.11731v1');
  assert.equal(byId.status, 302);
  assert.equal(byId.headers.get('location'), '/papers/2503.11731');
  const api = await (await app.request('/api/v1/search?q=old+strings')).json() as { total: number; results: { id: string }[] };
  assert.deepEqual(api.results.map((r) => r.id), ['hep-th/9901001']);
  const hf = await (await app.request('/api/papers/search?q=old+strings')).json() as { paper: { id: string } }[];
  assert.deepEqual(hf.map((r) => r.paper.id), ['hep-th/9901001'], 'Hugging Face\'s path answers a bare array');
  assert.equal((await app.request('/api/papers/search?q=x&limit=1000')).status, 400);
  assert.equal((await app.request(`/api/papers/search?q=${'x'.repeat(3000)}`)).status, 413);
});

test('health check reports the paper count', async () => {
  const res = await app.request('/healthz');
  assert.deepEqual(((await res.json()) as { papers: number }).papers, 2);
});
