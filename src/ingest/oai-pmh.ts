// Parses one arXiv OAI-PMH response page (ListRecords / GetRecord) into PaperRecords.
// Pure: no I/O. Namespaces are ignored on purpose, because re-serialised real pages lose
// the xmlns on <arXiv> and its children then sit in the OAI namespace.

import { PaperboyError } from '../errors.js';
import { attr, parseXml, text, toInt, type XmlNode } from './xml.js';
import { parseArxivId } from '../papers/arxiv-id.js';
import { cleanText, emptyRecord, type Author, type PaperRecord } from '../papers/paper.js';
import { splitAuthors } from './author-list.js';
import { parseCategories } from './categories.js';
import { checkLimits } from './limits.js';

export type MetadataPrefix = 'arXivRaw' | 'arXiv' | 'oai_dc';

export interface OaiPage {
  kind: 'page';
  responseDate: string;
  records: PaperRecord[];
  deletedIds: string[];
  /** Token for the next page; null at the end of the list (absent or empty element). */
  resumptionToken: string | null;
  completeListSize: number | null;
  cursor: number | null;
  /** Records skipped because they could not be read, one line each. */
  problems: string[];
}

export interface OaiError {
  kind: 'error';
  responseDate: string;
  /** noRecordsMatch, badResumptionToken, badArgument, cannotDisseminateFormat, noSetHierarchy, … */
  code: string;
  message: string;
}


const ARRAYS = new Set(['record', 'setSpec', 'version', 'author', 'affiliation', 'creator', 'description', 'date', 'identifier', 'error', 'rights']);

export function parseOaiPage(xml: string, prefix: MetadataPrefix): OaiPage | OaiError {
  const root = parseXml(xml, 'OAI-PMH response', ARRAYS)['OAI-PMH'] as XmlNode | undefined;
  if (!root || typeof root !== 'object') throw new PaperboyError('upstream_protocol', 'Malformed OAI-PMH response: no <OAI-PMH> root element');
  const responseDate = text(root.responseDate);
  const errors = root.error as unknown[] | undefined;
  if (errors?.length) {
    return { kind: 'error', responseDate, code: attr(errors[0], 'code') ?? 'unknown', message: cleanText(text(errors[0])) };
  }
  const list = (root.ListRecords ?? root.GetRecord) as XmlNode | undefined;
  if (!list) throw new PaperboyError('upstream_protocol', 'Malformed OAI-PMH response: neither <ListRecords> nor <GetRecord> nor <error>');
  const page: OaiPage = { kind: 'page', responseDate, records: [], deletedIds: [], resumptionToken: null, completeListSize: null, cursor: null, problems: [] };
  for (const rec of (list.record as XmlNode[] | undefined) ?? []) {
    const header = (rec.header ?? {}) as XmlNode;
    const oaiId = cleanText(text(header.identifier));
    if (attr(header, 'status') === 'deleted') {
      const id = parseArxivId(oaiId.replace(/^oai:arXiv\.org:/i, ''))?.id;
      if (id) page.deletedIds.push(id);
      else page.problems.push(`deleted record with unreadable identifier "${oaiId}"`);
      continue;
    }
    const meta = (rec.metadata ?? {}) as XmlNode;
    const body = (prefix === 'oai_dc' ? meta.dc : meta[prefix]) as XmlNode | undefined;
    const read = body ? READERS[prefix](body) : 'no metadata in the requested format';
    // Harvested records get the same bounds as imported ones (limits.ts).
    const parsed = typeof read === 'string' ? read : checkLimits(read) ?? read;
    if (typeof parsed === 'string') page.problems.push(`skipped ${oaiId || 'record without identifier'}: ${parsed}`);
    else page.records.push(parsed);
  }
  const token = list.resumptionToken;
  if (token !== undefined) {
    page.resumptionToken = cleanText(text(token)) || null;
    page.completeListSize = toInt(attr(token, 'completeListSize'));
    page.cursor = toInt(attr(token, 'cursor'));
  }
  return page;
}

type Reader = (m: XmlNode) => PaperRecord | string;

const READERS: Record<MetadataPrefix, Reader> = {
  arXivRaw(m) {
    const r = start(text(m.id), text(m.title));
    if (typeof r === 'string') return r;
    r.versions = ((m.version as XmlNode[] | undefined) ?? []).flatMap((v) => {
      const n = toInt((attr(v, 'version') ?? '').replace(/^v/, ''));
      return n === null ? [] : [{ version: n, submittedAt: toIso(text(v.date)), size: cleanText(text(v.size)) || null }];
    });
    r.authors = splitAuthors(text(m.authors));
    fillCommon(r, m);
    return r;
  },
  arXiv(m) {
    const r = start(text(m.id), text(m.title));
    if (typeof r === 'string') return r;
    const authors = ((m.authors as XmlNode | undefined)?.author as XmlNode[] | undefined) ?? [];
    r.authors = authors.map((a): Author => {
      const name = cleanText([text(a.forenames), text(a.keyname), text(a.suffix)].join(' '));
      const affiliations = ((a.affiliation as unknown[] | undefined) ?? []).map((x) => cleanText(text(x))).filter(Boolean);
      return affiliations.length ? { name, affiliations } : { name };
    }).filter((a) => a.name);
    const created = cleanText(text(m.created));
    const updated = cleanText(text(m.updated));
    r.submittedAt = created ? toIso(created) : null;
    r.updatedAt = updated ? toIso(updated) : null;
    fillCommon(r, m);
    return r;
  },
  oai_dc(m) {
    const ids = ((m.identifier as unknown[] | undefined) ?? []).map((x) => cleanText(text(x)));
    const r = start(ids.find((i) => /arxiv\.org\/abs\//i.test(i)) ?? '', text(m.title));
    if (typeof r === 'string') return r;
    r.authors = ((m.creator as unknown[] | undefined) ?? []).map((c) => {
      const [last, first] = cleanText(text(c)).split(/,\s*(.*)/s);
      return { name: cleanText(`${first ?? ''} ${last ?? ''}`) };
    }).filter((a) => a.name);
    for (const d of ((m.description as unknown[] | undefined) ?? []).map((x) => cleanText(text(x)))) {
      if (/^Comment:/i.test(d)) r.comment = cleanText(d.replace(/^Comment:/i, ''));
      else if (!r.abstract) r.abstract = d;
    }
    const dates = ((m.date as unknown[] | undefined) ?? []).map((x) => cleanText(text(x))).filter(Boolean).sort();
    r.submittedAt = dates[0] ? toIso(dates[0]) : null;
    r.updatedAt = dates.length > 1 ? toIso(dates.at(-1)!) : null;
    r.doi = ids.find((i) => /^doi:/i.test(i))?.replace(/^doi:/i, '') ?? null;
    r.license = cleanText(text((m.rights as unknown[] | undefined)?.[0])) || null;
    return r;
  },
};

function start(rawId: string, rawTitle: string): PaperRecord | string {
  const id = parseArxivId(cleanText(rawId))?.id;
  if (!id) return rawId ? `unreadable arXiv id "${cleanText(rawId)}"` : 'no arXiv id';
  const title = cleanText(rawTitle);
  return title ? emptyRecord(id, title) : 'no title';
}

/** The fields arXivRaw and arXiv share, under the same element names. */
function fillCommon(r: PaperRecord, m: XmlNode): void {
  r.abstract = cleanText(text(m.abstract));
  r.categories = parseCategories([cleanText(text(m.categories))]);
  r.comment = cleanText(text(m.comments)) || null;
  r.journalRef = cleanText(text(m['journal-ref'])) || null;
  r.doi = cleanText(text(m.doi)) || null;
  r.license = cleanText(text(m.license)) || null;
}




/** RFC-822 ("Wed, 23 Jan 2008 21:06:41 GMT") or ISO dates → ISO; a bare date stays a date. */
function toIso(s: string): string | null {
  const v = cleanText(s);
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
