// A subscriber's data, theirs to take and to delete, from the manage page: everything
// Paperboy holds about them as one JSON file (settings, feedback, library, rules, every
// digest recorded), and erasing it all. Erasing deletes the subscriber's row, and every
// table that holds their data cascades from it (migrations 005 and 009): nothing stays.

import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { EMPTY_PROFILE } from '../../store/personal-store.js';
import type { Subscriber } from '../../store/subscriber-store.js';
import type { PageContext } from './context.js';
import { errorPage, layout, type Html } from './layout.js';
import { badFormPage, field, readForm } from './form.js';
import { linkFailurePage, personalPage } from './link-pages.js';
import { forgetReader } from './reader.js';

/** The manage page's section: download and delete. */
export function privacySection(token: string, csrf: string): Html {
  return html`<section class="privacy" aria-labelledby="privacy-title">
  <h2 id="privacy-title">Your data</h2>
  <p><a href="/library">Your library, follows and never-show rules</a></p>
  <p><a href="/manage/data.json?t=${encodeURIComponent(token)}" download>Download everything Paperboy holds about you</a> (JSON: settings, feedback, library, alert choices, digests and alert emails sent).</p>
  <form method="post" action="/manage/erase">
    <input type="hidden" name="t" value="${token}"><input type="hidden" name="csrf" value="${csrf}">
    <label class="choice"><input type="checkbox" name="sure" value="yes" required> Delete my subscription and everything about me, for good</label>
    <div class="actions"><button type="submit">Delete everything</button></div>
  </form>
</section>`;
}

/** Everything held about a subscriber, minus the secrets of their links. */
export async function subscriberData(ctx: PageContext, s: Subscriber) {
  const { confirmNonce: _nonce, ...subscriber } = s;
  const profile = (await ctx.store.personalProfiles([s.id])).get(s.id) ?? EMPTY_PROFILE;
  return { exportedAt: (ctx.subscriptions?.now() ?? new Date()).toISOString(), subscriber, ...profile, alerts: await ctx.store.alertSettings(s.id), digests: await ctx.store.digestsOf(s.id) };
}

export function registerPrivacy(app: Hono, ctx: PageContext): void {
  const subs = ctx.subscriptions;
  if (!subs) return;

  app.get('/manage/data.json', async (c) => {
    const r = await subs.open('manage', c.req.query('t') ?? '');
    if (!r.ok) return linkFailurePage(c, r.reason, 'manage');
    personalPage(c);
    c.header('Content-Disposition', 'attachment; filename="paperboy-my-data.json"');
    return c.body(`${JSON.stringify(await subscriberData(ctx, r.value), null, 2)}\n`, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });

  app.post('/manage/erase', async (c: Context) => {
    const form = await readForm(c);
    if (!form) return badFormPage(c);
    if (!(await ctx.guard.verify(c, field(form, 'csrf')))) {
      return c.html(errorPage(403, 'That form has expired', 'The form did not come from this site\'s page. Open the link from your email again and retry.'), 403);
    }
    const r = await subs.open('manage', field(form, 't') ?? '');
    if (!r.ok) return linkFailurePage(c, r.reason, 'manage');
    if (field(form, 'sure') !== 'yes') return c.html(errorPage(400, 'Nothing was deleted', 'Tick the box to say you are sure, then press the button again.'), 400);
    await subs.remove(r.value.email, { erase: true });
    forgetReader(c);
    personalPage(c);
    return c.html(layout('Everything is deleted', html`<section class="notice-page">
  <h1>Everything is deleted</h1>
  <p class="notice" role="status">Your subscription, settings, feedback, library and the record of digests sent to you are gone. No more email will come.</p>
  <p><a href="/">Back to the newest papers</a></p>
</section>`));
  });
}
