// /unsubscribe?t=…: the link in every digest's footer and its List-Unsubscribe header.
// POST is RFC 8058 one-click: mail programs send `List-Unsubscribe=One-Click` with no
// cookie and no page visit, so the signed token in the URL is the only proof asked for
// (no CSRF token) and the change is made before the answer. GET only shows a button,
// because mail scanners and link previews fetch URLs nobody clicked.

import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { PageContext } from './context.js';
import { layout } from './layout.js';
import { field, readForm } from './form.js';
import { linkFailurePage, personalPage } from './link-pages.js';

export function registerUnsubscribe(app: Hono, ctx: PageContext): void {
  const subs = ctx.subscriptions;
  if (!subs) return;

  const done = (c: Context) => {
    personalPage(c);
    return c.html(layout('Unsubscribed', html`<section class="notice-page">
  <h1>You are unsubscribed</h1>
  <p class="notice">No more digests will be sent to this address.</p>
  <p>Changed your mind? Subscribe again from the <a href="/">home page</a> at any time.</p>
</section>`));
  };

  app.get('/unsubscribe', async (c) => {
    const token = c.req.query('t') ?? '';
    const r = await subs.open('unsubscribe', token);
    if (!r.ok) return linkFailurePage(c, r.reason, 'unsubscribe');
    if (r.value.status === 'unsubscribed') return done(c);
    personalPage(c);
    return c.html(layout('Unsubscribe', html`<section class="confirm">
  <h1>Unsubscribe from the digest?</h1>
  <p>No more digests will be sent to <strong>${r.value.email}</strong>.</p>
  <form method="post" action="/unsubscribe?t=${encodeURIComponent(token)}">
    <button type="submit">Unsubscribe</button>
  </form>
</section>`));
  });

  app.post('/unsubscribe', async (c) => {
    // A one-click unsubscribe needs only the token in the URL: a body that cannot be read is no reason to refuse it.
    const form = (await readForm(c)) ?? {};
    const token = c.req.query('t') ?? field(form, 't');
    const r = await subs.manage('unsubscribe', token, { kind: 'unsubscribe' });
    if (!r.ok) return linkFailurePage(c, r.reason, 'unsubscribe');
    return done(c);
  });
}
