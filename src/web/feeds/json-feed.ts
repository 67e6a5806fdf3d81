// JSON Feed 1.1 (https://jsonfeed.org/version/1.1): the same feed as RSS and Atom, for
// readers and scripts that prefer JSON. Text goes in content_text (never HTML), so there
// is nothing to escape beyond JSON's own quoting.

import type { Feed, FeedEntry } from './model.js';

export const JSON_FEED_TYPE = 'application/feed+json; charset=utf-8';

// Control characters from harvested text: legal in JSON, but no reader wants them (XML feeds drop them too).
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const clean = (s: string) => s.replace(CONTROL, '');

function item(e: FeedEntry) {
  const date = e.published ?? e.updated;
  return {
    id: e.id,
    url: e.link,
    external_url: e.id,
    title: clean(e.title),
    content_text: clean(e.abstract),
    ...(date ? { date_published: date.toISOString() } : {}),
    ...(e.updated ? { date_modified: e.updated.toISOString() } : {}),
    ...(e.authors.length ? { authors: e.authors.map((name) => ({ name: clean(name) })) } : {}),
    ...(e.categories.length ? { tags: e.categories } : {}),
    attachments: [{ url: e.pdf, mime_type: 'application/pdf', title: 'PDF' }],
  };
}

export function renderJsonFeed(feed: Feed): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.alternate,
    feed_url: feed.self,
    description: feed.description,
    authors: [{ name: 'Paperboy' }],
    language: 'en',
    items: feed.entries.map(item),
  });
}
