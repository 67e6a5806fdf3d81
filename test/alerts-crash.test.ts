// Killing `paperboy alerts run` while it delivers, and running it again: every
// subscriber gets their alert email, and only one — a copy may arrive twice only when
// the kill fell between the server's receipt and its 250 (then with the same
// Message-ID, flagged `recovered`), as for digests (test/digest-crash.test.ts). The run
// is a child process killed with SIGKILL; the emails it had planned but not yet sent are
// sent by the next run, and nothing is planned again.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { emptyRecord } from '../src/papers/paper.js';
import { planAlerts } from '../src/personal/alerts.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { digestWorld } from './support/digest-world.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SUBSCRIBERS = 30;
const CONCURRENCY = 3;

let smtp: TestSmtp;
let dir = '';
let db = '';

before(async () => {
  smtp = await startSmtp();
  const w = await digestWorld({ now: new Date('2026-06-30T05:00:00Z') });
  const prefs = { topics: [], categories: [], topicMode: 'only' as const, sendHour: 7, timeZone: 'UTC', frequency: 'daily' as const, weekday: 1 };
  for (let i = 0; i < SUBSCRIBERS; i++) {
    assert.equal(await w.subscriptions.add(`reader${i}@example.org`, prefs, { confirmed: true, consent: 'operator-import' }), 'added');
    const s = (await w.store.findSubscriber(`reader${i}@example.org`))!;
    await w.store.changePersonal(s.id, { rules: { add: [{ kind: 'follow-author', value: 'Grace Hopper' }] } }, w.clock.now.toISOString());
  }
  assert.equal((await planAlerts({ store: w.store, config: w.config, now: w.clock.now })).started, true);
  w.set('2026-06-30T05:10:00Z');
  await w.store.ingest({ papers: [{
    ...emptyRecord('2606.60001', 'Compilers for everyone', 'We report experiments.'), authors: [{ name: 'Grace Hopper' }], categories: ['cs.PL'],
    announcedAt: '2026-06-30', submittedAt: '2026-06-29T09:00:00Z', versions: [{ version: 1, submittedAt: '2026-06-29T09:00:00Z' }],
  }] });
  dir = w.dir;
  db = w.config.database;
  await w.close();
});
after(() => smtp.close());

function run() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', dir, '--db', db, 'alerts', 'run'], {
    cwd: repoRoot,
    env: {
      ...process.env, PAPERBOY_SMTP_URL: smtp.url, PAPERBOY_MAIL_CONCURRENCY: String(CONCURRENCY), PAPERBOY_MAIL_RATE: '0',
      PAPERBOY_MAIL_FROM: 'Paperboy <digest@papers.example.org>', PAPERBOY_BASE_URL: 'https://papers.example.org', LOG_LEVEL: 'warn',
    },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return { child, exited: new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err }))) };
}

test('killed mid-delivery, then run again: every subscriber got exactly one alert email', { timeout: 120_000 }, async () => {
  smtp.delayMs = 15;
  const first = run();
  smtp.onMessage = () => {
    if (smtp.received.length === 6) first.child.kill('SIGKILL');
  };
  let r = await first.exited;
  assert.equal(r.signal, 'SIGKILL', r.err);
  const cut = smtp.received.length;
  assert.ok(cut >= 6 && cut < SUBSCRIBERS, `cut mid-run (${cut} received)`);

  smtp.onMessage = null;
  r = await run().exited;
  assert.equal(r.code, 0, r.err + r.out);
  assert.match(r.out, /Planned\s+0 alert emails/, 'the killed run had planned them all; nothing is planned again');
  r = await run().exited;
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Delivered 0 sent/);

  const store = openSqliteStore(db);
  const byAddress = new Map<string, { count: number; ids: Set<string> }>();
  for (const m of smtp.received) {
    const parsed = await simpleParser(m.raw);
    assert.match(parsed.subject ?? '', /^Alert: Compilers for everyone$/);
    const e = byAddress.get(m.to[0]!) ?? { count: 0, ids: new Set<string>() };
    e.count++;
    e.ids.add(parsed.messageId ?? '');
    byAddress.set(m.to[0]!, e);
  }
  let duplicates = 0;
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const email = `reader${i}@example.org`;
    const s = (await store.findSubscriber(email))!;
    const rows = (await store.digestsOf(s.id)).filter((d) => d.date.includes(' alerts '));
    assert.equal(rows.length, 1, `${email}: one alert email planned`);
    assert.equal(rows[0]!.status, 'sent');
    const got = byAddress.get(email);
    assert.ok(got && got.count >= 1, `${email} got no alert email`);
    assert.equal(got.ids.size, 1, 'every copy has the same Message-ID');
    if (got.count > 1) {
      duplicates++;
      assert.ok((await store.getDigest(s.id, rows[0]!.date))!.recovered > 0, `${email} got ${got.count} copies but its delivery was never in doubt`);
    }
  }
  await store.close();
  process.stdout.write(`${smtp.received.length} messages for ${SUBSCRIBERS} subscribers; ${duplicates} sent again after being cut between the server's receipt and its 250\n`);
  assert.ok(duplicates <= CONCURRENCY, `${duplicates} duplicates`);
});
