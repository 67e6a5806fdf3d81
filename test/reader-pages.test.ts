// What a researcher sees on cards and paper pages: Code / Project / PDF / arXiv links and
// Hugging Face's summary and keywords, long author lists folded (without JavaScript),
// category names beside codes and no chip for MSC/ACM classes, a "why trending" box only
// when there is engagement and never a negative total, no raw LaTeX in the <title>, and
// no heading over an empty "Details" list.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyRecord } from '../src/papers/paper.js';
import { scoreOf } from '../src/trending/score.js';
import { scoreParams } from '../src/trending/rank.js';
import { DEFAULT_CONFIG } from '../src/config.js';
import { fixtureApp, LATEST_DAY } from './support/pages-fixture.js';

const { app, store } = await fixtureApp(() => new Date(`${LATEST_DAY}T12:00:00Z`));
const many = Array.from({ length: 130 }, (_, i) => ({ name: `Member ${i + 1} Consortium` }));
await store.ingest({
  papers: [
    { ...emptyRecord('2606.80001', 'A paper with code and a project page', 'It has links.'), authors: [{ name: 'Lin Code' }],
      categories: ['cs.CL', '68T50', 'I.2.7'], announcedAt: LATEST_DAY },
    { ...emptyRecord('2606.80002', 'A consortium paper', 'Written by very many people.'), authors: many, categories: ['hep-ex'], announcedAt: '2026-06-29' },
    { ...emptyRecord('2401.00003', 'An old paper nobody upvoted', 'Nothing to see.'), authors: [{ name: 'Old Timer' }], categories: ['cs.LG'], announcedAt: '2024-01-03' },
  ],
});
await store.saveRepoLinks([{ paperId: '2606.80001', repo: 'lin/code', source: 'hf-daily' }]);
await store.saveExtras([{ paperId: '2606.80001', source: 'hf-daily', aiSummary: 'A <b>short</b> machine summary.', aiKeywords: ['speech', 'a "quoted" word'], projectPage: 'https://lin.example/project' }]);

const page = async (url: string) => {
  const res = await app.request(url);
  assert.equal(res.status, 200, url);
  return res.text();
};

test('cards and the paper page link the code, the project, the PDF and arXiv, and show the summary and keywords', async () => {
  const card = await page('/papers?q=links');
  assert.match(card, /<a href="https:\/\/github.com\/lin\/code">Code/);
  assert.match(card, /<a href="https:\/\/lin.example\/project">Project/);
  assert.match(card, /<a href="https:\/\/arxiv.org\/pdf\/2606.80001">PDF/);
  assert.match(card, /A &lt;b&gt;short&lt;\/b&gt; machine summary\./, 'escaped');
  assert.match(card, /<a class="chip keyword" href="\/papers\?q=%22speech%22">speech<\/a>/);
  const paper = await page('/papers/2606.80001');
  assert.match(paper, /<h2 id="ai-title">In short<\/h2>/);
  assert.match(paper, /<a href="https:\/\/github.com\/lin\/code">Code/);
  assert.match(paper, /a &quot;quoted&quot; word|a "quoted" word/);
});

test('MSC and ACM classes get no category chip (their pages would be a 400); arXiv categories show their names', async () => {
  const paper = await page('/papers/2606.80001');
  assert.doesNotMatch(paper, /href="\/c\/68T50"|href="\/c\/I\.2\.7"/);
  assert.match(paper, /href="\/c\/cs.CL">cs.CL <span class="chip-name">Computation and Language<\/span>/);
  assert.match(paper, /<dt>Classes<\/dt><dd>68T50, I.2.7/);
  const card = await page('/papers?q=links');
  assert.doesNotMatch(card, /href="\/c\/68T50"/);
});

test('long author lists fold into "and N more", which opens without JavaScript', async () => {
  const card = await page('/c/hep-ex');
  assert.match(card, /Member 6 Consortium<\/span> <details class="more-authors"><summary>and 124 more<\/summary>/, 'a space before "and 124 more"');
  assert.doesNotMatch(card.slice(0, card.indexOf('more-authors')), /Member 7 Consortium/);
  const paper = await page('/papers/2606.80002');
  assert.match(paper, /<summary>and 118 more<\/summary>/);
  assert.match(paper, /<a href="\/authors\/Member%20130%20Consortium">Member 130 Consortium<\/a>/, 'every author still linked, inside the fold');
});

test('no "why it is trending" without engagement, no negative total, no empty Details heading, no raw LaTeX in <title>', async () => {
  const old = await page('/papers/2401.00003');
  assert.doesNotMatch(old, /Why it is trending/, 'an old paper without signals had a box of age penalties');
  assert.doesNotMatch(old, /<h2>Details<\/h2>/, 'nothing to list, no heading');
  assert.doesNotMatch(old, /Trending score <strong>−|Trending score <strong>-/);
  const math = await page('/papers/2606.90001');
  const title = /<title>(.*)<\/title>/.exec(math)![1]!;
  assert.doesNotMatch(title, /\$|\\/, title);
  assert.match(title, /O\(n log n\) sorting with α-approximations/);
  assert.match(math, /Why it is trending/);
});

test('a gain that rounds to one reads "1 upvote", not "about 1 upvotes"', () => {
  const out: { label: string }[] = [];
  const counts = { upvotes: 10, localUpvotes: 0, comments: 0, githubStars: 0, views: 0 };
  scoreOf({ paperId: 'x', day: '2026-06-01', features: { counts, heat: { ...counts, upvotes: 1.2 }, heatAt: Date.parse('2026-06-30T00:00:00Z') } },
    Date.parse('2026-06-30T00:00:00Z'), scoreParams(DEFAULT_CONFIG.trending), out as never);
  const label = out.map((c) => c.label).find((l) => l.startsWith('still gaining'))!;
  assert.match(label, /^still gaining: 1 upvote on Hugging Face lately/, label);
});

test('a paper not in the collection links to arXiv instead of a dead end', async () => {
  const res = await app.request('/papers/2401.99999v2');
  assert.equal(res.status, 404);
  const body = await res.text();
  assert.match(body, /arXiv:2401.99999 is not in this collection/);
  assert.match(body, /<a href="https:\/\/arxiv.org\/abs\/2401.99999v2">Read it on arXiv<\/a>/);
  assert.equal((await app.request('/papers/not-an-id')).status, 404);
});
