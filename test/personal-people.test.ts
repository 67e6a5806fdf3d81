// Following a person, not a name: two different people publish as "Wei Zhang" (one in
// computer vision with Ana Ruiz and Bo Chen, one in databases with Carl Berg and Dana
// Ito), and a "Weiwei Zhang" besides. Over real parts (SQLite file, search, trending, the
// web app, a real SMTP server for the subscription): following from one of their papers
// follows that person; the digest brings that person's new papers and not the
// namesake's; the subscriber can pick the other person on a page listing both.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { emptyRecord, type PaperRecord } from '../src/papers/paper.js';
import { identityOf, isSamePerson, peopleNamed } from '../src/personal/people.js';
import { createPersonalizer } from '../src/personal/personalize.js';
import { digestWorld, formPost, type World } from './support/digest-world.js';
import { LATEST_DAY } from './support/pages-fixture.js';
import { recognise, subscribe } from './support/personal.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

const paper = (id: string, day: string, authors: string[], category: string, title: string): PaperRecord => ({
  ...emptyRecord(id, title, `${title}. We report experiments and discuss what they show.`),
  authors: authors.map((name) => ({ name })), categories: [category], announcedAt: day, submittedAt: `${day}T10:00:00Z`,
  versions: [{ version: 1, submittedAt: `${day}T10:00:00Z` }],
});

const NAMESAKES = [
  paper('2605.70001', '2026-05-10', ['Wei Zhang', 'Ana Ruiz'], 'cs.CV', 'Sharper optical flow for small objects'),
  paper('2605.70002', '2026-05-20', ['Bo Chen', 'Wei Zhang', 'Ana Ruiz'], 'cs.CV', 'Event cameras meet optical flow'),
  paper('2606.70003', LATEST_DAY, ['Wei Zhang', 'Bo Chen'], 'cs.CV', 'Optical flow without labels'),
  paper('2606.70004', LATEST_DAY, ['Zoe Park', 'Wei Zhang'], 'cs.CV', 'Segmenting moving things'),
  paper('2605.80001', '2026-05-12', ['Wei Zhang', 'Carl Berg'], 'cs.DB', 'Join ordering with learned costs'),
  paper('2605.80002', '2026-05-22', ['Dana Ito', 'Wei Zhang', 'Carl Berg'], 'cs.DB', 'Adaptive indexes for skewed keys'),
  paper('2606.80003', LATEST_DAY, ['Wei Zhang', 'Dana Ito'], 'cs.DB', 'Vacuuming without stalls'),
  paper('2606.80004', LATEST_DAY, ['Weiwei Zhang', 'Ana Ruiz'], 'cs.CV', 'A namesake’s paper on depth'),
];

let smtp: TestSmtp;
before(async () => {
  smtp = await startSmtp();
});
after(() => smtp.close());

describe('followed people told apart from namesakes', () => {
  let w: World;
  let alice: number;
  let cookie: string;
  before(async () => {
    w = await digestWorld({ smtpUrl: smtp.url, now: new Date(`${LATEST_DAY}T05:00:00Z`) });
    await w.store.ingest({ papers: NAMESAKES });
    alice = await subscribe(w, smtp, 'alice@example.org');
    ({ cookie } = await recognise(w, 'alice@example.org'));
  });
  after(() => w.close());

  /** The papers Alice's digest brings as a followed author's, with the reason. */
  async function followedInDigest(): Promise<string[]> {
    const personalizer = createPersonalizer({ store: w.store, trending: w.trending, search: w.search, size: 10, now: w.clock.now });
    const profile = (await w.store.personalProfiles([alice])).get(alice);
    const window = { from: '2026-06-29', to: LATEST_DAY };
    const digest = await personalizer.personalize({ topicMode: 'only', topics: [], categories: [] }, profile, { key: 'base', window, items: [] });
    return digest.items.filter((i) => i.why === 'By Wei Zhang, whom you follow').map((i) => i.paperId).sort();
  }

  test('the papers under a name are grouped into people by co-authors; a new paper is matched by co-author or category', async () => {
    const papers = await w.store.getPapers(NAMESAKES.map((p) => p.id));
    const people = peopleNamed('Wei Zhang', papers);
    assert.deepEqual(people.map((p) => p.papers.map((x) => x.id).sort()),
      [['2605.70001', '2605.70002', '2606.70003', '2606.70004'], ['2605.80001', '2605.80002', '2606.80003']]);
    assert.deepEqual(people[0]!.coauthors.slice(0, 2), ['Ana Ruiz', 'Bo Chen']);
    const vision = identityOf('Wei Zhang', papers.filter((p) => p.id === '2605.70001'));
    const byId = new Map(papers.map((p) => [p.id, p]));
    assert.equal(isSamePerson('Wei Zhang', vision, byId.get('2605.70002')!), true, 'a shared co-author');
    assert.equal(isSamePerson('Wei Zhang', vision, byId.get('2606.70004')!), true, 'the same category');
    assert.equal(isSamePerson('Wei Zhang', vision, byId.get('2606.80003')!), false, 'the namesake in databases');
    assert.equal(isSamePerson('Wei Zhang', vision, byId.get('2606.80004')!), false, 'another name, even with a shared co-author');
  });

  test('following from a paper follows its person, the digest brings theirs only, and the subscriber can pick the other person', async () => {
    // Following from the vision paper's page: several people share the name, so the answer is the page to check it.
    const followed = await formPost(w.app, '/personal/rules', { kind: 'follow-author', value: 'Wei Zhang', op: 'add', p: '2605.70001', back: '/papers/2605.70001' }, { cookie });
    assert.equal(followed.status, 303);
    assert.equal(followed.headers.get('location'), '/personal/people?name=Wei%20Zhang&followed=1');
    const rule = (await w.store.personalProfiles([alice])).get(alice)!.rules[0]!;
    assert.deepEqual([rule.value, rule.papers], ['Wei Zhang', ['2605.70001']]);
    assert.deepEqual(await followedInDigest(), ['2606.70003', '2606.70004']);

    const page = await (await w.app.request(followed.headers.get('location')!, { headers: { cookie } })).text();
    assert.match(page, /Which Wei Zhang\?/);
    assert.match(page, /by 2 different people/);
    assert.match(page, /Wei Zhang, with Ana Ruiz, Bo Chen/);
    assert.match(page, /Wei Zhang, with Carl Berg, Dana Ito/);
    assert.equal(page.match(/The one you follow/g)?.length, 1);
    assert.ok(page.indexOf('The one you follow') < page.indexOf('Carl Berg'), 'the vision person is the one followed');
    assert.ok(!page.includes('A namesake’s paper'), 'another name is nobody here');

    // Picking the databases person: the form on the page carries their papers.
    const form = /<input type="hidden" name="papers" value="([^"]+)">/.exec(page)![1]!;
    assert.deepEqual(form.split(' ').sort(), ['2605.80001', '2605.80002', '2606.80003']);
    const picked = await formPost(w.app, '/personal/people', { name: 'Wei Zhang', papers: form }, { cookie });
    assert.equal(picked.status, 303);
    assert.match(await (await w.app.request(picked.headers.get('location')!, { headers: { cookie } })).text(), /your digest now brings the new papers of the Wei Zhang marked below/);
    assert.deepEqual((await w.store.personalProfiles([alice])).get(alice)!.rules[0]!.papers, ['2605.80001', '2605.80002', '2606.80003']);
    assert.deepEqual(await followedInDigest(), ['2606.80003']);

    // Papers that do not carry the name cannot make a person; strangers cannot pick.
    assert.equal((await formPost(w.app, '/personal/people', { name: 'Wei Zhang', papers: '2606.80004 2606.00001' }, { cookie })).status, 400);
    assert.equal((await formPost(w.app, '/personal/people', { name: 'Wei Zhang', papers: form })).status, 403);
    assert.equal((await w.app.request('/personal/people?name=Wei%20Zhang')).status, 403);
  });

  test('a follow of the name alone (typed in the library) brings anyone of exactly that name, and the library offers to choose', async () => {
    await formPost(w.app, '/personal/rules', { kind: 'follow-author', value: 'Wei Zhang', op: 'remove' }, { cookie });
    await formPost(w.app, '/personal/rules', { kind: 'follow-author', value: 'Wei Zhang', op: 'add', back: '/library' }, { cookie });
    assert.deepEqual(await followedInDigest(), ['2606.70003', '2606.70004', '2606.80003']);
    const library = await (await w.app.request('/library', { headers: { cookie } })).text();
    assert.match(library, /href="\/personal\/people\?name=Wei%20Zhang">Which one\?/);
  });
});
