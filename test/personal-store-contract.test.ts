// The behaviour every engine's PersonalStore must share (feedback, library, rules,
// single-use links, erasure with the subscriber). Exported so another engine runs the
// same suite with its own `open()`; both engines register at the bottom.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
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
