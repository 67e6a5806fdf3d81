// GET /papers/{id}.md: the paper as Markdown, what Hugging Face's `read_paper` fetches.
// Paperboy holds metadata, not full texts, so this is the title, authors, links, the
// machine summary and keywords when known, and the abstract. Text stays raw (LaTeX
// included) except what a Markdown renderer would turn into HTML.

import type { Hono } from 'hono';
import { parseArxivId } from '../../papers/arxiv-id.js';
import type { Paper } from '../../papers/paper.js';
import type { PaperLinks } from '../../store/extras-store.js';
import type { AppDeps } from '../app.js';
import { githubUrl, paperDay } from './shapes.js';

/** Raw HTML in Markdown is rendered by most viewers: `<` and `&` become entities, and no line may start a heading or list by accident. */
export function mdText(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replace(/^([#>+\-*=|])/gm, '\\$1');
}

const link = (text: string, url: string) => `[${mdText(text).replace(/[[\]]/g, '\\$&')}](<${encodeURI(url).replaceAll('>', '%3E')}>)`;

export function paperMarkdown(p: Paper, links: PaperLinks | undefined): string {
  const out = [`# ${mdText(p.title)}`, ''];
  if (p.authors.length) out.push(`**Authors:** ${p.authors.map((a) => mdText(a.name)).join(', ')}`, '');
  const refs = [link(`arXiv:${p.id}`, p.links.abs), link('PDF', p.links.pdf)];
  if (links?.repos[0]) refs.push(link('Code', githubUrl(links.repos[0])));
  if (links?.projectPage) refs.push(link('Project page', links.projectPage));
  out.push(refs.join(' · '), '');
  const day = paperDay(p);
  const facts = [day && `**Published:** ${day}`, p.categories.length && `**Categories:** ${p.categories.join(', ')}`].filter(Boolean);
  if (facts.length) out.push(facts.join(' · '), '');
  if (links?.aiSummary) out.push('## Summary', '', mdText(links.aiSummary), '');
  if (links?.aiKeywords.length) out.push(`**Keywords:** ${links.aiKeywords.map(mdText).join(', ')}`, '');
  out.push('## Abstract', '', mdText(p.abstract), '');
  if (p.comment) out.push(`**Comment:** ${mdText(p.comment)}`, '');
  return out.join('\n');
}

/** Registered before the paper page, whose id pattern would take `….md` too. */
export function registerPaperMarkdown(app: Hono, deps: AppDeps): void {
  app.get('/papers/:id{.+\\.md}', async (c) => {
    const parsed = parseArxivId(c.req.param('id').slice(0, -3));
    const paper = parsed && (await deps.store.getPaper(parsed.id));
    c.header('Content-Type', 'text/markdown; charset=utf-8');
    if (!paper) return c.body(`# Not found\n\nNo paper ${parsed?.id ?? 'with that id'} in this collection.\n`, 404);
    return c.body(paperMarkdown(paper, (await deps.store.linksOf([paper.id])).get(paper.id)));
  });
}
