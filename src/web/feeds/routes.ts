// Feeds for every list a reader sees, each as RSS 2.0 (/feed.xml), Atom 1.0 (/feed.atom)
// and JSON Feed 1.1 (/feed.json): the newest papers, of one category (`cat`), by one
// author (`author`), matching a search (`q`), or the trending papers of the latest day or
// week (`trending=day|week`, optionally in `cat`). Absolute links are built from the
// request's origin, the only base URL known. Titles carry LaTeX as readable text.

import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { texToText } from '../../digest/render/tex.js';
import type { Paper } from '../../papers/paper.js';
import { search } from '../../search/search.js';
import { addDays } from '../../days.js';
import type { AppDeps } from '../app.js';
import { categoryParam, MAX_QUERY_CHARS, queryOf, textParam } from '../api/params.js';
import { paperDay } from '../api/shapes.js';
import { ATOM_TYPE, renderAtom } from './atom.js';
import { JSON_FEED_TYPE, renderJsonFeed } from './json-feed.js';
import { feedEntry, feedUpdated, type Feed } from './model.js';
import { renderRss, RSS_TYPE } from './rss.js';

export const FEED_ITEMS = 50;
export const feedQuery = z.object({
  q: textParam('q', MAX_QUERY_CHARS),
  cat: categoryParam,
  author: z.string().max(200, 'author is longer than 200 characters.').optional(),
  trending: z.enum(['day', 'week'], { error: 'trending must be day or week.' }).optional(),
});
type FeedQuery = z.output<typeof feedQuery>;

export interface FeedOptions {
  /** The clock, read only to date an empty feed. */
  now?: () => Date;
}

/** Quotes would end an author: filter early; names never need them. */
const authorName = (s: string | undefined) => (s ?? '').replace(/["\s]+/g, ' ').trim();

export function feedRoutes({ store, search: engine }: AppDeps, opts: FeedOptions = {}): Hono {
  const now = opts.now ?? (() => new Date());
  const app = new Hono();

  /** The papers, and words for the title and the page showing the same list. */
  async function papersFor(q: FeedQuery, origin: string): Promise<{ papers: Paper[]; scope: string; alternate: string; kind: string }> {
    const text = q.q.trim();
    const author = authorName(q.author);
    const inCat = q.cat ? ` in ${q.cat}` : '';
    if (q.trending) {
      const [newest] = await store.listPapers({ limit: 1, category: q.cat });
      const last = newest ? paperDay(newest) : null;
      if (!last) return { papers: [], scope: inCat, alternate: `${origin}/`, kind: `trending papers of the ${q.trending}` };
      const from = q.trending === 'day' ? last : addDays(last, -6);
      const ranked = await engine.trending.rank({ from, to: last, category: q.cat, limit: FEED_ITEMS });
      const alternate = q.cat ? `${origin}/c/${encodeURIComponent(q.cat)}` : `${origin}/${q.trending === 'week' ? `?period=weekly&date=${last}` : `?date=${last}`}`;
      return { papers: await store.getPapers(ranked.entries.map((e) => e.paperId)), scope: inCat, alternate, kind: q.trending === 'day' ? 'trending papers of the day' : 'trending papers of the week' };
    }
    const words = [text, author && `author:"${author}"`, q.cat && `cat:${q.cat}`].filter(Boolean).join(' ');
    const scope = `${author ? ` by ${author}` : ''}${text ? ` matching “${text}”` : ''}${inCat}`;
    if (!text && !author) {
      return { papers: await store.listPapers({ limit: FEED_ITEMS, category: q.cat }), scope, kind: 'newest papers', alternate: q.cat ? `${origin}/c/${encodeURIComponent(q.cat)}` : `${origin}/` };
    }
    const papers = (await search(engine, words, { limit: FEED_ITEMS, sort: 'newest', snippets: false })).hits.map((h) => h.paper);
    const alternate = author && !text ? `${origin}/authors/${encodeURIComponent(author)}` : `${origin}/papers?${new URLSearchParams({ q: words })}`;
    return { papers, scope, alternate, kind: 'newest papers' };
  }

  async function build(c: Context): Promise<Feed> {
    const q = queryOf(c, feedQuery);
    const url = new URL(c.req.url);
    const self = new URL(url.pathname, url.origin);
    const text = q.q.trim();
    if (text) self.searchParams.set('q', text);
    if (q.cat) self.searchParams.set('cat', q.cat);
    if (authorName(q.author)) self.searchParams.set('author', authorName(q.author));
    if (q.trending) self.searchParams.set('trending', q.trending);
    const { papers, scope, alternate, kind } = await papersFor(q, url.origin);
    const entries = papers.map((p) => ({ ...feedEntry(p, url.origin), title: texToText(p.title) }));
    return {
      title: `Paperboy: ${kind}${scope}`,
      description: `${q.trending ? 'The' : `The ${FEED_ITEMS}`} ${kind}${scope}, with their abstracts.`,
      self: self.toString(), alternate, updated: feedUpdated(entries, now()), entries,
    };
  }

  app.get('/feed.xml', async (c) => c.body(renderRss(await build(c)), 200, { 'Content-Type': RSS_TYPE }));
  app.get('/feed.atom', async (c) => c.body(renderAtom(await build(c)), 200, { 'Content-Type': ATOM_TYPE }));
  app.get('/feed.json', async (c) => c.body(renderJsonFeed(await build(c)), 200, { 'Content-Type': JSON_FEED_TYPE }));
  return app;
}

/** The three feeds of a list, for <link rel="alternate"> and visible links. */
export function feedLinks(params: { q?: string; cat?: string; author?: string; trending?: 'day' | 'week' }): { rss: string; atom: string; json: string } {
  const qs = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  const at = (ext: string) => `/feed.${ext}${qs ? `?${qs}` : ''}`;
  return { rss: at('xml'), atom: at('atom'), json: at('json') };
}
