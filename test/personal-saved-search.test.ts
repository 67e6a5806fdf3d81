// Saved searches feed the digest. Over real parts (SQLite file, search, trending, the web
// app, a real SMTP server for the subscription): a subscriber recognised by their browser
// adds a search from the search page; the next digest brings its new matches with the
// reason "Matches your saved search “…”", even for a subscriber who asked for their
// topics only, and never-show rules still apply to them.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { emptyRecord, type PaperRecord } from '../src/papers/paper.js';
import { createPersonalizer } from '../src/personal/personalize.js';
import { digestWorld, formPost, type World } from './support/digest-world.js';
import { LATEST_DAY } from './support/pages-fixture.js';
import { recognise, subscribe } from './support/personal.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

const paper = (id: string, day: string, title: string): PaperRecord => ({
  ...emptyRecord(id, title, `${title}. We report experiments on optical flow benchmarks.`),
  authors: [{ name: 'Ana Ruiz' }], categories: ['cs.CV'], announcedAt: day, submittedAt: `${day}T10:00:00Z`,
  versions: [{ version: 1, submittedAt: `${day}T10:00:00Z` }],
});

let smtp: TestSmtp;
before(async () => {
  smtp = await startSmtp();
});
after(() => smtp.close());

describe('saved searches in the digest', () => {
  let w: World;
  let alice: number;
  let cookie: string;
  before(async () => {
    w = await digestWorld({ smtpUrl: smtp.url, now: new Date(`${LATEST_DAY}T05:00:00Z`) });
    await w.store.ingest({ papers: [paper('2606.71001', LATEST_DAY, 'Optical flow without labels'), paper('2605.71002', '2026-05-02', 'Optical flow, the old way')] });
    alice = await subscribe(w, smtp, 'alice@example.org');
    ({ cookie } = await recognise(w, 'alice@example.org'));
  });
  after(() => w.close());

  async function digest() {
    const personalizer = createPersonalizer({ store: w.store, trending: w.trending, search: w.search, size: 10, now: w.clock.now });
    const profile = (await w.store.personalProfiles([alice])).get(alice);
    // Topics only, and cs.CV is not hers: only the saved search can bring the paper in.
    return (await personalizer.personalize({ topicMode: 'only', topics: [], categories: ['cs.LG'] }, profile, { key: 'base', window: { from: '2026-06-29', to: LATEST_DAY }, items: [] })).items;
  }

  test('a search added from the search page brings its new matches, with its reason; never-show rules still win', async () => {
    assert.deepEqual((await digest()).filter((i) => i.paperId.startsWith('2606.71')), [], 'nothing before the search is saved');
    const page = await (await w.app.request('/papers?q=optical+flow&cat=cs.CV', { headers: { cookie } })).text();
    assert.match(page, /<input type="hidden" name="value" value="optical flow cat:cs.CV">/);
    assert.match(page, /Add this search to my digest/);

    const saved = await formPost(w.app, '/personal/rules', { kind: 'follow-search', value: 'optical flow cat:cs.CV', op: 'add', back: '/library' }, { cookie });
    assert.equal(saved.status, 303);
    assert.match(await (await w.app.request('/library', { headers: { cookie } })).text(), /Saved search: <strong>optical flow cat:cs.CV<\/strong>/);
    const items = await digest();
    assert.deepEqual(items.filter((i) => i.paperId.startsWith('2606.71') || i.paperId.startsWith('2605.71')),
      [{ paperId: '2606.71001', why: 'Matches your saved search “optical flow cat:cs.CV”' }], 'the new match, not the old one');

    await formPost(w.app, '/personal/rules', { kind: 'hide-word', value: 'labels', op: 'add' }, { cookie });
    assert.ok(!(await digest()).some((i) => i.paperId === '2606.71001'), 'a never-show word hides a saved search’s match too');
    // Without the browser's subscriber cookie, nothing is saved.
    assert.equal((await formPost(w.app, '/personal/rules', { kind: 'follow-search', value: 'robots', op: 'add' })).status, 403);
  });
});
