// /papers/{id}: one paper in full — formulas rendered, authors and categories linked,
// versions, references, the upvote button, why it is trending (the parts of its score),
// its signals over time and similar papers.

import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { Paper, Signal } from '../../papers/paper.js';
import { parseArxivId } from '../../papers/arxiv-id.js';
import { similarPapers } from '../../search/similar.js';
import type { VoteSummary } from '../../store/store.js';
import type { TrendingEntry } from '../../trending/index.js';
import { registerPaperMarkdown } from '../api/markdown.js';
import { signalCharts } from './chart.js';
import { texToText } from '../../digest/render/tex.js';
import type { PaperLinks } from '../../store/extras-store.js';
import { aiSummary, authorList, chips, dateLine, otherClasses, paperEntry, paperLinks, upvoteButton } from './components.js';
import { type PageContext, linksFor, votesFor, shareIfAnonymous } from './context.js';
import { formatDay } from './dates.js';
import { notHeldOffer } from './fetch-paper.js';
import { errorPage, metaDescription, layout, type Html } from './layout.js';
import { withMath } from './math.js';
import { citationLinks, citationMeta } from './citations.js';
import { paperActions } from './personal-actions.js';
import { readerOf } from './reader.js';
import { EMPTY_PROFILE } from '../../store/personal-store.js';
import type { Session } from './security.js';

export function registerPaper(app: Hono, ctx: PageContext): void {
  registerPaperMarkdown(app, ctx);
  app.get('/papers/:id{.+}', async (c) => {
    const parsed = parseArxivId(c.req.param('id'));
    const paper = parsed && (await ctx.store.getPaper(parsed.id));
    if (!paper) {
      if (!parsed) return c.html(errorPage(404, 'No such paper here', 'That is not an arXiv id (e.g. 2503.11731 or hep-th/9901001).'), 404);
      return c.html(notCollected(ctx, parsed.id, parsed.version, (await ctx.guard.session(c)).csrf), 404);
    }
    const session = await ctx.guard.session(c);
    // A recognised subscriber sees their own buttons: the page is theirs alone (readerOf says so to caches).
    const reader = await readerOf(c, ctx);
    const mine = reader && paperActions(paper, (await ctx.store.personalProfiles([reader.subscriber.id])).get(reader.subscriber.id) ?? EMPTY_PROFILE, session.csrf);
    if (!reader) shareIfAnonymous(c, session);
    // While the search index is still being built after a start, the page goes without similar papers.
    const similarNow = ctx.search.lexical.isReady() ? similarPapers(ctx.search, paper, 5) : [];
    const [signals, similar, trend] = await Promise.all([ctx.store.signalsFor(paper.id), similarNow, ctx.search.trending.explain(paper.id)]);
    const shown = [paper, ...similar.map((h) => h.paper)];
    const [votes, links] = await Promise.all([votesFor(ctx, shown, session.visitor), linksFor(ctx, shown)]);
    return c.html(paperPage(paper, { signals, similar: similar.map((h) => h.paper), votes, links, session, trend, mine }));
  });
}

/** A real arXiv id this collection does not hold: send the reader to arXiv (or fetch it) rather than a dead end. */
function notCollected(ctx: PageContext, id: string, version: number | null, csrf: string): Html {
  return layout(`arXiv:${id} is not in this collection`, html`<section class="error">
  <h1>arXiv:${id} is not in this collection</h1>
  <p class="status">Error 404</p>
  <p>This site has not collected that paper (yet).</p>
  ${notHeldOffer(ctx, id, version, csrf)}
  <p><a href="/">Back to the newest papers</a></p>
</section>`);
}

interface PaperView { signals: Signal[]; similar: Paper[]; votes: Map<string, VoteSummary>; links: Map<string, PaperLinks>; session: Session; trend: TrendingEntry | null; mine: Html | null }

const points = (x: number) => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(2)}`;
/** Parts of a score that come from engagement, not from the paper's age. */
const fromSignals = (c: { name: string; contribution: number }) => c.name !== 'freshness' && c.name !== 'age' && c.contribution > 0;

/**
 * Why the paper ranks where it does, for readers: only when it has engagement (a box of
 * age penalties explains nothing), its parts largest first, and a total that is never
 * shown below zero (the exact, possibly negative score is in the API and --explain).
 */
function whyTrending(t: TrendingEntry | null): Html {
  if (!t || !t.components.some(fromSignals)) return html``;
  const parts = t.components.filter((c) => Math.abs(c.contribution) >= 0.005).sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return html`<section class="why-trending" aria-labelledby="why-title">
  <h2 id="why-title">Why it is trending</h2>
  <p class="meta">Trending score <strong>${Math.max(0, t.score).toFixed(2)}</strong>${t.score < 0 ? ' (its age outweighs its engagement)' : ', the sum of these parts'}. Counts add points per doubling (twice the upvotes, one more point); recent gains add more; older papers lose points.</p>
  <dl class="facts">${parts.map((c) => html`<dt>${points(c.contribution)}</dt><dd>${c.label}</dd>`)}</dl>
</section>`;
}

function details(p: Paper): Html {
  const others = otherClasses(p.categories);
  const rows = [
    ...p.versions.map((ver) => html`<dt>v${ver.version}</dt><dd>${ver.submittedAt ? formatDay(ver.submittedAt.slice(0, 10)) : 'date unknown'}${ver.size ? ` · ${ver.size}` : ''}</dd>`),
    p.comment ? html`<dt>Comment</dt><dd>${withMath(p.comment)}</dd>` : null,
    p.journalRef ? html`<dt>Journal ref</dt><dd>${p.journalRef}</dd>` : null,
    p.doi ? html`<dt>DOI</dt><dd><a href="https://doi.org/${encodeURI(p.doi)}">${p.doi}</a></dd>` : null,
    p.license ? html`<dt>License</dt><dd>${p.license}</dd>` : null,
    others.length ? html`<dt>Classes</dt><dd>${others.join(', ')} <span class="meta">(MSC/ACM)</span></dd>` : null,
  ].filter((r) => r !== null);
  // No heading over nothing.
  if (!rows.length) return html``;
  return html`<h2>Details</h2>
  <dl class="facts">${rows}</dl>`;
}

function paperPage(p: Paper, v: PaperView) {
  const back = `/papers/${p.id}`;
  const links = v.links.get(p.id);
  const body = html`<article class="paper-page">
  <p class="meta">arXiv:${p.id}${dateLine(p)}</p>
  <h1>${withMath(p.title)}</h1>
  <div class="authors">${authorList(p, { max: 12, linked: true })}</div>
  ${chips(p.categories, { names: 'all' })}
  <div class="actions">
    ${upvoteButton({ paperId: p.id, votes: v.votes.get(p.id), csrf: v.session.csrf, back, large: true })}
    ${paperLinks(p, links, { large: true })}
  </div>
  ${v.mine ?? ''}
  ${aiSummary(links, { heading: true })}
  <h2>Abstract</h2>
  <p class="abstract-full">${withMath(p.abstract)}</p>
  ${details(p)}
  ${citationLinks(p)}
  ${whyTrending(v.trend)}
  ${signalCharts(v.signals)}
  <section class="similar" aria-labelledby="similar-title">
    <h2 id="similar-title">Similar papers</h2>
    ${v.similar.length
    ? v.similar.map((s) => paperEntry(s, { votes: v.votes.get(s.id), links: v.links.get(s.id), csrf: v.session.csrf, back }))
    : html`<p class="meta">No similar papers found yet.</p>`}
  </section>
</article>`;
  return layout(texToText(p.title), body, { math: true, head: citationMeta(p), description: metaDescription(texToText(p.abstract)) });
}
