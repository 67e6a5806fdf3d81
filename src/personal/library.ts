// A subscriber's library: papers they saved from a digest or the site, and entries they
// imported from a reference manager (BibTeX, RIS, CSL-JSON; Zotero exports all three),
// so that the first digest is already theirs. An import is all or nothing: any problem,
// reported with its line, and nothing is added.

import type { Paper } from '../papers/paper.js';
import type { CslItem, LibraryItem, PersonalChange } from '../store/personal-store.js';
import { parseBibtex, toBibtex, type Parsed } from './citation/bibtex.js';
import { arxivIdOf, cslOf, itemKey } from './citation/csl.js';
import { parseCslJson, toCslJson } from './citation/csl-json.js';
import { parseRis, toRis } from './citation/ris.js';

export type CitationFormat = 'bibtex' | 'ris' | 'csl-json';

export const FORMATS: Record<CitationFormat, { extension: string; type: string; label: string; write: (items: CslItem[]) => string; read: (text: string) => Parsed }> = {
  bibtex: { extension: 'bib', type: 'application/x-bibtex; charset=utf-8', label: 'BibTeX', write: toBibtex, read: parseBibtex },
  ris: { extension: 'ris', type: 'application/x-research-info-systems; charset=utf-8', label: 'RIS', write: toRis, read: parseRis },
  'csl-json': { extension: 'json', type: 'application/vnd.citationstyles.csl+json; charset=utf-8', label: 'CSL-JSON', write: toCslJson, read: parseCslJson },
};

/** Entries one import may bring. */
export const MAX_IMPORT_ITEMS = 5000;

/** What a file's first characters say it is. */
export function detectFormat(text: string): CitationFormat | null {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('[') || head.startsWith('{')) return 'csl-json';
  if (/^TY {2}-/m.test(head.slice(0, 2000))) return 'ris';
  if (/@[A-Za-z]+\s*[{(]/.test(head.slice(0, 100_000))) return 'bibtex';
  return null;
}

export type ImportResult = { ok: true; change: PersonalChange; count: number; format: CitationFormat } | { ok: false; errors: { line: number; message: string }[] };

export function parseImport(text: string, format?: CitationFormat): ImportResult {
  const f = format ?? detectFormat(text);
  if (!f) return { ok: false, errors: [{ line: 1, message: 'not a BibTeX, RIS or CSL-JSON file (BibTeX entries start with @, RIS records with “TY  - ”, CSL-JSON with [ or {)' }] };
  const parsed = FORMATS[f].read(text);
  if (!parsed.ok) return parsed;
  if (!parsed.items.length) return { ok: false, errors: [{ line: 1, message: `no entries found in this ${FORMATS[f].label} file` }] };
  if (parsed.items.length > MAX_IMPORT_ITEMS) return { ok: false, errors: [{ line: 1, message: `${parsed.items.length} entries: at most ${MAX_IMPORT_ITEMS} can be imported at once` }] };
  const add = new Map<string, Omit<LibraryItem, 'addedAt'>>();
  for (const item of parsed.items) add.set(itemKey(item), { key: itemKey(item), paperId: arxivIdOf(item), item, source: 'import' });
  return { ok: true, change: { library: { add: [...add.values()] } }, count: add.size, format: f };
}

/** The library as a file, items as stored (a saved paper in its current form when the store still has it). */
export function exportLibrary(items: LibraryItem[], papers: Map<string, Paper>, format: CitationFormat): string {
  return FORMATS[format].write(items.map((i) => (i.paperId && papers.has(i.paperId) ? cslOf(papers.get(i.paperId)!) : i.item)));
}
