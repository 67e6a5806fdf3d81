// GET/POST /manage?t=…: a subscriber's settings, reached from the signed link in every
// email — no account, no password. Topics, hour, zone and frequency; pause and resume;
// alert emails on or off; unsubscribe. The forms carry the link's token and the site's CSRF check (the guard),
// and answer with a redirect back to the page (post/redirect/get).

import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { ALERT_KINDS, type AlertKind, type AlertSettings } from '../../store/alert-store.js';
import type { Subscriber } from '../../store/subscriber-store.js';
import type { ManageAction } from '../../subscriptions/manage.js';
import { describeSchedule, describeTopics, parsePreferences } from '../../subscriptions/preferences.js';
import { feedLinks } from '../feeds/routes.js';
import { OPML_TYPE, renderOpml, topicFeeds } from '../feeds/opml.js';
import type { PageContext } from './context.js';
import { errorPage, layout } from './layout.js';
import { badFormPage, field, readForm } from './form.js';
import { linkFailurePage, personalPage } from './link-pages.js';
import { preferenceFields, valuesOf, type PreferenceValues } from './preference-form.js';
import { privacySection } from './privacy.js';
import { rememberReader, tokenExpiry } from './reader.js';

const STATUS_LINE: Record<Subscriber['status'], string> = {
  active: 'Your subscription is active.',
  paused: 'Your subscription is paused: no digests until you resume it.',
  unsubscribed: 'You are unsubscribed: no digests are sent to this address.',
  bouncing: 'Mail to this address was refused several times, so digests stopped. Resume to try again.',
  pending: 'This subscription is waiting for its confirmation.',
};

const SAVED: Record<string, string> = {
  alerts: 'Your alert choices are saved.',
  update: 'Your settings are saved.', pause: 'Paused. Resume any time.', resume: 'Resumed: digests will come again.',
  unsubscribe: 'You are unsubscribed. No more digests will be sent.',
};

/** Each topic and category as a feed, and all of them as one OPML file. */
function topicFeedList(s: Subscriber, token: string) {
  const feeds = [...s.topics.map((q) => ({ label: `“${q}”`, links: feedLinks({ q }) })), ...s.categories.map((cat) => ({ label: cat, links: feedLinks({ cat }) }))];
  if (!feeds.length) return html``;
  return html`<section class="topic-feeds" aria-labelledby="feeds-title">
    <h2 id="feeds-title">Your topics as feeds</h2>
    <ul>${feeds.map((f) => html`<li>${f.label}: <a href="${f.links.rss}">RSS</a>, <a href="${f.links.atom}">Atom</a>, <a href="${f.links.json}">JSON Feed</a></li>`)}</ul>
    <p><a href="/manage/topics.opml?t=${encodeURIComponent(token)}">All of them as one OPML file</a> for your feed reader.</p>
  </section>`;
}

/** Alert emails, each kind on or off (both on unless turned off: the subscriber asked by following or saving). */
function alertsForm(settings: AlertSettings, hidden: ReturnType<typeof html>) {
  const box = (kind: AlertKind, label: string) => html`<label class="choice"><input type="checkbox" name="alert-${kind}" value="on"${settings[kind] ? html` checked` : ''}> ${label}</label>`;
  return html`<section class="alerts" aria-labelledby="alerts-title">
    <h2 id="alerts-title">Alert emails</h2>
    <p>Besides the digest, an email as soon as Paperboy has one of these (all of a round's in one email; each paper once):</p>
    <form method="post" action="/manage">${hidden}<input type="hidden" name="action" value="alerts">
      <fieldset><legend>Email me when</legend>
        ${box('followed-author', 'someone I follow has a new paper')}
        ${box('saved-version', 'a paper in my library has a new version')}
      </fieldset>
      <div class="actions"><button type="submit">Save alert choices</button></div>
    </form>
  </section>`;
}

export function registerManage(app: Hono, ctx: PageContext): void {
  const subs = ctx.subscriptions;
  if (!subs) return;

  const page = async (c: Context, token: string, s: Subscriber, csrf: string, o: { saved?: string; problems?: string[]; values?: PreferenceValues } = {}) => {
    personalPage(c);
    const hidden = html`<input type="hidden" name="t" value="${token}"><input type="hidden" name="csrf" value="${csrf}">`;
    const active = s.status === 'active';
    return c.html(layout('Your subscription', html`<section class="settings">
  <h1>Your subscription</h1>
  <p class="lead">For <strong>${s.email}</strong>: ${describeTopics(s)}, ${describeSchedule(s)}.</p>
  ${o.saved ? html`<p class="notice" role="status">${o.saved}</p>` : ''}
  ${o.problems?.length ? html`<div class="notice problems" role="alert"><p>Please check:</p><ul>${o.problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}
  <p>${STATUS_LINE[s.status]}</p>
  <form method="post" action="/manage">
    ${hidden}<input type="hidden" name="action" value="update">
    ${preferenceFields(o.values ?? valuesOf(s))}
    <div class="actions"><button class="primary" type="submit">Save settings</button></div>
  </form>
  ${alertsForm(await ctx.store.alertSettings(s.id), hidden)}
  ${topicFeedList(s, token)}
  ${privacySection(token, csrf)}
  <div class="actions">
    <form method="post" action="/manage">${hidden}<input type="hidden" name="action" value="${active ? 'pause' : 'resume'}">
      <button type="submit">${active ? 'Pause the digest' : s.status === 'paused' ? 'Resume the digest' : 'Subscribe again'}</button></form>
    ${s.status === 'unsubscribed' ? '' : html`<form method="post" action="/manage">${hidden}<input type="hidden" name="action" value="unsubscribe">
      <button type="submit">Unsubscribe</button></form>`}
  </div>
</section>`), o.problems?.length ? 400 : 200);
  };

  app.get('/manage', async (c) => {
    const token = c.req.query('t') ?? '';
    const r = await subs.open('manage', token);
    if (!r.ok) return linkFailurePage(c, r.reason, 'manage');
    if (r.value.status === 'pending') return linkFailurePage(c, 'pending', 'manage');
    const session = await ctx.guard.session(c);
    // The link proves the mailbox: this browser may now give feedback and open the library (reader.ts).
    rememberReader(c, ctx, token, await tokenExpiry(ctx, token));
    const saved = SAVED[c.req.query('saved') ?? ''];
    return page(c, token, r.value, session.csrf, saved ? { saved } : {});
  });

  // The subscriber's topics as feeds, for a feed reader (the same signed link opens it).
  app.get('/manage/topics.opml', async (c) => {
    const r = await subs.open('manage', c.req.query('t') ?? '');
    if (!r.ok) return linkFailurePage(c, r.reason, 'manage');
    personalPage(c);
    const origin = new URL(c.req.url).origin;
    c.header('Content-Disposition', 'attachment; filename="paperboy-topics.opml"');
    return c.body(renderOpml('Paperboy: your topics', topicFeeds(origin, r.value.topics, r.value.categories), new Date()), 200, { 'Content-Type': OPML_TYPE });
  });

  app.post('/manage', async (c) => {
    const form = await readForm(c);
    if (!form) return badFormPage(c);
    if (!(await ctx.guard.verify(c, field(form, 'csrf')))) {
      return c.html(errorPage(403, 'That form has expired', 'The form did not come from this site\'s page. Open the link from your email again and retry.'), 403);
    }
    const token = field(form, 't') ?? '';
    const kind = field(form, 'action');
    if (kind === 'alerts') {
      // Unticked boxes are not sent: every kind not ticked is off.
      const r = await subs.setAlerts('manage', token, Object.fromEntries(ALERT_KINDS.map((k) => [k, field(form, `alert-${k}`) === 'on'])));
      if (!r.ok) return linkFailurePage(c, r.reason, 'manage');
      personalPage(c);
      return c.redirect(`/manage?t=${encodeURIComponent(token)}&saved=alerts`, 303);
    }
    let action: ManageAction;
    if (kind === 'pause' || kind === 'resume' || kind === 'unsubscribe') action = { kind };
    else if (kind === 'update') {
      const prefs = parsePreferences({
        topics: field(form, 'topics'), mode: field(form, 'mode'), hour: field(form, 'hour'), tz: field(form, 'tz'),
        frequency: field(form, 'frequency'), weekday: field(form, 'weekday'),
      }, subs.defaults);
      if (!prefs.ok) {
        const r = await subs.open('manage', token);
        if (!r.ok) return linkFailurePage(c, r.reason, 'manage');
        const values: PreferenceValues = {
          topics: field(form, 'topics') ?? '', mode: field(form, 'mode') ?? 'only', hour: Number(field(form, 'hour')) || 0,
          tz: field(form, 'tz') ?? 'UTC', frequency: field(form, 'frequency') ?? 'daily', weekday: Number(field(form, 'weekday')) || 0,
        };
        return page(c, token, r.value, (await ctx.guard.session(c)).csrf, { problems: prefs.problems, values });
      }
      action = { kind: 'update', prefs: prefs.prefs };
    } else {
      return c.html(errorPage(400, 'Unknown action', 'Use the buttons on your settings page.'), 400);
    }
    const r = await subs.manage('manage', token, action);
    if (!r.ok) return linkFailurePage(c, r.reason, 'manage');
    personalPage(c);
    return c.redirect(`/manage?t=${encodeURIComponent(token)}&saved=${action.kind}`, 303);
  });
}
