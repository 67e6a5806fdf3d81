// A vote cast on this site is one upvote on the same curve as Hugging Face's: one
// anonymous vote must not lift a paper with 38 upvotes over one with 163, on its first
// day or when it is days old (when gains count as momentum).

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../src/config.js';
import { emptyRecord } from '../src/papers/paper.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createTrending } from '../src/trending/index.js';

async function ranking(day: string, now: string, votedAt: string) {
  const store = openSqliteStore(path.join(mkdtempSync(path.join(tmpdir(), 'paperboy-votes-')), 'v.db'), { now: () => new Date(votedAt) });
  await store.migrate();
  await store.ingest({
    papers: [
      { ...emptyRecord('2606.00038', 'Thirty-eight upvotes', 'A.'), categories: ['cs.LG'], announcedAt: day },
      { ...emptyRecord('2606.00163', 'A hundred and sixty-three upvotes', 'B.'), categories: ['cs.LG'], announcedAt: day },
    ],
    signals: [
      { paperId: '2606.00038', kind: 'upvotes', value: 38, source: 'hf-daily', observedAt: `${day}T23:59:59Z` },
      { paperId: '2606.00163', kind: 'upvotes', value: 163, source: 'hf-daily', observedAt: `${day}T23:59:59Z` },
    ],
  });
  assert.equal(await store.addVote('2606.00038', 'anonymous-visitor'), true);
  const trending = createTrending(store, DEFAULT_CONFIG.trending, { clock: () => new Date(now) });
  const ranked = await trending.rank({ from: day, to: day, limit: 10, now: new Date(now) });
  const explained = await trending.explain('2606.00038', new Date(now));
  await store.close();
  return { ids: ranked.entries.map((e) => e.paperId), parts: explained!.components };
}

test('on the paper\'s first day, one local vote adds what a 39th upvote adds', async () => {
  const { ids, parts } = await ranking('2026-06-30', '2026-06-30T18:00:00Z', '2026-06-30T12:00:00Z');
  assert.deepEqual(ids, ['2606.00163', '2606.00038']);
  const local = parts.find((p) => p.name === 'localUpvotes')!;
  assert.ok(local.contribution < 0.1, `one vote on 38 upvotes added ${local.contribution} points (it used to add 1.5)`);
});

test('days later, when a vote also counts as momentum, it still does not overtake 163 upvotes', async () => {
  const { ids } = await ranking('2026-06-20', '2026-06-30T18:00:00Z', '2026-06-30T12:00:00Z');
  assert.deepEqual(ids, ['2606.00163', '2606.00038']);
});
