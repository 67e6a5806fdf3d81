// author: searches and author pages match a name within one author entry: an initial of
// one author and the family name of another are not that person.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../src/logger.js';
import { emptyRecord } from '../src/papers/paper.js';
import { createSearchEngine, search } from '../src/search/search.js';
import { authorMatches } from '../src/text/authors.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createApp } from '../src/web/app.js';

const store = openSqliteStore(path.join(mkdtempSync(path.join(tmpdir(), 'paperboy-authors-')), 'a.db'));
await store.migrate();
const paper = (id: string, names: string[]) => ({ ...emptyRecord(id, `Paper ${id}`, 'Deep residual learning.'), authors: names.map((name) => ({ name })), categories: ['cs.CV'], announcedAt: '2025-03-18' });
await store.ingest({
  papers: [
    paper('2503.00001', ['Kaiming He', 'Xiangyu Zhang']),
    paper('2503.00002', ['K. He', 'Ross Girshick']),
    paper('2503.00003', ['Kun Zhang', 'Wei He']), // an initial K and a surname He, of two people
    paper('2503.00004', ['Kun He']),
    paper('2503.00005', ['Song Han', 'Ji Lin']),
    paper('2503.00006', ['Han Song', 'Yu Han']), // the same two words, other people
    paper('2503.00007', ['Kaiming  Hé']),
  ],
});
const engine = createSearchEngine(store);
const ids = async (q: string) => (await search(engine, q, { limit: 50 })).hits.map((h) => h.paper.id).sort();

test('author: matches within one author entry', async () => {
  assert.deepEqual(await ids('author:"Kaiming He"'), ['2503.00001', '2503.00002', '2503.00007']);
  assert.deepEqual(await ids('author:"K. He"'), ['2503.00001', '2503.00002', '2503.00004', '2503.00007'], 'an initial matches any given name with it');
  assert.deepEqual(await ids('author:"Song Han"'), ['2503.00005']);
  assert.deepEqual(await ids('author:He'), ['2503.00001', '2503.00002', '2503.00003', '2503.00004', '2503.00007'], 'a family name alone');
});

test('author pages list the same papers', async () => {
  const app = createApp({ store, search: engine, logger: silentLogger, http: { rateLimit: { perMinute: 0, postsPerMinute: 0 } } });
  const html = await (await app.request('/authors/Kaiming%20He')).text();
  assert.match(html, /3 papers by this author/);
  assert.doesNotMatch(html, /2503\.00003|2503\.00004/);
});

test('the matching rule', () => {
  assert.ok(authorMatches('Yann LeCun', 'Y. LeCun'));
  assert.ok(authorMatches('Y. Lecun', 'Yann André LeCun'));
  assert.ok(authorMatches('Chen-Yu Lee', 'Chen-Yu Lee'));
  assert.ok(!authorMatches('Kaiming He', 'Kun He'));
  assert.ok(!authorMatches('Kaiming He', 'He Kaiming Zhang'));
});
