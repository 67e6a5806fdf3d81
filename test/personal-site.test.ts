// The personal parts of the website over real parts (SQLite file, web app, a real SMTP
// server for the emails whose links open them): citations and meta tags on paper pages
// and in the API; a subscriber recognised from their manage link giving feedback and
// following an author; library import (line-numbered errors, all or nothing), export
// round trip, a first digest already personal from an import; never-show rules; the data
// download; erasure that leaves nothing in the database file.

import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { digestWorld, formPost, type World } from './support/digest-world.js';
import { digestFor, entries, recognise, subscribe } from './support/personal.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

let smtp: TestSmtp;
before(async () => {
  smtp = await startSmtp();
});
after(() => smtp.close());

function multipart(fields: Record<string, string>, file?: { name: string; text: string }): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  if (file) f.set('file', new File([file.text], file.name, { type: 'text/plain' }));
  return f;
}

describe('personal pages', () => {
  let w: World;
  let alice: number;
  before(async () => {
    w = await digestWorld({ smtpUrl: smtp.url, now: new Date('2026-06-29T05:00:00Z') });
    alice = await subscribe(w, smtp, 'alice@example.org');
  });
  after(() => w.close());

  test('paper pages carry citation_* meta tags and citation files; the API gives them too', async () => {
    const page = await (await w.app.request('/papers/2606.90001')).text();
    assert.match(page, /<meta name="citation_title" content="Bounds on \$O\(n \\log n\)\$ sorting with \$\\alpha\$-approximations">/);
    assert.match(page, /<meta name="citation_author" content="Hopper, Grace">/);
    assert.match(page, /<meta name="citation_arxiv_id" content="2606.90001">/);
    assert.match(page, /<meta name="citation_pdf_url" content="https:\/\/arxiv.org\/pdf\/2606.90001/);
    assert.match(page, /<meta name="citation_date" content="2026\/06\/28">/);
    assert.match(page, /<meta name="citation_doi" content="10.1000\/xyz123">/);
    const hostile = await (await w.app.request('/papers/2606.99999')).text();
    const head = hostile.slice(0, hostile.indexOf('</head>'));
    assert.ok(!head.includes('<script>alert') && !head.includes('<b onmouseover'), 'meta values are escaped');

    const bib = await w.app.request('/papers/2606.90001.bib');
    assert.equal(bib.status, 200);
    assert.match(bib.headers.get('content-type') ?? '', /application\/x-bibtex/);
    assert.match(await bib.text(), /^@misc\{hopper2026boundslogn,\n {6}title=\{Bounds on/);
    assert.match(await (await w.app.request('/papers/2606.90001.ris')).text(), /^TY {2}- UNPB\r\nTI {2}- Bounds/);
    const csl = JSON.parse(await (await w.app.request('/papers/2606.90001.csl.json')).text());
    assert.equal(csl[0].DOI, '10.1000/xyz123');
    const api = await w.app.request('/api/papers/2606.90001/cite?format=ris');
    assert.equal(api.status, 200);
    assert.match(await api.text(), /DO {2}- 10.1000\/xyz123/);
    assert.equal((await w.app.request('/api/papers/2606.90001/cite?format=docx')).status, 400);
    assert.equal((await w.app.request('/api/papers/2606.88888/cite')).status, 404);
  });

  test('a subscriber recognised from their manage link likes, saves and follows from paper pages', async () => {
    const anonymous = await w.app.request('/papers/2606.00005');
    assert.ok(!(await anonymous.text()).includes('For your digest'), 'strangers see no personal buttons');
    assert.equal((await formPost(w.app, '/personal/paper', { p: '2606.00005', a: 'more' })).status, 403, 'no cookie, no feedback');

    const { cookie } = await recognise(w, 'alice@example.org');
    const page = await w.app.request('/papers/2606.00005', { headers: { cookie } });
    assert.match(await page.text(), /For your digest/);
    assert.match(page.headers.get('cache-control') ?? '', /no-store/);
    // Another site cannot post for her.
    const forged = await w.app.request('/personal/paper', {
      method: 'POST', body: new URLSearchParams({ p: '2606.00005', a: 'more' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', cookie, 'Sec-Fetch-Site': 'cross-site' },
    });
    assert.equal(forged.status, 403);
    assert.equal((await w.store.personalProfiles([alice])).has(alice), false);

    assert.equal((await formPost(w.app, '/personal/paper', { p: '2606.00005', a: 'more', back: '/papers/2606.00005' }, { cookie })).status, 303);
    assert.equal((await formPost(w.app, '/personal/paper', { p: '2606.00010', a: 'save' }, { cookie })).status, 303);
    assert.equal((await formPost(w.app, '/personal/rules', { kind: 'follow-author', value: 'Grace Hopper', op: 'add' }, { cookie })).status, 303);
    let p = (await w.store.personalProfiles([alice])).get(alice)!;
    assert.deepEqual(p.feedback.map((f) => [f.paperId, f.kind]), [['2606.00005', 'more']]);
    assert.deepEqual(p.library.map((i) => i.key), ['arxiv:2606.00010']);
    assert.deepEqual(p.rules.map((r) => [r.kind, r.value]), [['follow-author', 'Grace Hopper']]);
    // The page now shows the state, and undo works.
    assert.match(await (await w.app.request('/papers/2606.00005', { headers: { cookie } })).text(), /Liked: undo/);
    await formPost(w.app, '/personal/paper', { p: '2606.00005', undo: 'more' }, { cookie });
    p = (await w.store.personalProfiles([alice])).get(alice)!;
    assert.deepEqual(p.feedback, []);
  });

  test('a library import with errors names their lines and imports nothing; a good one imports all; export round-trips', async () => {
    const { cookie } = await recognise(w, 'alice@example.org');
    const before = (await w.store.personalProfiles([alice])).get(alice)!.library.length;
    const bad = `@misc{one, title={Scalable robot grasping study number 4}, eprint={2606.00004}, archivePrefix={arXiv}}\n@misc{two,\n  title = {No equals sign}\n  year 2020\n}\n`;
    const res = await w.app.request('/library/import', { method: 'POST', body: multipart({}, { name: 'mine.bib', text: bad }), headers: { cookie, 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /Nothing was imported/);
    assert.match(html, /Line 4: expected “,” or “}” after the field “title”/);
    assert.equal((await w.store.personalProfiles([alice])).get(alice)!.library.length, before, 'all or nothing');

    const good = `TY  - UNPB\r\nTI  - Scalable robot grasping study number 4\r\nAU  - Lovelace, Ada\r\nM1  - arXiv:2606.00004\r\nER  - \r\n\r\nTY  - JOUR\r\nTI  - Literate Programming\r\nAU  - Knuth, Donald\r\nPY  - 1984\r\nDO  - 10.1093/comjnl/27.2.97\r\nER  - \r\n`;
    const ok = await w.app.request('/library/import', { method: 'POST', body: multipart({ text: good }), headers: { cookie, 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(ok.status, 303);
    assert.match(await (await w.app.request(ok.headers.get('location')!, { headers: { cookie } })).text(), /Imported 2 entries/);
    const keys = (await w.store.personalProfiles([alice])).get(alice)!.library.map((i) => i.key).sort();
    assert.deepEqual(keys, ['arxiv:2606.00004', 'arxiv:2606.00010', 'doi:10.1093/comjnl/27.2.97']);

    // Exported as BibTeX, imported by someone else: the same library.
    const exported = await (await w.app.request('/library/export.bib', { headers: { cookie } })).text();
    assert.match(exported, /@misc\{lovelace2026scalablerobotgrasping,/);
    const bob = await subscribe(w, smtp, 'bob@example.org');
    const bobCookie = (await recognise(w, 'bob@example.org')).cookie;
    const again = await w.app.request('/library/import', { method: 'POST', body: multipart({}, { name: 'lib.bib', text: exported }), headers: { cookie: bobCookie, 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(again.status, 303);
    assert.deepEqual((await w.store.personalProfiles([bob])).get(bob)!.library.map((i) => i.key).sort(), keys);
  });

  test('a library file larger than a form (a reference manager’s whole export) imports', async () => {
    const frank = await subscribe(w, smtp, 'frank@example.org');
    const cookie = (await recognise(w, 'frank@example.org')).cookie;
    const bib = Array.from({ length: 1500 }, (_, i) => `@article{work${i},\n  title = {A study of things, part ${i}},\n  author = {Doe, Jane and Roe, Richard},\n  journal = {Journal of Things},\n  year = {2020},\n  doi = {10.5555/things.${i}},\n}\n`).join('\n');
    assert.ok(bib.length > 2 * w.config.server.maxBodyBytes, `${bib.length} bytes`);
    const res = await w.app.request('/library/import', { method: 'POST', body: multipart({}, { name: 'zotero.bib', text: bib }), headers: { cookie, 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(res.status, 303);
    assert.equal((await w.store.personalProfiles([frank])).get(frank)!.library.length, 1500);
    // Other forms keep the small limit.
    const big = await formPost(w.app, '/personal/rules', { kind: 'hide-word', value: 'x', op: 'add', pad: 'y'.repeat(w.config.server.maxBodyBytes) }, { cookie });
    assert.equal(big.status, 413);
  });

  test('an imported library makes the first digest personal; never-show rules are honoured; followed authors come first', async () => {
    // Carol imports one paper before her first digest; Dan asks for nothing at all.
    const carol = await subscribe(w, smtp, 'carol@example.org');
    await subscribe(w, smtp, 'dan@example.org');
    const cookie = (await recognise(w, 'carol@example.org')).cookie;
    const lib = JSON.stringify([{ id: 'x', type: 'article', title: 'Scalable robot grasping study number 4', number: 'arXiv:2606.00004' }]);
    assert.equal((await w.app.request('/library/import', { method: 'POST', body: multipart({ text: lib }), headers: { cookie, 'Sec-Fetch-Site': 'same-origin' } })).status, 303);
    for (const [kind, value] of [['hide-word', 'diffusion'], ['hide-category', 'cs.CR'], ['follow-author', 'Grace Hopper']]) {
      await formPost(w.app, '/personal/rules', { kind: kind!, value: value!, op: 'add' }, { cookie });
    }
    assert.ok((await w.store.personalProfiles([carol])).get(carol)!.rules.length === 3);
    w.set('2026-06-30T07:00:10Z');
    await w.digest.round();
    const mine = entries(await digestFor(smtp, 'carol@example.org'));
    const usual = entries(await digestFor(smtp, 'dan@example.org'));
    assert.equal(mine[0]!.title, 'Bounds on O(n log n) sorting with α-approximations');
    assert.equal(mine[0]!.why, 'By Grace Hopper, whom you follow');
    assert.ok(mine.slice(1, 5).every((e) => e.title.includes('robot grasping')), mine.map((e) => e.title).join(' | '));
    assert.match(mine[1]!.why, /^Like “Scalable robot grasping study number 4”, which you saved/);
    assert.ok(usual.slice(1, 5).filter((e) => e.title.includes('robot grasping')).length <= 1, usual.map((e) => e.title).join(' | '));
    assert.ok(usual.some((e) => /diffusion/.test(e.title)), 'the control digest has diffusion papers…');
    assert.ok(!mine.some((e) => /diffusion/i.test(e.title)), '…Carol’s has none');
    assert.ok(!mine.some((e) => e.id === '2606.99999'), 'nor the cs.CR paper');
  });

  test('a new version of a saved paper leads the next digest, saying so', async () => {
    const erin = await subscribe(w, smtp, 'erin@example.org');
    const saved = { id: '2606.90001', type: 'article', title: 'Bounds on sorting', number: 'arXiv:2606.90001', version: '1' };
    await w.store.changePersonal(erin, { library: { add: [{ key: 'arxiv:2606.90001', paperId: '2606.90001', item: saved, source: 'save' }] } }, '2026-06-28T12:00:00.000Z');
    w.set('2026-07-01T07:00:10Z');
    await w.digest.round();
    const [first] = entries(await digestFor(smtp, 'erin@example.org'));
    assert.equal(first!.id, '2606.90001');
    assert.equal(first!.why, 'New version (v2) of a paper you saved');
  });

  test('everything held can be downloaded, and erasing it leaves nothing in the database file', async () => {
    const email = 'alice@example.org';
    const s = (await w.store.findSubscriber(email))!;
    const { cookie, manage } = await recognise(w, email);
    const managePage = await (await w.app.request(manage, { headers: { cookie } })).text();
    assert.match(managePage, /Download everything/);
    const token = new URL(manage, 'http://x').searchParams.get('t')!;
    const data = JSON.parse(await (await w.app.request(`/manage/data.json?t=${token}`)).text());
    assert.equal(data.subscriber.email, email);
    assert.deepEqual([data.library.length, data.rules.length, data.digests.length], [3, 1, 2]);
    assert.equal(data.subscriber.confirmNonce, undefined);

    assert.equal((await formPost(w.app, '/manage/erase', { t: token })).status, 400, 'the box must be ticked');
    const erased = await formPost(w.app, '/manage/erase', { t: token, sure: 'yes' }, { cookie });
    assert.equal(erased.status, 200);
    assert.match(erased.headers.get('set-cookie') ?? '', /pb_reader=;/);
    const db = w.store.db;
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%subscriber_id%'`).pluck().all() as string[];
    assert.ok(tables.includes('personal_library') && tables.includes('digest_outbox'));
    for (const t of tables) assert.equal(db.prepare(`SELECT count(*) FROM ${t} WHERE subscriber_id = ?`).pluck().get(s.id), 0, t);
    assert.equal(db.prepare('SELECT count(*) FROM subscribers WHERE id = ? OR email = ?').pluck().get(s.id, email), 0);
    // Not even in free pages or the write-ahead log.
    db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of [w.config.database, `${w.config.database}-wal`]) {
      if (existsSync(f)) assert.ok(!readFileSync(f).includes(Buffer.from(email)), `${f} still holds the address`);
    }
    assert.equal((await w.app.request(manage)).status, 404, 'the old link finds nobody');
  });
});
