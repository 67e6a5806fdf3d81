// OPML 2.0: a subscriber's topics and categories as a list of feeds, which a feed reader
// imports in one go (each topic becomes the search feed of that topic, newest first).

import { feedLinks } from './routes.js';
import { xml } from './xml.js';

export const OPML_TYPE = 'text/x-opml; charset=utf-8';

export interface TopicFeed { title: string; feed: string; page: string }

/** One feed per topic (a search) and per category, with absolute addresses. */
export function topicFeeds(origin: string, topics: string[], categories: string[]): TopicFeed[] {
  return [
    ...topics.map((q) => ({ title: `Paperboy: newest papers matching “${q}”`, feed: origin + feedLinks({ q }).rss, page: `${origin}/papers?${new URLSearchParams({ q })}` })),
    ...categories.map((cat) => ({ title: `Paperboy: newest papers in ${cat}`, feed: origin + feedLinks({ cat }).rss, page: `${origin}/c/${encodeURIComponent(cat)}` })),
  ];
}

export function renderOpml(title: string, feeds: TopicFeed[], created: Date): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
<head><title>${xml(title)}</title><dateCreated>${created.toUTCString()}</dateCreated></head>
<body>
${feeds.map((f) => `<outline type="rss" text="${xml(f.title)}" title="${xml(f.title)}" xmlUrl="${xml(f.feed)}" htmlUrl="${xml(f.page)}"/>`).join('\n')}
</body>
</opml>
`;
}
