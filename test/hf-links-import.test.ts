// Hugging Face files bring more than papers and upvotes: the repository link reaches the
// repositories table (where the GitHub-stars job looks), the project page, machine summary
// and keywords are kept, and the flattened JSON Lines file keeps its counts.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { importFiles } from '../src/ingest/import-files.js';
import { emptyRecord } from '../src/papers/paper.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-hf-links-'));

async function freshStore() {
  const store = openSqliteStore(path.join(mkdtempSync(path.join(dir, 'db-')), 'p.db'));
  await store.migrate();
  return store;
}

const dayItem = {
  paper: {
    id: '2608.19880', title: 'Awakening Static Worlds', summary: 'Environments that change.',
    authors: [{ name: 'Chengsong Huang', hidden: false }], publishedAt: '2026-08-20T00:00:00.000Z', upvotes: 163,
    githubRepo: 'https://github.com/Google-Research/EnvHarness', projectPage: 'https://envharness.example/',
    ai_summary: 'Programmable plugins reshape static environments.', ai_keywords: ['LLM agents', 'EnvHarness'], githubStars: 8,
  },
  publishedAt: '2026-08-19T20:00:00.000Z', title: 'Awakening Static Worlds', numComments: 1,
};
const hostileItem = {
  paper: { id: '2608.19881', title: 'A paper', upvotes: 2, projectPage: 'javascript:alert(1)', githubRepo: 'not a url' },
  title: 'A paper',
};

test('an HF day file: repository links and extras are imported, unsafe links are not', async () => {
  const file = path.join(dir, '2026-08-21.json');
  writeFileSync(file, JSON.stringify([dayItem, hostileItem]));
  const store = await freshStore();
  const summary = await importFiles(store, [file]);
  assert.equal(summary.inserted, 2);
  const links = await store.linksOf(['2608.19880', '2608.19881']);
  assert.deepEqual(links.get('2608.19880'), {
    aiSummary: 'Programmable plugins reshape static environments.', aiKeywords: ['LLM agents', 'EnvHarness'],
    projectPage: 'https://envharness.example/', repos: ['google-research/envharness'],
  });
  assert.equal(links.get('2608.19881'), undefined, 'a javascript: project page and a non-URL repository are dropped');
  const due = await store.reposToRefresh({ sinceDay: '2026-01-01', limit: 10 });
  assert.deepEqual(due.map((r) => r.repo), ['google-research/envharness'], 'the GitHub-stars job now finds the repository');
  await store.close();
});

test('the flattened HF JSON Lines file imports its upvotes, comments, stars and links', async () => {
  const file = path.join(dir, 'hf-daily-papers_2026-08-21.jsonl');
  const row = {
    date: '2026-08-21', id: '2608.19880', title: 'Awakening Static Worlds', abstract: 'Environments that change.',
    authors: ['Chengsong Huang', 'Zifeng Wang'], published: '2026-08-20T00:00:00.000Z', submittedOnDailyAt: '2026-08-21T00:00:00.000Z',
    upvotes: 163, numComments: 1, githubRepo: 'https://github.com/google-research/envharness', githubStars: 8,
    projectPage: null, ai_keywords: ['LLM agents'], organization: null,
  };
  const old = { ...row, id: '2405.15738', date: '2024-05-27', upvotes: 32, numComments: 3, githubRepo: null, githubStars: null, ai_keywords: null };
  writeFileSync(file, `${JSON.stringify(row)}\n${JSON.stringify(old)}\n`);
  const store = await freshStore();
  const summary = await importFiles(store, [file]);
  assert.equal(summary.bad, 0);
  assert.equal(summary.inserted, 2);
  const paper = await store.getPaper('2608.19880');
  assert.deepEqual(paper?.authors.map((a) => a.name), ['Chengsong Huang', 'Zifeng Wang']);
  assert.equal(paper?.submittedAt, '2026-08-20T00:00:00.000Z');
  const signals = (await store.signalsFor('2608.19880')).map((s) => [s.kind, s.value, s.observedAt]);
  assert.deepEqual(signals.sort(), [
    ['comments', 1, '2026-08-21T23:59:59Z'], ['github_stars', 8, '2026-08-21T23:59:59Z'], ['upvotes', 163, '2026-08-21T23:59:59Z'],
  ]);
  assert.deepEqual((await store.signalsFor('2405.15738')).map((s) => [s.kind, s.value]).sort(), [['comments', 3], ['upvotes', 32]]);
  const links = await store.linksOf(['2608.19880']);
  assert.deepEqual(links.get('2608.19880')?.repos, ['google-research/envharness']);
  assert.deepEqual(links.get('2608.19880')?.aiKeywords, ['LLM agents']);
  await store.close();
});

test('a machine summary and keywords are searchable, also when they arrive after the paper was indexed', async () => {
  const { createSearchEngine, search } = await import('../src/search/search.js');
  const store = await freshStore();
  await store.ingest({ papers: [
    { ...emptyRecord('2608.19880', 'Awakening Static Worlds', 'Environments that change.'), categories: ['cs.AI'], announcedAt: '2026-08-20' },
    { ...emptyRecord('2608.19882', 'Another paper', 'Nothing about harnesses.'), categories: ['cs.AI'], announcedAt: '2026-08-20' },
  ] });
  const engine = createSearchEngine(store);
  const ids = async (q: string) => (await search(engine, q)).hits.map((h) => h.paper.id);
  assert.deepEqual(await ids('EnvHarness'), [], 'the word is in no title or abstract');
  await store.saveExtras([{ paperId: '2608.19880', source: 'hf-daily', aiSummary: 'Programmable plugins reshape static environments.', aiKeywords: ['LLM agents', 'EnvHarness'], projectPage: null }]);
  assert.deepEqual(await ids('EnvHarness'), ['2608.19880'], 'a keyword finds the paper (the index saw the change)');
  assert.deepEqual(await ids('programmable plugins'), ['2608.19880'], 'so do the summary\'s words');
  await store.close();
});
