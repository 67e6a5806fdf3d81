// The signal connectors against real local HTTP servers replaying the APIs' shapes:
// Hugging Face daily papers (pages, repeated fetches as new observations, broken JSON,
// 5xx, timeouts) and GitHub stars (links from items and paper text, the token, rate-limit
// headers, 403/429/404/401/5xx), and the schedule that runs them in `serve`.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../src/config.js';
import { PaperboyError } from '../src/errors.js';
import { createGithubHttp, fetchGithubStars, githubRepoOf, githubReposIn, GITHUB_STATE } from '../src/ingest/github-stars.js';
import { fetchHfDays, HF_STATE, hfDailyUrl } from '../src/ingest/hf-daily-api.js';
import { createPoliteHttpClient } from '../src/ingest/polite-http.js';
import { createLogger, silentLogger } from '../src/logger.js';
import { emptyRecord } from '../src/papers/paper.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { startIntervalJob } from '../src/jobs/interval.js';
import { hfItem, startFakeHf } from './support/fake-hf.js';
import { startFakeGithub } from './support/fake-github.js';

const hf = await startFakeHf();
const gh = await startFakeGithub();
after(async () => { await hf.close(); await gh.close(); });

let n = 0;
async function freshStore() {
  const store = openSqliteStore(path.join(mkdtempSync(path.join(tmpdir(), 'paperboy-signals-')), `s${++n}.db`));
  await store.migrate();
  return store;
}
const http = (o: { timeoutMs?: number; maxRetries?: number } = {}) => createPoliteHttpClient({ minIntervalMs: 0, timeoutMs: o.timeoutMs ?? 5000, maxRetries: o.maxRetries ?? 1 });
const at = (iso: string) => () => new Date(iso);

test('Hugging Face: a day\'s list becomes papers, signals observed at fetch time and repository links', async () => {
  const store = await freshStore();
  hf.answer = undefined;
  hf.days.set('2026-06-29', [
    hfItem({ id: '2606.10001', title: 'First', upvotes: 12, comments: 3, stars: 40, repo: 'https://github.com/Lab/First-Code' }, '2026-06-29'),
    hfItem({ id: '2606.10002', title: 'Second', upvotes: 4 }, '2026-06-29'),
    { paper: { id: 'not-an-id', title: 'Broken' } },
  ]);
  const s = await fetchHfDays({ store, http: http(), logger: silentLogger, now: at('2026-06-29T10:00:00.123Z') }, { baseUrl: `${hf.url}/`, days: ['2026-06-29'] });
  assert.deepEqual(s.days.map((d) => [d.papers, d.signalsAdded, d.repoLinks, d.skipped]), [[2, 5, 1, 1]]);
  assert.equal(hf.requests.at(-1)!.get('date'), '2026-06-29');
  const first = await store.getPaper('2606.10001');
  assert.equal(first?.title, 'First');
  assert.deepEqual(first?.authors.map((a) => a.name), ['Ada Example'], 'hidden authors are left out');
  const signals = await store.signalsFor('2606.10001');
  assert.deepEqual(signals.map((x) => [x.kind, x.value, x.observedAt]), [
    ['comments', 3, '2026-06-29T10:00:00Z'], ['github_stars', 40, '2026-06-29T10:00:00Z'], ['upvotes', 12, '2026-06-29T10:00:00Z']]);
  assert.deepEqual((await store.reposToRefresh({ sinceDay: '2026-01-01', limit: 10 })).map((r) => [r.repo, r.paperIds]), [['lab/first-code', ['2606.10001']]]);
  // Six hours later the counts grew: a new observation, the old one kept.
  hf.days.set('2026-06-29', [hfItem({ id: '2606.10001', title: 'First', upvotes: 30, comments: 3, stars: 40 }, '2026-06-29')]);
  await fetchHfDays({ store, http: http(), logger: silentLogger, now: at('2026-06-29T16:00:00Z') }, { baseUrl: hf.url, days: ['2026-06-29'] });
  assert.deepEqual((await store.signalsFor('2606.10001')).filter((x) => x.kind === 'upvotes').map((x) => x.value), [12, 30]);
  const state = await store.getHarvestState(HF_STATE);
  assert.equal(state?.lastSuccessAt, '2026-06-29T16:00:00.000Z');
  assert.equal(state?.lastError, null);
});

test('Hugging Face: a full page asks for the next one; an API that ignores p= stops after one repeat', async () => {
  const store = await freshStore();
  hf.answer = undefined;
  const items = Array.from({ length: 62 }, (_, i) => hfItem({ id: `2606.2${String(i).padStart(4, '0')}`, title: `Paper ${i}`, upvotes: i }, '2026-06-28'));
  hf.days.set('2026-06-28', items);
  const before = hf.requests.length;
  const s = await fetchHfDays({ store, http: http(), logger: silentLogger }, { baseUrl: hf.url, days: ['2026-06-28'] });
  assert.equal(s.days[0]!.papers, 62);
  assert.deepEqual(hf.requests.slice(before).map((q) => q.get('p')), [null, '1']);
  hf.answer = (q) => (q.get('date') === '2026-06-27' ? { body: JSON.stringify(items.slice(0, 50)) } : undefined);
  const again = hf.requests.length;
  await fetchHfDays({ store, http: http(), logger: silentLogger }, { baseUrl: hf.url, days: ['2026-06-27'] });
  assert.equal(hf.requests.length - again, 2);
  assert.equal(hfDailyUrl('https://huggingface.co/', '2026-06-27', 2), 'https://huggingface.co/api/daily_papers?date=2026-06-27&p=2');
});

test('Hugging Face: broken JSON, a non-array, 5xx and timeouts fail clearly, and the good days are kept', async () => {
  const store = await freshStore();
  hf.days.set('2026-06-20', [hfItem({ id: '2606.30001', title: 'Good', upvotes: 2 }, '2026-06-20')]);
  hf.days.set('2026-06-24', [hfItem({ id: '2606.30002', title: 'After a retry', upvotes: 5 }, '2026-06-24')]);
  let failedOnce = false;
  hf.answer = (q) => {
    switch (q.get('date')) {
      case '2026-06-21': return { body: '[{"paper": {"id": "2606.3' };
      case '2026-06-22': return { body: '{"error": "Invalid date"}' };
      case '2026-06-23': return { status: 503, body: 'busy' };
      case '2026-06-24': return failedOnce ? undefined : ((failedOnce = true), { status: 500, body: 'oops' });
      case '2026-06-25': return { delayMs: 600 };
      default: return undefined;
    }
  };
  const days = ['2026-06-20', '2026-06-21', '2026-06-22', '2026-06-23', '2026-06-24', '2026-06-25'];
  const err = await fetchHfDays({ store, http: http({ timeoutMs: 300, maxRetries: 1 }), logger: silentLogger }, { baseUrl: hf.url, days })
    .then(() => null, (e: unknown) => e);
  assert.ok(err instanceof PaperboyError, String(err));
  assert.match(err.message, /4 of 6 Hugging Face days failed \(the others were saved\)/);
  assert.match(err.message, /2026-06-21: GET .*date=2026-06-21: the answer is not JSON/);
  assert.match(err.message, /2026-06-22: .*expected the JSON array \/api\/daily_papers returns, got object/);
  assert.match(err.message, /2026-06-23: .*unavailable after 1 retries: HTTP 503/);
  assert.match(err.message, /2026-06-25: .*timed out after 300 ms/);
  assert.ok(await store.getPaper('2606.30001'), 'the day before the failures is saved');
  assert.ok(await store.getPaper('2606.30002'), 'a 500 then success is retried and saved');
  const state = await store.getHarvestState(HF_STATE);
  assert.equal(state?.lastSuccessAt, null);
  assert.match(state?.lastError ?? '', /2026-06-21/);
  hf.answer = undefined;
});

test('GitHub repository links from URLs and paper text', () => {
  assert.equal(githubRepoOf('https://github.com/Lab/Repo.git'), 'lab/repo');
  assert.equal(githubRepoOf('github.com/lab/repo/tree/main/src'), 'lab/repo');
  assert.equal(githubRepoOf('https://github.com/orgs/lab/repositories'), null);
  assert.equal(githubRepoOf('https://gitlab.com/lab/repo'), null);
  assert.deepEqual(githubReposIn('Code: https://github.com/a-b/c_d.e. See also \\url{https://github.com/A-B/C_D.E} and github.com/x/y, github.com/topics/ml.'), ['a-b/c_d.e', 'x/y']);
});

async function storeWithRepos() {
  const store = await freshStore();
  const day = new Date().toISOString().slice(0, 10);
  await store.ingest({
    papers: [
      { ...emptyRecord('2606.40001', 'Linked by HF', 'abstract'), announcedAt: day },
      { ...emptyRecord('2606.40002', 'Mentions code', 'We build on https://github.com/Lab/Shared.'), announcedAt: day, comment: 'Code: github.com/lab/other' },
      { ...emptyRecord('2606.40003', 'Gone repo', 'abstract'), announcedAt: day },
      { ...emptyRecord('1001.00001', 'Old paper', 'github.com/old/repo'), announcedAt: '2010-01-04' },
    ],
  });
  await store.saveRepoLinks([
    { paperId: '2606.40001', repo: 'lab/shared', source: 'hf-daily' },
    { paperId: '2606.40003', repo: 'lab/gone', source: 'hf-daily' },
  ]);
  return { store, day };
}

test('GitHub: stars of linked repositories become signals of every paper linking them; the token is sent, never shown', async () => {
  const { store, day } = await storeWithRepos();
  gh.repos = new Map([['Lab/Shared', 1234], ['lab/other', 7]]);
  gh.remaining = 60;
  gh.answer = undefined;
  const token = 'ghp_secretTOKEN123';
  const config = loadConfig({ env: { PAPERBOY_GITHUB_TOKEN: token, PAPERBOY_GITHUB_API_URL: gh.url }, cwd: tmpdir() });
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (l) => lines.push(l) });
  const before = gh.requests.length;
  const s = await fetchGithubStars({ store, http: createGithubHttp(config, logger), logger, now: () => new Date() },
    { apiUrl: config.trending.github.apiUrl, sinceDay: day, maxRepos: 100, maxWaitMs: 1000 });
  assert.deepEqual({ ...s }, { linksFound: 1, checked: 3, ok: 2, notFound: 1, failed: 0, signalsAdded: 2, left: 0 });
  const sent = gh.requests.slice(before);
  assert.deepEqual(sent.map((r) => r.path).sort(), ['/repos/lab/gone', '/repos/lab/other', '/repos/lab/shared']);
  for (const r of sent) {
    assert.equal(r.headers.authorization, `Bearer ${token}`);
    assert.equal(r.headers.accept, 'application/vnd.github+json');
    assert.match(r.headers['user-agent'] ?? '', /^Paperboy\//);
  }
  const stars = async (id: string) => (await store.signalsFor(id)).filter((x) => x.kind === 'github_stars').map((x) => [x.value, x.source]);
  assert.deepEqual(await stars('2606.40001'), [[1234, 'github']]);
  assert.deepEqual(await stars('2606.40002'), [[7, 'github']], 'the first link of its comment, not the abstract\'s');
  assert.equal((await store.getHarvestState(GITHUB_STATE))?.lastError, null);
  // A gone repository is not asked about again for a week; the others are, stalest first.
  assert.deepEqual((await store.reposToRefresh({ sinceDay: day, limit: 10 })).map((r) => r.repo), ['lab/other', 'lab/shared']);
  assert.ok(!lines.join('\n').includes(token), 'the token is never logged');
  // A bad token: a clear message without the token.
  gh.answer = () => ({ status: 401, body: '{"message":"Bad credentials"}' });
  const err = await fetchGithubStars({ store, http: createGithubHttp(config, logger), logger }, { apiUrl: gh.url, sinceDay: day, maxRepos: 100, maxWaitMs: 0 }).catch((e: unknown) => e);
  assert.ok(err instanceof PaperboyError && err.code === 'bad_config' && /PAPERBOY_GITHUB_TOKEN/.test(err.message) && !err.message.includes(token));
  gh.answer = undefined;
});

test('GitHub: a spent rate limit is waited for when near, else the run stops, saves and says when to resume', async () => {
  const { store, day } = await storeWithRepos();
  gh.repos = new Map([['lab/shared', 10], ['lab/other', 20], ['lab/gone', 30]]);
  gh.answer = undefined;
  // Near reset: the budget runs out after one answer, the run waits and goes on.
  gh.remaining = 1;
  gh.resetAt = Math.floor(Date.now() / 1000) + 2;
  const waits: number[] = [];
  const sleep = async (ms: number) => { waits.push(ms); gh.remaining = 60; };
  const s = await fetchGithubStars({ store, http: http(), logger: silentLogger, sleep }, { apiUrl: gh.url, sinceDay: day, maxRepos: 10, maxWaitMs: 60_000 });
  assert.equal(s.ok, 3);
  assert.equal(waits.length, 1);
  assert.ok(waits[0]! > 0 && waits[0]! <= 2000, `waited ${waits[0]} ms`);

  // Far reset: stop with a rate_limited error; what was fetched is kept.
  const other = await storeWithRepos();
  gh.remaining = 1;
  gh.resetAt = Math.floor(Date.now() / 1000) + 3600;
  const err = await fetchGithubStars({ store: other.store, http: http(), logger: silentLogger, sleep: async () => assert.fail('must not wait an hour') },
    { apiUrl: gh.url, sinceDay: day, maxRepos: 10, maxWaitMs: 60_000 }).catch((e: unknown) => e);
  assert.ok(err instanceof PaperboyError && err.code === 'rate_limited', String(err));
  assert.match(err.message, /2 repositories left; it resets at \d{4}-\d\d-\d\dT/);
  assert.match((await other.store.getHarvestState(GITHUB_STATE))?.lastError ?? '', /rate limit/);
  const fetched = await other.store.reposToRefresh({ sinceDay: day, limit: 10 });
  assert.equal(fetched.filter((r) => r.checkedAt !== null).length, 1, 'the one answer before the limit is saved');
  // The next run (budget back) continues with the ones never checked.
  gh.remaining = 60;
  const before = gh.requests.length;
  const next = await fetchGithubStars({ store: other.store, http: http(), logger: silentLogger }, { apiUrl: gh.url, sinceDay: day, maxRepos: 2, maxWaitMs: 0 });
  assert.equal(next.ok, 2);
  assert.ok(!gh.requests.slice(before).some((r) => r.path === `/repos/${fetched.find((f) => f.checkedAt)!.repo}`), 'never-checked first');
});

test('GitHub: a 403 with rate-limit headers and a 429 with Retry-After are honoured; 5xx stops the run', async () => {
  const { store, day } = await storeWithRepos();
  gh.repos = new Map([['lab/shared', 10], ['lab/other', 20], ['lab/gone', 30]]);
  gh.remaining = 60;
  let calls = 0;
  gh.answer = () => {
    calls++;
    if (calls === 1) return { status: 403, body: '{"message":"You have exceeded a secondary rate limit."}', headers: { 'Retry-After': '1' } };
    if (calls === 2) return { status: 429, body: '{"message":"too many"}', headers: { 'Retry-After': '0' } };
    return undefined;
  };
  const waits: number[] = [];
  const s = await fetchGithubStars({ store, http: http({ maxRetries: 2 }), logger: silentLogger, sleep: async (ms) => { waits.push(ms); } },
    { apiUrl: gh.url, sinceDay: day, maxRepos: 10, maxWaitMs: 60_000 });
  assert.equal(s.ok, 3);
  assert.equal(waits.length, 1, 'the 403 waits Retry-After (the 429 is retried by the polite client)');
  assert.ok(waits[0]! > 500 && waits[0]! <= 1000);

  gh.answer = () => ({ status: 502, body: 'Bad gateway' });
  const err = await fetchGithubStars({ store, http: http({ maxRetries: 1 }), logger: silentLogger }, { apiUrl: gh.url, sinceDay: day, maxRepos: 10, maxWaitMs: 0 }).catch((e: unknown) => e);
  assert.ok(err instanceof PaperboyError && err.code === 'upstream_unavailable', String(err));
  assert.match((await store.getHarvestState(GITHUB_STATE))?.lastError ?? '', /GitHub unavailable/);
  gh.answer = undefined;
});

test('the interval job runs at start when due, again after its interval, and retries sooner after a failure', async () => {
  const runs: number[] = [];
  let fail = true;
  // Timers never fire early, only late (a busy machine): the bounds only assume that.
  const job = startIntervalJob({
    name: 'test job', everyMs: 1500, retryAfterFailureMs: 30, logger: silentLogger, lastSuccessAt: async () => null,
    run: async () => {
      runs.push(Date.now());
      if (fail) { fail = false; throw new Error('first run fails'); }
    },
  });
  for (let waited = 0; runs.length < 3 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  job.stop();
  assert.equal(runs.length, 3, `${runs.length} runs`);
  assert.ok(runs[1]! - runs[0]! < 1000, `a failure is retried after retryAfterFailureMs, not the interval (${runs[1]! - runs[0]!} ms)`);
  assert.ok(runs[2]! - runs[1]! >= 1450, `after a success the next run waits the interval (${runs[2]! - runs[1]!} ms)`);
  const idle: number[] = [];
  const recent = startIntervalJob({ name: 'idle', everyMs: 10_000, logger: silentLogger, lastSuccessAt: async () => new Date().toISOString(), run: async () => { idle.push(1); } });
  await new Promise((r) => setTimeout(r, 50));
  recent.stop();
  assert.equal(idle.length, 0, 'not due yet: no run at start');
});
