// The page frame every page shares: head (external CSS and the one script, as the CSP
// forbids inline script), a skip link, the header with the search box, and a footer.

import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { feedLinks } from '../feeds/routes.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface LayoutOptions {
  /** Pre-fills the search box. */
  query?: string;
  /** Load KaTeX's stylesheet (the page shows formulas). */
  math?: boolean;
  /** Which header link is the current section. */
  section?: 'home' | 'search';
  /** The feeds of the list this page shows (default: the newest papers). */
  feed?: { title: string; params: Parameters<typeof feedLinks>[0] };
  /** More of <head>: a paper's citation_* meta tags. */
  head?: Html;
  /** What search engines show under the title (default: what the site is). */
  description?: string;
}

const NEWEST = { title: 'Paperboy: newest papers', params: {} };
const SITE = 'Research papers from arXiv: the newest, the trending, and search by words and meaning.';

/** A description of at most about 160 characters, cut at a word, as search engines show. */
export function metaDescription(text: string, max = 160): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  return `${cut.slice(0, cut.lastIndexOf(' ') > max / 2 ? cut.lastIndexOf(' ') : cut.length)}…`;
}

export function layout(title: string, body: Html, o: LayoutOptions = {}): Html {
  const feed = o.feed ?? NEWEST;
  const links = feedLinks(feed.params);
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Paperboy</title>
<meta name="description" content="${o.description ?? SITE}">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css">
${o.math ? html`<link rel="stylesheet" href="/static/katex/katex.min.css">` : ''}
<link rel="alternate" type="application/rss+xml" title="${feed.title} (RSS)" href="${links.rss}">
<link rel="alternate" type="application/atom+xml" title="${feed.title} (Atom)" href="${links.atom}">
<link rel="alternate" type="application/feed+json" title="${feed.title} (JSON Feed)" href="${links.json}">
${o.head ?? ''}<script src="/static/upvote.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><div class="bar">
  <a class="brand" href="/"${o.section === 'home' ? html` aria-current="page"` : ''}><img src="/static/favicon.svg" alt="" width="24" height="24"> Paperboy</a>
  <form class="search" action="/papers" method="get" role="search">
    <label class="visually-hidden" for="q">Search papers</label>
    <input id="q" type="search" name="q" value="${o.query ?? ''}" maxlength="2000" autocomplete="off"
      placeholder="Search papers: words, &quot;a phrase&quot;, author:name, cat:cs.LG, an arXiv id">
    <button type="submit">Search</button>
  </form>
</div></header>
<main id="main" tabindex="-1">${body}</main>
<footer class="site"><p>Paperboy · research papers, newest and trending · Follow this list: <a href="${links.rss}">RSS</a>, <a href="${links.atom}">Atom</a>, <a href="${links.json}">JSON Feed</a> · <a href="/api/openapi.json">API</a></p></footer>
</body></html>`;
}

export function errorPage(status: number, title: string, message: string): Html {
  return layout(title, html`<section class="error">
  <h1>${title}</h1>
  <p class="status">Error ${status}</p>
  <p>${message}</p>
  <p><a href="/">Back to the newest papers</a></p>
</section>`);
}
