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
import { signalCharts } from './chart.js';
import { authorHref, chips, dateLine, paperEntry, upvoteButton } from './components.js';
import { type PageContext, votesFor, shareIfAnonymous } from './context.js';
import { formatDay } from './dates.js';
import { errorPage, layout, type Html } from './layout.js';
import { withMath } from './math.js';
import type { Session } from './security.js';

export function registerPaper(app: Hono, ctx: PageContext): void {
  app.get('/papers/:id{.+}', async (c) => {
    const parsed = parseArxivId(c.req.param('id'));
    const paper = parsed && (await ctx.store.getPaper(parsed.id));
    if (!paper) return c.html(errorPage(404, 'No such paper here', 'Paperboy has not ingested a paper with that id.'), 404);
    const session = await ctx.guard.session(c);
    shareIfAnonymous(c, session);
    const [signals, similar, trend] = await Promise.all([ctx.store.signalsFor(paper.id), similarPapers(ctx.search, paper, 5), ctx.search.trending.explain(paper.id)]);
    const votes = await votesFor(ctx, [paper, ...similar.map((h) => h.paper)], session.visitor);
    return c.html(paperPage(paper, { signals, similar: similar.map((h) => h.paper), votes, session, trend }));
  });
}

interface PaperView { signals: Signal[]; similar: Paper[]; votes: Map<string, VoteSummary>; session: Session; trend: TrendingEntry | null }

const points = (x: number) => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(2)}`;

/** The parts of the paper's trending score, largest first (those that round to nothing left out); they add up to the score. */
function whyTrending(t: TrendingEntry | null): Html {
  if (!t) return html``;
  const parts = t.components.filter((c) => Math.abs(c.contribution) >= 0.005).sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return html`<section class="why-trending" aria-labelledby="why-title">
  <h2 id="why-title">Why it is trending</h2>
  <p class="meta">Trending score <strong>${t.score.toFixed(2)}</strong>, the sum of these parts. Counts add points per doubling (twice the upvotes, one more point); recent gains add more; older papers lose points.</p>
  <dl class="facts">${parts.map((c) => html`<dt>${points(c.contribution)}</dt><dd>${c.label}</dd>`)}</dl>
</section>`;
}

function paperPage(p: Paper, v: PaperView) {
  const back = `/papers/${p.id}`;
  const body = html`<article class="paper-page">
  <p class="meta">arXiv:${p.id}${dateLine(p)}</p>
  <h1>${withMath(p.title)}</h1>
  <p class="authors">${p.authors.map((a, i) => html`${i ? ', ' : ''}<a href="${authorHref(a.name)}">${a.name}</a>`)}</p>
  ${chips(p.categories)}
  <div class="actions">
    ${upvoteButton({ paperId: p.id, votes: v.votes.get(p.id), csrf: v.session.csrf, back, large: true })}
    <a href="${p.links.abs}">arXiv page</a> <a href="${p.links.pdf}">PDF</a>
  </div>
  <h2>Abstract</h2>
  <p class="abstract-full">${withMath(p.abstract)}</p>
  <h2>Details</h2>
  <dl class="facts">
    ${p.versions.map((ver) => html`<dt>v${ver.version}</dt><dd>${ver.submittedAt ? formatDay(ver.submittedAt.slice(0, 10)) : 'date unknown'}${ver.size ? ` · ${ver.size}` : ''}</dd>`)}
    ${p.comment ? html`<dt>Comment</dt><dd>${withMath(p.comment)}</dd>` : ''}
    ${p.journalRef ? html`<dt>Journal ref</dt><dd>${p.journalRef}</dd>` : ''}
    ${p.doi ? html`<dt>DOI</dt><dd><a href="https://doi.org/${encodeURI(p.doi)}">${p.doi}</a></dd>` : ''}
    ${p.license ? html`<dt>License</dt><dd>${p.license}</dd>` : ''}
  </dl>
  ${whyTrending(v.trend)}
  ${signalCharts(v.signals)}
  <section class="similar" aria-labelledby="similar-title">
    <h2 id="similar-title">Similar papers</h2>
    ${v.similar.length
    ? v.similar.map((s) => paperEntry(s, { votes: v.votes.get(s.id), csrf: v.session.csrf, back }))
    : html`<p class="meta">No similar papers found yet.</p>`}
  </section>
</article>`;
  return layout(p.title, body, { math: true });
}
