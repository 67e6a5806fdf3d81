// Killing `paperboy digest run` at any moment and running it again: every subscriber
// gets the day's digest, and only one. The run is a child process killed with SIGKILL
// (no handler, no cleanup) while a real SMTP server on loopback is receiving; first at
// the worst moment — the server has the whole message but has not yet said 250 — then
// at an arbitrary one. A digest whose delivery was cut in that window is the one case
// the outbox cannot decide (docs/digest.md): it is sent again with the same Message-ID
// and flagged `recovered`, and only such a digest may arrive twice. The test server,
// like a real MTA that has committed the data, keeps a message it had fully received
// even when the sender died before hearing its 250.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { digestWorld } from './support/digest-world.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SUBSCRIBERS = 40;
const DATE = '2026-06-30';
const CONCURRENCY = 3;

let smtp: TestSmtp;
let dir = '';
let db = '';

before(async () => {
  smtp = await startSmtp();
  const w = await digestWorld({ now: new Date('2026-06-29T12:00:00Z') });
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const prefs = { topics: i % 3 === 0 ? ['language models'] : [], categories: [], topicMode: 'only' as const, sendHour: i % 24, timeZone: 'UTC', frequency: 'daily' as const, weekday: 1 };
    assert.equal(await w.subscriptions.add(`reader${i}@example.org`, prefs, { confirmed: true, consent: 'operator-import' }), 'added');
  }
  dir = w.dir;
  db = w.config.database;
  await w.close();
});
after(() => smtp.close());

function run(): { child: ReturnType<typeof spawn>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', dir, '--db', db, 'digest', 'run', '--date', DATE], {
    cwd: repoRoot,
    env: {
      ...process.env, PAPERBOY_SMTP_URL: smtp.url, PAPERBOY_MAIL_CONCURRENCY: String(CONCURRENCY), PAPERBOY_MAIL_RATE: '0',
      PAPERBOY_MAIL_FROM: 'Paperboy <digest@papers.example.org>', PAPERBOY_BASE_URL: 'https://papers.example.org', LOG_LEVEL: 'warn',
    },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  return { child, exited: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err }))) };
}

test('killed twice mid-run, then run again: every subscriber got exactly one digest', { timeout: 120_000 }, async () => {
  smtp.delayMs = 15; // a server taking its time, so the run is long enough to be cut

  // 1. Killed the moment the server has the 8th message, before its 250 reaches the sender.
  let first = run();
  smtp.onMessage = () => {
    if (smtp.received.length === 8) first.child.kill('SIGKILL');
  };
  let r = await first.exited;
  assert.equal(r.signal, 'SIGKILL', r.err);
  const afterFirst = smtp.received.length;
  assert.ok(afterFirst >= 8 && afterFirst < SUBSCRIBERS, `cut mid-run (${afterFirst} received)`);

  // 2. Killed at an arbitrary moment a few messages later.
  const second = run();
  smtp.onMessage = () => {
    if (smtp.received.length === afterFirst + 10) setTimeout(() => second.child.kill('SIGKILL'), 7);
  };
  r = await second.exited;
  assert.equal(r.signal, 'SIGKILL', r.err);
  assert.ok(smtp.received.length < SUBSCRIBERS + 2, 'still unfinished');

  // 3. Runs to the end.
  smtp.onMessage = null;
  first = run();
  r = await first.exited;
  assert.equal(r.code, 0, r.err + r.out);
  assert.match(r.out, /Recovered \d+ digests a stopped process left in flight|Delivered/);

  // A fourth run finds nothing to do.
  const before = smtp.received.length;
  r = await run().exited;
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Delivered 0 sent/);
  assert.equal(smtp.received.length, before);

  const store = openSqliteStore(db);
  const byAddress = new Map<string, { count: number; ids: Set<string> }>();
  for (const m of smtp.received) {
    const parsed = await simpleParser(m.raw);
    const e = byAddress.get(m.to[0]!) ?? { count: 0, ids: new Set<string>() };
    e.count++;
    e.ids.add(parsed.messageId ?? '');
    byAddress.set(m.to[0]!, e);
  }
  let duplicates = 0;
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const email = `reader${i}@example.org`;
    const s = (await store.findSubscriber(email))!;
    const row = (await store.getDigest(s.id, DATE))!;
    const got = byAddress.get(email);
    assert.equal(row.status, 'sent', `${email}: ${row.status} ${row.lastError ?? ''}`);
    assert.ok(got && got.count >= 1, `${email} got no digest`);
    assert.equal(got.ids.size, 1, 'every copy has the same Message-ID');
    if (got.count > 1) {
      duplicates++;
      assert.ok(row.recovered > 0, `${email} got ${got.count} copies but its delivery was never in doubt`);
    }
  }
  await store.close();
  process.stdout.write(`# ${smtp.received.length} messages for ${SUBSCRIBERS} subscribers; ${duplicates} sent again after being cut between the server's receipt and its 250\n`);
  // Only messages in flight at a kill can be in doubt: at most one per connection per kill.
  assert.ok(duplicates <= CONCURRENCY * 2, `${duplicates} duplicates`);
});
