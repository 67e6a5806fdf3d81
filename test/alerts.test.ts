// Alert emails over real parts (SQLite file, search, the web app, a real SMTP server on
// loopback, mail parsed with mailparser): a subscriber follows an author and saves a
// paper on the site; papers that arrive afterwards — that author's new paper, a new
// version of the saved one — come in one alert email, with the digest's escaping, list
// headers and feedback links, and never the back catalogue. Each alert goes out once,
// whatever reruns, overlapping planners or a process lost between planning and sending;
// the manage page turns kinds off, and the email's one-click link turns alerts off
// without touching the digest.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { emptyRecord, type PaperRecord } from '../src/papers/paper.js';
import { planAlerts } from '../src/personal/alerts.js';
import { createDigestService } from '../src/digest/run.js';
import { silentLogger } from '../src/logger.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { digestWorld, formPost, local, type World } from './support/digest-world.js';
import { recognise, subscribe } from './support/personal.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

const HOSTILE = '<img src=x onerror=alert(1)> & “quotes”';

const paper = (id: string, day: string, authors: string[], versions: string[], title = `Paper ${id}`): PaperRecord => ({
  ...emptyRecord(id, title, `${title}. We report experiments.`),
  authors: authors.map((name) => ({ name })), categories: ['cs.LG'], announcedAt: day, submittedAt: versions[0]!,
  versions: versions.map((submittedAt, i) => ({ version: i + 1, submittedAt })),
});

let smtp: TestSmtp;
before(async () => {
  smtp = await startSmtp();
});
after(() => smtp.close());

const alertsTo = async (to: string): Promise<ParsedMail[]> => (await smtp.parsed())
  .filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === to && (m.messageId ?? '').startsWith('<alerts.'));

/** A header as written, unfolded. */
const header = (m: ParsedMail, key: string) => (m.headerLines.find((h) => h.key === key)?.line ?? '').replace(/\r\n(?=[ \t])/g, '');

/** Papers of an alert email in order, with their reason. */
const listed = (m: ParsedMail) => [...(m.text ?? '').matchAll(/^\d+\. .+\n(?: {3}.*\n)*? {3}(.+)\n {3}Read more: \S+\n {3}arXiv: https:\/\/arxiv\.org\/abs\/(\S+)/gm)]
  .map((x) => `${x[2]} — ${x[1]}`);

describe('alert emails', () => {
  let w: World;
  let alice: number;
  let cookie: string;
  let manage: string;
  const round = () => w.digest.round({ digests: false });

  before(async () => {
    w = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-30T05:00:00Z') });
    // Grace Hopper's earlier paper, and the paper Alice will save (at v1), are already here.
    await w.store.ingest({ papers: [
      paper('2606.50001', '2026-06-29', ['Grace Hopper', 'Ada Byron'], ['2026-06-28T10:00:00Z']),
      paper('2606.50002', '2026-06-29', ['Alan Turing'], ['2026-06-28T11:00:00Z'], 'Saved paper'),
    ] });
    alice = await subscribe(w, smtp, 'alice@example.org');
    ({ cookie, manage } = await recognise(w, 'alice@example.org'));
  });
  after(() => w.close());

  test('the first run only notes where the papers stand: nothing before it is news', async () => {
    const r = await round();
    assert.equal(r.alerts?.started, true);
    assert.equal((await alertsTo('alice@example.org')).length, 0);
  });

  test('a followed author’s new paper and a saved paper’s new version come in one email; the back catalogue never', async () => {
    w.set('2026-06-30T05:10:00Z');
    assert.equal((await formPost(w.app, '/personal/rules', { kind: 'follow-author', value: 'Grace Hopper', op: 'add', p: '2606.50001', back: '/library' }, { cookie })).status, 303);
    assert.equal((await formPost(w.app, '/personal/paper', { a: 'save', p: '2606.50002', back: '/library' }, { cookie })).status, 303);
    // Her earlier paper changes after the follow (a re-harvest): it is not new.
    w.set('2026-06-30T05:20:00Z');
    await w.store.ingest({ papers: [
      { ...paper('2606.50001', '2026-06-29', ['Grace Hopper', 'Ada Byron'], ['2026-06-28T10:00:00Z']), comment: '12 pages' },
      // Her new paper, with a hostile title.
      paper('2606.50003', '2026-06-30', ['Ada Byron', 'Grace Hopper'], ['2026-06-29T09:00:00Z'], HOSTILE),
      // An old paper of hers reaching the store late (an operator's backfill): back catalogue.
      paper('2001.00001', '2020-01-02', ['Grace Hopper', 'Ada Byron'], ['2020-01-01T09:00:00Z'], 'An old one'),
      // The saved paper's second version.
      paper('2606.50002', '2026-06-29', ['Alan Turing'], ['2026-06-28T11:00:00Z', '2026-06-30T01:00:00Z'], 'Saved paper'),
    ] });
    const r = await round();
    assert.equal(r.alerts?.planned, 1);
    assert.equal(r.delivery?.sent, 1);
    const [mail] = await alertsTo('alice@example.org');
    assert.ok(mail);
    assert.deepEqual(listed(mail), ['2606.50002 — New version (v2) of a paper you saved', '2606.50003 — By Grace Hopper, whom you follow']);
    assert.match(mail.subject ?? '', /^2 alerts: Saved paper and 1 more$/);
    // The digest's escaping, list headers (a list of its own), no tracking, and both parts.
    assert.ok(mail.html && mail.text);
    assert.ok(!(mail.html as string).includes('<img src=x'), 'the hostile title is escaped');
    assert.ok((mail.html as string).includes('&lt;img src=x onerror=alert(1)&gt; &amp;'));
    assert.match(header(mail, 'list-id'), /<alerts\.papers\.example\.org>/);
    assert.match(header(mail, 'list-unsubscribe'), /^List-Unsubscribe: <https:\/\/papers\.example\.org\/unsubscribe\/alerts\?t=[^>]+>$/);
    assert.equal(header(mail, 'list-unsubscribe-post'), 'List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    assert.match(mail.text ?? '', /More like this: https:\/\/papers\.example\.org\/feedback\?a=more&p=2606\.50003/);
    assert.match(mail.text ?? '', /Turn off alerts: https:\/\/papers\.example\.org\/unsubscribe\/alerts\?t=/);
    assert.ok(![...(mail.html as string).matchAll(/<img\b/g)].length, 'no images, so no tracking pixel');
  });

  test('rerunning, or the same papers changing again, sends nothing more; a later version does', async () => {
    await round();
    w.set('2026-06-30T06:00:00Z');
    await w.store.ingest({ papers: [{ ...paper('2606.50003', '2026-06-30', ['Ada Byron', 'Grace Hopper'], ['2026-06-29T09:00:00Z', '2026-06-30T05:30:00Z'], HOSTILE) }] });
    await round();
    assert.equal((await alertsTo('alice@example.org')).length, 1, 'her paper’s second version is not a new paper');
    await w.store.ingest({ papers: [paper('2606.50002', '2026-06-29', ['Alan Turing'], ['2026-06-28T11:00:00Z', '2026-06-30T01:00:00Z', '2026-06-30T05:50:00Z'], 'Saved paper')] });
    await round();
    const mails = await alertsTo('alice@example.org');
    assert.equal(mails.length, 2);
    assert.deepEqual(listed(mails[1]!), ['2606.50002 — New version (v3) of a paper you saved']);
  });

  test('two planners at once, and a process lost between planning and sending: each alert goes out once', async () => {
    w.set('2026-06-30T06:10:00Z');
    await w.store.ingest({ papers: [paper('2606.50004', '2026-06-30', ['Grace Hopper', 'Ada Byron'], ['2026-06-30T06:00:00Z'], 'Twice planned')] });
    // Two planners on two connections to the file, at once, bypassing the lease that normally keeps them apart.
    const other = openSqliteStore(w.config.database);
    const plans = await Promise.all([planAlerts({ store: w.store, config: w.config, now: w.clock.now }), planAlerts({ store: other, config: w.config, now: w.clock.now })]);
    assert.equal(plans[0].alerts + plans[1].alerts >= 1, true);
    assert.equal(plans[0].planned + plans[1].planned, 1, 'one email planned between them');
    await other.close();
    // The planning process is gone before sending: a fresh service (another process's) delivers it, once.
    const before = (await alertsTo('alice@example.org')).length;
    const fresh = createDigestService({ ...w, logger: silentLogger, now: () => w.clock.now, outbox: { owner: 'another-host:1:1', jitter: () => 1 } });
    const r1 = await fresh.round({ digests: false });
    assert.equal(r1.delivery?.sent, 1);
    assert.equal(r1.alerts?.planned, 0, 'nothing planned twice');
    const r2 = await fresh.round({ digests: false });
    assert.equal(r2.delivery?.sent, 0);
    const mails = await alertsTo('alice@example.org');
    assert.equal(mails.length, before + 1);
    assert.deepEqual(listed(mails.at(-1)!), ['2606.50004 — By Grace Hopper, whom you follow']);
  });

  test('an alerted paper is not repeated in the next digest', async () => {
    w.set('2026-06-30T07:01:00Z');
    const r = await w.digest.round();
    assert.equal(r.plan?.planned, 1);
    const row = (await w.store.getDigest(alice, '2026-06-30'))!;
    for (const id of ['2606.50003', '2606.50004', '2606.50002']) assert.ok(!row.paperIds.includes(id), `${id} came as an alert`);
  });

  test('the manage page turns each kind on or off (with the form’s token); its choices hold', async () => {
    const page = await (await w.app.request(manage, { headers: { cookie } })).text();
    assert.match(page, /<legend>Email me when<\/legend>/);
    assert.match(page, /name="alert-followed-author" value="on" checked/);
    assert.match(page, /name="alert-saved-version" value="on" checked/);
    const t = new URL(`https://x${manage}`).searchParams.get('t')!;
    // From another site: refused.
    const forged = await w.app.request('/manage', {
      method: 'POST', body: new URLSearchParams({ t, action: 'alerts' }), headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'cross-site' },
    });
    assert.equal(forged.status, 403);
    assert.deepEqual(await w.store.alertSettings(alice), { 'followed-author': true, 'saved-version': true });
    const saved = await formPost(w.app, '/manage', { t, action: 'alerts', 'alert-followed-author': 'on' });
    assert.equal(saved.status, 303);
    assert.deepEqual(await w.store.alertSettings(alice), { 'followed-author': true, 'saved-version': false });
    assert.match(await (await w.app.request(saved.headers.get('location')!)).text(), /Your alert choices are saved/);
    // A new version now brings no email; a new paper of hers still does.
    w.set('2026-06-30T08:00:00Z');
    const before = (await alertsTo('alice@example.org')).length;
    await w.store.ingest({ papers: [
      paper('2606.50002', '2026-06-29', ['Alan Turing'], ['2026-06-28T11:00:00Z', '2026-06-30T01:00:00Z', '2026-06-30T05:50:00Z', '2026-06-30T07:30:00Z'], 'Saved paper'),
      paper('2606.50005', '2026-06-30', ['Grace Hopper', 'Ada Byron'], ['2026-06-30T07:40:00Z'], 'Still followed'),
    ] });
    await round();
    const mails = await alertsTo('alice@example.org');
    assert.equal(mails.length, before + 1);
    assert.deepEqual(listed(mails.at(-1)!), ['2606.50005 — By Grace Hopper, whom you follow']);
  });

  test('the email’s one-click link turns alerts off (a GET changes nothing), and the digest goes on', async () => {
    const mail = (await alertsTo('alice@example.org')).at(-1)!;
    const url = /<(https:\/\/[^>]+)>/.exec(header(mail, 'list-unsubscribe'))![1]!;
    const look = await w.app.request(local(url));
    assert.equal(look.status, 200);
    assert.match(await look.text(), /Turn off alert emails\?/);
    assert.equal((await w.store.alertSettings(alice))['followed-author'], true, 'a GET (a mail scanner) records nothing');
    // What a mail program sends for RFC 8058: a POST with no cookie and no CSRF token.
    const res = await w.app.request(local(url), { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Alert emails are off/);
    assert.deepEqual(await w.store.alertSettings(alice), { 'followed-author': false, 'saved-version': false });
    assert.equal((await w.store.getSubscriber(alice))!.status, 'active', 'still subscribed to the digest');
    // The alerts-off link cannot turn alerts on, and a forged one is refused.
    const t = new URL(url).searchParams.get('t')!;
    assert.equal((await w.subscriptions.setAlerts('alerts-off', t, { 'followed-author': true })).ok, false);
    assert.equal((await w.app.request(`/unsubscribe/alerts?t=${t.slice(0, -2)}xx`, { method: 'POST' })).status, 400);
    w.set('2026-06-30T09:00:00Z');
    const before = (await alertsTo('alice@example.org')).length;
    await w.store.ingest({ papers: [paper('2606.50006', '2026-06-30', ['Grace Hopper', 'Ada Byron'], ['2026-06-30T08:40:00Z'], 'Not mailed')] });
    await round();
    assert.equal((await alertsTo('alice@example.org')).length, before);
  });
});
