// A paper this site does not hold: pages link to it on arXiv and, when the operator allows
// it (arxivApi.fetchOnRequest), offer a button that fetches it now. The button is a form
// post (fetching changes the database), accepted only from this site's pages, and
// limited per visitor address and for the whole site, so nobody can make the server
// hammer arXiv or fill the database.

import type { Hono } from 'hono';
import { html } from 'hono/html';
import { absUrl, parseArxivId } from '../../papers/arxiv-id.js';
import { keyedBuckets } from '../../rate-limit.js';
import type { PageContext } from './context.js';
import { BAD_FORM_MESSAGE, readForm } from './form.js';
import { errorPage, type Html } from './layout.js';
import { limitPerClient } from './security.js';

export const FETCHES_PER_HOUR_PER_CLIENT = 10;
export const FETCHES_PER_HOUR = 120;

/** "Read it on arXiv", and the fetch button when fetching is allowed. */
export function notHeldOffer(ctx: PageContext, id: string, version: number | null, csrf: string): Html {
  const abs = `${absUrl(id)}${version ? `v${version}` : ''}`;
  return html`<p><a href="${abs}">Read it on arXiv</a>${ctx.fetchPaper ? ', or add it to this site:' : '.'}</p>
${ctx.fetchPaper ? html`<form class="fetch-paper" method="post" action="/papers/${id}/fetch">
  <input type="hidden" name="csrf" value="${csrf}">
  <button type="submit">Fetch arXiv:${id} now</button>
</form>` : ''}`;
}

export function registerFetchPaper(app: Hono, ctx: PageContext): void {
  const perClient = limitPerClient({ capacity: FETCHES_PER_HOUR_PER_CLIENT, periodMs: 3_600_000, trustProxy: ctx.http?.trustProxy });
  const site = keyedBuckets({ capacity: FETCHES_PER_HOUR, periodMs: 3_600_000 });
  app.post('/papers/:rest{.+/fetch}', async (c) => {
    const fetchPaper = ctx.fetchPaper;
    if (!fetchPaper) return c.html(errorPage(404, 'Fetching is off', 'This site does not fetch papers on request.'), 404);
    const parsed = parseArxivId(c.req.param('rest').replace(/\/fetch$/, ''));
    if (!parsed) return c.html(errorPage(400, 'Not an arXiv id', 'That is not an arXiv id (e.g. 2503.11731 or hep-th/9901001).'), 400);
    const form = await readForm(c);
    if (!form) return c.html(errorPage(400, 'That form could not be read', BAD_FORM_MESSAGE), 400);
    if (!(await ctx.guard.verify(c, typeof form.csrf === 'string' ? form.csrf : undefined))) {
      return c.html(errorPage(403, 'Not accepted', 'Papers are fetched only from this site\'s pages. Go back, reload the page and try again.'), 403);
    }
    if (await ctx.store.getPaper(parsed.id)) return c.redirect(`/papers/${parsed.id}`, 303);
    const mine = perClient(c);
    const waitMs = mine.ok ? site.take('site') : mine.retryAfterSeconds * 1000;
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      c.header('Retry-After', String(seconds));
      return c.html(errorPage(429, 'Too many papers fetched', `Papers are fetched a few an hour. Try again in ${Math.ceil(seconds / 60)} minutes, or read it on arXiv meanwhile.`), 429);
    }
    // arXiv failing is an upstream error (502, said in the page); nothing is stored then.
    if (!(await fetchPaper(parsed.id))) return c.html(errorPage(404, 'Not on arXiv', `arXiv has no paper ${parsed.id}.`), 404);
    ctx.pagesChanged();
    return c.redirect(`/papers/${parsed.id}`, 303);
  });
}
