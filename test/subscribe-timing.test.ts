// Subscribing must not tell anyone whether an address is already known: not by the page
// (subscriptions.test.ts) and not by how long the answer takes. The mechanism checked
// here: the request is decided and mailed only after the answer is written, so both
// paths do the same work before it (nothing is decided when the answer arrives). Timing
// itself is measured by bench/http-timing.ts (medians over interleaved requests through
// a server in its own process); on a shared machine its noise is too large for a test.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Preferences } from '../src/subscriptions/preferences.js';
import { digestWorld, formPost, type World } from './support/digest-world.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

let w: World;
let smtp: TestSmtp;
before(async () => {
  smtp = await startSmtp();
  w = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-30T05:00:00Z'), config: { digest: { subscribesPerHourPerIp: 100_000, noticesPerDayPerAddress: 50 } } });
});
after(async () => {
  await w.close();
  await smtp.close();
});

const PREFS: Preferences = { topics: [], categories: [], topicMode: 'only', sendHour: 7, timeZone: 'UTC', frequency: 'daily', weekday: 1 };

test('the answer is written before the request is decided or mailed', async () => {
  await w.subscriptions.add('known-first@example.org', PREFS, { confirmed: true, consent: 'operator-add' });
  const known = await w.store.findSubscriber('known-first@example.org');
  const res = await formPost(w.app, '/subscribe', { email: 'fresh-first@example.org' });
  const again = await formPost(w.app, '/subscribe', { email: 'known-first@example.org' });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), await again.text(), 'the same page');
  assert.equal(await w.store.findSubscriber('fresh-first@example.org'), null, 'not decided before the answer');
  assert.equal((await w.store.findSubscriber('known-first@example.org'))?.noticeCount, known?.noticeCount, 'nor for a known address');
  await w.subscriptions.idle();
  assert.equal((await w.store.findSubscriber('fresh-first@example.org'))?.status, 'pending', 'decided right after');
  assert.equal((await w.store.findSubscriber('known-first@example.org'))?.noticeCount, (known?.noticeCount ?? 0) + 1);
  const recipients = smtp.received.map((m) => m.to.join()).sort();
  assert.deepEqual(recipients, ['fresh-first@example.org', 'known-first@example.org'], 'and each got its email');
});

test('a request over the per-address limit answers the same, also before anything is decided', async () => {
  for (let i = 0; i < 50; i++) await w.subscriptions.request('limit@example.org', PREFS).sent;
  const before = smtp.received.length;
  const over = await formPost(w.app, '/subscribe', { email: 'limit@example.org' });
  const fresh = await formPost(w.app, '/subscribe', { email: 'limit-fresh@example.org' });
  assert.equal(await over.text(), await fresh.text());
  await w.subscriptions.idle();
  assert.equal(smtp.received.length, before + 1, 'only the fresh address got an email');
});
