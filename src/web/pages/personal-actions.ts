// The website's side of a subscriber's feedback, for a browser that holds their signed
// cookie (reader.ts): more / less like this, save, and follow an author on a paper's
// page (that paper's person: people.ts); never-show rules and follows from the library page. Form posts with the site's
// CSRF check, answered with a redirect back (post/redirect/get); without the cookie, a
// page says how to get it (open the settings link of any digest).

import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { Paper } from '../../papers/paper.js';
import { feedbackChange, isFeedbackAction } from '../../personal/feedback.js';
import { hasAuthor } from '../../personal/people.js';
import { RULE_KINDS, type PersonalProfile, type RuleKind } from '../../store/personal-store.js';
import type { PageContext } from './context.js';
import { errorPage, type Html } from './layout.js';
import { badFormPage, field, readForm, type Form } from './form.js';
import { personalPage } from './link-pages.js';
import { peopleOf, peopleUrl, registerPeople } from './people.js';
import { readerOf } from './reader.js';
import { safeBack } from './security.js';

export function notRecognised(c: Context): Response {
  personalPage(c);
  return c.html(errorPage(403, 'Open your settings from a digest first', 'Your library and feedback are tied to your subscription, without a password: follow the “Change topics or time” link at the bottom of any digest, and this browser will be recognised.'), 403) as Response;
}

/** The buttons under a paper for a recognised subscriber. */
export function paperActions(p: Paper, profile: PersonalProfile, csrf: string): Html {
  const kind = profile.feedback.find((f) => f.paperId === p.id)?.kind;
  const saved = profile.library.some((i) => i.paperId === p.id);
  const followed = new Set(profile.rules.filter((r) => r.kind === 'follow-author').map((r) => r.value));
  const back = `/papers/${p.id}`;
  const hidden = html`<input type="hidden" name="p" value="${p.id}"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="back" value="${back}">`;
  const toggle = (action: string, on: boolean, label: string, undo: string) => (on
    ? html`<button type="submit" name="undo" value="${action}" aria-pressed="true">${undo}</button>`
    : html`<button type="submit" name="a" value="${action}" aria-pressed="false">${label}</button>`);
  const authors = p.authors.map((a) => a.name).filter((n) => !followed.has(n));
  return html`<section class="for-you" aria-labelledby="for-you-title">
  <h2 id="for-you-title">For your digest</h2>
  <form method="post" action="/personal/paper" class="actions-links">${hidden}
    ${toggle('more', kind === 'more', 'More like this', 'Liked: undo')}
    ${toggle('less', kind === 'less', 'Less like this', 'Marked less: undo')}
    ${toggle('save', saved, 'Save to my library', 'Saved: remove')}
  </form>
  ${authors.length ? html`<form method="post" action="/personal/rules" class="actions-links">
    <input type="hidden" name="kind" value="follow-author"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="back" value="${back}"><input type="hidden" name="p" value="${p.id}">
    <label for="follow-author">Follow an author (their new papers come first in your digest, and by email as they arrive)</label>
    <select id="follow-author" name="value">${authors.map((n) => html`<option>${n}</option>`)}</select>
    <button type="submit" name="op" value="add">Follow</button>
  </form>` : ''}
</section>`;
}

/** A personal form post: read, checked against CSRF, from a recognised subscriber; else the page to answer with. */
export async function checkedPost(c: Context, ctx: PageContext): Promise<{ form: Form; subscriberId: number } | Response> {
  const form = await readForm(c);
  if (!form) return badFormPage(c);
  if (!(await ctx.guard.verify(c, field(form, 'csrf')))) {
    return c.html(errorPage(403, 'That form has expired', 'The form did not come from this site’s page. Reload the page and try again.'), 403) as Response;
  }
  const reader = await readerOf(c, ctx);
  return reader ? { form, subscriberId: reader.subscriber.id } : notRecognised(c);
}

export function registerPersonalActions(app: Hono, ctx: PageContext): void {
  const checked = (c: Context) => checkedPost(c, ctx);
  const now = () => (ctx.subscriptions?.now() ?? new Date()).toISOString();

  app.post('/personal/paper', async (c) => {
    const r = await checked(c);
    if (r instanceof Response) return r;
    const undo = field(r.form, 'undo');
    const action = undo ?? field(r.form, 'a');
    const paper = await ctx.store.getPaper(field(r.form, 'p') ?? '');
    if (!isFeedbackAction(action) || !paper) return c.html(errorPage(400, 'Unknown paper or action', 'Use the buttons on a paper’s page.'), 400);
    await ctx.store.changePersonal(r.subscriberId, feedbackChange(action, paper, undo !== undefined), now());
    return c.redirect(safeBack(field(r.form, 'back'), `/papers/${paper.id}`), 303);
  });

  app.post('/personal/rules', async (c) => {
    const r = await checked(c);
    if (r instanceof Response) return r;
    const kind = field(r.form, 'kind') as RuleKind;
    const value = (field(r.form, 'value') ?? '').replace(/\s+/g, ' ').trim();
    const op = field(r.form, 'op');
    if (!RULE_KINDS.includes(kind) || !value || value.length > 200 || (op !== 'add' && op !== 'remove')) {
      return c.html(errorPage(400, 'That rule could not be read', 'Give a word, category or author name of at most 200 characters.'), 400);
    }
    // Following from a paper follows that paper's person: it is remembered to tell them from namesakes.
    const from = kind === 'follow-author' && op === 'add' ? await ctx.store.getPaper(field(r.form, 'p') ?? '') : null;
    const papers = from && hasAuthor(value, from) ? [from.id] : undefined;
    await ctx.store.changePersonal(r.subscriberId, { rules: { [op]: [{ kind, value, ...(papers ? { papers } : {}) }] } }, now());
    // Several people under this name: the subscriber checks it is the right one.
    if (papers && (await peopleOf(ctx, value)).length > 1) return c.redirect(peopleUrl(value, 'followed'), 303);
    return c.redirect(safeBack(field(r.form, 'back'), '/library'), 303);
  });

  app.post('/personal/library', async (c) => {
    const r = await checked(c);
    if (r instanceof Response) return r;
    const key = field(r.form, 'key');
    if (key) await ctx.store.changePersonal(r.subscriberId, { library: { remove: [key] } }, now());
    return c.redirect('/library', 303);
  });

  registerPeople(app, ctx, checkedPost);
}
