// Contract: trending's per-paper features (which papers get recomputed, and when),
// candidates of a window, and the repositories papers link to.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Signal } from '../../src/papers/paper.js';
import type { FeatureInput } from '../../src/store/trending-store.js';
import type { SignalFeatures } from '../../src/trending/types.js';
import { record, type Open } from './fixtures.js';

const zero = { upvotes: 0, localUpvotes: 0, comments: 0, githubStars: 0, views: 0 };
/** Features that show what they were computed from: signals as upvotes, votes as local upvotes. */
function counting(seen: FeatureInput[]) {
  return (i: FeatureInput): SignalFeatures | null => {
    seen.push(i);
    if (!i.signals.length && !i.votes.length) return null;
    return { counts: { ...zero, upvotes: i.signals.reduce((n, s) => n + s.value, 0), localUpvotes: i.votes.length }, heat: { ...zero }, heatAt: 1_700_000_000_000 };
  };
}
const up = (paperId: string, value: number, observedAt = '2025-03-18T12:00:00.000Z', source = 'hf-daily'): Signal => ({ paperId, kind: 'upvotes', source, observedAt, value });

export function trendingContract(open: Open): void {
  test('trending: a paper is recomputed when its signals or votes change, or everything when the parameters do', async () => {
    const store = await open();
    await store.ingest({ papers: [record('2503.00001'), record('2503.00002'), record('2503.00003', { announcedAt: null })] });
    const seen: FeatureInput[] = [];
    const refresh = async (key = 'k1') => {
      seen.length = 0;
      for (;;) { const r = await store.recomputeFeatures(key, counting(seen), 2); if (r.done) return r.version; }
    };
    const v0 = await refresh();
    assert.equal(seen.length, 0, 'nothing marked yet');
    await store.ingest({ signals: [up('2503.00001', 5), up('2503.00001', 9, '2025-03-19T12:00:00.000Z'), up('2503.00003', 2)] });
    const v1 = await refresh();
    assert.notEqual(v1, v0);
    assert.deepEqual(seen.map((i) => [i.paperId, i.day, i.signals.length, i.votes.length]).sort(), [['2503.00001', '2025-03-17', 2, 0], ['2503.00003', '2025-03-14', 1, 0]]);
    assert.equal(await refresh(), v1, 'nothing changed, nothing recomputed, same version');
    assert.equal(seen.length, 0);
    assert.ok(await store.addVote('2503.00002', 'visitor-a'));
    await refresh();
    assert.deepEqual(seen.map((i) => [i.paperId, i.votes.length]), [['2503.00002', 1]]);
    const window = await store.trendingWindow({ from: '2025-03-14', to: '2025-03-20' });
    assert.equal(window.total, 3);
    assert.deepEqual(window.scored.map((c) => [c.paperId, c.features?.counts.upvotes, c.features?.counts.localUpvotes]).sort(),
      [['2503.00001', 14, 0], ['2503.00002', 0, 1], ['2503.00003', 2, 0]]);
    await store.removeVote('2503.00002', 'visitor-a');
    await refresh();
    assert.deepEqual(seen.map((i) => i.paperId), ['2503.00002']);
    assert.deepEqual((await store.trendingWindow({ from: '2025-03-14', to: '2025-03-20' })).scored.map((c) => c.paperId).sort(), ['2503.00001', '2503.00003'],
      'nothing left to score: its features are dropped');
    await refresh('k2');
    assert.deepEqual(seen.map((i) => i.paperId).sort(), ['2503.00001', '2503.00003'], 'new parameters: every paper with features, signals or votes');
    await store.ingest({ papers: [record('2503.00003', { announcedAt: '2025-03-21' })] });
    await refresh('k2');
    assert.deepEqual(seen.map((i) => [i.paperId, i.day]), [['2503.00003', '2025-03-21']], 'a new date counts for a scored paper');
    await store.close();
  });

  test('trending: candidates by window, category or ids; unscored papers newest first', async () => {
    const store = await open();
    await store.ingest({
      papers: [
        record('2503.00011', { announcedAt: '2025-03-10', categories: ['cs.CV'] }),
        record('2503.00012', { announcedAt: '2025-03-11', categories: ['math.OC', 'cs.LG'] }),
        record('2503.00013', { announcedAt: '2025-03-11', categories: ['cs.LG'] }),
        record('2503.00014', { announcedAt: null, categories: ['cs.LG'], versions: [{ version: 1, submittedAt: '2025-03-12T09:00:00.000Z' }] }),
      ],
      signals: [up('2503.00012', 3)],
    });
    for (;;) if ((await store.recomputeFeatures('k', counting([]), 100)).done) break;
    const ids = (cs: { paperId: string }[]) => cs.map((c) => c.paperId).sort();
    assert.deepEqual(ids(await store.trendingCandidates({ from: '2025-03-11', to: '2025-03-12' })), ['2503.00012', '2503.00013', '2503.00014'], 'submitted date when not announced');
    assert.deepEqual(ids(await store.trendingCandidates({ from: '2025-03-01', to: '2025-03-31', category: 'cs.LG' })), ['2503.00012', '2503.00013', '2503.00014'], 'cross-lists count');
    const byIds = await store.trendingCandidates({ paperIds: ['2503.00012', '2503.00011', 'nope'] });
    assert.deepEqual(ids(byIds), ['2503.00011', '2503.00012']);
    assert.equal(byIds.find((c) => c.paperId === '2503.00012')?.features?.counts.upvotes, 3);
    assert.equal(byIds.find((c) => c.paperId === '2503.00011')?.features, null);
    assert.deepEqual(await store.trendingCandidates({ paperIds: [] }), []);
    assert.deepEqual(await store.unscoredInWindow({ from: '2025-03-01', to: '2025-03-31' }, 2), [{ paperId: '2503.00014', day: '2025-03-12' }, { paperId: '2503.00013', day: '2025-03-11' }]);
    assert.deepEqual(await store.unscoredInWindow({ from: '2025-03-01', to: '2025-03-31', category: 'cs.CV' }, 5), [{ paperId: '2503.00011', day: '2025-03-10' }]);
    const w = await store.trendingWindow({ from: '2025-03-01', to: '2025-03-31', category: 'math.OC' });
    assert.deepEqual([ids(w.scored), w.total], [['2503.00012'], 1]);
    await store.close();
  });

  test('trending: a paper\'s stars are its main repository\'s (Hugging Face\'s link first); gone repositories wait', async () => {
    const store = await open({ now: () => new Date('2025-03-20T00:00:00.000Z') });
    await store.ingest({ papers: [record('2503.00021'), record('2503.00022'), record('2503.00023', { announcedAt: '2024-01-01' })] });
    assert.equal(await store.saveRepoLinks([
      { paperId: '2503.00021', repo: 'pytorch/pytorch', source: 'arxiv-text' },
      { paperId: '2503.00021', repo: 'lab/model', source: 'hf-daily' },
      { paperId: '2503.00022', repo: 'pytorch/pytorch', source: 'arxiv-text' },
      { paperId: '2503.00023', repo: 'old/thing', source: 'hf-daily' },
      { paperId: 'unknown', repo: 'x/y', source: 'hf-daily' },
    ]), 4, 'unknown papers are skipped');
    assert.equal(await store.saveRepoLinks([{ paperId: '2503.00021', repo: 'lab/model', source: 'hf-daily' }]), 0);
    assert.deepEqual(await store.reposToRefresh({ sinceDay: '2025-03-01', limit: 10 }),
      [{ repo: 'lab/model', paperIds: ['2503.00021'], checkedAt: null }, { repo: 'pytorch/pytorch', paperIds: ['2503.00022'], checkedAt: null }]);
    assert.equal(await store.saveRepoCheck({ repo: 'pytorch/pytorch', checkedAt: '2025-03-19T00:00:00.000Z', stars: 90_000, status: 'ok' }), 1, 'only the paper whose main repository it is');
    assert.deepEqual((await store.signalsFor('2503.00022')).map((s) => [s.kind, s.source, s.value]), [['github_stars', 'github', 90_000]]);
    assert.deepEqual(await store.signalsFor('2503.00021'), []);
    await store.saveRepoCheck({ repo: 'lab/model', checkedAt: '2025-03-19T01:00:00.000Z', stars: null, status: 'not_found' });
    assert.deepEqual((await store.reposToRefresh({ sinceDay: '2025-03-01', limit: 10 })).map((r) => [r.repo, r.checkedAt]),
      [['pytorch/pytorch', '2025-03-19T00:00:00.000Z']], 'a gone repository is not asked about again within a week');
    assert.deepEqual((await store.reposToRefresh({ sinceDay: '2025-03-01', limit: 10, recheckGoneAfterDays: 0 })).map((r) => r.repo), ['pytorch/pytorch', 'lab/model'], 'least recently checked first');
    assert.deepEqual((await store.linksOf(['2503.00021'])).get('2503.00021')?.repos, ['lab/model', 'pytorch/pytorch']);
    await store.close();
  });

  test('trending: papers mentioning a text, case-insensitive, since a day, wildcards taken literally', async () => {
    const store = await open();
    await store.ingest({ papers: [
      record('2503.00031', { comment: 'Code: https://GitHub.com/lab/model', abstract: 'Nothing.' }),
      record('2503.00032', { comment: null, abstract: 'See github.com/x/y for 100% of it.' }),
      record('2503.00033', { comment: 'github.com/old', announcedAt: '2024-01-01' }),
    ] });
    assert.deepEqual((await store.papersMentioning('github.com/', '2025-01-01')).map((p) => p.id).sort(), ['2503.00031', '2503.00032']);
    assert.deepEqual((await store.papersMentioning('100%', '2025-01-01')).map((p) => p.id), ['2503.00032']);
    assert.deepEqual(await store.papersMentioning('1_0', '2025-01-01'), []);
    await store.close();
  });
}
