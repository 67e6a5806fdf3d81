// The digest end to end over real parts: SQLite files, the web app, trending and search
// over the fixture papers, and a real SMTP server on loopback whose messages are parsed
// back with mailparser. Subscribe → confirm → one digest → one-click unsubscribe → no
// more mail; the SMTP server refusing (421/451/550), dropping connections and going down;
// missed days; the message's headers, escaping, DKIM signature and SpamAssassin score.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';
import { previewDigest } from '../src/digest/preview.js';
import { digestWorld, formPost, local, type World } from './support/digest-world.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

let smtp: TestSmtp;
before(async () => {
  smtp = await startSmtp();
});
after(() => smtp.close());

function reset() {
  smtp.received.length = 0;
  smtp.faults = null;
  smtp.delayMs = 0;
}

/** Subscribes through the form and follows the confirmation email, as a person would. */
async function subscribe(w: World, email: string, form: Record<string, string> = {}): Promise<void> {
  const before = smtp.received.length;
  const res = await formPost(w.app, '/subscribe', { email, hour: '7', tz: 'UTC', ...form });
  assert.equal(res.status, 200, await res.text());
  await w.subscriptions.idle();
  await smtp.waitFor(before + 1);
  const mail = await simpleParser(smtp.received.at(-1)!.raw);
  const link = /https:\/\/papers\.example\.org\/subscribe\/confirm\?t=\S+/.exec(mail.text ?? '')![0];
  const page = await w.app.request(local(link));
  assert.equal(page.status, 200);
  const done = await formPost(w.app, '/subscribe/confirm', { t: new URL(link).searchParams.get('t')! });
  assert.match(await done.text(), /You are subscribed/);
}

function listUnsubscribe(raw: Buffer): string {
  const head = raw.toString('utf8').split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  return /^List-Unsubscribe: (.*)$/im.exec(head)?.[1] ?? '';
}

function digestsFor(mails: ParsedMail[], to: string): ParsedMail[] {
  return mails.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === to && (m.messageId ?? '').startsWith('<digest.'));
}

describe('subscribe, confirm, receive, unsubscribe', () => {
  let w: World;
  before(async () => {
    reset();
    w = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-30T05:00:00Z') });
  });
  after(() => w.close());

  test('a confirmed subscriber gets one digest at their hour, and none after a one-click unsubscribe', async () => {
    await subscribe(w, 'Alice@Example.ORG');
    w.set('2026-06-30T06:59:00Z');
    assert.equal((await w.digest.round()).delivery?.sent, 0, 'not before the hour');
    w.set('2026-06-30T07:00:20Z');
    const round = await w.digest.round();
    assert.equal(round.delivery?.sent, 1);
    const raw = smtp.received.at(-1)!.raw;
    const mail = await simpleParser(raw);

    // Headers a mailbox provider checks.
    assert.equal(mail.messageId, '<digest.2026-06-30.1@papers.example.org>');
    assert.equal(mail.date?.toISOString(), '2026-06-30T07:00:20.000Z');
    assert.equal(mail.from?.text, '"Paperboy" <digest@papers.example.org>');
    assert.deepEqual(smtp.received.at(-1)!.to, ['alice@example.org']);
    assert.match(raw.toString(), /^Content-Type: multipart\/alternative;/m);
    assert.match(raw.toString(), /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    assert.match(raw.toString(), /^List-ID: "Paperboy digest" <digest\.papers\.example\.org>/m);
    const unsubscribe = /<(https:\/\/papers\.example\.org\/unsubscribe\?t=[^>]+)>/.exec(listUnsubscribe(raw))![1]!;

    // Content: ten papers, each with title, authors, categories, abstract, links and a reason.
    assert.ok(mail.html && mail.text);
    assert.equal((mail.text!.match(/^\d+\. /gm) ?? []).length, 10);
    assert.match(mail.text!, /1\. Bounds on O\(n log n\) sorting with α-approximations\n {3}Grace Hopper · cs\.DS\n {3}We prove that Σᵢ₌₁ⁿ xᵢ ≤ √n/);
    assert.match(mail.text!, /60 upvotes on Hugging Face\n {3}Read more: https:\/\/papers\.example\.org\/papers\/2606\.90001\n {3}arXiv: https:\/\/arxiv\.org\/abs\/2606\.90001/);
    assert.match(mail.html as string, /href="https:\/\/arxiv\.org\/abs\/2606\.99999"/);
    assert.match(mail.html as string, /Unsubscribe<\/a>/);
    assert.ok(mail.text!.includes(unsubscribe), 'the unsubscribe link is in the body too');
    // Every paper field is escaped: the hostile paper is in, its markup is text.
    const html = mail.html as string;
    assert.match(html, /Hostile &lt;script&gt;alert\(1\)&lt;\/script&gt; title &quot;quoted&quot; &amp; more/);
    assert.match(html, /Eve &lt;b onmouseover=alert\(1\)&gt;Hacker&lt;\/b&gt;/);
    for (const bad of ['<script', '<img', '<b onmouseover', 'javascript:', '<iframe']) assert.ok(!html.includes(bad), `HTML contains ${bad}`);

    // The same round again, and again later that day: nothing more.
    assert.equal((await w.digest.round()).delivery?.sent, 0);
    w.set('2026-06-30T21:00:00Z');
    assert.equal((await w.digest.round()).delivery?.sent, 0);

    // RFC 8058 one-click: a POST with no cookie and no CSRF token, from the mail program.
    const res = await w.app.request(local(unsubscribe), {
      method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /You are unsubscribed/);
    assert.equal((await w.store.findSubscriber('alice@example.org'))?.status, 'unsubscribed');
    const again = await w.app.request(local(unsubscribe), { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(again.status, 200, 'unsubscribing twice is fine');

    const count = smtp.received.length;
    for (const day of ['2026-07-01T07:00:30Z', '2026-07-02T07:00:30Z']) {
      w.set(day);
      await w.digest.round();
    }
    assert.equal(smtp.received.length, count, 'no more mail');
  });

  test('the next day brings only papers not sent before', async () => {
    const v = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-29T05:00:00Z') });
    await subscribe(v, 'bob@example.org');
    const ids = (m: ParsedMail) => [...(m.text ?? '').matchAll(/arXiv: https:\/\/arxiv\.org\/abs\/(\S+)/g)].map((x) => x[1]!);
    v.set('2026-06-29T07:00:10Z');
    await v.digest.round();
    v.set('2026-06-30T07:00:10Z');
    await v.digest.round();
    const [first, second] = digestsFor(await smtp.parsed(), 'bob@example.org');
    assert.ok(first && second, 'one digest each day');
    // The second window (28–30 June) overlaps the first (28–29 June); what was sent is not sent again.
    assert.ok(ids(first).includes('2606.99999'));
    assert.deepEqual(ids(second).filter((id) => ids(first).includes(id)), []);
    assert.equal(ids(second).length, 10);
    await v.close();
  });
});

describe('delivery faults', () => {
  test('451 and 421 are retried with backoff; the digest arrives once', async () => {
    reset();
    const w = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-30T05:00:00Z') });
    await subscribe(w, 'carol@example.org');
    smtp.faults = (stage, address, n) => (stage === 'rcpt' && address === 'carol@example.org' && n < 2 ? { code: 451, message: 'Try again later' } : null);
    w.set('2026-06-30T07:00:05Z');
    let r = await w.digest.round();
    assert.deepEqual([r.delivery?.sent, r.delivery?.retrying], [0, 1]);
    w.set('2026-06-30T07:00:50Z');
    assert.equal((await w.digest.round()).delivery?.sent, 0, 'not before the backoff');
    w.set('2026-06-30T07:01:10Z');
    r = await w.digest.round();
    assert.equal(r.delivery?.retrying, 1, 'second 451');
    w.set('2026-06-30T07:03:20Z'); // 2 minutes later: the second backoff
    r = await w.digest.round();
    assert.equal(r.delivery?.sent, 1);
    assert.equal(digestsFor(await smtp.parsed(), 'carol@example.org').length, 1);
    const row = await w.store.getDigest((await w.store.findSubscriber('carol@example.org'))!.id, '2026-06-30');
    assert.deepEqual([row?.status, row?.attempts], ['sent', 3]);

    // 421 at connect: the server, not the message — delivery pauses, then resumes.
    await subscribe(w, 'dave@example.org');
    smtp.faults = (stage) => (stage === 'connect' ? { code: 421, message: 'Too busy' } : null);
    await smtp.down(); // closes the pooled connections, so the next message needs a new one
    await smtp.up();
    w.set('2026-07-01T07:00:05Z');
    r = await w.digest.round();
    assert.ok(r.delivery?.paused, 'paused');
    assert.equal(r.delivery?.sent, 0);
    smtp.faults = null;
    w.set('2026-07-01T08:30:00Z');
    r = await w.digest.round();
    assert.equal(r.delivery?.sent, 2);
    assert.equal(digestsFor(await smtp.parsed(), 'dave@example.org').length, 1);
    await w.close();
  });

  test('550 fails at once and, after the threshold, stops all mail to that address', async () => {
    reset();
    const logs: string[] = [];
    const w = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-30T05:00:00Z'), config: { digest: { bounceThreshold: 2, sendEmpty: true } }, log: (l) => logs.push(l) });
    await subscribe(w, 'gone@example.org');
    smtp.faults = (stage, address) => (stage === 'rcpt' && address === 'gone@example.org' ? { code: 550, message: `5.1.1 <${address}>: no such user` } : null);
    w.set('2026-06-30T07:00:05Z');
    let r = await w.digest.round();
    assert.deepEqual([r.delivery?.failed, r.delivery?.bounced, r.delivery?.retrying], [1, 1, 0]);
    assert.equal((await w.store.findSubscriber('gone@example.org'))?.status, 'active');
    w.set('2026-07-01T07:00:05Z');
    r = await w.digest.round();
    assert.equal(r.delivery?.bounced, 1);
    assert.equal((await w.store.findSubscriber('gone@example.org'))?.status, 'bouncing');
    w.set('2026-07-02T07:00:05Z');
    r = await w.digest.round();
    assert.equal(r.plan?.considered, 0, 'a bouncing address is no longer planned');
    assert.equal(digestsFor(await smtp.parsed(), 'gone@example.org').length, 0);
    // The refusals are logged, the address never whole (even inside the server's reply).
    assert.ok(logs.some((l) => l.includes('g***@example.org') && l.includes('no such user')), logs.join('\n'));
    assert.ok(!logs.some((l) => l.includes('gone@example.org')), 'no full address in the logs');
    await w.close();
  });

  test('a connection dropped mid-message, and a server that is down, lose nothing and duplicate nothing', async () => {
    reset();
    const w = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-30T05:00:00Z') });
    const people = ['p1@example.org', 'p2@example.org', 'p3@example.org', 'p4@example.org'];
    for (const p of people) await subscribe(w, p);
    // The server cuts p2's connection after its data, before saying 250: like a real server, it keeps nothing.
    // One lost connection is a blip: p2's digest goes again at once, flagged (it was in doubt), and the round goes on.
    smtp.faults = (stage, address, n) => (stage === 'data' && address === 'p2@example.org' && n === 0 ? 'drop' : null);
    w.set('2026-06-30T07:00:05Z');
    let r = await w.digest.round();
    assert.deepEqual([r.delivery?.sent, r.delivery?.inDoubt, r.delivery?.paused], [4, 1, null]);
    assert.equal(digestsFor(await smtp.parsed(), 'p2@example.org').length, 1);
    assert.equal((await w.store.getDigest((await w.store.findSubscriber('p2@example.org'))!.id, '2026-06-30'))?.recovered, 1);

    // Next day the server is down at the hour; it comes back later.
    await smtp.down();
    w.set('2026-07-01T07:00:05Z');
    r = await w.digest.round();
    assert.ok(r.delivery?.paused);
    assert.equal(r.delivery?.sent, 0);
    await smtp.up();
    w.set('2026-07-01T08:00:00Z');
    r = await w.digest.round();
    assert.equal(r.delivery?.sent, 4);
    const mails = await smtp.parsed();
    for (const p of people) assert.equal(digestsFor(mails, p).length, 2, `${p}: one digest a day`);
    await w.close();
  });
});

describe('the schedule', () => {
  test('a process down for three days sends one digest per subscriber, not three', async () => {
    reset();
    const w = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-25T05:00:00Z') });
    await subscribe(w, 'late@example.org');
    w.set('2026-06-25T07:00:10Z');
    await w.digest.round();
    w.set('2026-06-29T09:00:00Z'); // 26, 27, 28 missed
    const r = await w.digest.round();
    assert.equal(r.plan?.planned, 1);
    const s = await w.store.findSubscriber('late@example.org');
    assert.equal(s?.lastDigestDate, '2026-06-29');
    assert.equal(await w.store.getDigest(s!.id, '2026-06-27'), null);
    assert.equal(digestsFor(await smtp.parsed(), 'late@example.org').length, 2);
    await w.close();
  });

  test('each subscriber at their hour in their zone; weekly on their weekday', async () => {
    reset();
    const w = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-29T12:00:00Z') });
    await subscribe(w, 'la@example.org', { hour: '7', tz: 'America/Los_Angeles' });
    await subscribe(w, 'tokyo@example.org', { hour: '8', tz: 'Asia/Tokyo', frequency: 'weekly' });
    const count = async (who: string) => digestsFor(await smtp.parsed(), who).length;
    const at = async (iso: string) => {
      w.set(iso);
      await w.digest.round();
      return [await count('la@example.org'), await count('tokyo@example.org')];
    };
    assert.deepEqual(await at('2026-06-29T13:59:00Z'), [0, 0], '06:59 in Los Angeles');
    assert.deepEqual(await at('2026-06-29T14:00:30Z'), [1, 0], '07:00 in Los Angeles (UTC-7 in summer)');
    assert.deepEqual(await at('2026-06-30T14:00:30Z'), [2, 0], 'daily');
    // Weekly on Mondays at 08:00 in Tokyo: Monday 6 July 08:00 JST is Sunday 5 July 23:00 UTC
    // (Monday 29 June's slot had passed when they subscribed).
    assert.deepEqual((await at('2026-07-05T22:59:00Z'))[1], 0);
    assert.deepEqual((await at('2026-07-05T23:00:30Z'))[1], 1);
    const id = (await w.store.findSubscriber('tokyo@example.org'))!.id;
    assert.deepEqual(digestsFor(await smtp.parsed(), 'tokyo@example.org').map((m) => m.messageId), [`<digest.2026-07-06.${id}@papers.example.org>`]);
    await w.close();
  });

  test('topics restrict the digest through search; a dry run records nothing', async () => {
    reset();
    const w = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-30T05:00:00Z') });
    await subscribe(w, 'topics@example.org', { topics: 'diffusion models, cs.DS' });
    const s = (await w.store.findSubscriber('topics@example.org'))!;
    assert.deepEqual([s.topics, s.categories], [['diffusion models'], ['cs.DS']]);
    w.set('2026-06-30T07:00:10Z');
    const dry = await w.digest.round({ dryRun: true });
    assert.deepEqual([dry.plan?.considered, dry.plan?.planned, dry.plan?.empty], [1, 0, 1]);
    assert.equal(dry.delivery, null);
    assert.equal(await w.store.getDigest(s.id, '2026-06-30'), null, 'a dry run records nothing');
    // Only "diffusion" papers in cs.DS: none in the fixture, so the day is skipped, not sent empty.
    const r = await w.digest.round();
    assert.deepEqual([r.plan?.planned, r.plan?.empty, r.delivery?.sent], [0, 1, 0]);
    assert.equal((await w.store.getDigest(s.id, '2026-06-30'))?.status, 'skipped');

    await subscribe(w, 'diffusion@example.org', { topics: 'diffusion models' });
    w.set('2026-07-01T07:00:10Z');
    await w.digest.round();
    const [mail] = digestsFor(await smtp.parsed(), 'diffusion@example.org');
    assert.ok(mail);
    const titles = [...(mail.text ?? '').matchAll(/^\d+\. (.*)$/gm)].map((m) => m[1]!);
    assert.ok(titles.length > 0 && titles.every((t) => /diffusion/i.test(t)), titles.join(' | '));
    assert.match(mail.text ?? '', /Matches your topic “diffusion models”/);
    await w.close();
  });
});

describe('the message', () => {
  test('without SMTP, digests are written as .eml files; `digest preview` writes one for a look', async () => {
    const w = await digestWorld({ now: new Date('2026-06-30T05:00:00Z') });
    await w.subscriptions.request('files@example.org', { topics: [], categories: [], topicMode: 'only', sendHour: 7, timeZone: 'UTC', frequency: 'daily', weekday: 1 });
    await w.subscriptions.idle();
    const dir = path.join(w.dir, 'mail', '2026-06-30');
    const confirmation = readdirSync(dir);
    assert.equal(confirmation.length, 1);
    const link = /https:\/\/papers\.example\.org\/subscribe\/confirm\?t=\S+/.exec((await simpleParser(readFileSync(path.join(dir, confirmation[0]!)))).text ?? '')![0];
    assert.equal((await w.subscriptions.confirm(new URL(link).searchParams.get('t'))).ok, true);
    w.set('2026-06-30T07:00:10Z');
    await w.digest.round();
    const digestFile = readdirSync(dir).find((f) => f.startsWith('digest.'))!;
    const mail = await simpleParser(readFileSync(path.join(dir, digestFile)));
    assert.equal(mail.messageId, '<digest.2026-06-30.1@papers.example.org>');

    const s = (await w.store.findSubscriber('files@example.org'))!;
    const out = path.join(w.dir, 'preview', 'files');
    const deps = { store: w.store, search: w.search, trending: w.trending, mailer: w.mailer, config: w.config, logger: (await import('../src/logger.js')).silentLogger, links: w.links };
    const p = await previewDigest(deps, s, { date: '2026-07-01', outBase: out, now: new Date('2026-07-01T06:00:00Z') });
    assert.ok(p.papers > 0);
    assert.match(readFileSync(p.html, 'utf8'), /Trending papers today/);
    assert.equal((await simpleParser(readFileSync(p.eml))).to && 'files@example.org', 'files@example.org');
    await w.close();
  });

  test('DKIM: a configured key signs the message, List-Unsubscribe-Post included, and it verifies', async () => {
    reset();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = path.join((await import('node:os')).tmpdir(), `dkim-${process.pid}.pem`);
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const w = await digestWorld({
      smtpUrl: smtp.url, now: new Date('2026-06-30T05:00:00Z'),
      config: { mail: { dkim: { keyFile, selector: 'pb2026', domain: 'papers.example.org' } } },
    });
    await subscribe(w, 'signed@example.org');
    w.set('2026-06-30T07:00:10Z');
    await w.digest.round();
    const raw = smtp.received.at(-1)!.raw;
    const header = raw.toString().split(/\r\n\r\n/)[0]!.replace(/\r\n[ \t]+/g, ' ');
    assert.match(header, /^DKIM-Signature: .*d=papers\.example\.org.*s=pb2026/m);
    assert.match(/^DKIM-Signature: .*$/m.exec(header)![0], /h=[^;]*List-Unsubscribe-Post/i);
    const { dkimVerify } = await import('mailauth/lib/dkim/verify.js');
    const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const result = await dkimVerify(raw, {
      resolver: async (name: string, type: string) => {
        if (name === 'pb2026._domainkey.papers.example.org' && type === 'TXT') return [[`v=DKIM1; k=rsa; p=${spki}`]];
        throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      },
    });
    assert.equal(result.results[0]?.status?.result, 'pass', JSON.stringify(result.results[0]?.status));
    await w.close();
  });

  test('SpamAssassin (local rules) scores the digest under 2.0', { skip: spamassassinMissing() }, async () => {
    reset();
    const w = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-30T05:00:00Z') });
    await subscribe(w, 'spam-check@example.org');
    w.set('2026-06-30T07:00:10Z');
    await w.digest.round();
    const eml = smtp.received.at(-1)!.raw;
    for (const [what, message] of [['digest', eml], ['confirmation', smtp.received.at(-2)!.raw]] as const) {
      // -L: local tests only (no DNS blocklists, no network); -t: report the score.
      const r = spawnSync('spamassassin', ['-L', '-t'], { input: message, encoding: 'utf8' });
      const score = Number(/Content analysis details:\s+\((-?[\d.]+) points/.exec(r.stdout)?.[1]);
      process.stdout.write(`# SpamAssassin ${what}: ${score} points\n`);
      assert.ok(Number.isFinite(score) && score < 2.0, `${what} scored ${score}:\n${r.stdout.slice(r.stdout.indexOf('Content analysis'))}`);
    }
    await w.close();
  });
});

function spamassassinMissing(): string | false {
  try {
    execFileSync('spamassassin', ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    return existsSync('/usr/bin/spamassassin') ? false : 'spamassassin is not installed (Debian package `spamassassin`); the score is not measured';
  }
}
