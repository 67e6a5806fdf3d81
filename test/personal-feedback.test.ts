// Feedback from the digest itself, over real parts: a real SMTP server on loopback,
// messages parsed with mailparser, the web app and SQLite. A subscriber clicks "more
// like this" and "less like this" in a received digest; opening a link records nothing,
// the button does, once; forged, altered, expired and cross-subscriber links are
// refused; the next digest is measurably different from an identical subscriber's who
// gave no feedback, and says why.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { digestWorld, formPost, local, type World } from './support/digest-world.js';
import { digestFor, entries, fields, subscribe } from './support/personal.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

let smtp: TestSmtp;
before(async () => {
  smtp = await startSmtp();
});
after(() => smtp.close());

describe('feedback links in the digest', () => {
  let w: World;
  let alice: number;
  let bob: number;
  before(async () => {
    w = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-29T05:00:00Z') });
    alice = await subscribe(w, smtp, 'alice@example.org');
    bob = await subscribe(w, smtp, 'bob@example.org');
    w.set('2026-06-29T07:00:10Z');
    assert.equal((await w.digest.round()).delivery?.sent, 2);
  });
  after(() => w.close());

  test('every paper carries signed more / less / save links, in both parts; no tracking redirects', async () => {
    const m = await digestFor(smtp, 'alice@example.org');
    const list = entries(m);
    assert.ok(list.length >= 3, m.text);
    for (const e of list) {
      for (const [a, url] of [['more', e.more], ['less', e.less], ['save', e.save]] as const) {
        const q = fields(url);
        assert.equal(q.a, a);
        assert.equal(q.p, e.id);
        assert.ok((m.html as string).includes(url.replaceAll('&', '&amp;')), 'the HTML part has the same link');
      }
    }
    // Paper links go straight to their pages, not through a redirector.
    assert.ok(!/href="[^"]*(redirect|click|track)/i.test(m.html as string));
  });

  test('opening a link records nothing; its button records once; undo takes it back', async () => {
    const [first, second] = entries(await digestFor(smtp, 'alice@example.org')).filter((e) => e.title.startsWith('Scalable'));
    const page = await w.app.request(local(first!.more));
    assert.equal(page.status, 200);
    const body = await page.text();
    assert.match(body, /<form method="post" action="\/feedback">/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.equal((await w.store.personalProfiles([alice])).has(alice), false, 'a GET records nothing');

    const done = await formPost(w.app, '/feedback', fields(first!.more));
    assert.equal(done.status, 200);
    const text = await done.text();
    assert.match(text, /What changes/);
    assert.match(text, /rank higher/);
    assert.match(done.headers.get('set-cookie') ?? '', /pb_reader=.*HttpOnly/i);
    assert.deepEqual((await w.store.personalProfiles([alice])).get(alice)!.feedback.map((f) => [f.paperId, f.kind]), [[first!.id, 'more']]);

    const again = await formPost(w.app, '/feedback', fields(first!.more));
    assert.equal(again.status, 410, 'a link records once');

    assert.equal((await formPost(w.app, '/feedback', fields(second!.less))).status, 200);
    assert.equal((await formPost(w.app, '/feedback', fields(second!.save))).status, 200);
    const undo = await formPost(w.app, '/feedback', { ...fields(second!.save), undo: '1' });
    assert.match(await undo.text(), /Undone/);
    const p = (await w.store.personalProfiles([alice])).get(alice)!;
    assert.deepEqual(p.feedback.map((f) => [f.paperId, f.kind]).sort(), [[first!.id, 'more'], [second!.id, 'less']].sort());
    assert.deepEqual(p.library, [], 'the save was undone');
  });

  test('forged, altered, expired and cross-subscriber links are refused and record nothing', async () => {
    const [e] = entries(await digestFor(smtp, 'bob@example.org'));
    const q = fields(e!.more);
    const t = q.t!;
    const [id, exp, nonce, mac] = t.split('.');
    const other = entries(await digestFor(smtp, 'bob@example.org'))[1]!.id;
    const aliceId = alice.toString(36);
    const cases: [string, Record<string, string>, number][] = [
      ['altered MAC', { ...q, t: `${id}.${exp}.${nonce}.${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'B' : 'A'}` }, 400],
      ['another subscriber', { ...q, t: `${aliceId}.${exp}.${nonce}.${mac}` }, 400],
      ['another paper', { ...q, p: other }, 400],
      ['another action', { ...q, a: 'save' }, 400],
      ['a later expiry', { ...q, t: `${id}.${(Number.parseInt(exp!, 36) + 86_400).toString(36)}.${nonce}.${mac}` }, 400],
      ['no token', { a: q.a!, p: q.p! }, 400],
    ];
    const sign = await w.links.feedbackSigner();
    cases.push(['expired', fields(sign(bob, e!.id, 'more', '2025-01-01', new Date('2025-01-01T07:00:00Z'))), 410]);
    for (const [what, form, status] of cases) {
      assert.equal((await w.app.request(`/feedback?${new URLSearchParams(form)}`)).status, status, `GET, ${what}`);
      assert.equal((await formPost(w.app, '/feedback', form)).status, status, `POST, ${what}`);
    }
    assert.equal((await w.store.personalProfiles([bob])).has(bob), false);
  });

  test('the next digest follows the feedback, saying why; an identical subscriber without feedback gets the usual one', async () => {
    const liked = (await w.store.personalProfiles([alice])).get(alice)!.feedback.find((f) => f.kind === 'more')!;
    const likedPaper = (await w.store.getPaper(liked.paperId))!;
    const topic = /Scalable (.+) study/.exec(likedPaper.title)![1]!;
    w.set('2026-06-30T07:00:10Z');
    assert.equal((await w.digest.round()).delivery?.sent, 2);
    const mine = entries(await digestFor(smtp, 'alice@example.org'));
    const usual = entries(await digestFor(smtp, 'bob@example.org'));
    const onTopic = (list: typeof mine) => list.slice(0, 5).filter((e) => e.title.includes(topic)).length;
    assert.ok(onTopic(mine) >= 4, `liked topic “${topic}” leads Alice's digest: ${mine.map((e) => e.title).join(' | ')}`);
    assert.ok(onTopic(usual) <= 2, `Bob's digest is the trending one: ${usual.map((e) => e.title).join(' | ')}`);
    const reasoned = mine.find((e) => e.title.includes(topic))!;
    assert.match(reasoned.why, new RegExp(`^Like “Scalable ${topic} study number \\d+”, which you liked`));
    const disliked = (await w.store.personalProfiles([alice])).get(alice)!.feedback.find((f) => f.kind === 'less')!;
    const dislikedTopic = /Scalable (.+) study/.exec((await w.store.getPaper(disliked.paperId))!.title)![1]!;
    assert.ok(mine.slice(0, 5).every((e) => !e.title.includes(dislikedTopic)), 'nothing like the disliked paper near the top');
  });
});
