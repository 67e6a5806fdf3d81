// /feedback?a=more|less|save&p=ID&t=…: the one-click links of every digest paper. GET
// shows the paper and a button and records nothing (mail scanners and link previews
// fetch every URL); the button posts, the signed single-use link is the proof (it was
// mailed to the subscriber), and the answer says what was recorded, what the digest
// will now do differently, and offers undo. Recording also remembers the subscriber in
// this browser (reader.ts), so the site's own buttons work from then on.

import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { Paper } from '../../papers/paper.js';
import { checkFeedbackLink, feedbackChange, recordFromLink, whatChanges, type FeedbackAction, type FeedbackLink } from '../../personal/feedback.js';
import { EMPTY_PROFILE } from '../../store/personal-store.js';
import { texToText } from '../../digest/render/tex.js';
import type { PageContext } from './context.js';
import { errorPage, layout } from './layout.js';
import { badFormPage, field, readForm } from './form.js';
import { linkFailurePage, personalPage } from './link-pages.js';
import { readerToken, rememberReader } from './reader.js';

const ASK: Record<FeedbackAction, { title: string; button: string; done: string }> = {
  more: { title: 'More papers like this one?', button: 'Yes, more like this', done: 'Noted: more like this' },
  less: { title: 'Fewer papers like this one?', button: 'Yes, less like this', done: 'Noted: less like this' },
  save: { title: 'Save this paper to your library?', button: 'Save it', done: 'Saved to your library' },
};

export function registerFeedback(app: Hono, ctx: PageContext): void {
  const subs = ctx.subscriptions;
  if (!subs) return;
  const query = (c: Context, form: Record<string, unknown> = {}) => ({
    a: field(form, 'a') ?? c.req.query('a'), p: field(form, 'p') ?? c.req.query('p'), t: field(form, 't') ?? c.req.query('t'),
  });
  const paperOf = async (c: Context, link: FeedbackLink): Promise<Paper | Response> =>
    (await ctx.store.getPaper(link.paperId)) ?? c.html(errorPage(404, 'That paper is no longer here', 'It was removed from this collection, so there is nothing to record.'), 404);
  const hidden = (q: ReturnType<typeof query>) => html`<input type="hidden" name="a" value="${q.a}"><input type="hidden" name="p" value="${q.p}"><input type="hidden" name="t" value="${q.t}">`;

  app.get('/feedback', async (c) => {
    const q = query(c);
    const r = await checkFeedbackLink(subs.links, q, subs.now());
    if (!r.ok) return linkFailurePage(c, r.reason, 'manage');
    const paper = await paperOf(c, r.value);
    if (paper instanceof Response) return paper;
    personalPage(c);
    const ask = ASK[r.value.action];
    return c.html(layout(ask.title, html`<section class="confirm">
  <h1>${ask.title}</h1>
  <p><a href="/papers/${paper.id}">${texToText(paper.title)}</a></p>
  <form method="post" action="/feedback">${hidden(q)}
    <button class="primary" type="submit">${ask.button}</button>
  </form>
  <p class="meta">Nothing is recorded until you press the button, so programs that open links in emails to check them cannot record anything for you.</p>
</section>`));
  });

  app.post('/feedback', async (c) => {
    const form = await readForm(c);
    if (!form) return badFormPage(c);
    const q = query(c, form);
    const now = subs.now();
    const r = await checkFeedbackLink(subs.links, q, now);
    if (!r.ok) return linkFailurePage(c, r.reason, 'manage');
    const link = r.value;
    const paper = await paperOf(c, link);
    if (paper instanceof Response) return paper;
    const undo = field(form, 'undo') === '1';
    personalPage(c);
    if (undo) {
      // Undoing needs only a genuine link: it is how a click made by mistake is taken back.
      await ctx.store.changePersonal(link.subscriberId, feedbackChange(link.action, paper, true), now.toISOString());
    } else {
      const outcome = await recordFromLink(ctx.store, link, paper, now);
      if (outcome === 'unknown') return linkFailurePage(c, 'unknown', 'manage');
      if (outcome === 'used') {
        return c.html(errorPage(410, 'This link was already used', 'Each feedback link in a digest works once. Use the buttons on the paper’s page instead; they work in this browser once you have opened your settings from a digest.'), 410);
      }
    }
    const reader = await readerToken(ctx, link.subscriberId);
    rememberReader(c, ctx, reader.token, reader.expires);
    const profile = (await ctx.store.personalProfiles([link.subscriberId])).get(link.subscriberId) ?? EMPTY_PROFILE;
    const title = undo ? 'Undone' : ASK[link.action].done;
    return c.html(layout(title, html`<section class="notice-page">
  <h1>${title}</h1>
  <p><a href="/papers/${paper.id}">${texToText(paper.title)}</a></p>
  <h2>What changes</h2>
  <p class="notice" role="status">${whatChanges(link.action, profile, undo)}</p>
  ${undo ? '' : html`<form method="post" action="/feedback">${hidden(q)}<input type="hidden" name="undo" value="1">
    <button type="submit">Undo</button>
  </form>`}
  <p><a href="/library">Your library</a> · <a href="/manage?t=${encodeURIComponent(reader.token)}">Your settings</a></p>
</section>`));
  });
}
