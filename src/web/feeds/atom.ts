// Atom 1.0 (RFC 4287). Text constructs are declared type="text", so the one level of XML
// escaping is all a reader undoes. Every entry needs an author: papers with none fall
// back to the feed-level author. Entries without any known date take the feed's.

import type { Feed, FeedEntry } from './model.js';
import { rfc3339, xml } from './xml.js';

export const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

function entry(e: FeedEntry, feedUpdated: Date): string {
  const updated = e.updated ?? e.published ?? feedUpdated;
  return [
    '<entry>',
    `<id>${xml(e.id)}</id>`,
    `<title type="text">${xml(e.title)}</title>`,
    `<link rel="alternate" type="text/html" href="${xml(e.link)}"/>`,
    `<link rel="related" type="application/pdf" href="${xml(e.pdf)}"/>`,
    e.published ? `<published>${rfc3339(e.published)}</published>` : '',
    `<updated>${rfc3339(updated)}</updated>`,
    ...e.authors.map((a) => `<author><name>${xml(a)}</name></author>`),
    ...e.categories.map((c) => `<category term="${xml(c)}"/>`),
    `<summary type="text">${xml(e.abstract)}</summary>`,
    '</entry>',
  ].filter(Boolean).join('\n');
}

export function renderAtom(feed: Feed): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${xml(feed.self)}</id>
<title type="text">${xml(feed.title)}</title>
<subtitle type="text">${xml(feed.description)}</subtitle>
<link rel="self" type="application/atom+xml" href="${xml(feed.self)}"/>
<link rel="alternate" type="text/html" href="${xml(feed.alternate)}"/>
<updated>${rfc3339(feed.updated)}</updated>
<author><name>Paperboy</name></author>
<generator>Paperboy</generator>
${feed.entries.map((e) => entry(e, feed.updated)).join('\n')}
</feed>
`;
}
