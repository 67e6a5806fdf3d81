// A paper as a CSL-JSON item, the common shape every citation format here is read into
// and written from (BibTeX, RIS, CSL-JSON), and the key that names one work in a library.

import type { Paper } from '../../papers/paper.js';
import { normaliseArxivId } from '../../papers/arxiv-id.js';
import type { CslItem } from '../../store/personal-store.js';
import { texToText } from '../../digest/render/tex.js';

/** Splits "Ada King Lovelace" into given and family names (the last word is the family name). */
export function splitName(name: string): { family?: string; given?: string; literal?: string } {
  const words = name.trim().split(/\s+/);
  if (words.length < 2) return { literal: name.trim() };
  return { given: words.slice(0, -1).join(' '), family: words.at(-1)! };
}

/** The year arXiv's citation uses: that of the latest version, else the first submission or announcement. */
export function paperYear(p: Paper): number | null {
  const day = p.versions.at(-1)?.submittedAt ?? p.submittedAt ?? p.announcedAt;
  return day ? Number(day.slice(0, 4)) : null;
}

export function cslOf(p: Paper): CslItem {
  const year = paperYear(p);
  return {
    id: p.id,
    type: 'article',
    title: texToText(p.title),
    author: p.authors.map((a) => splitName(a.name)),
    ...(year ? { issued: { 'date-parts': [[year]] } } : {}),
    abstract: texToText(p.abstract),
    ...(p.doi ? { DOI: p.doi } : {}),
    URL: p.links.abs,
    number: `arXiv:${p.id}`,
    // The version saved: a later one is news for whoever saved it (personalize.ts).
    ...(p.latestVersion ? { version: String(p.latestVersion) } : {}),
    publisher: 'arXiv',
    // Not a CSL variable: BibTeX's primaryClass needs it (CSL-JSON keeps unknown fields under `custom`).
    ...(p.primaryCategory ? { custom: { primaryClass: p.primaryCategory } } : {}),
  };
}

/** The arXiv id an item names (its id, number, URL, note or an eprint field), if any. */
export function arxivIdOf(item: CslItem): string | null {
  for (const v of [item.id, item.number, item.URL, item['eprint'], item.note, item.DOI]) {
    if (typeof v !== 'string') continue;
    const m = /(?:arxiv[:.]|arxiv\.org\/(?:abs|pdf)\/)\s*([a-z-]+(?:\.[A-Z]{2})?\/\d{7}|\d{4}\.\d{4,5})/i.exec(v)
      ?? /^([a-z-]+(?:\.[A-Z]{2})?\/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?$/i.exec(v.trim());
    const id = m ? normaliseArxivId(m[1]!) : null;
    if (id) return id;
  }
  return null;
}

/** One entry per work: arxiv:ID, else doi:DOI, else title:normalised title. */
export function itemKey(item: CslItem): string {
  const arxiv = arxivIdOf(item);
  if (arxiv) return `arxiv:${arxiv}`;
  if (item.DOI) return `doi:${item.DOI.toLowerCase()}`;
  return `title:${(item.title ?? item.id).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()}`;
}
