// The digest's wording: its intro claims attention only for papers that got some, a paper
// without categories leaves no dangling "·" after its authors, and the subject has no LaTeX.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDigestRenderer, type DigestView } from '../src/digest/render/digest.js';
import { emptyRecord } from '../src/papers/paper.js';
import type { Paper } from '../src/papers/paper.js';

const paper = (id: string, title: string, categories: string[]): Paper => ({
  ...emptyRecord(id, title, 'An abstract.'), authors: [{ name: 'Ada Lovelace' }], categories,
  primaryCategory: categories[0] ?? null, latestVersion: null, links: { abs: `https://arxiv.org/abs/${id}`, pdf: `https://arxiv.org/pdf/${id}` },
});
const view = (entries: DigestView['entries']): DigestView => ({
  date: '2026-06-30', frequency: 'daily', entries, manageUrl: 'https://p.example/manage?t=x', unsubscribeUrl: 'https://p.example/u?t=x',
  topics: 'cs.LG', schedule: 'every day at 07:00 (UTC)',
});
const render = createDigestRenderer({ baseUrl: 'https://p.example' });

test('no stray "·" after the authors of a paper without categories', () => {
  const { text, html } = render(view([{ paper: paper('2606.00001', 'From Hugging Face', []), why: 'Newly announced' }]));
  assert.match(text, /\n {3}Ada Lovelace\n/);
  assert.doesNotMatch(text, /Ada Lovelace · \n/);
  assert.doesNotMatch(html, /Ada Lovelace · <\/p>/);
});

test('the intro claims attention only for papers that got some; the subject reads LaTeX as text', () => {
  const entries = [
    { paper: paper('2606.00001', 'Bounds on $O(n \\log n)$ sorting', ['cs.DS']), why: '12 upvotes on Hugging Face' },
    ...Array.from({ length: 9 }, (_, i) => ({ paper: paper(`2606.0010${i}`, `New ${i}`, ['cs.LG']), why: 'Newly announced' })),
  ];
  const mixed = render(view(entries));
  assert.doesNotMatch(mixed.text, /The 10 papers drawing the most attention/, '9 of them drew none');
  assert.match(mixed.text, /10 papers since your last digest: 1 drawing attention, the others newly announced\./);
  assert.doesNotMatch(mixed.subject, /\$|\\/);
  assert.match(mixed.subject, /O\(n log n\) sorting/);
  assert.match(render(view(entries.slice(1, 3))).text, /2 newly announced papers since your last digest\./);
  assert.match(render(view(entries.slice(0, 1))).text, /The paper drawing the most attention/);
});
