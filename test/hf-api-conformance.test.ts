// Hugging Face's own client against a real Paperboy server: its paper functions, replayed
// as hf_api.py reads responses (test/support/hf-client.ts), get every field they read —
// including the ones it takes only from an entry's top level — and the paths answer as
// Hugging Face's do (bare arrays, the latest day by default, a 0-based p, 404s).

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { silentLogger } from '../src/logger.js';
import { emptyRecord, type PaperRecord } from '../src/papers/paper.js';
import { createSearchEngine } from '../src/search/search.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createApp } from '../src/web/app.js';
import { HfHubHTTPError, hfApi } from './support/hf-client.js';
import { serveOnLoopback } from './support/loopback.js';

const paper = (id: string, title: string, day: string, extra: Partial<PaperRecord> = {}): PaperRecord => ({
  ...emptyRecord(id, title, `We study ${title.toLowerCase()}.`), authors: [{ name: 'Ada Lovelace' }, { name: 'Alan Turing' }],
  categories: ['cs.LG'], announcedAt: day, submittedAt: `${day}T09:30:00+00:00`, versions: [{ version: 1, submittedAt: `${day}T09:30:00Z` }], ...extra,
});

const store = openSqliteStore(path.join(mkdtempSync(path.join(tmpdir(), 'paperboy-hfc-')), 'hf.db'));
await store.migrate();
await store.ingest({
  papers: [
    paper('2608.19880', 'Awakening static worlds', '2026-08-21', { abstract: 'Worlds where $x < y$ & <b>bold</b> claims.' }),
    paper('2608.19881', 'Graph agents at scale', '2026-08-21'),
    paper('2608.10001', 'Earlier graph work', '2026-08-14'),
  ],
  signals: [
    { paperId: '2608.19880', kind: 'upvotes', value: 163, source: 'hf-daily', observedAt: '2026-08-21T23:59:59Z' },
    { paperId: '2608.19880', kind: 'comments', value: 4, source: 'hf-daily', observedAt: '2026-08-21T23:59:59Z' },
    { paperId: '2608.19880', kind: 'github_stars', value: 8, source: 'github', observedAt: '2026-08-22T03:00:00Z' },
  ],
});
await store.saveRepoLinks([{ paperId: '2608.19880', repo: 'google-research/envharness', source: 'hf-daily' }]);
await store.saveExtras([{ paperId: '2608.19880', source: 'hf-daily', aiSummary: 'Plugins reshape static environments.', aiKeywords: ['LLM agents', 'EnvHarness'], projectPage: 'https://envharness.example/' }]);

const app = createApp({ store, search: createSearchEngine(store), logger: silentLogger, http: { rateLimit: { perMinute: 0, postsPerMinute: 0 } } });
const { server, base } = await serveOnLoopback(app.fetch);
const hf = hfApi(base);
after(() => new Promise((resolve) => server.close(resolve)));

test('list_daily_papers: without a date the latest day, every field PaperInfo reads, top-level ones included', async () => {
  const papers = await hf.listDailyPapers();
  assert.deepEqual(papers.map((p) => p.id).sort(), ['2608.19880', '2608.19881'], 'the latest day only');
  const p = papers.find((x) => x.id === '2608.19880')!;
  assert.equal(p.title, 'Awakening static worlds');
  assert.deepEqual(p.authors, ['Ada Lovelace', 'Alan Turing']);
  assert.equal(p.summary, 'Worlds where $x < y$ & <b>bold</b> claims.');
  assert.equal(p.upvotes, 163);
  assert.equal(p.comments, 4);
  assert.equal(p.published_at?.toISOString(), '2026-08-21T09:30:00.000Z', 'the first submission, read from paper');
  assert.equal(p.submitted_at?.toISOString(), '2026-08-21T00:00:00.000Z', 'when it was listed, read from the entry');
  assert.equal(p.ai_summary, 'Plugins reshape static environments.');
  assert.deepEqual(p.ai_keywords, ['LLM agents', 'EnvHarness']);
  assert.equal(p.github_repo, 'https://github.com/google-research/envharness');
  assert.equal(p.github_stars, 8);
  assert.equal(p.project_page, 'https://envharness.example/');
  const plain = papers.find((x) => x.id === '2608.19881')!;
  assert.deepEqual([plain.ai_summary, plain.github_repo, plain.project_page, plain.comments], [null, null, null, 0]);
});

test('list_daily_papers: date, week, month, sort, submitter, a 0-based p and limit', async () => {
  assert.deepEqual((await hf.listDailyPapers({ date: '2026-08-14' })).map((p) => p.id), ['2608.10001']);
  assert.equal((await hf.listDailyPapers({ week: '2026-W34' })).length, 2);
  assert.equal((await hf.listDailyPapers({ month: '2026-08' })).length, 3);
  const trending = await hf.listDailyPapers({ month: '2026-08', sort: 'trending' });
  assert.equal(trending[0]!.id, '2608.19880', 'the upvoted paper first');
  assert.ok('trending' in trending[0]!.extra, 'Paperboy\'s reasons ride along as an extra attribute');
  const first = await hf.listDailyPapers({ month: '2026-08', limit: 2, p: 0 });
  const second = await hf.listDailyPapers({ month: '2026-08', limit: 2, p: 1 });
  assert.deepEqual([first.length, second.length], [2, 1]);
  assert.equal(new Set([...first, ...second].map((p) => p.id)).size, 3);
  assert.deepEqual(await hf.listDailyPapers({ submitter: 'akhaliq' }), [], 'Paperboy records no submitters');
  assert.deepEqual(await hf.listDailyPapers({ date: '2020-01-01' }), []);
});

test('list_papers: a bare array of entries; no query finds nothing', async () => {
  const found = await hf.listPapers('graph');
  assert.deepEqual(found.map((p) => p.id).sort(), ['2608.10001', '2608.19881']);
  for (const p of found) assert.deepEqual([typeof p.title, p.authors?.length, typeof p.summary], ['string', 2, 'string']);
  assert.deepEqual(await hf.listPapers(), [], 'an empty query must not list the collection');
  const res = await fetch(`${base}/api/papers/search?q=%20`);
  assert.deepEqual(await res.json(), [], 'nor does a blank one');
});

test('paper_info: the paper object read at its top level; unknown ids and versions are 404s', async () => {
  const p = await hf.paperInfo('2608.19880');
  assert.equal(p.id, '2608.19880');
  assert.equal(p.title, 'Awakening static worlds');
  assert.deepEqual(p.authors, ['Ada Lovelace', 'Alan Turing']);
  assert.equal(p.upvotes, 163);
  assert.equal(p.comments, 4);
  assert.equal(p.published_at?.toISOString(), '2026-08-21T09:30:00.000Z');
  assert.equal(p.submitted_at?.toISOString(), '2026-08-21T00:00:00.000Z');
  assert.equal(p.github_repo, 'https://github.com/google-research/envharness');
  assert.deepEqual(p.ai_keywords, ['LLM agents', 'EnvHarness']);
  assert.equal((await hf.paperInfo('2608.19880v1')).id, '2608.19880');
  for (const id of ['2608.19880v2', '2401.00001']) {
    await assert.rejects(hf.paperInfo(id), (e: unknown) => e instanceof HfHubHTTPError && e.status === 404, id);
  }
});

test('read_paper: the paper as Markdown, with nothing a renderer would turn into HTML', async () => {
  const md = await hf.readPaper('2608.19880');
  assert.match(md, /^# Awakening static worlds\n/);
  assert.match(md, /\*\*Authors:\*\* Ada Lovelace, Alan Turing/);
  assert.match(md, /\[Code\]\(<https:\/\/github\.com\/google-research\/envharness>\)/);
  assert.match(md, /## Summary\n\nPlugins reshape static environments\./);
  assert.ok(md.includes('Worlds where $x &lt; y$ &amp; &lt;b&gt;bold&lt;/b&gt; claims.'), md);
  await assert.rejects(hf.readPaper('2401.00001'), (e: unknown) => e instanceof HfHubHTTPError && e.status === 404);
});

test('/api/arxiv/{id}/repos: Hugging Face\'s lists, and the GitHub repositories Paperboy knows', async () => {
  const body = await (await fetch(`${base}/api/arxiv/2608.19880/repos`)).json();
  assert.deepEqual(body, { models: [], datasets: [], spaces: [], githubRepos: [{ repo: 'google-research/envharness', url: 'https://github.com/google-research/envharness' }] });
  assert.equal((await fetch(`${base}/api/arxiv/not-an-id/repos`)).status, 400);
});
