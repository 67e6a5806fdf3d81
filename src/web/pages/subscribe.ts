// Subscribing: POST /subscribe (the box on every page, or the full form at GET
// /subscribe) and the confirmation link, GET/POST /subscribe/confirm. A valid request
// always gets the same "check your inbox" page, whether the address is new, pending,
// already subscribed or over its daily email limit, so the site tells nobody who is
// subscribed; only the email the address receives differs. Requests are limited per
// client address here and per email address in the subscription rules. The confirmation
// link shows a button rather than confirming on GET: mail scanners fetch links, people click.

import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { checkAddress } from '../../subscriptions/address.js';
import { describeSchedule, describeTopics, parsePreferences } from '../../subscriptions/preferences.js';
import type { PageContext } from './context.js';
import { errorPage, layout } from './layout.js';
import { badFormPage, field, readForm } from './form.js';
import { linkFailurePage, personalPage } from './link-pages.js';
import { preferenceFields, type PreferenceValues } from './preference-form.js';
import { limitPerClient } from './security.js';

export function registerSubscribe(app: Hono, ctx: PageContext): void {
  const subs = ctx.subscriptions;
  const limit = limitPerClient({ capacity: subs?.requestsPerHourPerIp ?? 20, periodMs: 3600_000, trustProxy: ctx.http?.trustProxy });
  const defaults = (): PreferenceValues => ({ topics: '', mode: 'only', hour: subs?.defaults.hour ?? 7, tz: subs?.defaults.timeZone ?? 'UTC', frequency: 'daily', weekday: 1 });

  const formPage = (c: Context, csrf: string, v: PreferenceValues, email: string, problems: string[] = [], status: 200 | 400 = 200) => c.html(layout('Subscribe', html`<section class="settings">
  <h1>Get trending papers by email</h1>
  <p class="lead">The papers drawing the most attention, once a day or once a week, at the hour you choose. Confirm by email; leave with one click.</p>
  ${problems.length ? html`<div class="notice problems" role="alert"><p>Please check:</p><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}
  <form method="post" action="/subscribe">
    <input type="hidden" name="csrf" value="${csrf}">
    <label>Email address <input type="email" name="email" required maxlength="254" value="${email}" autocomplete="email"></label>
    ${preferenceFields(v)}
    <div class="actions"><button class="primary" type="submit">Subscribe</button></div>
  </form>
</section>`), status);

  app.get('/subscribe', async (c) => {
    const session = await ctx.guard.session(c);
    return formPage(c, session.csrf, defaults(), '');
  });

  app.post('/subscribe', async (c) => {
    const form = await readForm(c);
    if (!form) return badFormPage(c);
    if (!(await ctx.guard.verify(c, field(form, 'csrf')))) {
      return c.html(errorPage(403, 'That form has expired', 'The form did not come with a valid token. Reload the page and try again.'), 403);
    }
    if (!subs) {
      return c.html(layout('Subscriptions are not enabled yet', html`<section class="empty">
  <h1>Subscriptions are not enabled yet</h1>
  <p>This site does not send the daily email yet, so your address was not stored. Please come back later.</p>
  <p>Meanwhile, the <a href="/feed.xml">RSS feed</a> brings you new papers, or <a href="/">browse the newest papers</a>.</p>
</section>`));
    }
    const allowed = limit(c);
    if (!allowed.ok) {
      c.header('Retry-After', String(allowed.retryAfterSeconds));
      return c.html(errorPage(429, 'Too many requests', `Please wait ${Math.ceil(allowed.retryAfterSeconds / 60)} minutes before subscribing again from here.`), 429);
    }
    const typed: PreferenceValues = {
      topics: field(form, 'topics') ?? '', mode: field(form, 'mode') ?? 'only', hour: Number(field(form, 'hour') ?? subs.defaults.hour),
      tz: field(form, 'tz') ?? subs.defaults.timeZone, frequency: field(form, 'frequency') ?? 'daily', weekday: Number(field(form, 'weekday') ?? 1),
    };
    const address = checkAddress(field(form, 'email'));
    const prefs = parsePreferences({
      topics: field(form, 'topics'), mode: field(form, 'mode'), hour: field(form, 'hour'), tz: field(form, 'tz'),
      frequency: field(form, 'frequency'), weekday: field(form, 'weekday'),
    }, subs.defaults);
    const problems = [...(address.ok ? [] : [address.reason]), ...(prefs.ok ? [] : prefs.problems)];
    if (!address.ok || !prefs.ok) {
      const session = await ctx.guard.session(c);
      const email = (field(form, 'email') ?? '').slice(0, 254);
      return formPage(c, session.csrf, { ...typed, hour: Number.isInteger(typed.hour) ? typed.hour : subs.defaults.hour }, email, problems, 400);
    }
    // Decided and mailed after this answer is written: it takes the same time whoever the address is.
    subs.request(address.email, prefs.prefs);
    personalPage(c);
    return c.html(layout('Check your inbox', html`<section class="notice-page">
  <h1>Check your inbox</h1>
  <p class="notice">We have sent an email to the address you entered. Follow its link to confirm your subscription — nothing is sent until you do.</p>
  <p>If the address is already subscribed, the email has a link to your settings instead. Nothing there after a few minutes? Check your spam folder, or try again later.</p>
  <p><a href="/">Back to the newest papers</a></p>
</section>`));
  });

  app.get('/subscribe/confirm', async (c) => {
    if (!subs) return c.notFound();
    const token = c.req.query('t');
    const r = await subs.checkConfirm(token);
    if (!r.ok) return linkFailurePage(c, r.reason, 'confirm');
    personalPage(c);
    return c.html(layout('Confirm your subscription', html`<section class="confirm">
  <h1>Confirm your subscription</h1>
  <p>You will get ${describeTopics(r.value)}, ${describeSchedule(r.value)}.</p>
  <form method="post" action="/subscribe/confirm">
    <input type="hidden" name="t" value="${token}">
    <button type="submit">Yes, send me the digest</button>
  </form>
</section>`));
  });

  // The signed single-use token is the proof: it was mailed to the address.
  app.post('/subscribe/confirm', async (c) => {
    if (!subs) return c.notFound();
    const form = await readForm(c);
    if (!form) return badFormPage(c);
    const r = await subs.confirm(field(form, 't') ?? c.req.query('t'));
    if (!r.ok) return linkFailurePage(c, r.reason, 'confirm');
    personalPage(c);
    const manage = await subs.links.manageUrl(r.value, new Date());
    return c.html(layout('Subscription confirmed', html`<section class="notice-page">
  <h1>You are subscribed</h1>
  <p class="notice">Your first digest comes ${describeSchedule(r.value)}, with ${describeTopics(r.value)}.</p>
  <p>Every digest has a link to change your topics or time, and to unsubscribe. You can also <a href="${new URL(manage).pathname + new URL(manage).search}">change your settings now</a>.</p>
</section>`));
  });
}
