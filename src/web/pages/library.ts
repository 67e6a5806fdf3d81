// /library: a subscriber's saved and imported papers, their follows and never-show
// rules, exports (BibTeX, RIS, CSL-JSON) and an import form. Opened with the browser's
// subscriber cookie (reader.ts), or once with the manage link's token, which sets it.

import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { Paper } from '../../papers/paper.js';
import { exportLibrary, FORMATS, parseImport, type CitationFormat } from '../../personal/library.js';
import { EMPTY_PROFILE, type LibraryItem, type PersonalProfile, type Rule } from '../../store/personal-store.js';
import type { PageContext } from './context.js';
import { layout } from './layout.js';
import { badFormPage, field, readForm } from './form.js';
import { linkFailurePage, personalPage } from './link-pages.js';
import { notRecognised } from './personal-actions.js';
import { peopleUrl } from './people.js';
import { readerOf, rememberReader, tokenExpiry } from './reader.js';

const RULE_LABEL: Record<Rule['kind'], string> = {
  'follow-author': 'Followed author', 'follow-search': 'Saved search', 'hide-word': 'Never show papers with the word', 'hide-category': 'Never show the category', 'hide-author': 'Never show papers by',
};
const EXTENSIONS: Record<string, CitationFormat> = { bib: 'bibtex', ris: 'ris', json: 'csl-json' };

function itemLine(i: LibraryItem, csrf: string) {
  const year = i.item.issued?.['date-parts']?.[0]?.[0];
  const authors = (i.item.author ?? []).slice(0, 4).map((a) => a.literal ?? [a.given, a.family].filter(Boolean).join(' ')).join(', ');
  return html`<li>
    ${i.paperId ? html`<a href="/papers/${i.paperId}">${i.item.title}</a>` : i.item.title}
    <span class="meta">${[authors, year, i.source === 'import' ? 'imported' : 'saved'].filter(Boolean).join(' · ')}</span>
    <form method="post" action="/personal/library" class="inline"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="key" value="${i.key}">
      <button type="submit">Remove<span class="visually-hidden"> ${i.item.title}</span></button></form>
  </li>`;
}

function ruleLine(r: Rule, csrf: string) {
  return html`<li>${RULE_LABEL[r.kind]}: <strong>${r.value}</strong>
    ${r.kind === 'follow-author' ? html`<a href="${peopleUrl(r.value)}">${r.papers?.length ? 'Not the right one?' : 'Which one?'}<span class="visually-hidden"> ${r.value}</span></a>` : ''}
    <form method="post" action="/personal/rules" class="inline"><input type="hidden" name="csrf" value="${csrf}">
      <input type="hidden" name="kind" value="${r.kind}"><input type="hidden" name="value" value="${r.value}"><input type="hidden" name="back" value="/library">
      <button type="submit" name="op" value="remove">Remove<span class="visually-hidden"> ${r.value}</span></button></form></li>`;
}

function libraryPage(p: PersonalProfile, csrf: string, o: { imported?: number; errors?: { line: number; message: string }[] }) {
  return layout('Your library', html`<section class="settings library">
  <h1>Your library</h1>
  ${o.imported !== undefined ? html`<p class="notice" role="status">Imported ${o.imported} ${o.imported === 1 ? 'entry' : 'entries'}. Your next digest learns from them.</p>` : ''}
  ${o.errors ? html`<div class="notice problems" role="alert"><p>Nothing was imported: please fix ${o.errors.length === 1 ? 'this line' : 'these lines'} and try again.</p>
    <ul>${o.errors.slice(0, 50).map((e) => html`<li>Line ${e.line}: ${e.message}</li>`)}</ul>${o.errors.length > 50 ? html`<p>…and ${o.errors.length - 50} more.</p>` : ''}</div>` : ''}
  <p>Papers you saved or imported. Your digest ranks papers like these higher.</p>
  ${p.library.length ? html`<ul class="library-items">${p.library.map((i) => itemLine(i, csrf))}</ul>
  <p>Export: ${(Object.entries(EXTENSIONS)).map(([ext, f], n) => html`${n ? ' · ' : ''}<a href="/library/export.${ext}" download>${FORMATS[f].label}</a>`)}</p>` : html`<p class="meta">Nothing saved yet.</p>`}
  <h2>Import a library</h2>
  <form method="post" action="/library/import" enctype="multipart/form-data">
    <input type="hidden" name="csrf" value="${csrf}">
    <label for="library-file">A BibTeX, RIS or CSL-JSON file (Zotero exports all three)</label>
    <input id="library-file" type="file" name="file" accept=".bib,.bibtex,.ris,.json,text/plain,application/json">
    <label for="library-text">Or paste its text</label>
    <textarea id="library-text" name="text" rows="5"></textarea>
    <div class="actions"><button class="primary" type="submit">Import</button></div>
  </form>
  <h2>Follows and never-show rules</h2>
  ${p.rules.length ? html`<ul>${p.rules.map((r) => ruleLine(r, csrf))}</ul>` : html`<p class="meta">None yet. Follow an author from a paper’s page.</p>`}
  <form method="post" action="/personal/rules">
    <input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="back" value="/library">
    <label for="rule-kind">Rule</label>
    <select id="rule-kind" name="kind">${Object.entries(RULE_LABEL).map(([k, label]) => html`<option value="${k}">${label}</option>`)}</select>
    <label for="rule-value">Word, category (e.g. cs.CR), author name or search (as on the search page)</label>
    <input id="rule-value" name="value" maxlength="200" required>
    <div class="actions"><button type="submit" name="op" value="add">Add the rule</button></div>
  </form>
</section>`);
}

export function registerLibrary(app: Hono, ctx: PageContext): void {
  const subs = ctx.subscriptions;
  if (!subs) return;
  const profileOf = async (id: number) => (await ctx.store.personalProfiles([id])).get(id) ?? EMPTY_PROFILE;
  const show = async (c: Context, id: number, o: Parameters<typeof libraryPage>[2], status: 200 | 400 = 200) => {
    personalPage(c);
    return c.html(libraryPage(await profileOf(id), (await ctx.guard.session(c)).csrf, o), status);
  };

  app.get('/library', async (c) => {
    const token = c.req.query('t');
    if (token) {
      const r = await subs.open('manage', token);
      if (!r.ok) return linkFailurePage(c, r.reason, 'manage');
      rememberReader(c, ctx, token, await tokenExpiry(ctx, token));
      personalPage(c);
      return c.redirect('/library', 303);
    }
    const reader = await readerOf(c, ctx);
    if (!reader) return notRecognised(c);
    const imported = Number.parseInt(c.req.query('imported') ?? '', 10);
    return show(c, reader.subscriber.id, Number.isFinite(imported) ? { imported } : {});
  });

  app.get('/library/:file{export\\.(?:bib|ris|json)}', async (c) => {
    const reader = await readerOf(c, ctx);
    if (!reader) return notRecognised(c);
    const format = EXTENSIONS[c.req.param('file').slice('export.'.length)]!;
    const items = (await profileOf(reader.subscriber.id)).library;
    const papers = new Map<string, Paper>((await ctx.store.getPapers(items.flatMap((i) => i.paperId ?? []))).map((p) => [p.id, p]));
    c.header('Content-Disposition', `attachment; filename="paperboy-library.${FORMATS[format].extension}"`);
    return c.body(exportLibrary(items, papers, format), 200, { 'Content-Type': FORMATS[format].type });
  });

  app.post('/library/import', async (c) => {
    const form = await readForm(c);
    if (!form) return badFormPage(c);
    if (!(await ctx.guard.verify(c, field(form, 'csrf')))) return notRecognised(c);
    const reader = await readerOf(c, ctx);
    if (!reader) return notRecognised(c);
    const file = form.file;
    const text = file instanceof File && file.size > 0 ? await file.text() : field(form, 'text') ?? '';
    const r = parseImport(text);
    if (!r.ok) return show(c, reader.subscriber.id, { errors: r.errors }, 400);
    await ctx.store.changePersonal(reader.subscriber.id, r.change, subs.now().toISOString());
    return c.redirect(`/library?imported=${r.count}`, 303);
  });
}
