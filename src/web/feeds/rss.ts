// RSS 2.0. Descriptions are HTML by convention, so the abstract is escaped as HTML and
// then as XML; titles are plain text. RSS's <author> must be an email address, so the
// authors go in dc:creator; the guid is the arXiv abs URL, a permalink.

import type { Feed, FeedEntry } from './model.js';
import { html, rfc822, xml } from './xml.js';

export const RSS_TYPE = 'application/rss+xml; charset=utf-8';

function item(e: FeedEntry): string {
  return [
    '<item>',
    `<title>${xml(e.title)}</title>`,
    `<link>${xml(e.link)}</link>`,
    `<guid isPermaLink="true">${xml(e.id)}</guid>`,
    `<description>${xml(html(e.abstract))}</description>`,
    e.authors.length ? `<dc:creator>${xml(e.authors.join(', '))}</dc:creator>` : '',
    ...e.categories.map((c) => `<category>${xml(c)}</category>`),
    e.published ? `<pubDate>${rfc822(e.published)}</pubDate>` : '',
    '</item>',
  ].filter(Boolean).join('\n');
}

export function renderRss(feed: Feed): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${xml(feed.title)}</title>
<link>${xml(feed.alternate)}</link>
<description>${xml(feed.description)}</description>
<atom:link href="${xml(feed.self)}" rel="self" type="application/rss+xml"/>
<lastBuildDate>${rfc822(feed.updated)}</lastBuildDate>
<generator>Paperboy</generator>
<docs>https://www.rssboard.org/rss-specification</docs>
${feed.entries.map(item).join('\n')}
</channel>
</rss>
`;
}
