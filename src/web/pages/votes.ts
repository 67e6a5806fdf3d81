// Upvotes: POST /papers/{id}/upvote and /papers/{id}/upvote/undo. One vote per visitor
// (cookie, handed out with the first vote), only from this site's pages (see
// security.ts), a per-address rate limit, and idempotent: voting twice or undoing nothing
// changes nothing. Forms get a redirect back; fetch() gets JSON.

import type { Hono } from 'hono';
import { parseArxivId } from '../../papers/arxiv-id.js';
import type { PageContext } from './context.js';
import { BAD_FORM_MESSAGE, readForm } from './form.js';
import { errorPage } from './layout.js';
import { limitPerClient, safeBack } from './security.js';

export const VOTES_PER_MINUTE = 30;

export function registerVotes(app: Hono, ctx: PageContext): void {
  const limit = limitPerClient({ capacity: VOTES_PER_MINUTE, periodMs: 60_000, trustProxy: ctx.http?.trustProxy });
  // One pattern for both actions: old-style ids contain a slash (hep-th/9901001).
  app.post('/papers/:rest{.+/upvote(/undo)?}', async (c) => {
    const rest = c.req.param('rest');
    const undo = rest.endsWith('/undo');
    const parsed = parseArxivId(rest.replace(/\/upvote(\/undo)?$/, ''));
    const wantsJson = (c.req.header('accept') ?? '').includes('application/json');
    const refuse = (status: 400 | 403 | 404 | 429, title: string, message: string) => (wantsJson
      ? c.json({ error: { code: ({ 400: 'bad_input', 403: 'forbidden', 404: 'not_found', 429: 'rate_limited' } as const)[status], message } }, status)
      : c.html(errorPage(status, title, message), status));

    const allowed = limit(c);
    if (!allowed.ok) {
      c.header('Retry-After', String(allowed.retryAfterSeconds));
      return refuse(429, 'Too many votes', `That is a lot of votes in a minute. Try again in ${allowed.retryAfterSeconds} seconds.`);
    }
    const form = await readForm(c);
    if (!form) return refuse(400, 'That form could not be read', BAD_FORM_MESSAGE);
    const visitor = await ctx.guard.voter(c, typeof form.csrf === 'string' ? form.csrf : undefined);
    if (!visitor) return refuse(403, 'Vote not accepted', 'Votes are taken only from this site\'s pages. Go back to the page, reload it and try again.');
    const paper = parsed && (await ctx.store.getPaper(parsed.id));
    if (!paper) return refuse(404, 'No such paper here', 'Paperboy has not ingested a paper with that id.');

    const changed = undo ? await ctx.store.removeVote(paper.id, visitor) : await ctx.store.addVote(paper.id, visitor);
    if (changed) ctx.pagesChanged();
    if (!wantsJson) return c.redirect(safeBack(form.back, `/papers/${paper.id}`), 303);
    const summary = (await ctx.store.voteSummaries([paper.id], visitor)).get(paper.id);
    const voted = summary?.voted ?? false;
    return c.json({
      paperId: paper.id, voted, count: (summary?.local ?? 0) + (summary?.imported ?? 0),
      action: `/papers/${paper.id}/upvote${voted ? '/undo' : ''}`,
    });
  });
}
