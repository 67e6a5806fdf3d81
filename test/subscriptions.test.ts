// Subscriptions through the web app and the CLI, over a real SQLite file and a real
// SMTP server on loopback: double opt-in, no address enumeration, rate limits per client
// and per address, hostile input (header injection, markup), signed links that are
// forged, expired, reused or used for the wrong purpose, the manage page, and the
// operator's `paperboy subscribers` commands.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { checkAddress } from '../src/subscriptions/address.js';
import { digestWorld, formPost, local, type World } from './support/digest-world.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let smtp: TestSmtp;
let w: World;
before(async () => {
  smtp = await startSmtp();
  w = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-30T05:00:00Z') });
});
after(async () => {
  await w.close();
  await smtp.close();
});

async function request(email: string, form: Record<string, string> = {}, world = w) {
  const res = await formPost(world.app, '/subscribe', { email, ...form });
  const body = await res.text();
  await world.subscriptions.idle();
  return { status: res.status, body };
}

async function mailsTo(email: string) {
  return (await smtp.parsed()).filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === email);
}

const tokenIn = (text: string, p: string) => new URL(new RegExp(`https://papers\\.example\\.org${p}\\?t=\\S+`).exec(text)![0]).searchParams.get('t')!;

describe('subscribing', () => {
  test('the answer is the same whoever the address belongs to; only the email differs', async () => {
    const fresh = await request('new@example.org');
    const again = await request('new@example.org');
    const t = tokenIn((await mailsTo('new@example.org'))[0]!.text!, '/subscribe/confirm');
    assert.equal((await w.subscriptions.confirm(t)).ok, true);
    const active = await request('new@example.org');
    await w.subscriptions.manage('manage', new URL(await w.links.manageUrl((await w.store.findSubscriber('new@example.org'))!, new Date())).searchParams.get('t'), { kind: 'unsubscribe' });
    w.set('2026-07-01T05:00:00Z'); // three emails a day per address: the next one tomorrow
    const left = await request('new@example.org');
    for (const r of [fresh, again, active, left]) {
      assert.equal(r.status, 200);
      assert.equal(r.body, fresh.body, 'identical pages');
      assert.ok(!r.body.includes('new@example.org'), 'the address is not echoed');
    }
    const subjects = (await mailsTo('new@example.org')).map((m) => m.subject);
    assert.deepEqual(subjects, ['Confirm your Paperboy subscription', 'Confirm your Paperboy subscription', 'Your Paperboy subscription', 'Confirm your Paperboy subscription']);
    const mails = await mailsTo('new@example.org');
    assert.equal(tokenIn(mails[1]!.text!, '/subscribe/confirm'), t, 'a second request re-sends the same, still valid link');
    assert.match(mails[2]!.text!, /https:\/\/papers\.example\.org\/manage\?t=/, 'the already-subscribed email links to the settings');
    assert.equal((await w.store.findSubscriber('new@example.org'))?.status, 'pending', 'leaving and asking again needs a new confirmation');
  });

  test('an address gets at most three such emails a day, silently', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await request('flood@example.org')).status, 200);
    assert.equal((await mailsTo('flood@example.org')).length, 3);
    w.set('2026-07-02T05:00:00Z');
    await request('flood@example.org');
    assert.equal((await mailsTo('flood@example.org')).length, 4, 'the next day, one more');
  });

  test('requests are limited per client address', async () => {
    const v = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-30T05:00:00Z'), config: { digest: { subscribesPerHourPerIp: 2 } } });
    assert.equal((await request('ip1@example.org', {}, v)).status, 200);
    assert.equal((await request('ip2@example.org', {}, v)).status, 200);
    const third = await formPost(v.app, '/subscribe', { email: 'ip3@example.org' });
    assert.equal(third.status, 429);
    assert.ok(Number(third.headers.get('retry-after')) > 0);
    assert.equal(await v.store.findSubscriber('ip3@example.org'), null);
    await v.close();
  });

  test('addresses are validated and normalised; header injection cannot get through', async () => {
    assert.deepEqual(checkAddress(' Mixed.Case+tag@Example.ORG '), { ok: true, email: 'mixed.case+tag@example.org' });
    assert.deepEqual(checkAddress('someone@BÜCHER.example'), { ok: true, email: 'someone@xn--bcher-kva.example' });
    const bad = [
      'victim@example.org\r\nBcc: everyone@example.org', 'victim@example.org\nSubject: hi', 'a@example.org, b@example.org',
      'Name <a@example.org>', '"quoted"@example.org', 'a@example.org;b@example.org', 'no-at-sign', '@example.org', 'a@', 'a@localhost',
      'a@-bad-.org', 'a..b@example.org', `${'x'.repeat(65)}@example.org`, `a@${'d'.repeat(250)}.org`, 'a@exa mple.org', 'a\u0000@example.org',
    ];
    const before = smtp.received.length;
    for (const input of bad) {
      assert.equal(checkAddress(input).ok, false, JSON.stringify(input));
      const r = await request(input);
      assert.equal(r.status, 400, JSON.stringify(input));
      assert.match(r.body, /Please check/);
      assert.ok(!r.body.includes('<a@example.org>'), 'what was typed is shown escaped');
    }
    assert.equal(smtp.received.length, before, 'no email for a refused address');
    assert.equal(checkAddress('ünïcode@example.org').ok, false, 'non-ASCII before the @ needs SMTPUTF8, which is not offered');

    // Topics are text: control characters are dropped, markup stays text on every page and email.
    const r = await request('topics-hostile@example.org', { topics: 'robots\r\nBcc: x@example.org, <script>alert(1)</script>' });
    assert.equal(r.status, 200);
    const s = await w.store.findSubscriber('topics-hostile@example.org');
    assert.deepEqual(s?.topics, ['robots', 'Bcc: x@example.org', '<script>alert(1)</script>']);
    const raw = smtp.received.at(-1)!;
    assert.deepEqual(raw.to, ['topics-hostile@example.org'], 'one recipient in the envelope');
    const head = raw.raw.toString().split(/\r\n\r\n/)[0]!;
    assert.ok(!/^Bcc:/im.test(head), 'no injected header');
    const mail = await simpleParser(raw.raw);
    assert.ok(!(mail.html as string).includes('<script>alert'), 'escaped in the email');
    assert.match(mail.html as string, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  test('bad preferences get a clear message and the form back', async () => {
    const r = await request('prefs@example.org', { hour: '25', tz: 'Mars/Olympus', frequency: 'hourly', topics: 'cat:not-a-category' });
    assert.equal(r.status, 400);
    for (const m of [/whole hour from 0 to 23/, /is not a time zone/, /Choose daily or weekly/, /is not an arXiv category/]) assert.match(r.body, m);
    assert.equal(await w.store.findSubscriber('prefs@example.org'), null);
  });

  test('the form must come from this site', async () => {
    const res = await formPost(w.app, '/subscribe', { email: 'csrf@example.org' }, { 'Sec-Fetch-Site': 'cross-site' });
    assert.equal(res.status, 403);
    assert.equal(await w.store.findSubscriber('csrf@example.org'), null);
  });
});

describe('signed links', () => {
  test('confirmation links: forged, altered, reused and expired ones get a clear page', async () => {
    w.set('2026-07-03T05:00:00Z');
    await request('links@example.org');
    const t = tokenIn((await mailsTo('links@example.org')).at(-1)!.text!, '/subscribe/confirm');
    const [id, exp, nonce, mac] = t.split('.') as [string, string, string, string];
    const flip = (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');
    const cases: [string, number, RegExp][] = [
      [`${id}.${exp}.${nonce}.${flip(mac)}`, 400, /This link is not valid/],
      [`${id}.${(Number.parseInt(exp, 36) + 86400).toString(36)}.${nonce}.${mac}`, 400, /not valid/], // stretched in time
      [`${(Number.parseInt(id, 36) + 1).toString(36)}.${exp}.${nonce}.${mac}`, 400, /not valid/], // someone else's
      ['garbage', 400, /cut short/],
      ['', 400, /not valid/],
    ];
    for (const [token, status, text] of cases) {
      for (const res of [await w.app.request(`/subscribe/confirm?t=${encodeURIComponent(token)}`), await formPost(w.app, '/subscribe/confirm', { t: token })]) {
        assert.equal(res.status, status, token);
        const body = await res.text();
        assert.match(body, text);
        assert.equal(res.headers.get('cache-control'), 'no-store');
      }
    }
    assert.equal((await w.store.findSubscriber('links@example.org'))?.status, 'pending');
    const page = await w.app.request(`/subscribe/confirm?t=${t}`);
    assert.equal(page.status, 200, 'GET only shows the button');
    assert.equal(page.headers.get('referrer-policy'), 'strict-origin-when-cross-origin', 'the token never reaches another site');
    assert.equal(page.headers.get('x-robots-tag'), 'noindex');
    assert.equal((await w.store.findSubscriber('links@example.org'))?.status, 'pending', 'a link scanner fetching the URL confirms nothing');
    assert.equal((await formPost(w.app, '/subscribe/confirm', { t })).status, 200);
    const reused = await formPost(w.app, '/subscribe/confirm', { t });
    assert.equal(reused.status, 410);
    assert.match(await reused.text(), /already used/);

    await request('late@example.org');
    const lateToken = tokenIn((await mailsTo('late@example.org')).at(-1)!.text!, '/subscribe/confirm');
    w.set('2026-07-05T05:00:01Z'); // 48 hours and a second later
    const expired = await formPost(w.app, '/subscribe/confirm', { t: lateToken });
    assert.equal(expired.status, 410);
    assert.match(await expired.text(), /expired/);
    assert.ok(await w.subscriptions.expireUnconfirmed() >= 1, 'unconfirmed subscriptions are dropped');
    assert.equal(await w.store.findSubscriber('late@example.org'), null);
  });

  test('manage and unsubscribe links: each for its own purpose; the manage page changes settings', async () => {
    w.set('2026-07-06T05:00:00Z');
    await w.subscriptions.add('manager@example.org', { topics: ['<b>bold</b> topic'], categories: [], topicMode: 'only', sendHour: 7, timeZone: 'UTC', frequency: 'daily', weekday: 1 }, { confirmed: true, consent: 'operator-add' });
    const s = (await w.store.findSubscriber('manager@example.org'))!;
    const manage = await w.links.manageUrl(s, new Date('2026-07-06T05:00:00Z'));
    const unsubscribe = await w.links.unsubscribeUrl(s, new Date('2026-07-06T05:00:00Z'));
    const mt = new URL(manage).searchParams.get('t')!;
    const ut = new URL(unsubscribe).searchParams.get('t')!;

    assert.equal((await w.app.request(`/manage?t=${ut}`)).status, 400, 'an unsubscribe link is not a settings link');
    assert.equal((await w.app.request(`/unsubscribe?t=${mt}`)).status, 400, 'nor the other way round');
    const page = await w.app.request(local(manage));
    assert.equal(page.status, 200);
    const body = await page.text();
    assert.match(body, /&lt;b&gt;bold&lt;\/b&gt; topic/);
    assert.ok(!body.includes('<b>bold</b>'));
    assert.match(body, /<option selected>UTC<\/option>/);

    const update = { t: mt, action: 'update', topics: 'graph neural networks\ncs.LG', mode: 'boost', hour: '18', tz: 'Europe/Paris', frequency: 'weekly', weekday: '5' };
    assert.equal((await formPost(w.app, '/manage', update, { 'Sec-Fetch-Site': 'cross-site' })).status, 403, 'CSRF');
    const saved = await formPost(w.app, '/manage', update);
    assert.equal(saved.status, 303);
    assert.match(saved.headers.get('location') ?? '', /^\/manage\?t=.*&saved=update$/);
    const after = (await w.store.findSubscriber('manager@example.org'))!;
    assert.deepEqual([after.topics, after.categories, after.topicMode, after.sendHour, after.timeZone, after.frequency, after.weekday],
      [['graph neural networks'], ['cs.LG'], 'boost', 18, 'Europe/Paris', 'weekly', 5]);
    assert.equal(after.nextDueAt, '2026-07-10T16:00:00.000Z', 'Friday 18:00 in Paris');
    assert.match(await (await w.app.request(saved.headers.get('location')!)).text(), /Your settings are saved/);

    assert.equal((await formPost(w.app, '/manage', { t: mt, action: 'pause' })).status, 303);
    assert.equal((await w.store.findSubscriber('manager@example.org'))?.status, 'paused');
    assert.equal((await formPost(w.app, '/manage', { t: mt, action: 'resume' })).status, 303);
    assert.equal((await w.store.findSubscriber('manager@example.org'))?.status, 'active');

    // The visible unsubscribe link: GET asks, POST (the page's button) does it.
    const ask = await w.app.request(local(unsubscribe));
    assert.match(await ask.text(), /Unsubscribe from the digest\?/);
    assert.equal((await w.store.findSubscriber('manager@example.org'))?.status, 'active');
    assert.equal((await w.app.request(local(unsubscribe), { method: 'POST' })).status, 200);
    assert.equal((await w.store.findSubscriber('manager@example.org'))?.status, 'unsubscribed');

    w.set('2027-07-07T05:00:00Z'); // a year and a day later
    assert.equal((await w.app.request(local(manage))).status, 410, 'links expire (digest.linkDays)');
    await w.subscriptions.remove('manager@example.org', { erase: true });
    w.set('2026-07-07T05:00:00Z');
    assert.equal((await w.app.request(local(manage))).status, 404, 'an erased subscriber is gone');
  });
});

describe('paperboy subscribers (CLI)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-subscribers-'));
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', dir, ...args], {
    cwd: repoRoot, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn', PAPERBOY_BASE_URL: 'https://papers.example.org' },
  });

  test('add, import, list, export, remove and stats', () => {
    let r = cli('subscribers', 'add', 'Op@Example.org', '--confirmed', '--topic', 'graph neural networks', '--category', 'cs.LG', '--hour', '6', '--tz', 'Europe/Berlin');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /op@example\.org: added and active/);
    r = cli('subscribers', 'add', 'optin@example.org');
    assert.match(r.stdout, /a confirmation email was sent/);
    assert.equal(cli('subscribers', 'add', 'bad address@example.org').status, 65);

    const csv = path.join(dir, 'list.csv');
    writeFileSync(csv, 'email,topics,categories,hour,time_zone,frequency\r\n' +
      'one@example.org,"diffusion models, robots",cs.RO cs.LG,8,America/New_York,weekly\r\n' +
      'TWO@example.org,,,,,\r\n' +
      'op@example.org,,,,,\r\n' +
      'not-an-address,,,,,\r\n');
    r = cli('subscribers', 'remove', 'two@example.org');
    assert.equal(r.status, 66, 'not there yet');
    r = cli('subscribers', 'import', csv, '--confirmed');
    assert.equal(r.status, 65, 'one row was invalid');
    assert.match(r.stdout, /Imported 4 rows: 2 added, 0 sent a confirmation email, 1 already subscribed, 0 refused .* 1 invalid/);
    assert.match(r.stdout, /line 5: /);

    assert.match(cli('subscribers', 'remove', 'two@example.org').stdout, /unsubscribed/);
    r = cli('subscribers', 'import', csv, '--confirmed');
    assert.match(r.stdout, /0 added, 0 sent a confirmation email, 2 already subscribed, 1 refused/, 'an unsubscribed address is not brought back');

    r = cli('subscribers', 'list', '--json');
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { email: string; status: string; topics: string[]; categories: string[]; frequency: string });
    assert.deepEqual(rows.map((x) => [x.email, x.status]), [['op@example.org', 'active'], ['optin@example.org', 'pending'], ['one@example.org', 'active'], ['two@example.org', 'unsubscribed']]);
    assert.deepEqual([rows[2]!.topics, rows[2]!.categories, rows[2]!.frequency], [['diffusion models', 'robots'], ['cs.RO', 'cs.LG'], 'weekly']);

    r = cli('subscribers', 'export', '--status', 'active');
    const lines = r.stdout.trim().split('\r\n');
    assert.equal(lines[0], 'email,status,topics,categories,mode,hour,time_zone,frequency,weekday,consent,created_at,confirmed_at,unsubscribed_at');
    assert.match(lines[1]!, /^op@example\.org,active,graph neural networks,cs\.LG,only,6,Europe\/Berlin,daily,1,operator-add,/);
    assert.match(lines[2]!, /^one@example\.org,active,"diffusion models, robots",cs\.RO cs\.LG,only,8,America\/New_York,weekly,1,operator-import,/);

    r = cli('stats');
    assert.match(r.stdout, /Subscribers 2 active, 1 awaiting confirmation, 0 paused, 1 unsubscribed, 0 bouncing/);
    assert.match(cli('subscribers', 'remove', 'one@example.org', '--erase').stdout, /erased/);
    const store = openSqliteStore(path.join(dir, 'paperboy.db'));
    return store.findSubscriber('one@example.org').then(async (s) => {
      assert.equal(s, null);
      await store.close();
    });
  });
});
