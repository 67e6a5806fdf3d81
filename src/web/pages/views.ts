// Server-rendered pages. Plain HTML and a little CSS: readable without JavaScript.

import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Paper, Signal } from '../../papers/paper.js';
import type { SearchResult } from '../../search/search.js';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../store/store.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 0 auto; padding: 1rem; color: #1f2328; }
  a { color: #0b57d0; text-decoration: none } a:hover { text-decoration: underline }
  header { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 1px solid #ddd; margin-bottom: 1rem }
  article { border-bottom: 1px solid #eee; padding: .75rem 0 }
  h2 { font-size: 1.1rem; margin: 0 0 .25rem } .meta { color: #59636e; font-size: .9rem }
  .abstract { margin: .4rem 0 0 } .cat { background: #f1f3f4; border-radius: 4px; padding: 0 .3rem; margin-right: .25rem; font-size: .85rem }
  nav.pages { display: flex; justify-content: space-between; margin: 1rem 0 }
  form.search { display: flex; gap: .5rem; margin: 0 0 1rem } form.search input { flex: 1; font: inherit; padding: .4rem .6rem }
  mark { background: #fff3b0; color: inherit } .note { color: #59636e; font-style: italic }
  @media (prefers-color-scheme: dark) { body { background: #0d1117; color: #e6edf3 } .cat { background: #21262d } a { color: #58a6ff } .meta { color: #9198a1 } }
`;

function layout(title: string, body: Html, query = ''): Html {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Paperboy</title><style>${raw(STYLE)}</style></head>
<body><header><h1><a href="/">Paperboy</a></h1><span class="meta">research papers, newest first</span></header>
<form class="search" action="/papers" method="get" role="search">
  <input type="search" name="q" value="${query}" placeholder="Search papers: words, \"a phrase\", author:name, cat:cs.LG, an arXiv id" aria-label="Search papers">
  <button type="submit">Search</button>
</form>
<main>${body}</main></body></html>`;
}

function authorsLine(p: Paper): string {
  const names = p.authors.map((a) => a.name);
  return names.length > 8 ? `${names.slice(0, 8).join(', ')}, et al. (${names.length} authors)` : names.join(', ');
}

function dateOf(p: Paper): string {
  return p.announcedAt ?? p.submittedAt?.slice(0, 10) ?? '';
}

/** Escapes the snippet, then turns the match markers into <mark> elements. */
function highlighted(snippet: string): Html {
  const parts = snippet.split(HIGHLIGHT_START).map((chunk, i) => {
    if (i === 0) return html`${chunk}`;
    const [marked, rest] = chunk.split(HIGHLIGHT_END) as [string, string | undefined];
    return html`<mark>${marked}</mark>${rest ?? ''}`;
  });
  return html`${parts}`;
}

function paperEntry(p: Paper, snippet?: string | null): Html {
  return html`<article>
  <h2><a href="/papers/${p.id}">${p.title}</a></h2>
  <div class="meta">${authorsLine(p)} · ${dateOf(p)} · ${p.categories.map((c) => html`<span class="cat">${c}</span>`)}</div>
  <p class="abstract">${snippet ? highlighted(snippet) : p.abstract.length > 400 ? p.abstract.slice(0, 400) + '…' : p.abstract}</p>
</article>`;
}

export function searchPage(r: SearchResult): Html {
  const link = (page: number) => `/papers?q=${encodeURIComponent(r.query)}&p=${page}`;
  const from = (r.page - 1) * r.limit;
  const count = r.total === 0 ? 'No papers found' : `${r.totalIsExact ? '' : 'About '}${r.total.toLocaleString('en-US')} papers${r.hits.length ? `, ${from + 1}–${from + r.hits.length} shown` : ''}`;
  const body = html`<p class="meta">${count}</p>
    ${r.notes.map((n) => html`<p class="note">${n}</p>`)}
    ${r.hits.length === 0 ? html`<p>Try fewer or different words, remove a filter, or search for an arXiv id.</p>` : ''}
    ${r.hits.map((h) => paperEntry(h.paper, h.snippet))}
    <nav class="pages">
      ${r.page > 1 ? html`<a href="${link(r.page - 1)}">← Previous</a>` : html`<span></span>`}
      ${from + r.hits.length < r.total ? html`<a href="${link(r.page + 1)}">Next →</a>` : ''}</nav>`;
  return layout(`${r.query} – search`, body, r.query);
}

export function paperListPage(o: { papers: Paper[]; page: number; hasNext: boolean }): Html {
  const body = o.papers.length
    ? html`${o.papers.map((p) => paperEntry(p))}<nav class="pages">
        ${o.page > 1 ? html`<a href="/?p=${o.page - 1}">← Newer</a>` : html`<span></span>`}
        ${o.hasNext ? html`<a href="/?p=${o.page + 1}">Older →</a>` : ''}</nav>`
    : html`<p>No papers yet. Run <code>paperboy harvest</code> or <code>paperboy import FILE</code>, or wait for the daily harvest.</p>`;
  return layout('Newest papers', body);
}

export function paperPage(o: { paper: Paper; signals: Signal[] }): Html {
  const p = o.paper;
  return layout(p.title, html`<article>
  <h2>${p.title}</h2>
  <div class="meta">${authorsLine(p)}</div>
  <div class="meta">${p.categories.map((c) => html`<span class="cat">${c}</span>`)}</div>
  <p class="abstract">${p.abstract}</p>
  <ul class="meta">
    ${p.versions.map((v) => html`<li>v${v.version}: ${v.submittedAt ?? 'date unknown'}${v.size ? ` (${v.size})` : ''}</li>`)}
    ${p.comment ? html`<li>Comment: ${p.comment}</li>` : ''}
    ${p.journalRef ? html`<li>Journal reference: ${p.journalRef}</li>` : ''}
    ${p.doi ? html`<li>DOI: ${p.doi}</li>` : ''}
    ${o.signals.length ? html`<li>Signals: ${o.signals.length} observations</li>` : ''}
  </ul>
  <p><a href="${p.links.abs}">arXiv page</a> · <a href="${p.links.pdf}">PDF</a></p>
</article>`);
}

export function errorPage(status: number, title: string, message: string): Html {
  return layout(title, html`<h2>${status} · ${title}</h2><p>${message}</p><p><a href="/">Back to the newest papers</a></p>`);
}
