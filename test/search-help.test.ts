// Help a search gives when it finds little: a spelling suggestion from the collection's own
// words, and for an arXiv id this site does not hold, a link to arXiv and (when the
// operator allows it) a button that fetches the paper, posted only from this site's pages.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DEFAULT_CONFIG } from '../src/config.js';
import { fetchPaperOnRequest } from '../src/ingest/fetch-paper.js';
import { emptyRecord } from '../src/papers/paper.js';
import { createSearchEngine } from '../src/search/search.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createApp } from '../src/web/app.js';
import { silentLogger } from '../src/logger.js';
import { startFakeArxivApi, type FakeArxivApi } from './support/fake-arxiv-api.js';

let api: FakeArxivApi;
before(async () => { api = await startFakeArxivApi(); });
after(async () => { await api.close(); });

async function site(fetchOnRequest: boolean) {
  const store = openSqliteStore(path.join(mkdtempSync(path.join(tmpdir(), 'paperboy-help-')), 'p.db'));
  await store.migrate();
  await store.ingest({ papers: [
    { ...emptyRecord('2601.00001', 'Replica symmetry breaking in spin glasses', 'We study symmetry.'), categories: ['cond-mat.dis-nn'], announcedAt: '2026-01-02' },
    { ...emptyRecord('2601.00002', 'Broken symmetry and equivariant networks', 'Symmetry again.'), categories: ['cs.LG'], announcedAt: '2026-01-03' },
    { ...emptyRecord('2601.00003', 'Symmetry of neural networks', 'Networks.'), categories: ['cs.LG'], announcedAt: '2026-01-04' },
  ] });
  const config = { ...DEFAULT_CONFIG, arxivApi: { baseUrl: api.url, fetchOnRequest }, harvest: { ...DEFAULT_CONFIG.harvest, minIntervalMs: 0 } };
  const fetchPaper = fetchOnRequest ? fetchPaperOnRequest(store, config, silentLogger) : undefined;
  const app = createApp({ store, search: createSearchEngine(store), logger: silentLogger, fetchPaper, http: { trustProxy: false } });
  return { store, app };
}

test('a misspelt word gets "Did you mean" with the collection\'s own word, as a link', async () => {
  const { app, store } = await site(false);
  const page = await (await app.request('/papers?q=symetry')).text();
  assert.match(page, /Did you mean <a href="\/papers\?q=symmetry"><strong>symmetry<\/strong><\/a>\?/);
  const phrase = await (await app.request('/papers?q=replica+symetry')).text();
  assert.match(phrase, /Did you mean <a href="\/papers\?q=replica\+symmetry"><strong>replica symmetry<\/strong><\/a>\?/);
  const fine = await (await app.request('/papers?q=symmetry')).text();
  assert.doesNotMatch(fine, /Did you mean/, 'a word the collection holds is not corrected');
  const escaped = await (await app.request('/papers?q=%3Cscript%3Esymetry')).text();
  assert.doesNotMatch(escaped, /<script>symetry/);
  await store.close();
});

const post = (app: Awaited<ReturnType<typeof site>>['app'], url: string, headers: Record<string, string>) =>
  app.request(url, { method: 'POST', body: new URLSearchParams({ csrf: '' }), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

test('an arXiv id not held links to arXiv; with fetching allowed, a button posted from this site fetches and shows it', async () => {
  const off = await site(false);
  const offPage = await (await off.app.request('/papers?q=2503.11731')).text();
  assert.match(offPage, /<a href="https:\/\/arxiv.org\/abs\/2503.11731">Read it on arXiv<\/a>/);
  assert.doesNotMatch(offPage, /\/fetch"/, 'no button unless the operator allows fetching');
  assert.equal((await post(off.app, '/papers/2503.11731/fetch', { 'sec-fetch-site': 'same-origin' })).status, 404);
  await off.store.close();

  const { app, store } = await site(true);
  for (const url of ['/papers?q=2503.11731', '/papers/2503.11731']) {
    const page = await (await app.request(url)).text();
    assert.match(page, /<form class="fetch-paper" method="post" action="\/papers\/2503.11731\/fetch">/, url);
  }
  const forged = await post(app, '/papers/2503.11731/fetch', { 'sec-fetch-site': 'cross-site' });
  assert.equal(forged.status, 403, 'a form posted from another site fetches nothing');
  assert.equal(await store.getPaper('2503.11731'), null);
  const requestsBefore = api.requests.length;
  const res = await post(app, '/papers/2503.11731/fetch', { 'sec-fetch-site': 'same-origin' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/papers/2503.11731');
  assert.equal(api.requests.length, requestsBefore + 1, 'one request to arXiv');
  assert.equal((await app.request('/papers/2503.11731')).status, 200, 'the paper is here now');
  assert.equal((await post(app, '/papers/2503.11731/fetch', { 'sec-fetch-site': 'same-origin' })).status, 303, 'a second click only redirects');
  assert.equal(api.requests.length, requestsBefore + 1);
  const unknown = await post(app, '/papers/2512.99999/fetch', { 'sec-fetch-site': 'same-origin' });
  assert.equal(unknown.status, 404);
  assert.match(await unknown.text(), /arXiv has no paper 2512.99999/);
  assert.equal((await post(app, '/papers/not-an-id/fetch', { 'sec-fetch-site': 'same-origin' })).status, 400);
  // One address cannot make the site fetch without end.
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push((await post(app, `/papers/2512.${String(90000 + i)}/fetch`, { 'sec-fetch-site': 'same-origin' })).status);
  assert.ok(statuses.includes(429), `rate limited: ${statuses.join(' ')}`);
  await store.close();
});
