// RIS out and in (the tagged format of EndNote, Zotero, Mendeley and most publishers):
// `TY  - ` opens a record, `ER  - ` closes it, one `TAG  - value` per line. Reading
// reports every line it cannot place, with its number.

import type { CslItem } from '../../store/personal-store.js';
import { arxivIdOf, splitName } from './csl.js';
import type { ParseError, Parsed } from './bibtex.js';

const line = (tag: string, v: string | number | undefined | null) => (v === undefined || v === null || v === '' ? [] : [`${tag}  - ${String(v).replace(/\s*\n\s*/g, ' ')}`]);

export function toRis(items: CslItem[]): string {
  return items.map((item) => {
    const arxiv = arxivIdOf(item);
    const year = item.issued?.['date-parts']?.[0]?.[0];
    return [
      ...line('TY', item.type === 'article-journal' ? 'JOUR' : arxiv ? 'UNPB' : 'GEN'),
      ...line('TI', item.title),
      ...(item.author ?? []).flatMap((a) => line('AU', a.literal ?? [a.family, a.given].filter(Boolean).join(', '))),
      ...line('PY', year),
      ...line('AB', item.abstract),
      ...line('JO', item['container-title']),
      ...line('PB', item.publisher ?? (arxiv ? 'arXiv' : undefined)),
      ...line('DO', item.DOI),
      ...line('UR', arxiv ? `https://arxiv.org/abs/${arxiv}` : item.URL),
      ...line('M1', arxiv ? `arXiv:${arxiv}` : undefined),
      ...line('ID', item.id),
      'ER  - ',
    ].join('\r\n');
  }).join('\r\n\r\n') + '\r\n';
}

const TAG = /^([A-Z][A-Z0-9])  -(?: (.*))?$/;
const TYPES: Record<string, string> = { JOUR: 'article-journal', JFULL: 'article-journal', CONF: 'paper-conference', CPAPER: 'paper-conference', BOOK: 'book', CHAP: 'chapter', THES: 'thesis', RPRT: 'report' };

export function parseRis(text: string): Parsed {
  const errors: ParseError[] = [];
  const items: CslItem[] = [];
  let record: { start: number; tags: [string, string][] } | null = null;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, n) => {
    const no = n + 1;
    if (!raw.trim()) return;
    const m = TAG.exec(raw.trimEnd());
    if (!m) {
      errors.push({ line: no, message: `expected “TAG  - value” (two capitals, two spaces, a hyphen), found “${raw.slice(0, 40)}”` });
      return;
    }
    const [, tag, value = ''] = m as unknown as [string, string, string?];
    if (tag === 'TY') {
      if (record) errors.push({ line: record.start, message: 'this record is not closed with “ER  - ” before the next one starts' });
      record = { start: no, tags: [['TY', value.trim()]] };
    } else if (!record) {
      errors.push({ line: no, message: `“${tag}” outside a record (a record starts with “TY  - ”)` });
    } else if (tag === 'ER') {
      const item = toCsl(record.tags, items.length);
      if (item) items.push(item);
      else errors.push({ line: record.start, message: 'this record has no title (TI or T1)' });
      record = null;
    } else record.tags.push([tag, value.trim()]);
  });
  if (record) errors.push({ line: (record as { start: number }).start, message: 'this record is not closed with “ER  - ”' });
  return errors.length ? { ok: false, errors } : { ok: true, items };
}

function toCsl(tags: [string, string][], n: number): CslItem | null {
  const all = (...names: string[]) => tags.filter(([t]) => names.includes(t)).map(([, v]) => v).filter(Boolean);
  const one = (...names: string[]) => all(...names)[0];
  const title = one('TI', 'T1', 'CT');
  if (!title) return null;
  const year = Number.parseInt(one('PY', 'Y1', 'DA') ?? '', 10);
  const item: CslItem = { id: one('ID') ?? `ris-${n + 1}`, type: TYPES[one('TY') ?? ''] ?? 'article', title };
  const authors = all('AU', 'A1');
  if (authors.length) item.author = authors.map((a) => (a.includes(',') ? { family: a.split(',')[0]!.trim(), given: a.split(',').slice(1).join(',').trim() } : splitName(a)));
  if (Number.isFinite(year)) item.issued = { 'date-parts': [[year]] };
  for (const [key, names] of [['abstract', ['AB', 'N2']], ['DOI', ['DO']], ['URL', ['UR', 'L2']], ['container-title', ['JO', 'T2', 'JF']], ['publisher', ['PB']], ['number', ['M1']]] as const) {
    const v = one(...names);
    if (v) item[key] = v;
  }
  return item;
}
