// Contract: local upvotes, site secrets, papers' extras and what the store says of itself.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { record, type Open } from './fixtures.js';

export function siteContract(open: Open): void {
  test('votes: one per visitor, withdrawn once, summed with the latest imported count', async () => {
    const store = await open();
    await store.ingest({
      papers: [record('2503.00041'), record('2503.00042')],
      signals: [
        { paperId: '2503.00041', kind: 'upvotes', source: 'hf-daily', observedAt: '2025-03-18T00:00:00.000Z', value: 12 },
        { paperId: '2503.00041', kind: 'upvotes', source: 'hf-daily', observedAt: '2025-03-19T00:00:00.000Z', value: 30 },
      ],
    });
    assert.equal(await store.addVote('2503.00041', 'a'), true);
    assert.equal(await store.addVote('2503.00041', 'a'), false, 'a second vote is a no-op');
    assert.equal(await store.addVote('2503.00041', 'b'), true);
    await assert.rejects(store.addVote('2503.99999', 'a'), 'no vote for an unknown paper');
    const s = await store.voteSummaries(['2503.00041', '2503.00042', '2503.00041'], 'a');
    assert.deepEqual(s.get('2503.00041'), { local: 2, imported: 30, voted: true });
    assert.deepEqual(s.get('2503.00042'), { local: 0, imported: 0, voted: false });
    assert.equal(await store.removeVote('2503.00041', 'a'), true);
    assert.equal(await store.removeVote('2503.00041', 'a'), false);
    assert.deepEqual((await store.voteSummaries(['2503.00041'], null)).get('2503.00041'), { local: 1, imported: 30, voted: false });
    await store.close();
  });

  test('votes: every change moves the count of vote changes, as another connection reads it', async () => {
    const a = await open();
    const b = await open({ sameAs: a });
    await a.ingest({ papers: [record('2503.00043')] });
    const marks = [await b.voteChanges()];
    const after = async (what: Promise<boolean>) => {
      await what;
      marks.push(await b.voteChanges());
    };
    await after(a.addVote('2503.00043', 'a'));
    await after(a.addVote('2503.00043', 'a'));
    await after(a.removeVote('2503.00043', 'a'));
    await after(a.removeVote('2503.00043', 'a'));
    const moved = marks.slice(1).map((m, i) => m !== marks[i]);
    assert.deepEqual(moved, [true, false, true, false], 'a vote and its withdrawal move it; no-ops do not');
    await b.close();
    await a.close();
  });

  test('secrets: created once, the same for every connection, one per name', async () => {
    const a = await open();
    const b = await open({ sameAs: a });
    const [x, y] = await Promise.all([a.secret('vote-key'), b.secret('vote-key')]);
    assert.equal(x, y);
    assert.ok(x.length >= 32);
    assert.notEqual(await a.secret('other'), x);
    assert.equal(await b.secret('vote-key'), x);
    await b.close();
    await a.close();
  });

  test('extras: saved for known papers, a missing field never erases a known one', async () => {
    const store = await open();
    await store.ingest({ papers: [record('2503.00051')] });
    const e = { paperId: '2503.00051', aiSummary: 'A summary.', aiKeywords: ['graphs', 'spin glass'], projectPage: 'https://lab.example/p', source: 'hf-daily' };
    assert.equal(await store.saveExtras([e, { ...e, paperId: '2503.99999' }]), 1);
    assert.equal(await store.saveExtras([e]), 0, 'nothing new, nothing written');
    await store.saveExtras([{ ...e, aiSummary: null, aiKeywords: [], projectPage: 'https://lab.example/q' }]);
    assert.deepEqual(await store.linksOf(['2503.00051', '2503.00052']), new Map([['2503.00051', {
      aiSummary: 'A summary.', aiKeywords: ['graphs', 'spin glass'], projectPage: 'https://lab.example/q', repos: [],
    }]]));
    assert.deepEqual(await store.linksOf([]), new Map());
    await store.close();
  });

  test('extras: a new summary or keywords is a change to the paper, so the search index picks them up', async () => {
    const store = await open();
    await store.ingest({ papers: [record('2503.00053'), record('2503.00054')] });
    const before = (await store.contentVersion()).changeSeq;
    await store.saveExtras([{ paperId: '2503.00054', aiSummary: 'Spin glasses on graphs.', aiKeywords: ['replica trick'], projectPage: null, source: 'hf-daily' }]);
    const after = await store.contentVersion();
    assert.ok(after.changeSeq > before, 'the change sequence moved');
    const changed = [];
    for await (const d of store.searchDocuments({ changedAfter: before })) changed.push(d);
    assert.deepEqual(changed.map((d) => [d.id, d.summary]), [['2503.00054', 'Spin glasses on graphs. replica trick']]);
    // Saving the same again changes nothing, and moves nothing.
    await store.saveExtras([{ paperId: '2503.00054', aiSummary: 'Spin glasses on graphs.', aiKeywords: ['replica trick'], projectPage: null, source: 'hf-daily' }]);
    assert.equal((await store.contentVersion()).changeSeq, after.changeSeq);
    await store.close();
  });

  test('stats: what the database holds', async () => {
    const store = await open();
    await store.ingest({ papers: [
      record('2503.00061', { announcedAt: '2025-03-17', versions: [{ version: 1, submittedAt: '2025-03-14T10:00:00.000Z' }, { version: 2, submittedAt: '2025-03-20T10:00:00.000Z' }] }),
      record('2503.00062', { announcedAt: '2025-03-18', categories: ['cs.CV'] }),
    ] });
    const s = await store.stats();
    assert.deepEqual([s.papers, s.versions, s.signals], [2, 3, 0]);
    assert.deepEqual(s.byPrimaryCategory, [{ category: 'cs.CV', papers: 1 }, { category: 'cs.LG', papers: 1 }]);
    assert.deepEqual([s.oldestSubmitted, s.newestSubmitted, s.newestAnnounced], ['2025-03-14T10:00:00.000Z', '2025-03-14T10:00:00.000Z', '2025-03-18']);
    assert.ok(s.sizeBytes === null || s.sizeBytes > 0);
    await store.close();
  });

  test('leases: one holder at a time; renewed by its holder; free again when released or run out', async () => {
    const a = await open();
    const b = await open({ sameAs: a });
    const t = (m: number) => `2026-06-01T07:${String(m).padStart(2, '0')}:00.000Z`;
    const taken = await Promise.all([a.acquireLease('harvest', 'h:1:1', t(5), t(0)), b.acquireLease('harvest', 'h:2:2', t(5), t(0))]);
    assert.deepEqual(taken.filter(Boolean).length, 1, 'two takers at once: one wins');
    const [holder, other] = taken[0] ? ['h:1:1', 'h:2:2'] : ['h:2:2', 'h:1:1'];
    assert.equal(await a.acquireLease('harvest', other, t(9), t(4)), false, 'still running');
    assert.equal(await a.acquireLease('harvest', holder, t(9), t(4)), true, 'renewed by its holder');
    assert.equal(await b.acquireLease('harvest', other, t(12), t(6)), false, 'the renewal counts');
    assert.equal(await b.acquireLease('digest', other, t(12), t(6)), true, 'another name is another lease');
    assert.equal(await b.acquireLease('harvest', other, t(12), t(9)), true, 'run out: anyone may take it');
    await b.releaseLease('harvest', holder);
    assert.equal(await a.acquireLease('harvest', holder, t(13), t(10)), false, 'only its holder gives it up');
    await b.releaseLease('harvest', other);
    assert.equal(await a.acquireLease('harvest', holder, t(13), t(10)), true);
    await b.close();
    await a.close();
  });
}
