// Contract: subscribers and the digest outbox (what SQL of either engine must agree on:
// consent and expiry, the bounce threshold, claims, and changes racing each other).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Subscriber } from '../../src/store/subscriber-store.js';
import { plan, subscriber, type Open } from './fixtures.js';

const at = '2026-06-01T07:00:00.000Z';

export function subscriberContract(open: Open): void {
  test('subscribers: a change is decided on the latest state; removal frees the address, never the id', async () => {
    const store = await open();
    const a = await subscriber(store, 'a@example.org');
    const seen: (Subscriber | null)[] = [];
    const result = await store.changeSubscriber({ id: a.id }, (s) => { seen.push(s); return { result: 'paused', set: { status: 'paused', updatedAt: at } }; });
    assert.equal(result, 'paused');
    assert.equal(seen[0]?.email, 'a@example.org');
    assert.equal((await store.findSubscriber('a@example.org'))?.status, 'paused');
    await store.changeSubscriber({ email: 'a@example.org' }, () => ({ result: null, remove: true }));
    assert.equal(await store.getSubscriber(a.id), null);
    assert.equal(await store.changeSubscriber({ email: 'nobody@example.org' }, (s) => ({ result: s })), null, 'a missing subscriber is seen as null');
    const again = await subscriber(store, 'a@example.org');
    assert.ok(again.id > a.id, 'a new id for the same address');
    assert.deepEqual(again.topics, []);
    await store.close();
  });

  test('subscribers: listed by ascending id and status; due ones are active and at or before now', async () => {
    const store = await open();
    const ids: number[] = [];
    for (const [i, due] of ['2026-06-01T06:00:00.000Z', '2026-06-01T08:00:00.000Z', '2026-06-01T05:00:00.000Z'].entries()) {
      const s = await subscriber(store, `s${i}@example.org`);
      await store.changeSubscriber({ id: s.id }, () => ({ result: null, set: { nextDueAt: due } }));
      ids.push(s.id);
    }
    await store.changeSubscriber({ id: ids[2]! }, () => ({ result: null, set: { status: 'paused' } }));
    assert.deepEqual((await store.listSubscribers({ limit: 10 })).map((s) => s.id), ids);
    assert.deepEqual((await store.listSubscribers({ limit: 1, afterId: ids[0]! })).map((s) => s.id), [ids[1]]);
    assert.deepEqual((await store.listSubscribers({ status: 'paused', limit: 10 })).map((s) => s.id), [ids[2]]);
    assert.deepEqual((await store.dueSubscribers(at, 0, 10)).map((s) => s.id), [ids[0]], 'not the later one, nor the paused one');
    assert.deepEqual(await store.dueSubscribers(at, ids[0]!, 10), []);
    await store.close();
  });

  test('subscribers: expired sign-ups are forgotten; an expired re-subscription goes back to unsubscribed', async () => {
    const store = await open();
    const pending = (email: string, expires: string, confirmedAt: string | null) => store.changeSubscriber({ email }, () => ({
      result: null,
      set: {
        email, status: 'pending', topics: ['graphs'], categories: [], topicMode: 'only', sendHour: 7, timeZone: 'UTC', frequency: 'daily', weekday: 1,
        consent: 'double-opt-in', confirmNonce: 'n', confirmExpiresAt: expires, createdAt: at, updatedAt: at, confirmedAt,
      },
    }));
    await pending('never@example.org', '2026-06-01T00:00:00.000Z', null);
    await pending('again@example.org', '2026-06-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
    await pending('fresh@example.org', '2026-06-02T00:00:00.000Z', null);
    assert.equal(await store.expireUnconfirmed(at), 2);
    assert.equal(await store.findSubscriber('never@example.org'), null);
    const again = await store.findSubscriber('again@example.org');
    assert.deepEqual([again?.status, again?.confirmNonce, again?.confirmExpiresAt, again?.updatedAt], ['unsubscribed', null, null, at]);
    assert.equal((await store.findSubscriber('fresh@example.org'))?.status, 'pending');
    assert.equal(await store.expireUnconfirmed(at), 0);
    await store.close();
  });

  test('subscribers: changes racing from two connections are all applied, and a new address is created once', async () => {
    const a = await open();
    const b = await open({ sameAs: a });
    const bump = (s: Subscriber | null) => (s
      ? { result: 'updated', set: { noticeCount: s.noticeCount + 1 } }
      : { result: 'created', set: {
        email: 'race@example.org', status: 'active' as const, topics: [], categories: [], topicMode: 'only' as const, sendHour: 7, timeZone: 'UTC',
        frequency: 'daily' as const, weekday: 1, consent: 'operator-add' as const, createdAt: at, updatedAt: at, noticeCount: 1,
      } });
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).changeSubscriber({ email: 'race@example.org' }, bump)));
    assert.equal(results.filter((r) => r === 'created').length, 1);
    assert.equal((await a.findSubscriber('race@example.org'))?.noticeCount, 24, 'no change lost');
    assert.equal((await a.listSubscribers({ limit: 10 })).length, 1);
    await b.close();
    await a.close();
  });

  test('digests: permanent failures in a row stop mail at the threshold; a delivery resets the count', async () => {
    const store = await open();
    const s = await subscriber(store, 'bouncy@example.org');
    const deliver = async (date: string, outcome: Parameters<typeof store.finishDigest>[1]) => {
      await store.planDigests([plan(s, date)], at);
      const id = (await store.getDigest(s.id, date))!.id;
      assert.ok(await store.claimDigest(id, 'h:1:1', '2026-06-09T00:00:00.000Z', '2026-06-08T00:00:00.000Z'));
      await store.finishDigest(id, outcome, '2026-06-08T00:00:00.000Z');
      return store.getSubscriber(s.id);
    };
    const bounce = { kind: 'failed' as const, error: '550 no such user', bounce: true, bounceThreshold: 2 };
    assert.deepEqual([(await deliver('2026-06-01', bounce))?.bounceCount], [1]);
    assert.equal((await deliver('2026-06-02', { kind: 'sent', response: '250 OK' }))?.bounceCount, 0, 'a delivery resets the count');
    assert.equal((await store.getDigest(s.id, '2026-06-02'))?.status, 'sent');
    await deliver('2026-06-03', { kind: 'failed', error: 'too big', bounce: false, bounceThreshold: 2 });
    assert.equal((await store.getSubscriber(s.id))?.bounceCount, 0, 'a failure that is not a bounce does not count');
    await deliver('2026-06-04', bounce);
    const gone = await deliver('2026-06-05', bounce);
    assert.deepEqual([gone?.status, gone?.bounceCount, gone?.nextDueAt], ['bouncing', 2, null]);
    assert.equal((await store.getDigest(s.id, '2026-06-05'))?.status, 'failed');
    assert.equal(await store.planDigests([plan(s, '2026-06-06')], at), 0, 'no digest is planned for a bouncing address');
    await store.close();
  });

  test('digests: ready ones oldest first; a claim before its time or for someone who left gets nothing', async () => {
    const store = await open();
    const s = await subscriber(store, 'one@example.org');
    const t = await subscriber(store, 'two@example.org');
    await store.planDigests([plan(t, '2026-06-01')], '2026-06-01T06:00:00.000Z');
    await store.planDigests([plan(s, '2026-06-01')], '2026-06-01T05:00:00.000Z');
    const [first, second] = [(await store.getDigest(s.id, '2026-06-01'))!.id, (await store.getDigest(t.id, '2026-06-01'))!.id];
    assert.deepEqual(await store.readyDigests(at, 10), [first, second]);
    assert.deepEqual(await store.readyDigests('2026-06-01T05:30:00.000Z', 10), [first]);
    assert.deepEqual(await store.readyDigests(at, 1), [first]);
    assert.equal(await store.claimDigest(first, 'h:1:1', at, '2026-06-01T04:00:00.000Z'), null, 'not before its time');
    await store.changeSubscriber({ id: t.id }, () => ({ result: null, set: { status: 'unsubscribed' } }));
    assert.equal(await store.claimDigest(second, 'h:1:1', at, at), null);
    assert.equal((await store.getDigest(t.id, '2026-06-01'))?.status, 'cancelled');
    const claimed = await store.claimDigest(first, 'h:1:1', '2026-06-01T08:00:00.000Z', at);
    assert.deepEqual([claimed?.row.status, claimed?.row.attempts, claimed?.subscriber.email], ['sending', 1, 'one@example.org']);
    assert.deepEqual(await store.readyDigests(at, 10), []);
    await store.close();
  });

  test('digests: one claim wins when two connections race for the same digest', async () => {
    const a = await open();
    const b = await open({ sameAs: a });
    const subs = await Promise.all(Array.from({ length: 6 }, (_, i) => subscriber(a, `r${i}@example.org`)));
    await a.planDigests(subs.map((s) => plan(s, '2026-06-01')), at);
    const ids = await a.readyDigests(at, 100);
    const claims = await Promise.all(ids.flatMap((id) => [a, b].map((st, i) => st.claimDigest(id, `h:${i}:1`, '2026-06-01T08:00:00.000Z', at))));
    assert.equal(claims.filter(Boolean).length, ids.length, 'each digest claimed exactly once');
    await b.close();
    await a.close();
  });

  test('digests: papers recently sent, rescheduling, and counts by status', async () => {
    const store = await open();
    const s = await subscriber(store, 'p@example.org');
    const t = await subscriber(store, 'q@example.org');
    await store.planDigests([plan(s, '2026-06-01', { paperIds: ['2501.00001', '2501.00002'] }), plan(t, '2026-06-01', { status: 'skipped' })], at);
    const id = (await store.getDigest(s.id, '2026-06-01'))!.id;
    assert.deepEqual(await store.recentPapers([s.id, t.id], '2026-05-01'), new Map(), 'a pending digest sent nothing yet');
    await store.claimDigest(id, 'h:1:1', '2026-06-01T08:00:00.000Z', at);
    const recent = await store.recentPapers([s.id, t.id], '2026-05-01');
    assert.deepEqual([...recent.keys()], [s.id]);
    assert.deepEqual([...recent.get(s.id)!].sort(), ['2501.00001', '2501.00002']);
    assert.deepEqual(await store.recentPapers([s.id], '2026-06-02'), new Map());
    await store.changeSubscriber({ id: t.id }, () => ({ result: null, set: { status: 'paused' } }));
    await store.rescheduleSubscribers([{ subscriberId: s.id, nextDueAt: '2026-06-09T07:00:00.000Z' }, { subscriberId: t.id, nextDueAt: '2026-06-09T07:00:00.000Z' }], at);
    assert.equal((await store.getSubscriber(s.id))?.nextDueAt, '2026-06-09T07:00:00.000Z');
    assert.equal((await store.getSubscriber(t.id))?.nextDueAt, '2026-06-01T23:00:00.000Z', 'a paused subscriber is not rescheduled');
    const stats = await store.subscriptionStats();
    assert.deepEqual(stats.subscribers, { pending: 0, active: 1, paused: 1, unsubscribed: 0, bouncing: 0 });
    assert.deepEqual(stats.digests, [{ date: '2026-06-01', counts: { sending: 1, skipped: 1 } }]);
    await store.close();
  });
}
