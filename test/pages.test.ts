// The server-rendered site over a real SQLite store: every page, hostile fields and
// queries escaped (KaTeX output is the only raw HTML), 404/400 pages, and upvotes with
// CSRF protection, one vote per visitor, undo, idempotence and a rate limit.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureApp, LATEST_DAY } from './support/pages-fixture.js';

const { app, store } = await fixtureApp();

/**
 * A visitor with a current browser: its form posts say they come from this site
 * (Sec-Fetch-Site), and it keeps the cookie the site hands out with the first vote.
 */
function visitor(appUnderTest = app) {
  let cookie = '';
  const withCookie = (): Record<string, string> => (cookie ? { Cookie: cookie } : {});
  const post = async (url: string, form: Record<string, string>, json = true) => {
    const res = await appUnderTest.request(url, {
      method: 'POST', body: new URLSearchParams(form),
      headers: { ...withCookie(), 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/x-www-form-urlencoded', ...(json ? { Accept: 'application/json' } : {}) },
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0]!;
    return res;
  };
  return { post, cookie: () => cookie, get: (url: string) => appUnderTest.request(url, { headers: withCookie() }) };
}

async function page(url: string, status = 200): Promise<string> {
  const res = await app.request(url);
  const body = await res.text();
  assert.equal(res.status, status, `${url}: ${body.slice(0, 300)}`);
  return body;
}

const count = (body: string, what: string) => body.split(what).length - 1;

function assertNoInjection(body: string): void {
  for (const bad of ['<script>alert', '<img src=x', '<b onmouseover', '<iframe', 'href="javascript:', 'onerror=alert(1)>']) {
    assert.ok(!body.includes(bad), `page contains ${bad}`);
  }
}

test('home shows the latest day with papers, paged, with tabs, date links and the subscribe box', async () => {
  const res = await app.request('/');
  assert.equal(res.headers.get('set-cookie'), null, 'reading needs no cookie');
  assert.match(res.headers.get('cache-control') ?? '', /^public/);
  const body = await res.text();
  assert.match(body, /<h1>30 Jun 2026<\/h1>/);
  assert.equal(count(body, '<article class="paper"'), 25);
  assert.match(body, /31 papers, ranked by trending score/);
  assert.match(body, /href="\/\?date=2026-06-29" rel="prev"/);
  assert.ok(!body.includes('Next day'), 'no next day after the latest');
  assert.match(body, /<a rel="next" href="\/\?date=2026-06-30&(amp;)?p=2">/);
  assert.match(body, /<a href="\/\?period=weekly&(amp;)?date=2026-06-30">Weekly<\/a>/);
  assert.match(body, /Get trending papers in your email inbox once a day!/);
  assert.match(body, /<form method="post" action="\/subscribe">/);
  assert.match(body, /<details class="abstract">/);
  assert.equal(count(await page(`/?date=${LATEST_DAY}&p=2`), '<article class="paper"'), 6);
  assertNoInjection(body);
});

test('weekly and monthly views cover the ISO week and the calendar month', async () => {
  assert.match(await page('/?period=weekly&date=2026-06-30'), /35 papers[\s\S]*Week of 29 Jun 2026 – 5 Jul 2026|Week of 29 Jun 2026 – 5 Jul 2026[\s\S]*35 papers/);
  const month = await page('/?period=monthly&date=2026-06-15');
  assert.match(month, /<h1>June 2026<\/h1>/);
  assert.match(month, /47 papers/);
  assert.match(month, /href="\/\?period=monthly&(amp;)?date=2026-05-01" rel="prev"/);
  assert.match(await page('/?date=2026-06-27'), /No papers were announced on this day/);
  assert.match(await page('/?date=2026-06-29'), /Next day/);
});

test('bad dates and periods get a clear 400 page', async () => {
  for (const url of ['/?date=2026-02-30', '/?date=yesterday', `/?date=${encodeURIComponent('<script>alert(1)</script>')}`]) {
    const body = await page(url, 400);
    assert.match(body, /Dates look like 2026-06-30/);
    assertNoInjection(body);
  }
  assert.match(await page('/?period=yearly', 400), /use daily, weekly or monthly/);
});

test('search results highlight matches and offer filters that mirror the query language', async () => {
  const body = await page('/papers?q=diffusion');
  assert.match(body, /<mark>diffusion<\/mark>/);
  assert.match(body, /<select name="cat">/);
  assert.match(body, /<option value="newest">Newest<\/option>/);
  assert.match(body, /Get trending papers in your email inbox once a day!/);
  const filtered = await page('/papers?q=study&cat=cs.CL&sort=newest');
  assert.ok(count(filtered, '<article class="paper"') > 0);
  assert.ok(!filtered.includes('href="/c/cs.LG"'), 'only cs.CL papers (cs.LG ones are odd-numbered)');
  assert.match(filtered, /<option selected>cs.CL<\/option>/);
  assert.match(await page('/papers?q=study&p=2'), /rel="prev"/);
  assert.match(await page('/papers?q=study&year=2026'), /papers, 1–25 shown/);
  assert.match(await page('/papers?q=study&year=26', 400), /four digits/);
  assert.match(await page('/papers?q=study&sort=best', 400), /relevance, newest or trending/);
  assert.match(await page(`/papers?q=x&cat=${encodeURIComponent('"><script>')}`, 400), /category looks like/);
});

test('a search with no results says so and suggests what to try', async () => {
  const body = await page('/papers?q=zzzqqq&cat=cs.LG');
  assert.match(body, /No papers match “zzzqqq”/);
  assert.match(body, /<a href="\/papers\?q=zzzqqq">Search again without the category filter<\/a>/);
  assert.match(body, /author:"Ada Lovelace"/);
  assert.match(body, /Browse the newest papers/);
});

test('the paper page renders formulas with KaTeX and shows every field', async () => {
  const body = await page('/papers/2606.90001');
  assert.match(body, /<span class="katex">/);
  assert.match(body, /<link rel="stylesheet" href="\/static\/katex\/katex.min.css">/);
  assert.match(body, /<a href="\/authors\/Grace%20Hopper">Grace Hopper<\/a>/);
  assert.match(body, /<a class="chip" href="\/c\/cs.DS">cs.DS <span class="chip-name">Data Structures and Algorithms<\/span><\/a>/, "the code and its full name");
  assert.match(body, /<dt>v1<\/dt><dd>28 Jun 2026<\/dd>/);
  assert.match(body, /<dt>v2<\/dt><dd>30 Jun 2026<\/dd>/);
  assert.match(body, /12 pages, 3 figures/);
  assert.match(body, /J. Algorithms 1 \(2026\)/);
  assert.match(body, /href="https:\/\/doi.org\/10.1000\/xyz123"/);
  assert.match(body, /href="https:\/\/arxiv.org\/abs\/2606.90001"/);
  assert.match(body, /href="https:\/\/arxiv.org\/pdf\/2606.90001v2"/);
  assert.match(body, /<svg [^>]*role="img" aria-label="Upvotes: 20 on 29 Jun 2026, from 5 on 26 Jun 2026/);
  assert.match(body, /<span class="count">20<\/span>/, 'count = local votes + latest imported upvotes');
  assert.match(body, /Similar papers/);
  assertNoInjection(body);
  assert.match(body, /&lt;img/, 'the hostile formula is shown as text');
});

test('hostile fields are escaped on every page that shows them', async () => {
  for (const url of ['/papers/2606.99999', '/?date=2026-06-29', '/papers?q=hostile', '/c/cs.CR', '/papers?q=abstract+inside']) {
    const body = await page(url);
    assertNoInjection(body);
    assert.match(body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, url);
  }
  const author = await page(`/authors/${encodeURIComponent('Eve <b onmouseover=alert(1)>Hacker</b>')}`);
  assertNoInjection(author);
  const hostileQuery = await page(`/papers?q=${encodeURIComponent('"><script>alert(2)</script> author:"')}`);
  assert.ok(!hostileQuery.includes('<script>alert(2)'));
  assert.match(hostileQuery, /value="&quot;&gt;&lt;script&gt;alert\(2\)/);
});

test('category and author pages list their papers newest first, paged', async () => {
  const cat = await page('/c/cs.LG');
  assert.match(cat, /Category cs.LG/);
  assert.equal(count(cat, '<article class="paper"'), 23);
  const ada = await page('/authors/Ada%20Lovelace');
  assert.match(ada, /45 papers by this author/);
  assert.match(ada, /<a rel="next" href="\/authors\/Ada%20Lovelace\?p=2">/);
  assert.equal(count(await page('/authors/Ada%20Lovelace?p=2'), '<article class="paper"'), 20);
  assert.match(await page('/c/%3Cscript%3E', 400), /category looks like/);
});

test('unknown papers and pages get a 404 page', async () => {
  assert.match(await page('/papers/2401.00001', 404), /arXiv:2401.00001 is not in this collection.*Read it on arXiv/s);
  assert.match(await page('/papers/not-an-id', 404), /No such paper here/);
  assert.match(await page('/no/such/page', 404), /Page not found/);
  assert.equal((await visitor().post('/papers/2401.00001/upvote', {})).status, 404);
});

test('every page has a meta description: the abstract for a paper, what the list holds for lists', async () => {
  const description = (body: string) => body.match(/<meta name="description" content="([^"]*)">/)?.[1];
  for (const url of ['/', '/subscribe', '/no/such/page']) assert.match(description(await page(url, url.startsWith('/no') ? 404 : 200)) ?? '', /^Research papers from arXiv/, url);
  const paper = description(await page('/papers/2606.90001'))!;
  assert.ok(paper.length <= 160 && !paper.includes('$'), `cut short, formulas as text: ${paper}`);
  assert.match(description(await page('/authors/Ada%20Lovelace'))!, /^45 research papers by Ada Lovelace, newest first/);
  assert.match(description(await page('/papers?q=graph'))!, /^Research papers matching “graph”/);
  assert.ok(!description(await page('/papers/2606.99999'))!.includes('<script'), 'escaped');
});

test('votes and the subscribe form are taken only from this site\'s pages', async () => {
  const post = (url: string, headers: Record<string, string>, form: Record<string, string> = {}) => app.request(url, {
    method: 'POST', body: new URLSearchParams(form), headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  });
  const vote = (headers: Record<string, string>, form: Record<string, string> = {}) => post('/papers/2606.00002/upvote', headers, form);
  assert.equal((await vote({ 'Sec-Fetch-Site': 'cross-site' })).status, 403, 'a form on another site');
  assert.equal((await vote({ 'Sec-Fetch-Site': 'same-site' })).status, 403, 'a sibling subdomain');
  assert.equal((await vote({ Origin: 'https://evil.example' })).status, 403, 'another origin (older browser)');
  assert.equal((await vote({ Origin: 'null' })).status, 403, 'an opaque origin');
  assert.equal((await vote({})).status, 403, 'no sign of where it came from');
  const viaOrigin = await vote({ Origin: 'http://localhost' });
  assert.equal(viaOrigin.status, 303, 'this origin (older browser)');
  assert.match(viaOrigin.headers.get('set-cookie') ?? '', /^pb_visitor=[\w-]{22};.*HttpOnly.*SameSite=Lax/i, 'the first vote hands out the visitor cookie');

  // A voter's pages are rendered for them and carry a token signed for their cookie.
  const v = visitor();
  await v.post('/papers/2606.00002/upvote', {});
  const other = visitor();
  await other.post('/papers/2606.00001/upvote', {});
  const tokenOf = async (who: typeof v) => /name="csrf" value="([^"]+)"/.exec(await (await who.get('/')).text())![1]!;
  const token = await tokenOf(v);
  assert.equal((await vote({ Cookie: v.cookie() }, { csrf: token })).status, 303, 'its own token, without fetch metadata');
  assert.equal((await vote({ Cookie: v.cookie() }, { csrf: await tokenOf(other) })).status, 403, 'another visitor\'s token');
  assert.equal((await vote({ Cookie: v.cookie() }, { csrf: `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` })).status, 403, 'a forged token');
  assert.equal((await vote({ Cookie: v.cookie(), 'Sec-Fetch-Site': 'cross-site' }, { csrf: 'x' })).status, 403, 'the cookie alone proves nothing');

  assert.equal((await post('/subscribe', { 'Sec-Fetch-Site': 'cross-site' }, { email: 'a@example.org' })).status, 403);
  const sub = await visitor().post('/subscribe', { email: 'a@example.org' }, false);
  assert.equal(sub.status, 200);
  assert.equal(sub.headers.get('set-cookie'), null, 'only votes hand out the visitor cookie: a subscriber keeps reading shared pages');
  const text = await sub.text();
  assert.match(text, /Subscriptions are not enabled yet/);
  assert.ok(!text.includes('a@example.org'));
});

test('anonymous visitors share cached pages; a vote shows at once; voters get their own', async () => {
  const { app: fresh, store: freshStore } = await fixtureApp();
  const countOn = (body: string) => Number(/data-paper="2606.00005"[\s\S]*?<span class="count">(\d+)<\/span>/.exec(body)![1]);
  const first = await fresh.request('/papers/2606.00005');
  const again = await fresh.request('/papers/2606.00005');
  assert.equal(again.headers.get('etag'), first.headers.get('etag'));
  const before = countOn(await again.text());
  await freshStore.addVote('2606.00005', 'someone-in-another-process');
  assert.equal(countOn(await (await fresh.request('/papers/2606.00005')).text()), before, 'served from the shared copy');
  const v = visitor(fresh);
  assert.equal((await v.post('/papers/2606.00005/upvote', {})).status, 200);
  assert.equal(countOn(await (await fresh.request('/papers/2606.00005')).text()), before + 2, 'the shared copy was dropped');
  const own = await v.get('/papers/2606.00005');
  assert.match(own.headers.get('cache-control') ?? '', /^private/);
  assert.match(await own.text(), /action="\/papers\/2606.00005\/upvote\/undo"[\s\S]*?aria-pressed="true"/);
  const revalidated = await fresh.request('/papers/2606.00005', { headers: { 'If-None-Match': (await fresh.request('/papers/2606.00005')).headers.get('etag')! } });
  assert.equal(revalidated.status, 304);
});

test('one vote per visitor: idempotent, undoable, and shown on the pages', async () => {
  const a = visitor();
  const b = visitor();
  const vote = async (v: typeof a, undo = false) => (await v.post(`/papers/2606.00003/upvote${undo ? '/undo' : ''}`, {})).json() as Promise<{ count: number; voted: boolean; action: string }>;
  assert.deepEqual(await vote(a), { paperId: '2606.00003', voted: true, count: 1, action: '/papers/2606.00003/upvote/undo' });
  assert.equal((await vote(a)).count, 1, 'voting twice counts once');
  assert.equal((await vote(b)).count, 2);
  const shown = await (await a.get('/papers/2606.00003')).text();
  assert.match(shown, /action="\/papers\/2606.00003\/upvote\/undo"[\s\S]*?aria-pressed="true"[\s\S]*?<span class="count">2<\/span>/);
  assert.deepEqual(await vote(a, true), { paperId: '2606.00003', voted: false, count: 1, action: '/papers/2606.00003/upvote' });
  assert.equal((await vote(a, true)).count, 1, 'undoing twice changes nothing');
  assert.equal((await store.voteSummaries(['2606.00003'], null)).get('2606.00003')?.local, 1);

  const form = await a.post('/papers/2606.00003/upvote', { back: '/?date=2026-06-30' }, false);
  assert.equal(form.status, 303);
  assert.equal(form.headers.get('location'), '/?date=2026-06-30');
  const offsite = await a.post('/papers/2606.00003/upvote', { back: '//evil.example/' }, false);
  assert.equal(offsite.headers.get('location'), '/papers/2606.00003');
});

test('more than 30 votes a minute from one address get 429 with Retry-After', async () => {
  const fresh = (await fixtureApp()).app;
  const v = visitor(fresh);
  for (let i = 0; i < 30; i++) assert.equal((await v.post('/papers/2606.00004/upvote', {})).status, 200, `vote ${i + 1}`);
  const refused = await v.post('/papers/2606.00004/upvote', {});
  assert.equal(refused.status, 429);
  assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'rate_limited');
});

test('static assets are served from this origin; nothing else under /static', async () => {
  for (const [url, type] of [['/static/style.css', 'text/css'], ['/static/upvote.js', 'text/javascript'],
    ['/static/katex/katex.min.css', 'text/css'], ['/static/katex/fonts/KaTeX_Main-Regular.woff2', 'font/woff2']]) {
    const res = await app.request(url!);
    assert.equal(res.status, 200, url);
    assert.match(res.headers.get('content-type') ?? '', new RegExp(type!));
  }
  for (const url of ['/static/../package.json', '/static/%2e%2e/%2e%2e/package.json', '/static/katex/katex.js', '/static/nope.css']) {
    assert.equal((await app.request(url)).status, 404, url);
  }
});
