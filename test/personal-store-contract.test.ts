// The behaviour every engine's PersonalStore must share (feedback, library, rules,
// single-use links, erasure with the subscriber). Exported so another engine runs the
// same suite with its own `open()`; both engines register at the bottom.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { emptyRecord, type PaperRecord } from '../src/papers/paper.js';
import type { AlertPlan } from '../src/store/alert-store.js';
import type { LibraryItem } from '../src/store/personal-store.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { testPostgres } from './support/postgres.js';

const AT = '2026-06-01T00:00:00.000Z';

async function subscriber(store: Store, email: string): Promise<number> {
  await store.changeSubscriber({ email }, () => ({
    result: null,
    set: {
      email, status: 'active', topics: [], categories: [], topicMode: 'only', sendHour: 7, timeZone: 'UTC', frequency: 'daily', weekday: 1,
      consent: 'operator-add', createdAt: AT, updatedAt: AT, nextDueAt: AT,
    },
  }));
  return (await store.findSubscriber(email))!.id;
}

const record = (id: string, versions: number, authors = ['Grace Hopper']): PaperRecord => ({
  ...emptyRecord(id, `Paper ${id}`, 'An abstract.'), authors: authors.map((name) => ({ name })), categories: ['cs.LG'], announcedAt: '2026-06-01',
  versions: Array.from({ length: versions }, (_, i) => ({ version: i + 1, submittedAt: `2026-06-0${i + 1}T00:00:00Z` })),
});

const item = (id: string, title: string): Omit<LibraryItem, 'addedAt'> => ({ key: `arxiv:${id}`, paperId: id, source: 'save', item: { id, type: 'article', title } });

export function personalStoreContract(engine: string, open: () => Promise<Store>, skip: string | false = false): void {
  describe(`PersonalStore contract: ${engine}`, { skip }, () => {
    test('feedback is one kind per paper: the latest replaces the other, null removes it', async () => {
      const store = await open();
      const a = await subscriber(store, 'a@example.org');
      assert.equal(await store.changePersonal(a, { feedback: [{ paperId: '2606.00001', kind: 'more' }, { paperId: '2606.00002', kind: 'less' }] }, AT), true);
      await store.changePersonal(a, { feedback: [{ paperId: '2606.00001', kind: 'less' }] }, '2026-06-02T00:00:00.000Z');
      let p = (await store.personalProfiles([a])).get(a)!;
      assert.deepEqual(p.feedback.map((f) => [f.paperId, f.kind]).sort(), [['2606.00001', 'less'], ['2606.00002', 'less']]);
      await store.changePersonal(a, { feedback: [{ paperId: '2606.00001', kind: null }] }, AT);
      p = (await store.personalProfiles([a])).get(a)!;
      assert.deepEqual(p.feedback.map((f) => f.paperId), ['2606.00002']);
      await store.close();
    });

    test('a single-use link changes things once; a second use changes nothing', async () => {
      const store = await open();
      const a = await subscriber(store, 'a@example.org');
      const change = { link: 'more:2606.00001:2026-06-01', feedback: [{ paperId: '2606.00001', kind: 'more' as const }] };
      assert.equal(await store.changePersonal(a, change, AT), true);
      await store.changePersonal(a, { feedback: [{ paperId: '2606.00001', kind: null }] }, AT);
      assert.equal(await store.changePersonal(a, change, AT), false);
      assert.equal((await store.personalProfiles([a])).has(a), false, 'the refused change wrote nothing');
      // The same link text for another subscriber is another link.
      const b = await subscriber(store, 'b@example.org');
      assert.equal(await store.changePersonal(b, change, AT), true);
      await store.close();
    });

    test('library entries are kept per key, newest first, replaced and removed; rules likewise', async () => {
      const store = await open();
      const a = await subscriber(store, 'a@example.org');
      const b = await subscriber(store, 'b@example.org');
      await store.changePersonal(a, { library: { add: [item('2606.00001', 'One')] } }, '2026-06-01T00:00:00.000Z');
      await store.changePersonal(a, { library: { add: [item('2606.00002', 'Two'), { ...item('2606.00001', 'One, revised'), source: 'import' }] } }, '2026-06-02T00:00:00.000Z');
      await store.changePersonal(a, { rules: { add: [{ kind: 'follow-author', value: 'Grace Hopper' }, { kind: 'hide-word', value: 'quantum' }, { kind: 'hide-word', value: 'quantum' }] } }, AT);
      await store.changePersonal(b, { rules: { add: [{ kind: 'hide-category', value: 'cs.CR' }] } }, AT);
      let profiles = await store.personalProfiles([a, b]);
      const lib = profiles.get(a)!.library;
      assert.deepEqual(lib.map((i) => [i.key, i.item.title, i.source]), [['arxiv:2606.00002', 'Two', 'save'], ['arxiv:2606.00001', 'One, revised', 'import']]);
      assert.deepEqual(profiles.get(a)!.rules.map((r) => `${r.kind}=${r.value}`), ['follow-author=Grace Hopper', 'hide-word=quantum']);
      assert.deepEqual(profiles.get(b)!.rules.map((r) => r.value), ['cs.CR']);
      await store.changePersonal(a, { library: { remove: ['arxiv:2606.00002'] }, rules: { remove: [{ kind: 'hide-word', value: 'quantum' }] } }, AT);
      profiles = await store.personalProfiles([a]);
      assert.deepEqual(profiles.get(a)!.library.map((i) => i.key), ['arxiv:2606.00001']);
      assert.deepEqual(profiles.get(a)!.rules.map((r) => r.kind), ['follow-author']);
      await store.close();
    });

    test('a followed author keeps the papers that tell them from namesakes; unfollowing or erasing removes them', async () => {
      const store = await open();
      const a = await subscriber(store, 'a@example.org');
      const b = await subscriber(store, 'b@example.org');
      const wei = (papers?: string[]) => ({ kind: 'follow-author' as const, value: 'Wei Zhang', ...(papers ? { papers } : {}) });
      await store.changePersonal(a, { rules: { add: [wei(['2606.00002']), { kind: 'follow-author', value: 'Grace Hopper' }] } }, AT);
      await store.changePersonal(a, { rules: { add: [wei(['2606.00001', '2606.00002'])] } }, AT);
      await store.changePersonal(b, { rules: { add: [wei(['2606.00009'])] } }, AT);
      let profiles = await store.personalProfiles([a, b]);
      assert.deepEqual(profiles.get(a)!.rules.map((r) => [r.value, r.papers]), [['Grace Hopper', undefined], ['Wei Zhang', ['2606.00001', '2606.00002']]]);
      assert.deepEqual(profiles.get(b)!.rules.map((r) => r.papers), [['2606.00009']]);
      // Picking another person: the follow is removed and added again with their papers only, in one change.
      await store.changePersonal(a, { rules: { remove: [wei()], add: [wei(['2606.00007'])] } }, AT);
      profiles = await store.personalProfiles([a]);
      assert.deepEqual(profiles.get(a)!.rules.find((r) => r.value === 'Wei Zhang')!.papers, ['2606.00007']);
      await store.changePersonal(a, { rules: { remove: [wei()] } }, AT);
      await store.changePersonal(a, { rules: { add: [wei()] } }, AT);
      assert.equal((await store.personalProfiles([a])).get(a)!.rules.find((r) => r.value === 'Wei Zhang')!.papers, undefined, 'unfollowing forgot the papers');
      await store.changeSubscriber({ id: b }, () => ({ result: null, remove: true }));
      const again = await subscriber(store, 'b@example.org');
      await store.changePersonal(again, { rules: { add: [wei()] } }, AT);
      assert.equal((await store.personalProfiles([again])).get(again)!.rules[0]!.papers, undefined, 'erasure took them too');
      await store.close();
    });

    test('alert kinds are on until turned off, per subscriber; unknown subscribers are refused; erasing forgets', async () => {
      const store = await open();
      const a = await subscriber(store, 'a@example.org');
      const b = await subscriber(store, 'b@example.org');
      assert.deepEqual(await store.alertSettings(a), { 'followed-author': true, 'saved-version': true });
      assert.equal(await store.setAlertSettings(a, { 'saved-version': false }, AT), true);
      assert.equal(await store.setAlertSettings(a, { 'saved-version': false }, AT), true, 'turning off twice is harmless');
      assert.deepEqual(await store.alertSettings(a), { 'followed-author': true, 'saved-version': false });
      assert.deepEqual(await store.alertSettings(b), { 'followed-author': true, 'saved-version': true });
      await store.setAlertSettings(a, { 'saved-version': true, 'followed-author': false }, AT);
      assert.deepEqual(await store.alertSettings(a), { 'followed-author': false, 'saved-version': true });
      assert.equal(await store.setAlertSettings(999_999, { 'followed-author': false }, AT), false);
      await store.changeSubscriber({ id: a }, () => ({ result: null, remove: true }));
      const again = await subscriber(store, 'a@example.org');
      assert.deepEqual(await store.alertSettings(again), { 'followed-author': true, 'saved-version': true });
      await store.close();
    });

    test('paper changes come in change order after a number, a changed paper again with a higher one', async () => {
      const store = await open();
      await store.ingest({ papers: [record('2606.00001', 1), record('2606.00002', 1), record('2606.00003', 1)] });
      const all = await store.paperChanges(0, 10);
      assert.deepEqual(all.map((c) => c.id), ['2606.00001', '2606.00002', '2606.00003']);
      assert.ok(all.every((c, i) => i === 0 || c.changeSeq > all[i - 1]!.changeSeq));
      assert.ok(all.every((c) => !Number.isNaN(Date.parse(c.ingestedAt))));
      assert.deepEqual((await store.paperChanges(all[0]!.changeSeq, 1)).map((c) => c.id), ['2606.00002'], 'after a number, at most the limit');
      await store.ingest({ papers: [record('2606.00001', 2)] });
      const later = await store.paperChanges(all[2]!.changeSeq, 10);
      assert.deepEqual(later.map((c) => c.id), ['2606.00001']);
      assert.equal(later[0]!.ingestedAt, all[0]!.ingestedAt, 'first stored: a new version does not move it');
      assert.equal(later[0]!.changeSeq, (await store.contentVersion()).changeSeq);
      await store.close();
    });

    test('watches: followed authors and saved papers of active subscribers who want those alerts', async () => {
      const store = await open();
      const a = await subscriber(store, 'a@example.org');
      const b = await subscriber(store, 'b@example.org');
      const c = await subscriber(store, 'c@example.org');
      for (const id of [a, b, c]) await store.changePersonal(id, { rules: { add: [{ kind: 'follow-author', value: 'Grace Hopper', ...(id === a ? { papers: ['2606.00009'] } : {}) }] } }, AT);
      await store.changePersonal(a, { library: { add: [{ ...item('2606.00001', 'One'), item: { id: '2606.00001', type: 'article', title: 'One', version: '2' } }, item('2606.00002', 'Two')] } }, AT);
      await store.changePersonal(b, { library: { add: [item('2606.00001', 'One')] } }, AT);
      await store.setAlertSettings(b, { 'followed-author': false }, AT);
      await store.changeSubscriber({ id: c }, () => ({ result: null, set: { status: 'paused' } }));
      assert.deepEqual((await store.authorWatches()).map((w) => [w.subscriberId, w.author, w.since, w.papers]), [[a, 'Grace Hopper', AT, ['2606.00009']]]);
      const saved = await store.savedWatches(['2606.00001', '2606.00003']);
      assert.deepEqual(saved.map((w) => [w.subscriberId, w.paperId, w.version, w.addedAt]), [[a, '2606.00001', 2, AT], [b, '2606.00001', null, AT]]);
      await store.setAlertSettings(a, { 'saved-version': false }, AT);
      assert.deepEqual((await store.savedWatches(['2606.00001'])).map((w) => w.subscriberId), [b]);
      assert.deepEqual(await store.savedWatches([]), []);
      await store.close();
    });

    test('planned alerts: one outbox row per new set, each alert once ever, none for inactive subscribers', async () => {
      const store = await open();
      const a = await subscriber(store, 'a@example.org');
      const b = await subscriber(store, 'b@example.org');
      const editionId = await store.saveEdition('alerts-edition', { windowFrom: '2026-06-01', windowTo: '2026-06-01', items: [{ paperId: '2606.00001', why: 'x' }] }, AT);
      const plan = (subscriberId: number, key: string, items: AlertPlan['items']): AlertPlan => ({ subscriberId, key, messageId: `<${key.replaceAll(' ', '.')}.${subscriberId}@x>`, editionId, items });
      const one = { kind: 'followed-author' as const, paperId: '2606.00001', version: 1 };
      const two = { kind: 'saved-version' as const, paperId: '2606.00002', version: 3 };
      const twoAgain = { kind: 'followed-author' as const, paperId: '2606.00002', version: 1 };
      assert.equal(await store.planAlerts([plan(a, '2026-06-01 alerts k1', [one, two, twoAgain])], AT), 1);
      const row = (await store.getDigest(a, '2026-06-01 alerts k1'))!;
      assert.equal(row.status, 'pending');
      assert.deepEqual(row.paperIds, ['2606.00001', '2606.00002'], 'a paper once, however many alerts name it');
      assert.equal(row.editionId, editionId);
      assert.ok((await store.readyDigests(AT, 10)).includes(row.id), 'delivered by the outbox like a digest');
      // The same alerts again, under another key (another run): nothing new, no row.
      assert.equal(await store.planAlerts([plan(a, '2026-06-01 alerts k2', [one, two])], AT), 0);
      assert.equal(await store.getDigest(a, '2026-06-01 alerts k2'), null);
      // A later version is another alert; the old ones are dropped from the row.
      const three = { ...two, version: 4 };
      assert.equal(await store.planAlerts([plan(a, '2026-06-02 alerts k3', [one, three])], AT), 1);
      assert.deepEqual((await store.getDigest(a, '2026-06-02 alerts k3'))!.paperIds, ['2606.00002']);
      // A key already in the outbox plans nothing, not even its new alerts (they stay for a later run).
      const four = { ...two, version: 5 };
      assert.equal(await store.planAlerts([plan(a, '2026-06-02 alerts k3', [four])], AT), 0);
      assert.equal(await store.planAlerts([plan(a, '2026-06-02 alerts k4', [four])], AT), 1, 'four was not recorded by the refused plan');
      // Another subscriber has their own; an inactive one gets nothing recorded.
      await store.changeSubscriber({ id: b }, () => ({ result: null, set: { status: 'unsubscribed' } }));
      assert.equal(await store.planAlerts([plan(b, '2026-06-01 alerts k1', [one])], AT), 0);
      await store.changeSubscriber({ id: b }, () => ({ result: null, set: { status: 'active' } }));
      assert.equal(await store.planAlerts([plan(b, '2026-06-01 alerts k1', [one])], AT), 1);
      // Erasing the subscriber erases their alerts: a new subscriber with that address starts afresh.
      await store.changeSubscriber({ id: a }, () => ({ result: null, remove: true }));
      const again = await subscriber(store, 'a@example.org');
      assert.equal(await store.planAlerts([plan(again, '2026-06-01 alerts k1', [one])], AT), 1);
      await store.close();
    });

    test('the alert cursor starts unset and only moves forward', async () => {
      const store = await open();
      assert.equal(await store.alertCursor(), null);
      await store.moveAlertCursor(5, AT);
      await store.moveAlertCursor(3, AT);
      assert.equal(await store.alertCursor(), 5);
      await store.moveAlertCursor(8, AT);
      assert.equal(await store.alertCursor(), 8);
      await store.close();
    });

    test('an unknown subscriber gets nothing written, and erasing a subscriber erases their data', async () => {
      const store = await open();
      assert.equal(await store.changePersonal(999_999, { feedback: [{ paperId: '2606.00001', kind: 'more' }] }, AT), false);
      const a = await subscriber(store, 'a@example.org');
      await store.changePersonal(a, { link: 'x', feedback: [{ paperId: '2606.00001', kind: 'more' }], library: { add: [item('2606.00001', 'One')] }, rules: { add: [{ kind: 'hide-author', value: 'Eve' }] } }, AT);
      assert.ok((await store.personalProfiles([a])).has(a));
      await store.changeSubscriber({ id: a }, () => ({ result: null, remove: true }));
      assert.equal((await store.personalProfiles([a])).has(a), false);
      // A new subscriber never inherits an old one's data (ids are not reused) nor its used links.
      const again = await subscriber(store, 'a@example.org');
      assert.notEqual(again, a);
      assert.equal(await store.changePersonal(again, { link: 'x' }, AT), true);
      await store.close();
    });
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-personal-'));
let n = 0;
personalStoreContract('sqlite', async () => {
  const store = openSqliteStore(path.join(dir, `personal-${n++}.db`));
  await store.migrate();
  return store;
});

const server = await testPostgres();
after(async () => { if (!('skip' in server)) await server.stop(); });
personalStoreContract('postgres', async () => {
  if ('skip' in server) throw new Error(server.skip);
  const store = openPostgresStore(await server.freshDatabase(), { poolSize: 3 });
  await store.migrate();
  return store;
}, 'skip' in server ? server.skip : false);
