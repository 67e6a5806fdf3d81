// A paper's citation, for reference managers: /papers/{id}.bib (arXiv's BibTeX), .ris and
// .csl.json as files, the same from the API (/api/papers/{id}/cite?format=), and the
// `citation_*` meta tags the Zotero Connector and Google Scholar read from the page,
// named as arXiv's own abstract pages name them.

import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { parseArxivId } from '../../papers/arxiv-id.js';
import type { Paper } from '../../papers/paper.js';
import { cslOf } from '../../personal/citation/csl.js';
import { FORMATS, type CitationFormat } from '../../personal/library.js';
import type { Store } from '../../store/store.js';
import type { Html } from './layout.js';

const SUFFIX: Record<string, CitationFormat> = { '.bib': 'bibtex', '.ris': 'ris', '.csl.json': 'csl-json' };

/** The citation as a downloadable file. */
export function citationFile(c: Context, p: Paper, format: CitationFormat): Response {
  const f = FORMATS[format];
  c.header('Content-Disposition', `attachment; filename="arXiv-${p.id.replace('/', '_')}.${f.extension}"`);
  return c.body(f.write([cslOf(p)]), 200, { 'Content-Type': f.type });
}

/** Registered before the paper page, whose id pattern would take the suffixes too. */
export function registerCitations(app: Hono, deps: { store: Store }): void {
  app.get('/papers/:id{.+\\.(?:bib|ris|csl\\.json)}', async (c) => {
    const raw = c.req.param('id');
    const suffix = Object.keys(SUFFIX).find((s) => raw.endsWith(s))!;
    const paper = await paperOf(deps.store, raw.slice(0, -suffix.length));
    if (!paper) return c.text(`No paper ${raw.slice(0, -suffix.length)} in this collection.\n`, 404);
    return citationFile(c, paper, SUFFIX[suffix]!);
  });
}

export async function paperOf(store: Store, id: string): Promise<Paper | null> {
  const parsed = parseArxivId(id);
  return parsed ? store.getPaper(parsed.id) : null;
}

const slashDate = (iso: string | null | undefined) => iso?.slice(0, 10).replaceAll('-', '/');

export function citationMeta(p: Paper): Html {
  const tags: [string, string | null | undefined][] = [
    ['citation_title', p.title],
    ...p.authors.map((a): [string, string] => {
      // "Family, Given", as Google Scholar asks.
      const words = a.name.trim().split(/\s+/);
      return ['citation_author', words.length > 1 ? `${words.at(-1)}, ${words.slice(0, -1).join(' ')}` : a.name];
    }),
    ['citation_date', slashDate(p.versions[0]?.submittedAt ?? p.submittedAt)],
    ['citation_online_date', slashDate(p.versions.at(-1)?.submittedAt ?? p.announcedAt)],
    ['citation_pdf_url', p.links.pdf],
    ['citation_arxiv_id', p.id],
    ['citation_doi', p.doi],
    ['citation_abstract', p.abstract],
  ];
  return html`${tags.filter(([, v]) => v).map(([name, v]) => html`<meta name="${name}" content="${v}">\n`)}`;
}

export function citationLinks(p: Paper): Html {
  return html`<p class="meta cite">Cite: <a href="/papers/${p.id}.bib" download>BibTeX</a> · <a href="/papers/${p.id}.ris" download>RIS</a> · <a href="/papers/${p.id}.csl.json" download>CSL-JSON</a></p>`;
}
