// Trending over a real SQLite store: windows, categories, id lists, explanations, the
// features kept current by triggers (signals, votes, dates), the cache, the fast window
// path against scoring every paper, and trending as seen by search, pages, API and CLI.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { DEFAULT_CONFIG, loadConfig } from '../src/config.js';
import { emptyRecord, type PaperRecord, type Signal } from '../src/papers/paper.js';
import { search, createSearchEngine } from '../src/search/search.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { addDays } from '../src/days.js';
import { compareScored, createTrending, scoreOf, scoreParams, type TrendingConfig } from '../src/trending/index.js';
import { fixtureApp, LATEST_DAY } from './support/pages-fixture.js';

const NOW = new Date('2026-06-30T20:00:00Z');
const P = scoreParams(DEFAULT_CONFIG.trending);
let dbs = 0;
const tmp = () => path.join(mkdtempSync(path.join(tmpdir(), 'paperboy-trending-')), `t${++dbs}.db`);

const paper = (id: string, day: string, categories = ['cs.LG']): PaperRecord =>
  ({ ...emptyRecord(id, `Paper ${id}`, `About ${id}.`), categories, announcedAt: day, submittedAt: `${day}T01:00:00Z` });
const up = (paperId: string, observedAt: string, value: number, kind: Signal['kind'] = 'upvotes'): Signal => ({ paperId, kind, source: 'hf-daily', observedAt, value });

async function smallStore() {
  const store = openSqliteStore(tmp());
  await store.migrate();
  await store.ingest({
    papers: [
      paper('2606.00001', '2026-06-30'), paper('2606.00002', '2026-06-30', ['cs.CL', 'cs.LG']), paper('2606.00003', '2026-06-30', ['cs.CL']),
      paper('2606.00004', '2026-06-29'), paper('2606.00005', '2026-06-24'), paper('2605.00001', '2026-05-01'),
    ],
    signals: [up('2606.00002', '2026-06-30T10:00:00Z', 3), up('2606.00002', '2026-06-30T16:00:00Z', 30), up('2606.00004', '2026-06-29T18:00:00Z', 8), up('2605.00001', '2026-05-02T00:00:00Z', 400)],
  });
  return store;
}

test('a day, a week, a category and an id list, best first, with parts that add up', async () => {
  const store = await smallStore();
  const t = createTrending(store, DEFAULT_CONFIG.trending);
  const day = await t.rank({ from: '2026-06-30', to: '2026-06-30', limit: 10, now: NOW });
  assert.equal(day.total, 3);
  assert.deepEqual(day.entries.map((e) => e.paperId), ['2606.00002', '2606.00003', '2606.00001'], 'upvoted first, the rest tied and broken by id');
  for (const e of day.entries) assert.equal(e.components.reduce((s, c) => s + c.contribution, 0), e.score);
  assert.deepEqual(day.entries[0]!.components.map((c) => c.label).slice(0, 1), ['30 upvotes on Hugging Face']);
  const week = await t.rank({ from: '2026-06-24', to: '2026-06-30', limit: 2, offset: 1, now: NOW });
  assert.equal(week.total, 5);
  assert.deepEqual(week.entries.map((e) => e.paperId), ['2606.00004', '2606.00003']);
  const lg = await t.rank({ from: '2026-06-24', to: '2026-06-30', category: 'cs.LG', limit: 10, now: NOW });
  assert.deepEqual(lg.entries.map((e) => e.paperId), ['2606.00002', '2606.00004', '2606.00001', '2606.00005'], 'cross-lists included');
  const some = await t.rank({ from: '2000-01-01', to: '2026-06-30', paperIds: ['2605.00001', '2606.00003', 'nope', '2606.00003'], limit: 10, now: NOW });
  assert.deepEqual(some.entries.map((e) => e.paperId), ['2606.00003', '2605.00001'], 'a burst two months ago does not outrank today\'s paper');
  assert.equal((await t.rank({ from: '2026-06-30', to: '2026-06-30', paperIds: [], limit: 5 })).total, 0);
  assert.equal(await t.explain('2401.99999', NOW), null);
  assert.equal((await t.explain('2606.00002', NOW))!.score, day.entries[0]!.score);
  await assert.rejects(t.rank({ from: '2026-07-01', to: '2026-06-30', limit: 5 }), /from \(2026-07-01\) is after to/);
  await assert.rejects(t.rank({ from: '2026-02-30', to: '2026-06-30', limit: 5 }), /from must be a real day/);
  await assert.rejects(t.rank({ from: '2026-06-01', to: '2026-06-30', limit: -1 }), /limit must be a whole number/);
});

/** Every candidate of the window scored and sorted: what the fast path must equal. */
async function reference(store: Store, q: { from: string; to: string; category?: string }, now: Date): Promise<string[]> {
  const all = await store.trendingCandidates(q);
  return all.map((c) => ({ paperId: c.paperId, score: scoreOf(c, now.getTime(), P) }))
    .sort((a, b) => compareScored(a.score, a.paperId, b.score, b.paperId)).map((e) => e.paperId);
}

test('the fast window path (scored papers merged with the recency index) equals scoring every paper', async () => {
  const store = openSqliteStore(tmp());
  await store.migrate();
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const papers: PaperRecord[] = [];
  const signals: Signal[] = [];
  for (let i = 0; i < 600; i++) {
    const id = `2606.${String(10000 + i)}`;
    const day = addDays('2026-06-30', -Math.floor(rand() * 20));
    papers.push(paper(id, day, rand() < 0.5 ? ['cs.LG'] : ['cs.CV', 'cs.LG']));
    if (rand() < 0.25) {
      const n = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < n; k++) signals.push(up(id, `${addDays(day, k)}T12:00:00Z`, Math.floor(rand() * 50) * (k + 1)));
    }
  }
  // Ties: papers with the same signals on the same day.
  for (const id of ['2606.90001', '2606.90002', '2606.90003']) {
    papers.push(paper(id, '2026-06-28'));
    signals.push(up(id, '2026-06-28T12:00:00Z', 7));
  }
  await store.ingest({ papers, signals });
  const t = createTrending(store, DEFAULT_CONFIG.trending);
  for (const q of [{ from: '2026-06-30', to: '2026-06-30' }, { from: '2026-06-11', to: '2026-06-30' }, { from: '2026-06-20', to: '2026-06-27', category: 'cs.CV' }]) {
    const all = await t.rank({ ...q, limit: 10_000, now: NOW }); // (brings the features up to date first)
    const expected = await reference(store, q, NOW);
    assert.deepEqual(all.entries.map((e) => e.paperId), expected, JSON.stringify(q));
    assert.equal(all.total, expected.length);
    for (const offset of [0, 7, 25, expected.length - 3]) {
      const page = await t.rank({ ...q, limit: 10, offset, now: NOW });
      assert.deepEqual(page.entries.map((e) => e.paperId), expected.slice(offset, offset + 10), `offset ${offset}`);
    }
  }
  // A scoring time before the window's last day takes the full path; same answer.
  const early = new Date('2026-06-25T00:00:00Z');
  assert.deepEqual((await t.rank({ from: '2026-06-20', to: '2026-06-30', limit: 10_000, now: early })).entries.map((e) => e.paperId),
    await reference(store, { from: '2026-06-20', to: '2026-06-30' }, early));
});

test('features follow new signals, votes and dates at once; rankings are cached until they change', async () => {
  const store = await smallStore();
  let windowLoads = 0;
  const counting: Store = Object.create(store, { trendingWindow: { value: (q: Parameters<Store['trendingWindow']>[0]) => { windowLoads++; return store.trendingWindow(q); } } });
  const t = createTrending(counting, DEFAULT_CONFIG.trending);
  const q = { from: '2026-06-30', to: '2026-06-30', limit: 10, now: NOW };
  const first = await t.rank(q);
  await t.rank(q);
  await t.rank({ ...q, now: new Date(NOW.getTime() + 60_000) });
  assert.equal(windowLoads, 1, 'same version: read once, rescored for a new time');
  assert.equal(first.entries.at(-1)!.paperId, '2606.00001');

  await store.ingest({ signals: [up('2606.00001', '2026-06-30T19:00:00Z', 100)] });
  const afterSignal = await t.rank(q);
  assert.equal(windowLoads, 2);
  assert.equal(afterSignal.entries[0]!.paperId, '2606.00001', 'a new observation counts at the next ranking');

  for (const visitor of ['a', 'b', 'c']) await store.addVote('2606.00003', visitor);
  const voted = (await t.explain('2606.00003', NOW))!;
  assert.ok(voted.components.some((c) => c.label === '3 upvotes on this site'));
  await store.removeVote('2606.00003', 'c');
  assert.ok((await t.explain('2606.00003', NOW))!.components.some((c) => c.label === '2 upvotes on this site'));

  // Known first from Hugging Face (submission date only), then announced by arXiv: its window moves with it.
  await store.ingest({ papers: [{ ...paper('2606.00008', '2026-06-29'), announcedAt: null }], signals: [up('2606.00008', '2026-06-29T20:00:00Z', 50)] });
  assert.equal((await t.rank({ ...q, from: '2026-06-29', to: '2026-06-29' })).entries[0]!.paperId, '2606.00008');
  await store.ingest({ papers: [paper('2606.00008', '2026-06-30')] });
  assert.ok((await t.rank(q)).entries.some((e) => e.paperId === '2606.00008'));
  assert.ok(!(await t.rank({ ...q, from: '2026-06-29', to: '2026-06-29' })).entries.some((e) => e.paperId === '2606.00008'));
});

test('a change of momentum parameters recomputes every paper\'s features', async () => {
  const store = await smallStore();
  const momentumOf = async (config: TrendingConfig) => (await createTrending(store, config).explain('2606.00002', NOW))!
    .components.find((c) => c.name === 'upvotesMomentum')?.value ?? 0;
  assert.equal(await momentumOf(DEFAULT_CONFIG.trending), 0, 'gains of its first day are its launch, not momentum');
  const immediate = { ...DEFAULT_CONFIG.trending, momentum: { ...DEFAULT_CONFIG.trending.momentum, afterDays: 0 } };
  const gained = await momentumOf(immediate);
  assert.ok(gained > 20 && gained < 27, `27 gained at 16:00, decayed to 20:00: ${gained}`);
  assert.equal(await momentumOf(DEFAULT_CONFIG.trending), 0, 'and back');
});

test('search sort:trending ranks matches by trending score, and a bare date window directly', async () => {
  const store = await smallStore();
  const trending = createTrending(store, DEFAULT_CONFIG.trending, { clock: () => NOW });
  const engine = createSearchEngine(store, { trending });
  const r = await search(engine, 'paper sort:trending', { limit: 3 });
  assert.equal(r.sort, 'trending');
  assert.deepEqual(r.hits.map((h) => h.paper.id), ['2606.00002', '2606.00004', '2606.00003']);
  assert.equal(r.total, 6);
  const viaOption = await search(engine, 'paper', { sort: 'trending', limit: 1 });
  assert.equal(viaOption.hits[0]!.paper.id, '2606.00002');
  const window = await search(engine, 'cat:cs.CL since:2026-06-30 sort:trending');
  assert.deepEqual(window.hits.map((h) => h.paper.id), ['2606.00002', '2606.00003']);
  assert.equal((await search(engine, 'since:2026-07-01 before:2026-06-01 sort:trending')).total, 0);
});

test('pages: home ranks by trending (newest on request), the paper page says why, categories rank their month', async () => {
  const { app, store } = await fixtureApp(() => NOW);
  await store.ingest({ signals: [up('2606.00007', '2026-06-30T12:00:00Z', 40), up('2606.00007', '2026-06-30T12:00:00Z', 3, 'comments')] });
  const html = async (url: string) => {
    const res = await app.request(url);
    assert.equal(res.status, 200, url);
    return res.text();
  };
  const first = (body: string) => /<h2><a href="\/papers\/([^"]+)">/.exec(body)?.[1];
  const home = await html('/');
  assert.equal(first(home), '2606.00007');
  assert.match(home, /31 papers, ranked by trending score/);
  assert.match(home, /<a href="\/\?date=2026-06-30&(amp;)?sort=newest">Newest<\/a>/);
  const newest = await html(`/?date=${LATEST_DAY}&sort=newest`);
  assert.match(newest, /newest first/);
  assert.notEqual(first(newest), '2606.00007');
  assert.match(await html('/?period=weekly&date=2026-06-30&sort=newest&p=2'), /sort=newest/);
  assert.equal((await app.request('/?sort=best')).status, 400);

  const page = await html('/papers/2606.00007');
  assert.match(page, /<h2 id="why-title">Why it is trending<\/h2>/);
  assert.match(page, /<dt>\+5\.36<\/dt><dd>40 upvotes on Hugging Face<\/dd>/);
  assert.match(page, /age: announced within the last day/);
  assert.doesNotMatch(await html('/papers/2606.00001'), /Why it is trending/, 'no box of freshness and age alone for a paper without engagement');

  const cat = await html('/c/cs.LG');
  assert.match(cat, /from 1 Jun 2026 to 30 Jun 2026, ranked by trending score/);
  assert.equal(first(cat), '2606.00007');
  assert.match(await html('/c/cs.LG?sort=newest'), /papers in this category, newest first/);
});

test('API: a paper carries its score and parts', async () => {
  const { app, store } = await fixtureApp(() => NOW);
  await store.ingest({ signals: [up('2606.00009', '2026-06-30T12:00:00Z', 9)] });
  const res = await app.request('/api/papers/2606.00009');
  const body = await res.json() as { trending: { score: number; components: { name: string; contribution: number; label: string }[] } };
  assert.equal(body.trending.components[0]!.label, '9 upvotes on Hugging Face');
  assert.ok(Math.abs(body.trending.components.reduce((s, c) => s + c.contribution, 0) - body.trending.score) < 1e-12);
});

test('configuration: weights validated, connector URLs and the GitHub token from the environment', () => {
  const c = loadConfig({ env: { PAPERBOY_GITHUB_TOKEN: 'tok', PAPERBOY_HF_URL: 'http://127.0.0.1:9/', PAPERBOY_HF_SIGNALS: 'false' }, cwd: tmpdir() });
  assert.equal(c.trending.github.token, 'tok');
  assert.equal(c.trending.hf.baseUrl, 'http://127.0.0.1:9/');
  assert.equal(c.trending.hf.enabled, false);
  assert.throws(() => loadConfig({ flags: { trending: { gravity: { scaleHours: 0 } } }, cwd: tmpdir(), env: {} }), /trending.gravity.scaleHours/);
  assert.throws(() => loadConfig({ flags: { trending: { weights: { upvotes: -1 } } }, cwd: tmpdir(), env: {} }), /trending.weights.upvotes/);
});

test('CLI: paperboy trending lists a day and explains a paper', async () => {
  const file = tmp();
  const store = openSqliteStore(file);
  await store.migrate();
  await store.ingest({ papers: [paper('2606.00001', '2026-06-30'), paper('2606.00002', '2026-06-30')], signals: [up('2606.00002', '2026-06-30T10:00:00Z', 12)] });
  await store.close();
  const run = (...args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '../src/cli/main.ts'), '--db', file, ...args], { env: { ...process.env, LOG_LEVEL: 'silent' } });
  const list = await run('trending', '--now', NOW.toISOString());
  assert.match(list.stdout, /^ {3}1 {2}2606\.00002 .*Paper 2606\.00002\n {30}12 upvotes on Hugging Face/m);
  assert.match(list.stderr, /2 papers of 2026-06-30 ranked in [\d.]+ ms/);
  const why = await run('trending', '--explain', '2606.00002', '--now', NOW.toISOString());
  assert.match(why.stdout, /2606\.00002: score [\d.]+\n {2}\+3\.70 +12 upvotes on Hugging Face/);
  const json = JSON.parse((await run('trending', '--week', '--date', '2026-06-30', '--json', '--now', NOW.toISOString())).stdout) as { from: string; to: string; total: number };
  assert.deepEqual([json.from, json.to, json.total], ['2026-06-29', '2026-07-05', 2]);
});
