// POST /subscribe: the subscribe box's target. The email digest is not built yet, so it
// checks the form token and says so plainly; no address is stored or logged.

import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { PageContext } from './context.js';
import { errorPage, layout } from './layout.js';

export function registerSubscribe(app: Hono, ctx: PageContext): void {
  app.post('/subscribe', async (c) => {
    const form = await c.req.parseBody();
    if (!(await ctx.guard.verify(c, typeof form.csrf === 'string' ? form.csrf : undefined))) {
      return c.html(errorPage(403, 'That form has expired', 'The form did not come with a valid token. Reload the page and try again.'), 403);
    }
    return c.html(layout('Subscriptions are not enabled yet', html`<section class="empty">
  <h1>Subscriptions are not enabled yet</h1>
  <p>This site does not send the daily email yet, so your address was not stored. Please come back later.</p>
  <p>Meanwhile, the <a href="/feed.xml">RSS feed</a> brings you new papers, or <a href="/">browse the newest papers</a>.</p>
</section>`));
  });
}
