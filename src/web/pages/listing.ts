// Category (/c/cs.LG) and author (/authors/{name}) pages: that slice of the collection,
// paged — the same search engine with a cat: or author: filter, newest first. A category
// page ranks its last 30 days by trending score unless ?sort=newest asks for all of it.

import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { fail } from '../../errors.js';
import { displayDay, type Paper } from '../../papers/paper.js';
import { search } from '../../search/search.js';
import { here, pager, paperEntry } from './components.js';
import { type PageContext, PAGE_SIZE, pageNumber, votesFor, linksFor, withParams, shareIfAnonymous } from './context.js';
import { addDays } from '../../days.js';
import { formatDay } from './dates.js';
import { orderTabs, parseOrder } from './home.js';
import { layout } from './layout.js';

/** Days a category's trending page covers, ending with its newest paper's day. */
export const CATEGORY_TRENDING_DAYS = 30;

const CATEGORY = /^[a-z]+(-[a-z]+)?(\.[A-Za-z]+(-[A-Za-z]+)?)?$/;

export function registerListings(app: Hono, ctx: PageContext): void {
  app.get('/c/:cat', (c) => {
    const cat = c.req.param('cat');
    if (!CATEGORY.test(cat) || cat.length > 40) fail('bad_input', 'A category looks like cs.LG or math.CO.');
    return listing(c, ctx, { query: `cat:${cat}`, heading: cat, kind: 'category', category: cat });
  });
  app.get('/authors/:name{.+}', (c) => {
    // Quotes would end the author: filter early; names never need them.
    const name = c.req.param('name').replace(/["\s]+/g, ' ').trim();
    if (!name || name.length > 200) fail('bad_input', 'An author page needs a name, like /authors/Ada%20Lovelace.');
    return listing(c, ctx, { query: `author:"${name}"`, heading: name, kind: 'author' });
  });
}

interface ListingSpec { query: string; heading: string; kind: 'category' | 'author'; category?: string }

/** The category's papers of its last 30 days by trending score, or null when it has none. */
async function trendingInCategory(ctx: PageContext, category: string, page: number) {
  const [newest] = await ctx.store.listPapers({ limit: 1, category });
  const last = newest && displayDay(newest);
  if (!last) return null;
  const from = addDays(last, -(CATEGORY_TRENDING_DAYS - 1));
  const ranked = await ctx.search.trending.rank({ from, to: last, category, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  return { papers: await ctx.store.getPapers(ranked.entries.map((e) => e.paperId)), total: ranked.total, from, last };
}

async function listing(c: Context, ctx: PageContext, spec: ListingSpec) {
  const page = pageNumber(c.req.query('p'));
  const order = spec.category ? parseOrder(c.req.query('sort')) : 'newest';
  const session = await ctx.guard.session(c);
  shareIfAnonymous(c, session);
  const trend = spec.category && order === 'trending' ? await trendingInCategory(ctx, spec.category, page) : null;
  let papers: Paper[];
  let total: number;
  let notes: string[] = [];
  if (trend) {
    ({ papers, total } = trend);
  } else {
    const result = await search(ctx.search, spec.query, { sort: 'newest', limit: PAGE_SIZE, page });
    papers = result.hits.map((h) => h.paper);
    total = result.total;
    notes = result.notes;
  }
  const [votes, links] = await Promise.all([votesFor(ctx, papers, session.visitor), linksFor(ctx, papers)]);
  const back = here(c.req.url);
  const path = new URL(c.req.url).pathname;
  const sortParam = order === 'newest' && spec.category ? 'newest' : undefined;
  const shown = (page - 1) * PAGE_SIZE + papers.length;
  const what = spec.kind === 'category' ? 'in this category' : 'by this author';
  const how = trend ? html` from ${formatDay(trend.from)} to ${formatDay(trend.last)}, ranked by trending score` : ', newest first';
  const body = html`<h1>${spec.kind === 'category' ? 'Category' : 'Papers by'} ${spec.heading}</h1>
${spec.category ? orderTabs(order, (o) => withParams(path, { sort: o === 'newest' ? 'newest' : undefined })) : ''}
<p class="lead">${total.toLocaleString('en-US')} ${total === 1 ? 'paper' : 'papers'} ${what}${how} ·
  <a href="${withParams('/papers', { q: spec.query })}">search within them</a></p>
${notes.map((n) => html`<p class="note">${n}</p>`)}
${papers.length
    ? papers.map((p) => paperEntry(p, { votes: votes.get(p.id), links: links.get(p.id), csrf: session.csrf, back }))
    : html`<p class="empty">No papers ${what} ${page > 1 ? 'on this page' : 'yet'}. <a href="/">Browse the newest papers</a>.</p>`}
${pager(page > 1 ? withParams(path, { sort: sortParam, p: page > 2 ? page - 1 : undefined }) : null, shown < total ? withParams(path, { sort: sortParam, p: page + 1 }) : null)}`;
  const feed = spec.kind === 'category'
    ? { title: order === 'trending' ? `Paperboy: trending in ${spec.heading}` : `Paperboy: newest in ${spec.heading}`, params: order === 'trending' ? { cat: spec.category, trending: 'week' as const } : { cat: spec.category } }
    : { title: `Paperboy: papers by ${spec.heading}`, params: { author: spec.heading } };
  const description = `${total.toLocaleString('en-US')} research ${total === 1 ? 'paper' : 'papers'} ${spec.kind === 'category' ? `in ${spec.heading}` : `by ${spec.heading}`}, ${trend ? 'trending' : 'newest'} first, with feeds to follow them.`;
  return c.html(layout(spec.kind === 'category' ? spec.heading : `Papers by ${spec.heading}`, body, { math: true, feed, description }));
}
