// Two `paperboy digest run` at once on one database, as two overlapping cron jobs would
// be: both must finish without a "database is locked", and every subscriber must get
// the day's digest exactly once, from one of them; a third run afterwards (the next
// hour's cron) finds nothing left to send. Real processes, a real SQLite file and a real
// SMTP server on loopback counting what each address receives.
// FAULT_TRIALS=N runs more trials (docs/reliability.md).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { byRecipient, cli, copyDb, knob, subscriberDb } from './support.js';

const SUBSCRIBERS = 30;
const TRIALS = knob('FAULT_TRIALS', 1);
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
    smtp.delayMs = 2;
    const db = copyDb(template);
    const env = { PAPERBOY_SMTP_URL: smtp.url, PAPERBOY_MAIL_CONCURRENCY: '3', PAPERBOY_MAIL_RATE: '0' };
    const runs = await Promise.all([cli(db, ['digest', 'run', '--date', DATE], env).exited, cli(db, ['digest', 'run', '--date', DATE], env).exited]);
    figures.trials++;
    const afterPair = smtp.received.length;
    // The next cron run: it recovers what a dead run left `sending` (sending it again, flagged).
    runs.push(await cli(db, ['digest', 'run'], env).exited);
    figures.sentByFollowUp += smtp.received.length - afterPair;
    for (const r of runs) {
      if (r.code !== 0) {
        figures.failedRuns++;
        problems.push(`trial ${t}: exit ${r.code}: ${r.err.trim().split('\n').at(-1)}`);
      }
    }
    const got = await byRecipient(smtp.received);
    const store = openSqliteStore(db);
    const rows = store.db.prepare('SELECT s.email, o.status, o.recovered FROM digest_outbox o JOIN subscribers s ON s.id = o.subscriber_id').all() as { email: string; status: string; recovered: number }[];
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
