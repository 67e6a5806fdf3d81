// /unsubscribe?t=…: the link in every digest's footer and its List-Unsubscribe header.
// POST is RFC 8058 one-click: mail programs send `List-Unsubscribe=One-Click` with no
// cookie and no page visit, so the signed token in the URL is the only proof asked for
// (no CSRF token) and the change is made before the answer. GET only shows a button,
// because mail scanners and link previews fetch URLs nobody clicked.
//
// /unsubscribe/alerts?t=…: the same for an alert email, whose list is the subscriber's
// alerts (List-Id alerts.DOMAIN): one click turns alert emails off, and the digest goes on.

import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { ALERT_KINDS } from '../../store/alert-store.js';
import type { PageContext } from './context.js';
import { layout } from './layout.js';
import { field, readForm } from './form.js';
import { linkFailurePage, personalPage } from './link-pages.js';

/** The path and query of a link, to link within the site. */
const local = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

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

  const alertsOff = (c: Context, manage: string) => {
    personalPage(c);
    return c.html(layout('Alerts turned off', html`<section class="notice-page">
  <h1>Alert emails are off</h1>
  <p class="notice">No more alert emails will be sent to this address. Your digest is not affected.</p>
  <p>To turn some alerts back on, or to leave the digest too, open <a href="${manage}">your settings</a>.</p>
</section>`));
  };
  const manageOf = async (s: { id: number }) => local(await subs.links.manageUrl(s, subs.now()));

  app.get('/unsubscribe/alerts', async (c) => {
    const token = c.req.query('t') ?? '';
    const r = await subs.open('alerts-off', token);
    if (!r.ok) return linkFailurePage(c, r.reason, 'unsubscribe');
    personalPage(c);
    return c.html(layout('Turn off alerts', html`<section class="confirm">
  <h1>Turn off alert emails?</h1>
  <p>No more alert emails (followed authors' new papers, new versions of saved papers) will be sent to <strong>${r.value.email}</strong>. The digest is not affected.</p>
  <form method="post" action="/unsubscribe/alerts?t=${encodeURIComponent(token)}">
    <button type="submit">Turn off alerts</button>
  </form>
</section>`));
  });

  app.post('/unsubscribe/alerts', async (c) => {
    // One-click (RFC 8058): the signed token in the URL is the only proof, as above.
    const form = (await readForm(c)) ?? {};
    const token = c.req.query('t') ?? field(form, 't');
    const r = await subs.setAlerts('alerts-off', token, Object.fromEntries(ALERT_KINDS.map((k) => [k, false])));
    if (!r.ok) return linkFailurePage(c, r.reason, 'unsubscribe');
    const s = await subs.open('alerts-off', token);
    return alertsOff(c, s.ok ? await manageOf(s.value) : '/');
  });

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
