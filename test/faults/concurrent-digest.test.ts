// Two `paperboy digest run` at once on one database, as two overlapping cron jobs would
// be: both must finish without a "database is locked", and every subscriber must get
// the day's digest exactly once, from one of them, leaving every outbox row `sent`.
// Real processes, a real SQLite file and a real SMTP server on loopback counting what
// each address receives. FAULT_TRIALS=N runs more trials; FAULT_FOLLOW_UP=1 adds a
// third run afterwards (the next hour's cron) and counts what it still had to send
// (docs/reliability.md).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { byRecipient, cli, copyDb, knob, subscriberDb } from './support.js';

const SUBSCRIBERS = 30;
const TRIALS = knob('FAULT_TRIALS', 2);
const FOLLOW_UP = knob('FAULT_FOLLOW_UP', 0) > 0;
const DATE = '2026-06-30';

let smtp: TestSmtp;
let template = '';
before(async () => {
  smtp = await startSmtp();
  template = await subscriberDb(SUBSCRIBERS);
});
after(() => smtp.close());

test(`two digest rounds at once send every digest exactly once (${TRIALS} trials)`, { timeout: 120_000 * TRIALS }, async () => {
  const figures = { trials: 0, failedRuns: 0, duplicates: 0, unflagged: 0, missing: 0, leftSending: 0, sentByFollowUp: 0 };
  const problems: string[] = [];
  for (let t = 0; t < TRIALS; t++) {
    smtp.received.length = 0;
    // A server taking a moment per message: one run is still delivering while the other plans.
    smtp.delayMs = 2;
    const db = copyDb(template);
    const env = { PAPERBOY_SMTP_URL: smtp.url, PAPERBOY_MAIL_CONCURRENCY: '3', PAPERBOY_MAIL_RATE: '0' };
    const runs = await Promise.all([cli(db, ['digest', 'run', '--date', DATE], env).exited, cli(db, ['digest', 'run', '--date', DATE], env).exited]);
    figures.trials++;
    const afterPair = smtp.received.length;
    // The next cron run: it recovers what a dead run left `sending` (sending it again, flagged).
    if (FOLLOW_UP) runs.push(await cli(db, ['digest', 'run'], env).exited);
    figures.sentByFollowUp += smtp.received.length - afterPair;
    for (const r of runs) {
      if (r.code !== 0) {
        figures.failedRuns++;
        problems.push(`trial ${t}: exit ${r.code}: ${r.err.trim().split('\n').at(-1)}`);
      }
    }
    const got = await byRecipient(smtp.received);
    const store = openSqliteStore(db);
    const rows = [];
    for (const s of await store.listSubscribers({ limit: SUBSCRIBERS + 1 })) {
      const o = await store.getDigest(s.id, DATE);
      if (o) rows.push({ email: s.email, status: o.status, recovered: o.recovered });
    }
    const unsent = rows.filter((r) => r.status !== 'sent').map((r) => `${r.email}: ${r.status}`);
    if (unsent.length) problems.push(`trial ${t}: not sent: ${unsent.join(', ')}`);
    await store.close();
    for (const row of rows) {
      const n = got.get(row.email)?.count ?? 0;
      if (row.status === 'sending') figures.leftSending++;
      if (n === 0) figures.missing++;
      if (n > 1) {
        figures.duplicates += n - 1;
        if (!row.recovered) figures.unflagged++;
      }
    }
    assert.equal(rows.length, SUBSCRIBERS, 'one outbox row per subscriber');
  }
  process.stdout.write(`# concurrent digest rounds: ${JSON.stringify(figures)}\n`);
  for (const p of problems) process.stdout.write(`# ${p}\n`);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    { duplicates: figures.duplicates, missing: figures.missing, leftSending: figures.leftSending, sentByFollowUp: figures.sentByFollowUp },
    { duplicates: 0, missing: 0, leftSending: 0, sentByFollowUp: 0 },
  );
});
