// Home: the papers of one day, week or month (tabs Daily · Weekly · Monthly) with
// previous/next navigation, ranked by trending score (or newest first), and the
// subscribe box. Without a date it shows the most recent day that has papers.

import type { Hono } from 'hono';
import { html } from 'hono/html';
import { fail } from '../../errors.js';
import { displayDay, type Paper } from '../../papers/paper.js';
import { search } from '../../search/search.js';
import { here, pager, paperEntry, subscribeBox } from './components.js';
import { type PageContext, PAGE_SIZE, pageNumber, votesFor, linksFor, withParams, shareIfAnonymous } from './context.js';
import { addDays } from '../../days.js';
import { describeSpan, parseDay, parsePeriod, PERIODS, type Period, shift, spanOf } from './dates.js';
import { layout } from './layout.js';

const TAB_LABEL: Record<Period, string> = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly' };
const PREV_LABEL: Record<Period, string> = { daily: 'Previous day', weekly: 'Previous week', monthly: 'Previous month' };
const NEXT_LABEL: Record<Period, string> = { daily: 'Next day', weekly: 'Next week', monthly: 'Next month' };

export type ListOrder = 'trending' | 'newest';

/** ?sort= of the list pages: trending (the default) or newest. */
export function parseOrder(value: string | undefined): ListOrder {
  if (value === undefined || value === '' || value === 'trending') return 'trending';
  if (value === 'newest') return 'newest';
  return fail('bad_input', `"${value.slice(0, 40)}" is not an order; use trending or newest.`);
}

/** Links to both orders, the current one marked. */
export function orderTabs(current: ListOrder, href: (o: ListOrder) => string) {
  return html`<nav class="tabs order" aria-label="Order">${(['trending', 'newest'] as const).map((o) =>
    html`<a href="${href(o)}"${o === current ? html` aria-current="page"` : ''}>${o === 'trending' ? 'Trending' : 'Newest'}</a>`)}</nav>`;
}

export function registerHome(app: Hono, ctx: PageContext): void {
  app.get('/', async (c) => {
    const period = parsePeriod(c.req.query('period'));
    const asked = c.req.query('date');
    const page = pageNumber(c.req.query('p'));
    const order = parseOrder(c.req.query('sort'));
    const session = await ctx.guard.session(c);
    shareIfAnonymous(c, session);
    const [newest] = await ctx.store.listPapers({ limit: 1 });
    const latest = newest ? displayDay(newest) : null;
    const day = asked ? parseDay(asked) : latest;
    if (!day) {
      return c.html(layout('Newest papers', html`<h1>Newest papers</h1>${subscribeBox(session.csrf)}
        <p class="empty">No papers yet. Run <code>paperboy harvest</code> or <code>paperboy import FILE</code>, or wait for the daily harvest.</p>`, { section: 'home' }));
    }

    const span = spanOf(period, day);
    let papers: Paper[];
    let total: number;
    if (order === 'trending') {
      const ranked = await ctx.search.trending.rank({ from: span.from, to: addDays(span.to, -1), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      papers = await ctx.store.getPapers(ranked.entries.map((e) => e.paperId));
      total = ranked.total;
    } else {
      const result = await search(ctx.search, `since:${span.from} before:${span.to}`, { sort: 'newest', limit: PAGE_SIZE, page });
      papers = result.hits.map((h) => h.paper);
      total = result.total;
    }
    const [votes, links] = await Promise.all([votesFor(ctx, papers, session.visitor), linksFor(ctx, papers)]);
    const back = here(c.req.url);
    const sortParam = order === 'trending' ? undefined : order;
    const link = (params: Record<string, string | number | undefined>) => withParams('/', { period: period === 'daily' ? undefined : period, date: day, sort: sortParam, ...params });
    const prevDay = shift(period, day, -1);
    const nextDay = shift(period, day, 1);
    const hasNext = latest !== null && nextDay <= latest;
    const shown = (page - 1) * PAGE_SIZE + papers.length;
    const title = `Papers · ${describeSpan(period, day)}`;

    const body = html`<h1>${describeSpan(period, day)}</h1>
<div class="toolbar">
  <nav class="tabs" aria-label="Period">${PERIODS.map((p) => html`<a href="${withParams('/', { period: p === 'daily' ? undefined : p, date: day, sort: sortParam })}"${p === period ? html` aria-current="page"` : ''}>${TAB_LABEL[p]}</a>`)}</nav>
  ${orderTabs(order, (o) => link({ sort: o === 'trending' ? undefined : o, p: undefined }))}
  <nav class="datenav" aria-label="Dates">
    <a href="${link({ date: prevDay, p: undefined })}" rel="prev">← ${PREV_LABEL[period]}</a>
    ${hasNext ? html`<a href="${link({ date: nextDay, p: undefined })}" rel="next">${NEXT_LABEL[period]} →</a>` : ''}
    <form method="get" action="/" class="datepick">
      ${period === 'daily' ? '' : html`<input type="hidden" name="period" value="${period}">`}
      ${sortParam ? html`<input type="hidden" name="sort" value="${sortParam}">` : ''}
      <label class="visually-hidden" for="date">Go to date</label>
      <input id="date" type="date" name="date" value="${day}" max="${latest ?? ''}"><button type="submit">Go</button>
    </form>
  </nav>
</div>
${subscribeBox(session.csrf)}
<p class="count-line">${total.toLocaleString('en-US')} ${total === 1 ? 'paper' : 'papers'}${papers.length ? (order === 'trending' ? ', ranked by trending score' : ', newest first') : ''}</p>
${papers.length
    ? papers.map((p) => paperEntry(p, { votes: votes.get(p.id), links: links.get(p.id), csrf: session.csrf, back }))
    : html`<p class="empty">No papers were announced ${period === 'daily' ? 'on this day' : 'in this period'} (arXiv does not announce on weekends).
        <a href="${link({ date: prevDay, p: undefined })}">See the ${PREV_LABEL[period].toLowerCase()}</a>.</p>`}
${pager(page > 1 ? link({ p: page > 2 ? page - 1 : undefined }) : null, shown < total ? link({ p: page + 1 }) : null)}`;
    const feed = period === 'daily'
      ? { title: 'Paperboy: trending papers of the day', params: { trending: 'day' as const } }
      : { title: 'Paperboy: trending papers of the week', params: { trending: 'week' as const } };
    return c.html(layout(title, body, { section: 'home', math: true, feed }));
  });
}
