// A subscriber's topics as feeds: listed on the settings page and exported as OPML, each
// a feed a real parser reads; the OPML needs the signed settings link like the page.

import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import FeedParser from 'feedparser';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { digestWorld } from './support/digest-world.js';

const world = await digestWorld({ now: new Date('2026-06-30T12:00:00Z') });
after(() => world.close());
await world.subscriptions.add('reader@example.org', { topics: ['graph neural networks', '<b>bold</b> & "quoted"'], categories: ['cs.LG'], topicMode: 'only', sendHour: 7, timeZone: 'UTC', frequency: 'daily', weekday: 1 }, { confirmed: true, consent: 'operator-add' });
const manage = new URL(await world.links.manageUrl((await world.store.findSubscriber('reader@example.org'))!, new Date('2026-06-30T12:00:00Z')));
const token = manage.searchParams.get('t')!;

test('the settings page lists each topic\'s feeds and links the OPML export', async () => {
  const page = await (await world.app.request(manage.pathname + manage.search)).text();
  assert.match(page, /<h2 id="feeds-title">Your topics as feeds<\/h2>/);
  assert.match(page, /“graph neural networks”: <a href="\/feed.xml\?q=graph\+neural\+networks">RSS<\/a>/);
  assert.match(page, /cs.LG: <a href="\/feed.xml\?cat=cs.LG">RSS<\/a>/);
  assert.ok(!page.includes('<b>bold</b>'), 'topics are escaped');
  assert.match(page, new RegExp(`href="/manage/topics.opml\\?t=${encodeURIComponent(token).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
});

test('OPML 2.0 with one feed per topic and category, each readable by a feed parser', async () => {
  const res = await world.app.request(`https://papers.example.org/manage/topics.opml?t=${encodeURIComponent(token)}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/x-opml; charset=utf-8');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const text = await res.text();
  assert.equal(XMLValidator.validate(text), true);
  const opml = new XMLParser({ ignoreAttributes: false }).parse(text) as { opml: { '@_version': string; body: { outline: Record<string, string>[] } } };
  assert.equal(opml.opml['@_version'], '2.0');
  const outlines = opml.opml.body.outline;
  assert.deepEqual(outlines.map((o) => o['@_xmlUrl']), [
    'https://papers.example.org/feed.xml?q=graph+neural+networks',
    'https://papers.example.org/feed.xml?q=%3Cb%3Ebold%3C%2Fb%3E+%26+%22quoted%22',
    'https://papers.example.org/feed.xml?cat=cs.LG',
  ]);
  for (const o of outlines) {
    const feed = await world.app.request(o['@_xmlUrl']!);
    assert.equal(feed.status, 200);
    const items: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      const parser = new FeedParser({});
      parser.on('error', reject).on('readable', () => { while (parser.read()) items.push(1); }).on('end', () => resolve());
      void feed.text().then((t) => Readable.from([t]).pipe(parser));
    });
  }
  assert.equal((await world.app.request('/manage/topics.opml?t=forged')).status, 400);
});
