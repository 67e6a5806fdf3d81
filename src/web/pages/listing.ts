// Category (/c/cs.LG) and author (/authors/{name}) pages: that slice of the collection,
// newest first, paged — the same search engine with a cat: or author: filter.

import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { fail } from '../../errors.js';
import { search } from '../../search/search.js';
import { here, pager, paperEntry } from './components.js';
import { type PageContext, PAGE_SIZE, pageNumber, votesFor, withParams, shareIfAnonymous } from './context.js';
import { layout } from './layout.js';

const CATEGORY = /^[a-z]+(-[a-z]+)?(\.[A-Za-z]+(-[A-Za-z]+)?)?$/;

export function registerListings(app: Hono, ctx: PageContext): void {
  app.get('/c/:cat', (c) => {
    const cat = c.req.param('cat');
    if (!CATEGORY.test(cat) || cat.length > 40) fail('bad_input', 'A category looks like cs.LG or math.CO.');
    return listing(c, ctx, { query: `cat:${cat}`, heading: cat, kind: 'category' });
  });
  app.get('/authors/:name{.+}', (c) => {
    // Quotes would end the author: filter early; names never need them.
    const name = c.req.param('name').replace(/["\s]+/g, ' ').trim();
    if (!name || name.length > 200) fail('bad_input', 'An author page needs a name, like /authors/Ada%20Lovelace.');
    return listing(c, ctx, { query: `author:"${name}"`, heading: name, kind: 'author' });
  });
}

interface ListingSpec { query: string; heading: string; kind: 'category' | 'author' }

async function listing(c: Context, ctx: PageContext, spec: ListingSpec) {
  const page = pageNumber(c.req.query('p'));
  const session = await ctx.guard.session(c);
  shareIfAnonymous(c, session);
  const result = await search(ctx.search, spec.query, { sort: 'newest', limit: PAGE_SIZE, page });
  const papers = result.hits.map((h) => h.paper);
  const votes = await votesFor(ctx, papers, session.visitor);
  const back = here(c.req.url);
  const path = new URL(c.req.url).pathname;
  const shown = (page - 1) * PAGE_SIZE + papers.length;
  const what = spec.kind === 'category' ? 'in this category' : 'by this author';
  const body = html`<h1>${spec.kind === 'category' ? 'Category' : 'Papers by'} ${spec.heading}</h1>
<p class="lead">${result.total.toLocaleString('en-US')} ${result.total === 1 ? 'paper' : 'papers'} ${what}, newest first ·
  <a href="${withParams('/papers', { q: spec.query })}">search within them</a></p>
${result.notes.map((n) => html`<p class="note">${n}</p>`)}
${papers.length
    ? papers.map((p) => paperEntry(p, { votes: votes.get(p.id), csrf: session.csrf, back }))
    : html`<p class="empty">No papers ${what} ${page > 1 ? 'on this page' : 'yet'}. <a href="/">Browse the newest papers</a>.</p>`}
${pager(page > 1 ? withParams(path, { p: page > 2 ? page - 1 : undefined }) : null, shown < result.total ? withParams(path, { p: page + 1 }) : null)}`;
  return c.html(layout(spec.kind === 'category' ? spec.heading : `Papers by ${spec.heading}`, body, { math: true }));
}
