// GET /feed.xml (RSS 2.0) and /feed.atom (Atom 1.0): the newest papers, of one category
// with `cat`, or matching a search with `q`, newest first (a feed is read for what is
// new). Absolute links are built from the request's origin, the only base URL known.

import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Paper } from '../../papers/paper.js';
import { search } from '../../search/search.js';
import type { AppDeps } from '../app.js';
import { categoryParam, MAX_QUERY_CHARS, queryOf, textParam } from '../api/params.js';
import { ATOM_TYPE, renderAtom } from './atom.js';
import { feedEntry, feedUpdated, type Feed } from './model.js';
import { renderRss, RSS_TYPE } from './rss.js';

export const FEED_ITEMS = 50;
export const feedQuery = z.object({ q: textParam('q', MAX_QUERY_CHARS), cat: categoryParam });
type FeedQuery = z.output<typeof feedQuery>;

export interface FeedOptions {
  /** The clock, read only to date an empty feed. */
  now?: () => Date;
}

export function feedRoutes({ store, search: engine }: AppDeps, opts: FeedOptions = {}): Hono {
  const now = opts.now ?? (() => new Date());
  const app = new Hono();

  async function papersFor(q: FeedQuery): Promise<Paper[]> {
    const text = q.q.trim();
    if (!text) return store.listPapers({ limit: FEED_ITEMS, category: q.cat });
    const query = q.cat ? `${text} cat:${q.cat}` : text;
    return (await search(engine, query, { limit: FEED_ITEMS, sort: 'newest' })).hits.map((h) => h.paper);
  }

  async function build(c: Context): Promise<Feed> {
    const q = queryOf(c, feedQuery);
    const url = new URL(c.req.url);
    const self = new URL(url.pathname, url.origin);
    const text = q.q.trim();
    if (text) self.searchParams.set('q', text);
    if (q.cat) self.searchParams.set('cat', q.cat);
    const entries = (await papersFor(q)).map((p) => feedEntry(p, url.origin));
    const scope = text ? `matching “${text}”${q.cat ? ` in ${q.cat}` : ''}` : q.cat ? `in ${q.cat}` : '';
    const alternate = text
      ? `${url.origin}/papers?${new URLSearchParams({ q: q.cat ? `${text} cat:${q.cat}` : text })}`
      : q.cat ? `${url.origin}/c/${encodeURIComponent(q.cat)}` : `${url.origin}/`;
    return {
      title: `Paperboy: newest papers${scope ? ` ${scope}` : ''}`,
      description: `The ${FEED_ITEMS} newest research papers${scope ? ` ${scope}` : ''}, with their abstracts.`,
      self: self.toString(), alternate, updated: feedUpdated(entries, now()), entries,
    };
  }

  app.get('/feed.xml', async (c) => c.body(renderRss(await build(c)), 200, { 'Content-Type': RSS_TYPE }));
  app.get('/feed.atom', async (c) => c.body(renderAtom(await build(c)), 200, { 'Content-Type': ATOM_TYPE }));
  return app;
}
