// Parser for the arXiv API (`/api/query`) Atom feed: one page of search or id_list
// results turned into PaperRecords. Pure: XML in, records out; fetching is arxiv-api.ts.

import { PaperboyError } from '../errors.js';
import { attr, parseXml, text, toInt, type XmlNode } from './xml.js';
import { parseArxivId } from '../papers/arxiv-id.js';
import { cleanText, emptyRecord, type Author, type PaperRecord, type PaperVersion } from '../papers/paper.js';
import { checkLimits } from './limits.js';

export interface AtomPage {
  /** opensearch:totalResults; for id_list arXiv counts the ids asked, found or not. */
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  records: PaperRecord[];
  /** Entries skipped because they could not be read, one line each. */
  problems: string[];
}


const ARRAYS = new Set(['entry', 'author', 'affiliation', 'category', 'link']);

/**
 * arXiv taxonomy terms: an archive (hep-th, q-bio, cond-mat) optionally followed by a
 * subject class (cs.LG, math.AG, physics.optics, cond-mat.mes-hall). The API mixes in
 * the free-text MSC/ACM classes authors give ("03B70, 68Q99", "F.4.1; F.4.m"), which
 * start with a digit or a capital and so never match.
 */
const ARXIV_CATEGORY = /^[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[a-z]+)*)?$/;
const ERROR_ID = /^https?:\/\/(?:export\.)?arxiv\.org\/api\/errors/i;

export function isArxivCategory(term: string): boolean {
  return ARXIV_CATEGORY.test(term);
}

export function parseArxivAtom(xml: string): AtomPage {
  const feed = parseXml(xml, 'arXiv API response', ARRAYS).feed as XmlNode | undefined;
  if (!feed || typeof feed !== 'object') throw new PaperboyError('upstream_protocol', 'Malformed arXiv API response: no Atom <feed> root element');
  const entries = (feed.entry as XmlNode[] | undefined) ?? [];

  // The API reports a bad query as a feed whose single entry is the error (HTTP 200 on
  // the classic API, 400 on the newer one).
  for (const e of entries) {
    if (ERROR_ID.test(cleanText(text(e.id)))) {
      throw new PaperboyError('bad_input', `arXiv API error: ${cleanText(text(e.summary)) || cleanText(text(e.id))}`);
    }
  }

  const records: PaperRecord[] = [];
  const problems: string[] = [];
  entries.forEach((e, i) => {
    const parsed = parseEntry(e);
    // The same bounds as imported records (limits.ts).
    const r = typeof parsed === 'string' ? parsed : checkLimits(parsed) ?? parsed;
    if (typeof r === 'string') problems.push(`entry ${i + 1}: ${r}`);
    else records.push(r);
  });
  const startIndex = toInt(text(feed.startIndex)) ?? 0;
  const totalResults = toInt(text(feed.totalResults));
  if (totalResults === null) problems.push('no opensearch:totalResults in the feed');
  return {
    totalResults: totalResults ?? startIndex + entries.length,
    startIndex,
    itemsPerPage: toInt(text(feed.itemsPerPage)) ?? entries.length,
    records,
    problems,
  };
}

function parseEntry(e: XmlNode): PaperRecord | string {
  const rawId = cleanText(text(e.id));
  // arXiv answers an id_list id it does not know with an entry that has no id at all.
  if (!rawId) return 'no id (arXiv does not know this paper)';
  const parsed = parseArxivId(rawId);
  if (!parsed) return `unreadable arXiv id "${rawId}"`;
  const title = cleanText(text(e.title));
  if (!title) return `${parsed.id}: no title`;

  const r = emptyRecord(parsed.id, title, cleanText(text(e.summary)));
  const published = toIso(text(e.published));
  const updated = toIso(text(e.updated));
  r.submittedAt = published;
  r.updatedAt = updated ?? published;
  r.versions = versionsOf(parsed.version, published, updated);
  r.authors = ((e.author as XmlNode[] | undefined) ?? []).map(toAuthor).filter((a): a is Author => a !== null);
  r.categories = categoriesOf(e);
  r.comment = cleanText(text(e.comment)) || null;
  r.journalRef = cleanText(text(e.journal_ref)) || null;
  r.doi = cleanText(text(e.doi)) || null;
  return r;
}

/**
 * An entry describes its latest version only: we learn that version's date (updated)
 * and, from published, v1's. Versions in between stay unknown; the store unions
 * version lists, so they fill in when another source names them.
 */
function versionsOf(version: number | null, published: string | null, updated: string | null): PaperVersion[] {
  if (version === null) return [];
  if (version === 1) return [{ version: 1, submittedAt: published }];
  return [{ version: 1, submittedAt: published }, { version, submittedAt: updated }];
}

function toAuthor(a: XmlNode): Author | null {
  const name = cleanText(text(a.name));
  if (!name) return null;
  const affiliations = ((a.affiliation as unknown[] | undefined) ?? []).map((x) => cleanText(text(x))).filter(Boolean);
  return affiliations.length ? { name, affiliations } : { name };
}

function categoriesOf(e: XmlNode): string[] {
  const primary = cleanText(attr(e.primary_category, 'term') ?? '');
  const terms = ((e.category as unknown[] | undefined) ?? []).map((c) => cleanText(attr(c, 'term') ?? ''));
  const out: string[] = [];
  for (const t of [primary, ...terms]) if (t && isArxivCategory(t) && !out.includes(t)) out.push(t);
  return out;
}




function toIso(s: string): string | null {
  const v = cleanText(s);
  if (!v) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
