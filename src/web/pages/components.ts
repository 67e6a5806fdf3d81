// Pieces the pages share: a paper in a list, category chips, the upvote button, the
// subscribe box and the pager. Every value is escaped by html``; only KaTeX markup
// (see math.ts) is inserted raw.

import { html } from 'hono/html';
import { displayDay, type Paper } from '../../papers/paper.js';
import { HIGHLIGHT_END, HIGHLIGHT_START, type VoteSummary } from '../../store/store.js';
import type { PaperLinks } from '../../store/extras-store.js';
import { categoryName, isArxivCategory } from './categories.js';
import { formatDay } from './dates.js';
import type { Html } from './layout.js';
import { withMath } from './math.js';

const NO_VOTES: VoteSummary = { local: 0, imported: 0, voted: false };

/** " · 18 Mar 2025" as a <time>, or nothing for a paper without a known day. */
export function dateLine(p: Paper): Html | string {
  const day = displayDay(p);
  return day ? html` · <time datetime="${day}">${formatDay(day)}</time>` : '';
}

export function authorsText(p: Paper, max = 6): string {
  const names = p.authors.map((a) => a.name);
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}

export function authorHref(name: string): string {
  return `/authors/${encodeURIComponent(name)}`;
}

/**
 * The first `max` authors, the rest folded into "and N more" that opens without
 * JavaScript (<details>): a 120-author paper must not fill a phone screen.
 */
export function authorList(p: Paper, o: { max?: number; linked?: boolean } = {}): Html {
  const max = o.max ?? 6;
  // One more shown beats "and 1 more".
  const cut = p.authors.length > max + 1 ? max : p.authors.length;
  const name = (a: Paper['authors'][number]) => (o.linked ? html`<a href="${authorHref(a.name)}">${a.name}</a>` : html`${a.name}`);
  const list = (as: Paper['authors']) => as.map((a, i) => html`${i ? ', ' : ''}${name(a)}`);
  const rest = p.authors.slice(cut);
  return html`<span class="author-names">${list(p.authors.slice(0, cut))}</span>${rest.length
    ? html` <details class="more-authors"><summary>and ${rest.length} more</summary><span>${list(rest)}</span></details>` : ''}`;
}

/**
 * arXiv categories as chips linking to their pages, each with its full name; MSC and ACM
 * classes (68T50, I.2.7), which some sources mix in, have no page and get no chip.
 */
export function chips(categories: string[], o: { names?: 'primary' | 'all' } = {}): Html {
  const shown = categories.filter(isArxivCategory);
  if (!shown.length) return html``;
  return html`<ul class="chips" aria-label="Categories">${shown.map((c, i) => {
    const name = categoryName(c);
    const full = name && (o.names === 'all' || (o.names !== undefined && i === 0)) ? name : null;
    return html`<li><a class="chip" href="/c/${encodeURIComponent(c)}"${name && !full ? html` title="${name}"` : ''}>${c}${full ? html` <span class="chip-name">${full}</span>` : ''}</a></li>`;
  })}</ul>`;
}

/** Classes that are not arXiv categories (MSC, ACM), as plain text for the paper page. */
export function otherClasses(categories: string[]): string[] {
  return categories.filter((c) => !isArxivCategory(c));
}

/** arXiv, PDF, and the code and project page when known: where a reader goes next. */
export function paperLinks(p: Paper, links: PaperLinks | undefined, o: { large?: boolean } = {}): Html {
  const repo = links?.repos[0];
  return html`<p class="${o.large ? 'actions-links' : 'links'}">
  <a href="${p.links.abs}">arXiv<span class="visually-hidden"> page of ${p.id}</span></a>
  <a href="${p.links.pdf}">PDF<span class="visually-hidden"> of ${p.id}</span></a>
  ${repo ? html`<a href="https://github.com/${repo}">Code<span class="visually-hidden"> of ${p.id} on GitHub</span></a>` : ''}
  ${links?.projectPage ? html`<a href="${links.projectPage}">Project<span class="visually-hidden"> page of ${p.id}</span></a>` : ''}
</p>`;
}

/** Hugging Face's one-sentence machine summary and keywords (each a search), when known. */
export function aiSummary(links: PaperLinks | undefined, o: { heading?: boolean } = {}): Html {
  if (!links?.aiSummary && !links?.aiKeywords.length) return html``;
  const keywords = links.aiKeywords.length
    ? html`<ul class="keywords" aria-label="Keywords">${links.aiKeywords.map((k) => html`<li><a class="chip keyword" href="/papers?q=${encodeURIComponent(`"${k.replaceAll('"', '')}"`)}">${k}</a></li>`)}</ul>`
    : '';
  if (o.heading) {
    return html`<section class="ai-summary" aria-labelledby="ai-title"><h2 id="ai-title">In short</h2>
  ${links.aiSummary ? html`<p>${links.aiSummary} <span class="meta">(machine summary from Hugging Face)</span></p>` : ''}${keywords}</section>`;
  }
  return html`${links.aiSummary ? html`<p class="ai-summary"><span class="visually-hidden">In short: </span>${links.aiSummary}</p>` : ''}${keywords}`;
}

/** Escapes the snippet, then turns the match markers into <mark> elements. */
export function highlighted(snippet: string): Html {
  const parts = snippet.split(HIGHLIGHT_START).map((chunk, i) => {
    if (i === 0) return html`${chunk}`;
    const [marked, rest] = chunk.split(HIGHLIGHT_END) as [string, string | undefined];
    return html`<mark>${marked}</mark>${rest ?? ''}`;
  });
  return html`${parts}`;
}

export interface UpvoteProps { paperId: string; votes?: VoteSummary | undefined; csrf: string; back: string; large?: boolean }

/** A real form, so it works without JS; upvote.js posts it with fetch when it can. */
export function upvoteButton(o: UpvoteProps): Html {
  const v = o.votes ?? NO_VOTES;
  const count = v.local + v.imported;
  const action = `/papers/${o.paperId}/upvote${v.voted ? '/undo' : ''}`;
  return html`<form class="upvote${o.large ? ' large' : ''}" method="post" action="${action}" data-paper="${o.paperId}">
  <input type="hidden" name="csrf" value="${o.csrf}"><input type="hidden" name="back" value="${o.back}">
  <button type="submit" aria-pressed="${v.voted ? 'true' : 'false'}" title="${v.voted ? 'Remove your upvote' : 'Upvote this paper'}">
    <span class="arrow" aria-hidden="true">▲</span><span class="count">${count}</span><span class="visually-hidden"> upvotes${v.voted ? ', upvoted by you' : ''}</span>
  </button>
</form>`;
}

export interface EntryProps { snippet?: string | null; votes?: VoteSummary | undefined; links?: PaperLinks | undefined; csrf: string; back: string }

export function paperEntry(p: Paper, o: EntryProps): Html {
  // Snippets carry highlight markers, which would corrupt formulas: they stay plain text.
  const abstract = o.snippet ? highlighted(o.snippet) : withMath(p.abstract);
  const day = displayDay(p);
  return html`<article class="paper">
  ${upvoteButton({ paperId: p.id, votes: o.votes, csrf: o.csrf, back: o.back })}
  <div class="body">
    <h2><a href="/papers/${p.id}">${withMath(p.title)}</a></h2>
    <div class="meta"><span class="authors">${authorList(p)}</span>${day ? html`<span class="date"> · <time datetime="${day}">${formatDay(day)}</time></span>` : ''}</div>
    ${chips(p.categories, { names: 'primary' })}
    ${aiSummary(o.links)}
    <details class="abstract"><summary><span class="text">${abstract}</span><span class="more" aria-hidden="true"></span></summary></details>
    ${paperLinks(p, o.links)}
  </div>
</article>`;
}

/** 00:00 … 23:00 for the digest's hour. */
export function hourOptions(selected: number): Html {
  return html`${Array.from({ length: 24 }, (_, h) => html`<option value="${h}"${h === selected ? html` selected` : ''}>${String(h).padStart(2, '0')}:00</option>`)}`;
}

/**
 * Email plus optional topics, hour, time zone and frequency (folded away). The zone is
 * UTC unless subscribe.js fills in the browser's; CSP forbids inline script.
 */
export function subscribeBox(csrf: string, o: { hour?: number } = {}): Html {
  return html`<aside class="subscribe" aria-labelledby="subscribe-title">
  <p id="subscribe-title">Get trending papers in your email inbox once a day!</p>
  <form method="post" action="/subscribe">
    <input type="hidden" name="csrf" value="${csrf}">
    <div class="subscribe-main">
      <label class="visually-hidden" for="subscribe-email">Email address</label>
      <input id="subscribe-email" type="email" name="email" required maxlength="254" placeholder="you@example.org" autocomplete="email">
      <button type="submit">Subscribe</button>
    </div>
    <details class="subscribe-options"><summary>Options: topics, time, weekly</summary>
      <label>Topics <input type="text" name="topics" maxlength="1300" placeholder="e.g. diffusion models, robot grasping, cs.RO"></label>
      <label>At <select name="hour">${hourOptions(o.hour ?? 7)}</select></label>
      <label>Time zone <input type="text" name="tz" value="UTC" maxlength="64" data-browser-zone autocomplete="off"></label>
      <label>How often <select name="frequency"><option value="daily" selected>Daily</option><option value="weekly">Weekly, on Mondays</option></select></label>
    </details>
  </form>
  <script src="/static/subscribe.js" defer></script>
</aside>`;
}

export function pager(prev: string | null, next: string | null, labels = ['← Previous', 'Next →']): Html {
  if (!prev && !next) return html``;
  return html`<nav class="pager" aria-label="Pages">
  ${prev ? html`<a rel="prev" href="${prev}">${labels[0]}</a>` : html`<span></span>`}
  ${next ? html`<a rel="next" href="${next}">${labels[1]}</a>` : html`<span></span>`}
</nav>`;
}

/** The current path and query, for forms that should bring the visitor back here. */
export function here(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}
