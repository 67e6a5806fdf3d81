// An SMTP server that lies: it stores a message and drops the connection before its
// 250, or drops a connection before the message. The outbox cannot know whether a
// message cut after it was handed over arrived, so it sends it again with the same
// Message-ID, flagged (docs/digest.md, the second ambiguous case); a message cut before
// it was handed over cannot have arrived and is sent again unflagged. Either way the
// round goes on: one lost connection is not a server that is down.
// FAULT_DIGESTS=2000 FAULT_DROP_RATE=0.01 measures a larger round (docs/reliability.md).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { byRecipient, knob, outboxOf } from './support.js';
import { digestWorld, type World } from '../support/digest-world.js';
import { startLyingSmtp, type LyingSmtp } from './lying-smtp.js';

const DATE = '2026-06-30';
let smtp: LyingSmtp;
before(async () => {
  smtp = await startLyingSmtp();
});
after(() => smtp.close());

async function world(subscribers: number): Promise<World> {
  const w = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-29T12:00:00Z'), config: { mail: { concurrency: 3 } } });
  for (let i = 0; i < subscribers; i++) {
    const prefs = { topics: [], categories: [], topicMode: 'only' as const, sendHour: 7, timeZone: 'UTC', frequency: 'daily' as const, weekday: 1 };
    await w.subscriptions.add(`reader${i}@example.org`, prefs, { confirmed: true, consent: 'operator-import' });
  }
  w.set(`${DATE}T12:00:00Z`);
  return w;
}

/** Rounds until nothing is left to send (each an hour after the last, as from cron), at most `max`. */
async function roundsUntilDone(w: World, max: number): Promise<{ rounds: number; paused: number }> {
  let rounds = 0;
  let paused = 0;
  for (let hour = 0; rounds < max; hour++) {
    w.set(new Date(Date.parse(`${DATE}T12:00:00Z`) + hour * 3_600_000).toISOString());
    const r = await w.digest.round(rounds === 0 ? { date: DATE } : { deliverOnly: true });
    rounds++;
    if (r.delivery?.paused) paused++;
    const left = (await outboxOf(w.store, DATE)).filter((d) => d.row.status === 'pending' || d.row.status === 'sending').length;
    if (!left) break;
  }
  return { rounds, paused };
}

async function outcome(w: World) {
  const got = await byRecipient(smtp.received);
  const rows = (await outboxOf(w.store, DATE)).map((d) => ({ email: d.email, status: d.row.status, recovered: d.row.recovered }));
  const f = { digests: rows.length, sent: 0, missing: 0, duplicates: 0, flaggedDuplicates: 0, unflaggedDuplicates: 0, flaggedSingles: 0 };
  for (const r of rows) {
    const e = got.get(r.email);
    if (r.status === 'sent') f.sent++;
    if (!e) f.missing++;
    else {
      assert.equal(e.ids.size, 1, `${r.email}: every copy has the same Message-ID`);
      if (e.count > 1) {
        f.duplicates += e.count - 1;
        if (r.recovered) f.flaggedDuplicates += e.count - 1;
        else f.unflaggedDuplicates += e.count - 1;
      } else if (r.recovered) f.flaggedSingles++;
    }
  }
  return f;
}

test('cuts after the data are resent flagged, cuts before it unflagged, and the round goes on', { timeout: 60_000 }, async () => {
  smtp.received.length = 0;
  smtp.cuts = { afterStore: 0, atRcpt: 0 };
  const n = 60;
  const w = await world(n);
  const index = (address: string) => Number(/reader(\d+)@/.exec(address)?.[1] ?? -1);
  smtp.rule = (stage, address, attempt) => {
    if (attempt > 0) return null;
    if (stage === 'data' && index(address) % 10 === 3) return 'after-store';
    if (stage === 'rcpt' && index(address) % 10 === 7) return 'at-rcpt';
    return null;
  };
  const r = await w.digest.round({ date: DATE });
  const f = await outcome(w);
  process.stdout.write(`# one round, ${n} digests, ${smtp.cuts.afterStore} cut after the data, ${smtp.cuts.atRcpt} at RCPT: ${JSON.stringify({ ...f, paused: !!r.delivery?.paused })}\n`);
  assert.equal(r.delivery?.paused, null, 'a lost connection does not pause the round');
  assert.deepEqual([f.sent, f.missing], [n, 0], 'everything delivered in one round');
  // The protocol's minimum: a message the server stored and never acknowledged arrives twice, once per cut, flagged.
  assert.equal(smtp.cuts.afterStore, 6);
  assert.deepEqual([f.duplicates, f.flaggedDuplicates, f.unflaggedDuplicates], [6, 6, 0]);
  assert.equal(f.flaggedSingles, 0, 'a cut before the data is not in doubt');
  assert.equal(r.delivery?.inDoubt, 6);
  await w.close();
});

test('a server that drops every connection pauses the round after a few, spending no one\'s attempts', { timeout: 30_000 }, async () => {
  smtp.received.length = 0;
  const w = await world(20);
  smtp.rule = (stage) => (stage === 'rcpt' ? 'at-rcpt' : null);
  const r = await w.digest.round({ date: DATE });
  assert.ok(r.delivery?.paused, 'paused');
  assert.match(r.delivery!.paused!.reason, /Connection closed/);
  const outbox = await outboxOf(w.store, DATE);
  const attempts = outbox.reduce((n, d) => n + d.row.attempts, 0);
  assert.ok(attempts <= 3 + 3 * 2, `${attempts} attempts before pausing`);
  assert.equal(outbox.filter((d) => d.row.status !== 'pending').length, 0, 'every digest waits for the server');
  smtp.rule = () => null;
  await w.close();
});

test('random cuts after the data: rounds needed, duplicates and flags', { timeout: 120_000 }, async () => {
  smtp.received.length = 0;
  smtp.cuts = { afterStore: 0, atRcpt: 0 };
  const n = knob('FAULT_DIGESTS', 200);
  const rate = knob('FAULT_DROP_RATE', 0.03);
  const w = await world(n);
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  smtp.rule = (stage) => (stage === 'data' && random() < rate ? 'after-store' : null);
  const t0 = performance.now();
  const { rounds, paused } = await roundsUntilDone(w, 60);
  const f = await outcome(w);
  process.stdout.write(`# ${n} digests at ${rate * 100}% cuts after the data: ${JSON.stringify({ rounds, paused, cuts: smtp.cuts.afterStore, ...f, ms: Math.round(performance.now() - t0) })}\n`);
  smtp.rule = () => null;
  assert.deepEqual([f.sent, f.missing], [n, 0]);
  assert.equal(f.unflaggedDuplicates, 0, 'every copy that may be a duplicate is flagged');
  assert.equal(f.duplicates, smtp.cuts.afterStore, 'one extra copy per cut, no more');
  assert.ok(rounds <= 2, `${rounds} rounds`);
  await w.close();
});
