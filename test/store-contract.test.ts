// The behaviour every Store engine must share. Each engine registers itself at the
// bottom; a PostgreSQL engine will run the same suite.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { emptyRecord, type PaperRecord } from '../src/papers/paper.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';

function record(id: string, over: Partial<PaperRecord> = {}): PaperRecord {
  return {
    ...emptyRecord(id, `Title of ${id}`, `Abstract of ${id} about spin glasses.`),
    authors: [{ name: 'Ada Lovelace', affiliations: ['Analytical Engine Society'] }, { name: 'Alan Turing' }],
    categories: ['cs.LG', 'stat.ML'],
    versions: [{ version: 1, submittedAt: '2025-03-14T10:00:00.000Z', size: '120kb' }],
    announcedAt: '2025-03-17',
    ...over,
  };
}

export function storeContract(engine: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${engine}`, () => {
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
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-store-'));
let n = 0;
storeContract('sqlite', async () => {
  const store = openSqliteStore(path.join(dir, `store-${n++}.db`));
  await store.migrate();
  return store;
});
