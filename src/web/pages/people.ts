// /personal/people?name=…: the people who publish under one name, each with their
// papers, co-authors and categories, so a subscriber who follows the name picks the
// right one. Picking posts that person's papers; the digest then brings the new papers
// that share a co-author or a category with them (src/personal/people.ts). Opened after
// following a name that several people share, and from the library's follows.

import type { Hono } from 'hono';
import { html } from 'hono/html';
import { hasAuthor, peopleNamed, type Person } from '../../personal/people.js';
import { search } from '../../search/search.js';
import { EMPTY_PROFILE, type Rule } from '../../store/personal-store.js';
import type { PageContext } from './context.js';
import { errorPage, layout } from './layout.js';
import { field } from './form.js';
import { personalPage } from './link-pages.js';
import type { checkedPost } from './personal-actions.js';
import { notRecognised } from './personal-actions.js';
import { readerOf } from './reader.js';

/** Papers under a name read to tell its people apart: the most recent. */
const PAPERS_READ = 100;
/** People listed, and papers of each: the rest are counted. */
const PEOPLE_SHOWN = 8;
const PAPERS_SHOWN = 5;
/** Papers a pick remembers for a person. */
const PAPERS_KEPT = 20;

export const cleanName = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** The people who publish as `name` among the most recent papers under it. */
export async function peopleOf(ctx: PageContext, name: string): Promise<Person[]> {
  const r = await search(ctx.search, `author:"${name.replaceAll('"', '')}"`, { limit: PAPERS_READ, sort: 'newest', snippets: false });
  return peopleNamed(name, r.hits.map((h) => h.paper));
}

export const peopleUrl = (name: string, note?: 'followed' | 'picked') => `/personal/people?name=${encodeURIComponent(name)}${note ? `&${note}=1` : ''}`;

function personItem(name: string, p: Person, followed: Rule | undefined, csrf: string, n: number) {
  const current = !!followed?.papers?.length && p.papers.some((x) => followed.papers!.includes(x.id));
  const title = `${name}${p.coauthors.length ? `, with ${p.coauthors.slice(0, 3).join(', ')}${p.coauthors.length > 3 ? ' and others' : ''}` : ''}`;
  return html`<li${current ? html` class="current"` : ''}>
  <h2 id="person-${n}">${title}</h2>
  <p class="meta">${p.categories.slice(0, 6).join(', ')} · ${p.papers.length} ${p.papers.length === 1 ? 'paper' : 'papers'}</p>
  <ul>${p.papers.slice(0, PAPERS_SHOWN).map((x) => html`<li><a href="/papers/${x.id}">${x.title}</a> <span class="meta">${x.announcedAt ?? x.submittedAt?.slice(0, 10) ?? ''}</span></li>`)}</ul>
  ${current ? html`<p><strong>The one you follow.</strong></p>` : html`<form method="post" action="/personal/people">
    <input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="name" value="${name}">
    <input type="hidden" name="papers" value="${p.papers.slice(0, PAPERS_KEPT).map((x) => x.id).join(' ')}">
    <button type="submit" aria-describedby="person-${n}">Follow this ${name}</button>
  </form>`}
</li>`;
}

function peoplePage(name: string, people: Person[], followed: Rule | undefined, csrf: string, note: { followed: boolean; picked: boolean }) {
  const shown = people.slice(0, PEOPLE_SHOWN);
  const rest = people.slice(PEOPLE_SHOWN).reduce((n, p) => n + p.papers.length, 0);
  return layout(`Which ${name}?`, html`<section class="settings library people">
  <h1>Which ${name}?</h1>
  ${note.picked ? html`<p class="notice" role="status">Done: your digest now brings the new papers of the ${name} marked below.</p>` : ''}
  ${note.followed ? html`<p class="notice" role="status">You now follow ${name}, the one of the paper you came from. Several people publish under this name: check that it is the right one.</p>` : ''}
  ${!followed ? html`<p>You do not follow ${name}. Follow an author from one of their papers.</p>`
    : !followed.papers?.length ? html`<p>You follow the name ${name}: your digest brings papers by anyone called so. Choose the person you mean.</p>` : ''}
  <p>${people.length === 1 ? html`The recent papers under ${name} seem to be one person’s.`
    : html`The recent papers under ${name} seem to be by ${people.length} different people, told apart by their co-authors.`}
    A new paper is theirs when it shares a co-author or a category with the papers listed.</p>
  <ol class="people-list">${shown.map((p, n) => personItem(name, p, followed, csrf, n))}</ol>
  ${rest ? html`<p class="meta">And ${rest} more ${rest === 1 ? 'paper' : 'papers'} by others of this name.</p>` : ''}
  <p><a href="/library">Back to your library</a></p>
</section>`);
}

export function registerPeople(app: Hono, ctx: PageContext, checked: typeof checkedPost): void {
  app.get('/personal/people', async (c) => {
    const reader = await readerOf(c, ctx);
    if (!reader) return notRecognised(c);
    const name = cleanName(c.req.query('name'));
    if (!name || name.length > 200) return c.html(errorPage(400, 'Which name?', 'Open this page from a followed author in your library.'), 400);
    const profile = (await ctx.store.personalProfiles([reader.subscriber.id])).get(reader.subscriber.id) ?? EMPTY_PROFILE;
    const followed = profile.rules.find((r) => r.kind === 'follow-author' && r.value === name);
    personalPage(c);
    return c.html(peoplePage(name, await peopleOf(ctx, name), followed, (await ctx.guard.session(c)).csrf,
      { followed: c.req.query('followed') === '1', picked: c.req.query('picked') === '1' }));
  });

  app.post('/personal/people', async (c) => {
    const r = await checked(c, ctx);
    if (r instanceof Response) return r;
    const name = cleanName(field(r.form, 'name'));
    const ids = (field(r.form, 'papers') ?? '').split(/\s+/).filter(Boolean).slice(0, PAPERS_KEPT);
    // Only papers that carry the name can say who this person is.
    const papers = name && name.length <= 200 ? (await ctx.store.getPapers(ids)).filter((p) => hasAuthor(name, p)) : [];
    if (!papers.length) return c.html(errorPage(400, 'That person could not be read', 'Choose a person from the list of people who share the name.'), 400);
    const follow = { kind: 'follow-author' as const, value: name };
    await ctx.store.changePersonal(r.subscriberId, { rules: { remove: [follow], add: [{ ...follow, papers: papers.map((p) => p.id) }] } }, (ctx.subscriptions?.now() ?? new Date()).toISOString());
    return c.redirect(peopleUrl(name, 'picked'), 303);
  });
}
