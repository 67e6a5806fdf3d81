// The behaviour every Store engine must share: the specification of an engine. Both
// engines register at the bottom, SQLite (a file per test) and PostgreSQL (a database per
// test, on PAPERBOY_TEST_POSTGRES_URL or a throwaway cluster, test/support/postgres.ts).
// `open({ sameAs })` opens a second connection to the database of an open store, as
// another process would.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { emptyRecord } from '../src/papers/paper.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { testPostgres } from './support/postgres.js';
import { subscriberContract } from './contract/subscribers.js';
import { siteContract } from './contract/site.js';
import { textContract } from './contract/text.js';
import { trendingContract } from './contract/trending.js';
import { plan, record, subscriber, type OpenOptions } from './contract/fixtures.js';

export function storeContract(engine: string, open: (o?: OpenOptions) => Promise<Store>, skip: string | false = false): void {
  describe(`Store contract: ${engine}`, { skip }, () => {
    subscriberContract(open);
    textContract(open);
    trendingContract(open);
    siteContract(open);

    test('a paper round-trips with everything it was given', async () => {
      const store = await open();
      const r = record('2503.00001', { comment: '12 pages', journalRef: 'J. Stat. Mech. (2025)', doi: '10.1/x', license: 'http://creativecommons.org/licenses/by/4.0/' });
      assert.deepEqual(await store.ingest({ papers: [r] }), { inserted: 1, updated: 0, unchanged: 0, signalsAdded: 0 });
      const p = await store.getPaper('2503.00001');
      assert.ok(p);
      assert.equal(p.title, r.title);
      assert.deepEqual(p.authors, r.authors);
      assert.deepEqual(p.categories, ['cs.LG', 'stat.ML']);
      assert.equal(p.primaryCategory, 'cs.LG');
      assert.equal(p.submittedAt, '2025-03-14T10:00:00.000Z', 'v1 date is the submission date');
      assert.equal(p.latestVersion, 1);
      assert.deepEqual(p.links, { abs: 'https://arxiv.org/abs/2503.00001', pdf: 'https://arxiv.org/pdf/2503.00001v1' });
      assert.equal(p.journalRef, 'J. Stat. Mech. (2025)');
      assert.equal(await store.getPaper('2503.99999'), null);
      await store.close();
    });

    test('papers by id come back in the order asked, each with its own versions; unknown ids are skipped', async () => {
      const store = await open();
      await store.ingest({ papers: [
        record('2503.00011', { versions: [{ version: 1, submittedAt: '2025-03-10T00:00:00.000Z' }, { version: 2, submittedAt: '2025-03-20T00:00:00.000Z' }] }),
        record('hep-th/9901002', { categories: ['hep-th'] }),
        record('2503.00012'),
      ] });
      const papers = await store.getPapers(['2503.00012', 'nope/0000000', 'hep-th/9901002', '2503.00011']);
      assert.deepEqual(papers.map((p) => p.id), ['2503.00012', 'hep-th/9901002', '2503.00011']);
      assert.deepEqual(papers.map((p) => p.latestVersion), [1, 1, 2]);
      assert.deepEqual(papers[2]!.versions.map((v) => v.version), [1, 2]);
      assert.deepEqual(papers[2], await store.getPaper('2503.00011'), 'the same paper as getPaper gives');
      assert.deepEqual(await store.getPapers([]), []);
      await store.close();
    });

    test('ingesting the same record twice changes nothing', async () => {
      const store = await open();
      const batch = { papers: [record('2503.00002'), record('hep-th/9901001', { categories: ['hep-th'] })] };
      await store.ingest(batch);
      const before = await store.stats();
      assert.deepEqual(await store.ingest(batch), { inserted: 0, updated: 0, unchanged: 2, signalsAdded: 0 });
      assert.deepEqual(await store.stats(), before);
      await store.close();
    });

    test('a newer version updates the paper and keeps the version history', async () => {
      const store = await open();
      await store.ingest({ papers: [record('2503.00003')] });
      const v2 = record('2503.00003', {
        title: 'A better title',
        versions: [{ version: 2, submittedAt: '2025-04-01T09:00:00.000Z', size: '130kb' }],
      });
      assert.equal((await store.ingest({ papers: [v2] })).updated, 1);
      const p = await store.getPaper('2503.00003');
      assert.equal(p?.title, 'A better title');
      assert.deepEqual(p?.versions.map((v) => v.version), [1, 2]);
      assert.equal(p?.submittedAt, '2025-03-14T10:00:00.000Z');
      assert.equal(p?.updatedAt, '2025-04-01T09:00:00.000Z');
      assert.equal(p?.links.pdf, 'https://arxiv.org/pdf/2503.00003v2');
      // The old version arriving late (a replayed harvest) does not roll the paper back.
      await store.ingest({ papers: [record('2503.00003')] });
      assert.equal((await store.getPaper('2503.00003'))?.title, 'A better title');
      await store.close();
    });

    test('a poorer source fills gaps but never erases', async () => {
      const store = await open();
      await store.ingest({ papers: [record('2503.00004', { doi: '10.1/y' })] });
      const poor = { ...emptyRecord('2503.00004', 'Other title', ''), comment: 'Accepted at ICML' };
      await store.ingest({ papers: [poor] });
      const p = await store.getPaper('2503.00004');
      assert.equal(p?.title, 'Title of 2503.00004', 'a version-less record does not override a versioned one');
      assert.equal(p?.doi, '10.1/y');
      assert.equal(p?.comment, 'Accepted at ICML');
      assert.equal(p?.authors.length, 2);
      await store.close();
    });

    test('listing is newest first and a category includes cross-lists', async () => {
      const store = await open();
      await store.ingest({ papers: [
        record('2503.00010', { announcedAt: '2025-03-10', categories: ['cs.CV'] }),
        record('2503.00011', { announcedAt: '2025-03-12', categories: ['math.OC', 'cs.LG'] }),
        record('2503.00012', { announcedAt: '2025-03-11', categories: ['cs.LG'] }),
      ] });
      const ids = (await store.listPapers({ limit: 3 })).map((p) => p.id);
      assert.deepEqual(ids, ['2503.00011', '2503.00012', '2503.00010']);
      const lg = (await store.listPapers({ category: 'cs.LG', limit: 10 })).map((p) => p.id);
      assert.deepEqual(lg, ['2503.00011', '2503.00012']);
      assert.deepEqual((await store.listPapers({ limit: 1, offset: 1 })).map((p) => p.id), ['2503.00012']);
      await store.close();
    });

    test('signals are kept with time and source, once each', async () => {
      const store = await open();
      await store.ingest({ papers: [record('2503.00020')] });
      const s = { paperId: '2503.00020', kind: 'upvotes' as const, value: 12, source: 'hf-daily', observedAt: '2025-03-18T23:59:59.000Z' };
      assert.equal((await store.ingest({ signals: [s] })).signalsAdded, 1);
      assert.equal((await store.ingest({ signals: [s] })).signalsAdded, 0);
      await store.ingest({ signals: [{ ...s, observedAt: '2025-03-19T23:59:59.000Z', value: 30 }] });
      assert.deepEqual((await store.signalsFor('2503.00020')).map((x) => x.value), [12, 30]);
      await store.close();
    });

    test('a batch is all or nothing', async () => {
      const store = await open();
      const orphan = { paperId: '2503.77777', kind: 'upvotes' as const, value: 1, source: 'x', observedAt: '2025-01-01T00:00:00Z' };
      await assert.rejects(store.ingest({ papers: [record('2503.00030')], signals: [orphan] }));
      assert.equal(await store.getPaper('2503.00030'), null);
      await store.close();
    });

    test('harvest checkpoints round-trip', async () => {
      const store = await open();
      assert.equal(await store.getHarvestState('oai:arXivRaw:cs'), null);
      const state = {
        name: 'oai:arXivRaw:cs', nextFrom: null, resumptionToken: '6511260|1001', currentFrom: '2025-03-01',
        currentResponseDate: '2025-03-02T01:00:00Z', pages: 1, records: 1000, lastSuccessAt: null, lastError: null,
        updatedAt: '2025-03-02T01:00:05Z',
      };
      await store.ingest({ papers: [record('2503.00040')], harvestState: state });
      assert.deepEqual(await store.getHarvestState('oai:arXivRaw:cs'), state);
      await store.saveHarvestState({ ...state, resumptionToken: null, nextFrom: '2025-03-02' });
      assert.equal((await store.getHarvestState('oai:arXivRaw:cs'))?.nextFrom, '2025-03-02');
      assert.equal((await store.stats()).harvests.length, 1);
      await store.close();
    });

    test('the change sequence numbers each change, and changedAfter finds exactly the later ones, in order', async () => {
      const store = await open();
      assert.equal((await store.contentVersion()).changeSeq, 0);
      await store.ingest({ papers: [record('2503.00050'), record('2503.00051')] });
      const first = (await store.contentVersion()).changeSeq;
      assert.ok(first >= 2);
      await store.ingest({ papers: [record('2503.00050')] });
      assert.equal((await store.contentVersion()).changeSeq, first, 'an unchanged paper takes no number');
      await store.ingest({ papers: [record('2503.00052'), record('2503.00050', { title: 'Changed', versions: [{ version: 2, submittedAt: '2025-04-01T00:00:00.000Z' }] })] });
      const later = [];
      for await (const d of store.searchDocuments({ changedAfter: first })) later.push(d.id);
      assert.deepEqual(later, ['2503.00052', '2503.00050'], 'the new one and the changed one, in the order they changed');
      const all = [];
      for await (const d of store.searchDocuments()) all.push(d.id);
      assert.deepEqual(all, ['2503.00050', '2503.00051', '2503.00052'], 'everything by key');
      const none = [];
      for await (const d of store.searchDocuments({ changedAfter: (await store.contentVersion()).changeSeq })) none.push(d.id);
      assert.deepEqual(none, []);
      await store.close();
    });

    test('a change committed later with an earlier clock is still found after the number read before it', async () => {
      // Two writers whose clocks disagree: B's clock is an hour behind A's. Under stamps of
      // the application clock, B's later commit sorted before what a reader had already seen.
      const a = await open({ now: () => new Date('2026-07-01T12:00:00Z') });
      const b = await open({ sameAs: a, now: () => new Date('2026-07-01T11:00:00Z') });
      await a.ingest({ papers: [record('2503.00060')] });
      const seen = await a.contentVersion();
      await b.ingest({ papers: [record('2503.00060', { title: 'Revised by B', versions: [{ version: 2, submittedAt: '2025-05-01T00:00:00.000Z' }] }), record('2503.00061')] });
      const found = [];
      for await (const d of a.searchDocuments({ changedAfter: seen.changeSeq })) found.push([d.id, d.title]);
      assert.deepEqual(found, [['2503.00060', 'Revised by B'], ['2503.00061', 'Title of 2503.00061']]);
      assert.ok((await a.contentVersion()).changeSeq > seen.changeSeq);
      await b.close();
      await a.close();
    });

    test('a version kept between searches shows this store\'s own changes at once, and another process\'s within moments', async () => {
      const a = await open();
      const b = await open({ sameAs: a });
      const kept = () => a.contentVersion({ cached: true });
      for (const id of ['2503.00071', '2503.00072']) {
        await kept();
        await b.ingest({ papers: [record(id)] });
        const written = await b.contentVersion();
        let seen = await kept();
        for (const until = Date.now() + 5000; seen.changeSeq !== written.changeSeq && Date.now() < until;) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          seen = await kept();
        }
        assert.deepEqual(seen, written, `${id}, added by another process, within seconds`);
      }
      const before = await kept();
      await a.ingest({ papers: [record('2503.00070')] });
      const own = await kept();
      assert.ok(own.changeSeq > before.changeSeq && (own.maxKey ?? 0) > (before.maxKey ?? 0), 'a paper this store added');
      await a.saveExtras([{ paperId: '2503.00070', aiSummary: 'A summary.', aiKeywords: [], projectPage: null, source: 'hf-daily' }]);
      const extras = await kept();
      assert.ok(extras.changeSeq > own.changeSeq, 'a summary this store saved');
      assert.deepEqual(await kept(), extras, 'nothing changed since');
      await b.close();
      await a.close();
    });

    test('a newer day\'s digest supersedes an older one still pending, never one being sent or sent', async () => {
      const store = await open();
      const s = await subscriber(store, 'reader@example.org');
      assert.equal(await store.planDigests([plan(s, '2026-06-01')], '2026-06-01T07:00:00.000Z'), 1);
      assert.equal(await store.planDigests([plan(s, '2026-06-01')], '2026-06-01T07:00:00.000Z'), 0, 'a date is planned once');
      assert.equal(await store.planDigests([plan(s, '2026-06-02')], '2026-06-02T07:00:00.000Z'), 1);
      assert.equal((await store.getDigest(s.id, '2026-06-01'))?.status, 'superseded');
      assert.equal((await store.getDigest(s.id, '2026-06-02'))?.status, 'pending');
      // One being sent is not taken back, nor a sent one.
      const claimed = await store.claimDigest((await store.getDigest(s.id, '2026-06-02'))!.id, 'host:1:1', '2026-06-03T08:00:00.000Z', '2026-06-03T07:00:00.000Z');
      assert.ok(claimed);
      assert.equal(await store.planDigests([plan(s, '2026-06-03')], '2026-06-03T07:00:00.000Z'), 1);
      assert.equal((await store.getDigest(s.id, '2026-06-02'))?.status, 'sending');
      await store.finishDigest(claimed.row.id, { kind: 'sent', response: '250 OK' }, '2026-06-03T07:00:01.000Z');
      assert.equal(await store.planDigests([plan(s, '2026-06-04')], '2026-06-04T07:00:00.000Z'), 1);
      assert.deepEqual(
        await Promise.all(['2026-06-02', '2026-06-03', '2026-06-04'].map(async (d) => (await store.getDigest(s.id, d))?.status)),
        ['sent', 'superseded', 'pending'],
      );
      assert.equal((await store.getSubscriber(s.id))?.lastDigestDate, '2026-06-04');
      await store.close();
    });

    test('pruning forgets finished digests before the cut and editions nobody uses, never undelivered ones', async () => {
      const store = await open();
      const s = await subscriber(store, 'old@example.org');
      const t = await subscriber(store, 'new@example.org');
      const used = await store.saveEdition('used', { windowFrom: '2026-05-01', windowTo: '2026-05-02', items: [{ paperId: '2503.00001', why: 'x' }] }, '2026-05-02T00:00:00.000Z');
      const orphan = await store.saveEdition('orphan', { windowFrom: '2026-05-01', windowTo: '2026-05-02', items: [] }, '2026-05-02T00:00:00.000Z');
      assert.equal(await store.saveEdition('used', { windowFrom: 'a', windowTo: 'b', items: [] }, '2026-05-03T00:00:00.000Z'), used, 'the same key is the same edition');
      await store.planDigests([plan(s, '2026-05-02', { status: 'skipped' })], '2026-05-02T07:00:00.000Z');
      await store.planDigests([plan(t, '2026-05-02', { editionId: used })], '2026-05-02T07:00:00.000Z'); // still pending
      await store.planDigests([plan(s, '2026-06-20')], '2026-06-20T07:00:00.000Z');
      assert.equal(await store.pruneDigests('2026-06-01T00:00:00.000Z'), 1, 'only the old finished one');
      assert.equal(await store.getDigest(s.id, '2026-05-02'), null);
      assert.equal((await store.getDigest(t.id, '2026-05-02'))?.status, 'pending', 'an undelivered digest is kept whatever its age');
      assert.ok(await store.getDigest(s.id, '2026-06-20'));
      assert.ok(await store.getEdition(used), 'an edition a kept digest uses stays');
      assert.equal(await store.getEdition(orphan), null);
      await store.close();
    });

    test('a connection lost after the handover puts the digest back flagged; a dead sender\'s digest is recovered flagged', async () => {
      const store = await open();
      const s = await subscriber(store, 'doubt@example.org');
      await store.planDigests([plan(s, '2026-06-01')], '2026-06-01T07:00:00.000Z');
      const id = (await store.getDigest(s.id, '2026-06-01'))!.id;
      const at = '2026-06-01T07:00:00.000Z';
      assert.ok(await store.claimDigest(id, 'host:1:1', '2026-06-01T08:00:00.000Z', at));
      assert.equal(await store.claimDigest(id, 'host:2:2', '2026-06-01T08:00:00.000Z', at), null, 'a claim is exclusive');
      await store.finishDigest(id, { kind: 'retry', error: 'Connection closed', nextAttemptAt: at, inDoubt: true }, at);
      assert.deepEqual([(await store.getDigest(s.id, '2026-06-01'))?.status, (await store.getDigest(s.id, '2026-06-01'))?.recovered], ['pending', 1]);
      await store.finishDigest(id, { kind: 'retry', error: 'late', nextAttemptAt: at }, at);
      assert.equal((await store.getDigest(s.id, '2026-06-01'))?.recovered, 1, 'finishing a row that is not being sent changes nothing');
      assert.ok(await store.claimDigest(id, 'host:1:1', '2026-06-01T08:00:00.000Z', at));
      assert.equal(await store.recoverDigests(at, () => false), 0);
      assert.equal(await store.recoverDigests(at, (owner) => owner === 'host:1:1'), 1);
      assert.deepEqual([(await store.getDigest(s.id, '2026-06-01'))?.status, (await store.getDigest(s.id, '2026-06-01'))?.recovered], ['pending', 2]);
      await store.close();
    });

    test('paper vectors: kept per model by paper key, replaced in place, listed per model, other models dropped', async () => {
      const store = await open();
      await store.ingest({ papers: [record('2503.00001'), record('2503.00002')] });
      const keys: number[] = [];
      for await (const d of store.searchDocuments()) keys.push(d.key);
      const v = (...xs: number[]) => Float32Array.from(xs);
      await store.savePaperVectors('m:a', [{ key: keys[1]!, textHash: 7, vector: v(0, 1) }, { key: keys[0]!, textHash: -3, vector: v(1, 0) }]);
      await store.savePaperVectors('m:a', [{ key: keys[1]!, textHash: 8, vector: v(0.6, 0.8) }]);
      await store.savePaperVectors('m:b', [{ key: keys[0]!, textHash: 1, vector: v(1, 2, 3) }]);
      const read = async (model: string) => { const out = []; for await (const x of store.paperVectors(model)) out.push({ ...x, vector: [...x.vector].map((n) => Math.round(n * 10) / 10) }); return out; };
      assert.deepEqual(await read('m:a'), [{ key: keys[0], textHash: -3, vector: [1, 0] }, { key: keys[1], textHash: 8, vector: [0.6, 0.8] }], 'ascending keys, the newer vector');
      assert.deepEqual(await store.paperVectorModels(), [{ model: 'm:a', papers: 2 }, { model: 'm:b', papers: 1 }]);
      assert.equal(await store.dropPaperVectorsExcept('m:a'), 1);
      assert.deepEqual(await read('m:b'), []);
      await store.close();
    });
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-store-'));
let n = 0;
const files = new WeakMap<Store, string>();
storeContract('sqlite', async (o = {}) => {
  const file = o.sameAs ? files.get(o.sameAs)! : path.join(dir, `store-${n++}.db`);
  const store = openSqliteStore(file, { now: o.now });
  await store.migrate();
  files.set(store, file);
  return store;
});

const server = await testPostgres();
after(async () => { if (!('skip' in server)) await server.stop(); });
const urls = new WeakMap<Store, string>();
storeContract('postgres', async (o = {}) => {
  if ('skip' in server) throw new Error(server.skip);
  const url = o.sameAs ? urls.get(o.sameAs)! : await server.freshDatabase();
  const store = openPostgresStore(url, { now: o.now, poolSize: 3 });
  await store.migrate();
  urls.set(store, url);
  return store;
}, 'skip' in server ? server.skip : false);
