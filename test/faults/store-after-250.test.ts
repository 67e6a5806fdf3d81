// The database fails right after the SMTP server accepted a digest (another process
// holds the write lock for longer than this one waits): the digest was sent, so its row
// must not go back to pending as if it had not been. The round stops with a
// store_failure, the row stays `sending` under this process's lease, and once the lease
// has run out the next round sends it again flagged as recovered: the first ambiguous
// case of docs/digest.md, never an unflagged duplicate.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { PaperboyError } from '../../src/errors.js';
import { createDigestService } from '../../src/digest/run.js';
import { silentLogger } from '../../src/logger.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { digestWorld } from '../support/digest-world.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

let smtp: TestSmtp;
before(async () => {
  smtp = await startSmtp();
});
after(() => smtp.close());

test('a store failure after the 250 keeps the row sending, then recovers it flagged', { timeout: 30_000 }, async () => {
  const w = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-30T05:00:00Z') });
  const prefs = { topics: [], categories: [], topicMode: 'only' as const, sendHour: 7, timeZone: 'UTC', frequency: 'daily' as const, weekday: 1 };
  await w.subscriptions.add('reader@example.org', prefs, { confirmed: true, consent: 'operator-import' });
  // The digest's own connection to the database waits only briefly for the lock.
  const store = openSqliteStore(w.config.database, { lockWaitMs: 300, now: () => new Date(w.clock.now) });
  const digest = createDigestService({
    store, search: w.search, trending: w.trending, mailer: w.mailer, config: w.config, logger: silentLogger, links: w.links,
    now: () => new Date(w.clock.now), outbox: { jitter: () => 1 },
  });
  const holder = new Database(w.config.database);
  smtp.onMessage = () => holder.exec('BEGIN IMMEDIATE'); // the moment the server has it, before its 250

  w.set('2026-06-30T07:00:10Z');
  await assert.rejects(digest.round(), (e) => e instanceof PaperboyError && e.code === 'store_failure');
  smtp.onMessage = null;
  holder.exec('ROLLBACK');
  holder.close();
  const id = (await store.findSubscriber('reader@example.org'))!.id;
  let row = (await store.getDigest(id, '2026-06-30'))!;
  assert.equal(smtp.received.length, 1);
  assert.deepEqual([row.status, row.recovered], ['sending', 0], 'not put back as if it had not been sent');

  // While its lease runs, nothing is sent again.
  w.set('2026-06-30T07:00:20Z');
  assert.equal((await digest.round({ deliverOnly: true })).delivery?.sent, 0);
  assert.equal(smtp.received.length, 1);
  // Lease over (6 × the SMTP timeout of 5 s): sent again, flagged.
  w.set('2026-06-30T07:10:00Z');
  const r = await digest.round({ deliverOnly: true });
  assert.deepEqual([r.delivery?.recovered, r.delivery?.sent], [1, 1]);
  row = (await store.getDigest(id, '2026-06-30'))!;
  assert.deepEqual([row.status, row.recovered], ['sent', 1]);
  assert.equal(smtp.received.length, 2);
  await store.close();
  await w.close();
});
