// RSS 2.0 and Atom feeds over a real SQLite store, read back with a real feed parser
// (feedparser, strict XML): items, hostile text round-tripping exactly, dates in each
// format's syntax, self links, 50 items at most, searches and category filters.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import FeedParser from 'feedparser';
import { XMLValidator } from 'fast-xml-parser';
import { texToText } from '../src/digest/render/tex.js';
import { silentLogger } from '../src/logger.js';
import { emptyRecord, type PaperRecord } from '../src/papers/paper.js';
import { createSearchEngine } from '../src/search/search.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createApp } from '../src/web/app.js';

const TITLE = `Bounds for $x<y$ & <script>alert(1)</script> "quoted" 'single' ]]> \\alpha`;
const ABSTRACT = `We show <img src=x onerror=alert(1)> that $a<b$ & c > d, "quoted".`;
const fillers: PaperRecord[] = Array.from({ length: 60 }, (_, i) => ({
  ...emptyRecord(`2401.${String(i + 1).padStart(5, '0')}`, `Combinatorics note ${i + 1}`, 'Counting things.'),
  categories: ['math.CO'], announcedAt: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
}));

const store = openSqliteStore(path.join(mkdtempSync(path.join(tmpdir(), 'paperboy-feeds-')), 'feeds.db'));
await store.migrate();
await store.ingest({ papers: [
  { ...emptyRecord('2503.11731', `${TITLE}\u0001`, ABSTRACT), authors: [{ name: 'Eve "<b>" Hacker' }, { name: 'Bob & Alice' }],
    categories: ['cs.LG', 'stat.ML'], announcedAt: '2025-03-18', submittedAt: '2025-03-17T12:00:00Z',
    versions: [{ version: 1, submittedAt: '2025-03-17T12:00:00Z' }, { version: 2, submittedAt: '2025-04-02T09:30:00Z' }] },
  { ...emptyRecord('2503.20001', 'Graph transformers at scale', 'Graphs, again.'), authors: [{ name: 'Ada Lovelace' }], categories: ['cs.CL'], announcedAt: '2025-03-25' },
  { ...emptyRecord('2503.11800', 'Graph neural networks for molecules', 'Graphs and molecules.'), categories: ['cs.LG'], announcedAt: '2025-03-18' },
  { ...emptyRecord('hep-th/9901001', 'Old strings', 'An old-style id.'), categories: ['hep-th'] },
  ...fillers,
] });
const app = createApp({ store, search: createSearchEngine(store), logger: silentLogger, http: { rateLimit: { perMinute: 0, postsPerMinute: 0 } } });

interface Parsed { meta: FeedParser.Meta; items: FeedParser.Item[]; raw: FeedParser.Item[]; xml: string }

async function feed(url: string, type: 'rss' | 'atom'): Promise<Parsed> {
  const res = await app.request(`http://papers.example${url}`);
  const xml = await res.text();
  assert.equal(res.status, 200, `${url}: ${xml.slice(0, 300)}`);
  assert.equal(res.headers.get('content-type'), type === 'rss' ? 'application/rss+xml; charset=utf-8' : 'application/atom+xml; charset=utf-8');
  assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  const [normal, plain] = await Promise.all([parse(xml, true), parse(xml, false)]);
  return { meta: normal.meta, items: normal.items, raw: plain.items, xml };
}

/**
 * Normalised, feedparser also rewrites text the way a reader would (tags stripped from
 * titles, relative URLs resolved even in plain text); not normalised, it gives each
 * element's text as the XML parser decoded it, to compare with what was stored.
 */
function parse(xml: string, normalize: boolean): Promise<{ meta: FeedParser.Meta; items: FeedParser.Item[] }> {
  return new Promise((resolve, reject) => {
    const parser = new FeedParser({ normalize });
    const items: FeedParser.Item[] = [];
    parser.on('error', reject);
    parser.on('readable', () => { for (let it = parser.read(); it; it = parser.read()) items.push(it); });
    parser.on('end', () => resolve({ meta: parser.meta as FeedParser.Meta, items }));
    Readable.from([xml]).pipe(parser);
  });
}

const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
// feedparser strips tags from titles; the element's decoded text is kept under its qualified name.
// Titles carry LaTeX as readable text ($x<y$ → x<y, \\alpha → α): no raw $…$ in a reader.
const TITLE_TEXT = texToText(TITLE);
const STRIPPED = TITLE_TEXT.replace('<script>', '').replace('</script>', '');
const raw = (node: object, name: string) => (node as Record<string, { '#': string }>)[name]!['#'];
const tags = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]!);

test('RSS: the 50 newest papers, every field escaped, RFC 822 dates, arXiv guids', async () => {
  const { meta, items, raw: plain, xml } = await feed('/feed.xml', 'rss');
  assert.equal(meta['#type'], 'rss');
  assert.equal(meta.title, 'Paperboy: newest papers');
  assert.equal(meta.xmlurl, 'http://papers.example/feed.xml');
  assert.equal(meta.link, 'http://papers.example/');
  assert.equal(items.length, 50);
  assert.deepEqual(items.slice(0, 3).map((i) => i.guid), ['https://arxiv.org/abs/2503.20001', 'https://arxiv.org/abs/2503.11800', 'https://arxiv.org/abs/2503.11731']);
  const hostile = items[2]!;
  assert.equal(raw(plain[2]!, 'rss:title'), TITLE_TEXT, 'the control character is dropped, everything else round-trips');
  assert.doesNotMatch(TITLE_TEXT, /\$|\\alpha/);
  assert.equal(hostile.title, STRIPPED, 'a reader that strips markup from titles finds only text');
  // Descriptions are HTML: the abstract arrives HTML-escaped, so a reader shows it as text.
  assert.equal(hostile.description, ABSTRACT.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;'));
  assert.equal(hostile.link, 'http://papers.example/papers/2503.11731');
  assert.equal(hostile.author, 'Eve "<b>" Hacker, Bob & Alice');
  assert.deepEqual(hostile.categories, ['cs.LG', 'stat.ML']);
  assert.equal(hostile.pubdate?.toISOString(), '2025-03-18T00:00:00.000Z');
  for (const raw of [...tags(xml, 'pubDate'), ...tags(xml, 'lastBuildDate')]) assert.match(raw, RFC822);
  assert.ok(!xml.includes('<script>') && !xml.includes('<img') && !xml.includes('<b>'));
});

test('Atom: text constructs round-trip exactly, RFC 3339 dates, ids are arXiv abs URLs', async () => {
  const { meta, items, raw: plain, xml } = await feed('/feed.atom', 'atom');
  assert.equal(meta['#type'], 'atom');
  assert.equal(meta.xmlurl, 'http://papers.example/feed.atom');
  assert.equal(items.length, 50);
  const at = items.findIndex((i) => i.guid === 'https://arxiv.org/abs/2503.11731');
  const hostile = items[at]!;
  assert.equal(raw(plain[at]!, 'atom:title'), TITLE_TEXT);
  assert.equal(hostile.title, STRIPPED);
  assert.equal(raw(plain[at]!, 'atom:summary'), ABSTRACT, 'type="text": one level of escaping, undone by the XML parser');
  assert.equal(hostile.link, 'http://papers.example/papers/2503.11731');
  assert.equal(hostile.pubdate?.toISOString(), '2025-03-18T00:00:00.000Z');
  assert.equal(hostile.date?.toISOString(), '2025-04-02T09:30:00.000Z', 'updated: the latest version');
  assert.match(xml, /<author><name>Eve &quot;&lt;b&gt;&quot; Hacker<\/name><\/author>/);
  for (const raw of [...tags(xml, 'updated'), ...tags(xml, 'published')]) assert.match(raw, RFC3339);
  assert.equal(tags(xml, 'updated')[0], '2025-04-02T09:30:00Z', 'the feed is as new as its newest entry');
  assert.ok(!xml.includes('<script>') && !xml.includes('<img'));
});

test('feeds for a search and a category, with their own self and site links', async () => {
  const graph = await feed('/feed.xml?q=graph', 'rss');
  assert.deepEqual(graph.items.map((i) => i.guid), ['https://arxiv.org/abs/2503.20001', 'https://arxiv.org/abs/2503.11800']);
  assert.equal(graph.meta.xmlurl, 'http://papers.example/feed.xml?q=graph');
  const both = await feed('/feed.atom?q=graph&cat=cs.LG', 'atom');
  assert.deepEqual(both.items.map((i) => i.guid), ['https://arxiv.org/abs/2503.11800']);
  assert.equal(both.meta.xmlurl, 'http://papers.example/feed.atom?q=graph&cat=cs.LG');
  assert.equal(both.meta.title, 'Paperboy: newest papers matching “graph” in cs.LG');
  const cat = await feed('/feed.xml?cat=hep-th', 'rss');
  assert.deepEqual(cat.items.map((i) => i.guid), ['https://arxiv.org/abs/hep-th/9901001']);
  assert.equal(cat.items[0]!.pubdate, null, 'no date known, no pubDate invented');
  assert.equal(cat.meta.link, 'http://papers.example/c/hep-th');
  const hostileQuery = `"><script>alert(2)</script>`;
  const none = await feed(`/feed.atom?q=${encodeURIComponent(hostileQuery)}`, 'atom');
  assert.equal(none.items.length, 0);
  assert.ok(!none.xml.includes('<script>'));
  assert.equal(raw(none.meta, 'atom:title'), `Paperboy: newest papers matching “${hostileQuery}”`);
});

test('malformed feed parameters are refused', async () => {
  assert.equal((await app.request('/feed.xml?cat=%3Cscript%3E')).status, 400);
  assert.equal((await app.request(`/feed.atom?q=${'x'.repeat(3000)}`)).status, 413);
});

test('JSON Feed 1.1 beside RSS and Atom: the same entries, the fields the spec requires', async () => {
  const res = await app.request('http://papers.example/feed.json?q=graph');
  assert.equal(res.headers.get('content-type'), 'application/feed+json; charset=utf-8');
  const body = await res.json() as { version: string; title: string; feed_url: string; home_page_url: string; items: { id: string; url: string; title: string; content_text: string; date_published?: string; authors?: { name: string }[]; attachments: { url: string; mime_type: string }[] }[] };
  assert.equal(body.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(body.feed_url, 'http://papers.example/feed.json?q=graph');
  assert.deepEqual(body.items.map((i) => i.id), ['https://arxiv.org/abs/2503.20001', 'https://arxiv.org/abs/2503.11800']);
  for (const item of body.items) {
    assert.equal(typeof item.id, 'string');
    assert.ok(item.content_text, 'every item has content');
    assert.match(item.date_published ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'RFC 3339');
    assert.equal(item.attachments[0]!.mime_type, 'application/pdf');
  }
  const hostile = (await (await app.request('http://papers.example/feed.json')).json() as typeof body).items.find((i) => i.id.endsWith('2503.11731'))!;
  assert.equal(hostile.title, TITLE_TEXT);
  assert.equal(hostile.content_text, ABSTRACT);
  assert.deepEqual(hostile.authors, [{ name: 'Eve "<b>" Hacker' }, { name: 'Bob & Alice' }]);
});

test('feeds of an author, of a category and of the trending papers of the day and week, read by a real parser', async () => {
  const author = await feed('/feed.atom?author=Ada%20Lovelace', 'atom');
  assert.deepEqual(author.items.map((i) => i.guid), ['https://arxiv.org/abs/2503.20001']);
  assert.equal(author.meta.title, 'Paperboy: newest papers by Ada Lovelace');
  assert.equal(author.meta.link, 'http://papers.example/authors/Ada%20Lovelace');
  const day = await feed('/feed.xml?trending=day', 'rss');
  assert.equal(day.meta.title, 'Paperboy: trending papers of the day');
  assert.deepEqual(day.items.map((i) => i.guid), ['https://arxiv.org/abs/2503.20001'], 'the latest day\'s papers');
  const week = await feed('/feed.atom?trending=week', 'atom');
  assert.deepEqual(week.items.map((i) => i.guid).sort(), ['https://arxiv.org/abs/2503.20001']);
  const cs = await feed('/feed.xml?trending=week&cat=cs.LG', 'rss');
  assert.deepEqual(cs.items.map((i) => i.guid).sort(), ['https://arxiv.org/abs/2503.11731', 'https://arxiv.org/abs/2503.11800'], 'the category\'s latest week');
  assert.equal((await app.request('/feed.xml?trending=month')).status, 400);
});

test('every page names its own feeds in <link rel="alternate">', async () => {
  const alternates = async (url: string) => {
    const page = await (await app.request(url)).text();
    return [...page.matchAll(/<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">/g)].map((m) => `${m[1]} ${m[2]!.replaceAll('&amp;', '&')}`);
  };
  assert.deepEqual(await alternates('/c/cs.LG?sort=newest'), ['application/rss+xml /feed.xml?cat=cs.LG', 'application/atom+xml /feed.atom?cat=cs.LG', 'application/feed+json /feed.json?cat=cs.LG']);
  assert.ok((await alternates('/authors/Ada%20Lovelace')).includes('application/rss+xml /feed.xml?author=Ada+Lovelace'));
  assert.ok((await alternates('/papers?q=graph')).includes('application/atom+xml /feed.atom?q=graph'));
  assert.ok((await alternates('/?date=2025-03-18')).includes('application/feed+json /feed.json?trending=day'));
  assert.ok((await alternates('/papers/2503.11800')).includes('application/rss+xml /feed.xml'));
  for (const url of ['/feed.xml?author=Ada+Lovelace', '/feed.atom?q=graph', '/feed.json?cat=cs.LG']) assert.equal((await app.request(url)).status, 200, url);
});
