// BibTeX out and in. Out follows arXiv's own "Export BibTeX citation": @misc, the key
// `familyYEARword` (first author's family name, the year of the latest version, the
// title's first significant word), and title, author, year, eprint, archivePrefix,
// primaryClass, url. In reads what reference managers write (Zotero, JabRef, Google
// Scholar, arXiv): entries of fields in braces, quotes or bare numbers and macros, with
// `#` concatenation and @string, @comment and @preamble; any problem is reported with
// its line, and the caller imports nothing then.

import { foldWord } from '../../search/lexical/analyze.js';
import type { CslItem } from '../../store/personal-store.js';
import { arxivIdOf, splitName } from './csl.js';
import { latexToText } from './latex.js';

// Small words arXiv's keys leave out ("Attention Is All You Need" gives "attentionneed").
const SKIP = new Set(['a', 'an', 'the', 'on', 'of', 'in', 'for', 'to', 'and', 'or', 'with', 'from', 'by', 'at', 'as', 'via', 'towards', 'toward', 'is', 'are', 'be', 'all', 'you', 'we', 'our', 'it', 'its', 'do', 'does', 'how', 'what', 'why', 'when', 'can', 'not']);
const ENTRY_START = /^\s*@[A-Za-z]+\s*[{(]/;
const ascii = (s: string) => foldWord(s).replace(/[^a-z0-9]/g, '');

/** arXiv's citation key: the first author's family name, the year, three significant title words ("he2015deepresiduallearning"). */
export function bibKey(item: CslItem): string {
  const a = item.author?.[0];
  const family = ascii(a?.family ?? a?.literal?.split(/\s+/).at(-1) ?? '') || 'anonymous';
  const year = item.issued?.['date-parts']?.[0]?.[0] ?? '';
  const words = latexToText(item.title ?? '').split(/[\s-]+/).map(ascii).filter((w) => w && !SKIP.has(w)).slice(0, 3);
  return `${family}${year}${words.join('')}`;
}

/** A field value in braces: braces kept if balanced, else escaped, and the characters BibTeX gives meaning to escaped. */
function braced(v: string): string {
  let depth = 0;
  let balanced = true;
  for (const ch of v) {
    if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) balanced = false;
  }
  let s = v.replace(/(?<!\\)([&%#])/g, '\\$1');
  if (!balanced || depth !== 0) s = s.replace(/[{}]/g, (b) => `\\${b}`);
  return `{${s}}`;
}

const names = (item: CslItem) => (item.author ?? []).map((a) => (a.literal ? `{${a.literal}}` : [a.given, a.family].filter(Boolean).join(' '))).join(' and ');

export function toBibtex(items: CslItem[]): string {
  const used = new Map<string, number>();
  return items.map((item) => {
    let key = bibKey(item);
    const n = used.get(key) ?? 0;
    used.set(key, n + 1);
    if (n) key += String.fromCharCode(96 + n); // a second "smith2020deep" becomes "smith2020deepa"
    const year = item.issued?.['date-parts']?.[0]?.[0];
    const arxiv = arxivIdOf(item);
    const primary = (item.custom as { primaryClass?: string } | undefined)?.primaryClass;
    const fields: [string, string | undefined][] = arxiv
      ? [['title', item.title], ['author', names(item)], ['year', year?.toString()], ['eprint', arxiv], ['archivePrefix', 'arXiv'], ['primaryClass', primary], ['url', `https://arxiv.org/abs/${arxiv}`], ['doi', item.DOI]]
      : [['title', item.title], ['author', names(item)], ['journal', item['container-title']], ['year', year?.toString()], ['publisher', item.publisher], ['doi', item.DOI], ['url', item.URL]];
    // arXiv ends the title and url lines with ", " and the others with ","; kept so files diff cleanly against arXiv's.
    const body = fields.filter(([, v]) => v).map(([k, v]) => `      ${k}=${braced(v!)},${k === 'title' || k === 'url' ? ' ' : ''}`).join('\n');
    return `@${arxiv ? 'misc' : item.type === 'article-journal' ? 'article' : 'misc'}{${key},\n${body}\n}\n`;
  }).join('\n');
}

export interface ParseError { line: number; message: string }
export type Parsed = { ok: true; items: CslItem[] } | { ok: false; errors: ParseError[] };

/** BibTeX → CSL items, or every problem found with its line. */
export function parseBibtex(text: string): Parsed {
  const errors: ParseError[] = [];
  const items: CslItem[] = [];
  const macros = new Map<string, string>(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, String(i + 1)]));
  let i = 0;
  const lineAt = (pos: number) => text.slice(0, pos).split('\n').length;
  const fail = (pos: number, message: string): never => {
    throw Object.assign(new Error(message), { line: lineAt(pos) });
  };
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const ident = () => {
    const m = /^[^\s"#%'(),={}]+/.exec(text.slice(i, i + 200));
    if (!m) fail(i, `expected a name, found ${text[i] ? `“${text[i]}”` : 'the end of the file'}`);
    i += m![0].length;
    return m![0];
  };
  const bracedValue = () => {
    const start = i;
    let depth = 0;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\\') i++;
      else if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) return text.slice(start + 1, i++);
      // A new entry starting inside a value means a brace was never closed: say so here, not at the file's end.
      else if (ch === '\n' && ENTRY_START.test(text.slice(i + 1, i + 60))) break;
    }
    return fail(start, 'this value’s braces are never closed');
  };
  const quotedValue = () => {
    const start = i++;
    let depth = 0;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\\') i++;
      else if (ch === '{') depth++;
      else if (ch === '}') depth--;
      else if (ch === '"' && depth === 0) return text.slice(start + 1, i++);
    }
    return fail(start, 'this quoted value is never closed');
  };
  const value = (): string => {
    let out = '';
    for (;;) {
      skipSpace();
      const ch = text[i];
      if (ch === '{') out += bracedValue();
      else if (ch === '"') out += quotedValue();
      else if (ch !== undefined && /[0-9]/.test(ch)) {
        const digits = /^\d+/.exec(text.slice(i, i + 20))![0];
        out += digits;
        i += digits.length;
      }
      else {
        const at = i;
        const name = ident().toLowerCase();
        if (!macros.has(name)) fail(at, `unknown string “${name}” (a value needs braces or quotes)`);
        out += macros.get(name);
      }
      skipSpace();
      if (text[i] !== '#') return out;
      i++;
    }
  };

  while (i < text.length) {
    const at = text.indexOf('@', i);
    if (at < 0) break;
    i = at + 1;
    try {
      const type = ident().toLowerCase();
      skipSpace();
      const open = text[i];
      if (open !== '{' && open !== '(') fail(i, `expected “{” after @${type}`);
      const close = open === '{' ? '}' : ')';
      i++;
      if (type === 'comment') {
        i = at + 1;
        bracedValue();
        continue;
      }
      if (type === 'preamble') {
        value();
        skipSpace();
        if (text[i++] !== close) fail(i - 1, `@preamble is not closed with “${close}”`);
        continue;
      }
      skipSpace();
      const fields = new Map<string, string>();
      let key = '';
      if (type !== 'string') {
        key = ident();
        skipSpace();
        if (text[i] !== ',' && text[i] !== close) fail(i, `expected “,” after the key “${key}”`);
      }
      for (;;) {
        skipSpace();
        if (text[i] === ',') i++;
        skipSpace();
        if (text[i] === close) {
          i++;
          break;
        }
        if (i >= text.length) fail(at, `the entry @${type}{${key} is never closed`);
        const fieldAt = i;
        const name = ident().toLowerCase();
        skipSpace();
        if (text[i] !== '=') fail(i, `expected “=” after the field name “${name}”`);
        i++;
        if (fields.has(name)) fail(fieldAt, `the field “${name}” appears twice`);
        fields.set(name, value());
        skipSpace();
        if (text[i] === '@') fail(fieldAt, `the value of “${name}” runs into the next entry: a brace or quote is not closed`);
        if (text[i] !== ',' && text[i] !== close) fail(i, `expected “,” or “${close}” after the field “${name}”`);
      }
      if (type === 'string') {
        for (const [k, v] of fields) macros.set(k, v);
        continue;
      }
      if (!fields.get('title')?.trim()) fail(at, `the entry “${key}” has no title`);
      items.push(toCsl(type, key, fields));
    } catch (e) {
      const line = (e as { line?: number }).line;
      if (line === undefined) throw e;
      errors.push({ line, message: (e as Error).message });
      // Carry on at the next line that starts an entry, to report every problem at once.
      if (text[i] !== '@') {
        const next = text.slice(i).search(/\n\s*@/);
        i = next < 0 ? text.length : i + next + 1;
      }
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, items };
}

function toCsl(type: string, key: string, f: Map<string, string>): CslItem {
  const text = (name: string) => {
    const v = f.get(name);
    return v ? latexToText(v).replace(/\s+/g, ' ').trim() : undefined;
  };
  const author = (f.get('author') ?? '').split(/\s+and\s+/i).map((n) => n.trim()).filter(Boolean).map((n) => {
    if (/^\{[^{}]*\}$/.test(n)) return { literal: latexToText(n) };
    const [family, given] = n.includes(',') ? n.split(/,\s*/, 2) : [null, null];
    return family !== null ? { family: latexToText(family), given: latexToText(given ?? '') } : splitName(latexToText(n));
  });
  const eprint = text('eprint');
  const arxiv = eprint && (/arxiv/i.test(f.get('archiveprefix') ?? f.get('eprinttype') ?? '') || /^\d{4}\.\d{4,5}|\//.test(eprint)) ? eprint : undefined;
  const year = Number.parseInt(text('year') ?? text('date') ?? '', 10);
  const item: CslItem = { id: key, type: type === 'article' ? 'article-journal' : arxiv ? 'article' : type === 'inproceedings' ? 'paper-conference' : 'article' };
  const set = (k: string, v: unknown) => {
    if (v !== undefined && v !== '') item[k] = v;
  };
  set('title', text('title'));
  if (author.length) item.author = author;
  if (Number.isFinite(year)) item.issued = { 'date-parts': [[year]] };
  set('abstract', text('abstract'));
  set('DOI', text('doi'));
  set('URL', text('url'));
  set('container-title', text('journal') ?? text('booktitle'));
  set('publisher', text('publisher'));
  if (arxiv) set('number', `arXiv:${arxiv.replace(/^arxiv:/i, '')}`);
  if (f.get('primaryclass')) item.custom = { primaryClass: text('primaryclass') };
  return item;
}
