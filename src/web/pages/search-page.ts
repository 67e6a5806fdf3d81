// /papers?q=: search results with filter and sort controls that mirror the query
// language (cat:, year:, sort:), paging, and a helpful page when nothing matches.

import type { Hono } from 'hono';
import { html } from 'hono/html';
import { fail } from '../../errors.js';
import { search, SOME_WORDS_NOTE, type SearchResult } from '../../search/search.js';
import { termOf } from '../../search/lexical/analyze.js';
import type { LexicalIndex } from '../../search/lexical/lexical-index.js';
import { createSpeller, type Speller } from '../did-you-mean.js';
import { here, pager, paperEntry, subscribeBox } from './components.js';
import { type PageContext, PAGE_SIZE, pageNumber, votesFor, linksFor, withParams, shareIfAnonymous } from './context.js';
import { type Html, layout, metaDescription } from './layout.js';
import type { Session } from './security.js';
import { notHeldOffer } from './fetch-paper.js';

const CATEGORIES = ['cs.AI', 'cs.CL', 'cs.CV', 'cs.LG', 'cs.RO', 'cs.CR', 'cs.IR', 'cs.SE', 'cs.DS', 'cs.HC', 'stat.ML', 'math.OC'];
const CATEGORY = /^[a-z]+(-[a-z]+)?(\.[A-Za-z]+(-[A-Za-z]+)?)?$/;

const SORTS = ['relevance', 'newest', 'trending'] as const;
interface Filters { q: string; cat: string; year: string; sort: (typeof SORTS)[number] }

function readFilters(get: (k: string) => string | undefined): Filters {
  const q = (get('q') ?? '').slice(0, 2000);
  const cat = (get('cat') ?? '').trim();
  const year = (get('year') ?? '').trim();
  const sort = get('sort') || 'relevance';
  if (cat && !CATEGORY.test(cat)) fail('bad_input', 'A category looks like cs.LG or math.');
  if (year && !/^(19|20)\d\d$/.test(year)) fail('bad_input', 'A year has four digits, like 2025.');
  if (!(SORTS as readonly string[]).includes(sort)) fail('bad_input', 'Sort by relevance, newest or trending.');
  return { q, cat, year, sort: sort as Filters['sort'] };
}

export function registerSearch(app: Hono, ctx: PageContext): void {
  app.get('/papers', async (c) => {
    const f = readFilters((k) => c.req.query(k));
    if (!f.q.trim() && !f.cat && !f.year) return c.redirect('/');
    const query = [f.q, f.cat && `cat:${f.cat}`, f.year && `year:${f.year}`].filter(Boolean).join(' ');
    const result = await search(ctx.search, query, { page: pageNumber(c.req.query('p')), limit: PAGE_SIZE, sort: f.sort });
    if (result.exactId && result.hits[0]) return c.redirect(`/papers/${result.hits[0].paper.id}`);
    const session = await ctx.guard.session(c);
    shareIfAnonymous(c, session);
    // Few results, or none with every word: a misspelt word is the likely reason.
    const suggestion = f.q && (result.total < FEW || result.notes.includes(SOME_WORDS_NOTE)) ? await suggest(ctx, f.q) : null;
    return c.html(searchPage(ctx, f, result, session, here(c.req.url), suggestion));
  });
}

/** Below this many results, a query with a word the collection does not know gets a "Did you mean". */
const FEW = 5;
const spellers = new WeakMap<LexicalIndex, { generation: number; speller: Speller }>();

/** The query with its misspelt words corrected from the index's own words, or null. */
async function suggest(ctx: PageContext, q: string): Promise<string | null> {
  const index = await ctx.search.lexical.index();
  let s = spellers.get(index);
  // Prepared once per version of the index (a few tens of ms on 75k papers), not per query.
  if (!s || s.generation !== index.generation) spellers.set(index, (s = { generation: index.generation, speller: createSpeller(index.vocabulary(2), { termOf }) }));
  return s.speller.suggest(q);
}

async function searchPage(ctx: PageContext, f: Filters, r: SearchResult, session: Session, back: string, suggestion: string | null): Promise<string> {
  const papers = r.hits.map((h) => h.paper);
  const [votes, links] = await Promise.all([votesFor(ctx, papers, session.visitor), linksFor(ctx, papers)]);
  const link = (params: Record<string, string | number | undefined>) => withParams('/papers', { q: f.q, cat: f.cat, year: f.year, sort: f.sort === 'relevance' ? undefined : f.sort, ...params });
  const from = (r.page - 1) * r.limit;
  const count = r.total === 0 ? '' : `${r.totalIsExact ? '' : 'About '}${r.total.toLocaleString('en-US')} ${r.total === 1 ? 'paper' : 'papers'}${r.hits.length ? `, ${from + 1}–${from + r.hits.length} shown` : ''}`;
  const body = html`<h1>${f.q ? html`Results for “${f.q}”` : 'Search results'}</h1>
${filterForm(f)}
${subscribeBox(session.csrf)}
${suggestion ? html`<p class="did-you-mean">Did you mean <a href="${link({ q: suggestion })}"><strong>${suggestion}</strong></a>?</p>` : ''}
${count ? html`<p class="count-line">${count}</p>` : ''}
${saveSearchForm(f, session.csrf)}
${r.notes.map((n) => html`<p class="note">${n}</p>`)}
${r.total === 0 && r.parsed.arxivId ? notHeldOffer(ctx, r.parsed.arxivId, null, session.csrf) : ''}
${r.total === 0 ? noResults(f, link) : r.hits.map((h) => paperEntry(h.paper, { snippet: h.snippet, votes: votes.get(h.paper.id), links: links.get(h.paper.id), csrf: session.csrf, back }))}
${pager(r.page > 1 ? link({ p: r.page > 2 ? r.page - 1 : undefined }) : null, from + r.hits.length < r.total ? link({ p: r.page + 1 }) : null)}`;
  const feed = { title: `Paperboy: newest papers matching “${f.q}”`, params: { q: f.q, cat: f.cat || undefined } };
  const description = f.q ? metaDescription(`Research papers matching “${f.q}”, with feeds to follow them.`) : undefined;
  return (await layout(`${f.q || 'Search'} – search`, body, { query: f.q, section: 'search', math: true, feed, description })).toString();
}

/** A subscriber (recognised by their browser) adds the search to their digest: its new matches come with it. */
function saveSearchForm(f: Filters, csrf: string): Html {
  const saved = [f.q.trim(), f.cat && `cat:${f.cat}`].filter(Boolean).join(' ');
  if (!f.q.trim() || saved.length > 200) return html``;
  return html`<form class="save-search" method="post" action="/personal/rules">
  <input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="kind" value="follow-search">
  <input type="hidden" name="value" value="${saved}"><input type="hidden" name="back" value="/library">
  <button type="submit" name="op" value="add">Add this search to my digest</button>
</form>`;
}

function filterForm(f: Filters): Html {
  const cats = f.cat && !CATEGORIES.includes(f.cat) ? [f.cat, ...CATEGORIES] : CATEGORIES;
  return html`<form class="filters" method="get" action="/papers" aria-label="Filters">
  <input type="hidden" name="q" value="${f.q}">
  <label>Category <select name="cat"><option value="">Any</option>${cats.map((c) => html`<option${c === f.cat ? html` selected` : ''}>${c}</option>`)}</select></label>
  <label>Year <input type="number" name="year" min="1991" max="2099" value="${f.year}" placeholder="Any"></label>
  <label>Sort <select name="sort">${SORTS.map((s) => html`<option value="${s}"${f.sort === s ? html` selected` : ''}>${s[0]!.toUpperCase()}${s.slice(1)}</option>`)}</select></label>
  <button type="submit">Apply</button>
</form>`;
}

function noResults(f: Filters, link: (p: Record<string, string | undefined>) => string): Html {
  const words = f.q.trim().split(/\s+/).filter(Boolean);
  return html`<section class="empty" aria-labelledby="none-title">
  <h2 id="none-title">No papers match${f.q ? html` “${f.q}”` : ''}</h2>
  <ul class="suggestions">
    ${f.cat || f.year ? html`<li><a href="${link({ cat: undefined, year: undefined })}">Search again without the ${f.cat && f.year ? 'category and year filters' : f.cat ? 'category filter' : 'year filter'}</a></li>` : ''}
    ${words.length > 1 ? html`<li>Use fewer words: <a href="${link({ q: words.slice(0, 2).join(' ') })}">${words.slice(0, 2).join(' ')}</a></li>` : ''}
    <li>Check the spelling, or try a broader or related term.</li>
    <li>Look for a person with <code>author:"Ada Lovelace"</code>, a title word with <code>title:transformer</code>, or a category with <code>cat:cs.LG</code>.</li>
    <li>Paste an arXiv id or link, like <code>2503.11731</code>, to open that paper.</li>
    <li><a href="/">Browse the newest papers</a>.</li>
  </ul>
</section>`;
}
