// The search box's query language: free words (AND-ed), `a OR b` / `a | b`, "phrases",
// -exclusions, prefix*, field filters (cat:, author:, title:, year:, since:, before:,
// sort:, similar:ID) and a bare arXiv id. Parsing and compiling are total functions: any input,
// however hostile, gives a result, and the store engines compile what it finds (src/store/sqlite/fts5-match.ts).

import { normaliseArxivId, parseArxivId } from '../papers/arxiv-id.js';
import type { Alternative } from '../text/constraints.js';

export type { Alternative } from '../text/constraints.js';

export interface ParsedQuery {
  /** Set when the whole input is an arXiv id, versioned id or arxiv.org URL (canonical, no version). */
  arxivId: string | null;
  /** Positive clauses; each clause is an OR-group of alternatives (a plain word is a group of one). */
  groups: Alternative[][];
  /** Excluded words/phrases (-word, -"a phrase", NOT word). */
  excluded: Alternative[];
  filters: {
    categories: string[];
    authors: string[];
    title: Alternative[];
    year: number | null;
    since: string | null;
    /** Exclusive upper bound. */
    before: string | null;
    /** similar:ID — papers like this one (canonical arXiv id, no version). */
    similarTo: string | null;
  };
  sort: 'relevance' | 'newest' | 'trending' | null;
  /** Human-readable notes about parts that were ignored or reinterpreted. */
  warnings: string[];
}


type Field = 'cat' | 'author' | 'title' | 'year' | 'since' | 'before' | 'sort' | 'similar';
type Warn = (message: string) => void;
type Word = { op: null; neg: boolean; field: string | null; text: string; quoted: boolean; star: boolean; source: string };
type Token = { op: 'OR' | 'AND' | 'NOT' } | Word;

// A Map, not an object literal, so `constructor:` or `__proto__:` are just unknown fields.
const FIELDS = new Map<string, Field>([
  ['cat', 'cat'], ['category', 'cat'], ['author', 'author'], ['au', 'author'], ['title', 'title'],
  ['ti', 'title'], ['year', 'year'], ['since', 'since'], ['before', 'before'], ['sort', 'sort'],
  ['similar', 'similar'], ['like', 'similar'],
]);
const SORTS: ReadonlySet<string> = new Set(['relevance', 'newest', 'trending']);
const FIELD_PREFIX = /([A-Za-z]+):/y;
const WORD_END = /[\s|()"]/u; // a quote inside a word starts a phrase
const WORD_START = /[\p{L}\p{N}"]/u; // what may follow `-` for it to mean exclusion
// Same split as FTS5's unicode61 tokenizer (letters/numbers are token characters), keeping
// combining marks attached so scripts that use them are not cut mid-word.
const NON_WORD = /[^\p{L}\p{N}\p{M}]+/u;
const HAS_WORD = /[\p{L}\p{N}]/u;
const CURLY_QUOTES = /[\u201C\u201D\u201E\u201F]/g; // pasted titles often carry them

export function parseQuery(input: string, opts: { maxLength?: number } = {}): ParsedQuery {
  const q: ParsedQuery = {
    arxivId: null, groups: [], excluded: [], sort: null, warnings: [],
    filters: { categories: [], authors: [], title: [], year: null, since: null, before: null, similarTo: null },
  };
  const warn: Warn = (m) => { if (!q.warnings.includes(m)) q.warnings.push(m); };
  const maxLength = opts.maxLength ?? 2000;
  let s = String(input ?? '');
  if (s.length > maxLength) {
    s = truncate(s, maxLength);
    warn(`query truncated to ${maxLength} characters`);
  }
  // NFKC first so full-width quotes, colons and stars behave like their ASCII forms.
  s = s.normalize('NFKC').replace(CURLY_QUOTES, '"');

  const id = parseArxivId(s);
  if (id) { q.arxivId = id.id; return q; }

  let lastWasPositive = false; // an OR only joins two adjacent positive items
  let orPending = false;
  let notPending = false;
  const breakChain = () => {
    if (orPending) warn('ignored "OR" without a term on both sides');
    orPending = false; lastWasPositive = false; notPending = false;
  };
  for (const t of tokenize(s)) {
    if (t.op !== null) { // AND is what adjacency means already, so it is simply skipped
      if (t.op === 'NOT') notPending = true;
      else if (t.op === 'OR' && lastWasPositive) orPending = true;
      else if (t.op === 'OR') warn('ignored "OR" without a term on both sides');
      continue;
    }
    const neg = t.neg || notPending;
    const field = t.field === null ? undefined : FIELDS.get(t.field.toLowerCase());
    if (field) {
      if (neg) warn(`ignored excluded filter "${t.source}"`); else applyFilter(q, field, t, warn);
      breakChain();
      continue;
    }
    let text = t.text;
    if (t.field !== null) {
      warn(`ignored unknown field "${t.field}:"`);
      text = `${t.field} ${text}`; // searched as ordinary words, so `http://x` still finds something
    }
    // A token of punctuation only is invisible: `a OR ++ b` still joins a and b.
    const alt = toAlternative(text, t.quoted, t.star, warn);
    if (!alt) continue;
    if (neg) { q.excluded.push(alt); breakChain(); continue; }
    if (orPending) q.groups[q.groups.length - 1]!.push(alt); else q.groups.push([alt]);
    orPending = false; notPending = false; lastWasPositive = true;
  }
  if (orPending) warn('ignored "OR" without a term on both sides');
  if (notPending) warn('ignored "NOT" without a term after it');
  return q;
}

/** Splits the input into operators and word/phrase tokens, each with its -/field: prefix. */
function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    // Parentheses carry no grouping here; as separators `(a OR b)` still reads naturally.
    if (c === '(' || c === ')' || /\s/u.test(c)) { i++; continue; }
    if (c === '|') { out.push({ op: 'OR' }); i++; continue; }
    const start = i;
    // "-" excludes only at the start of a word: in "Sim(3)-Consistent" or "\"a b\"-c" it is a hyphen.
    const neg = c === '-' && WORD_START.test(s[i + 1] ?? '') && (i === 0 || /[\s(]/u.test(s[i - 1]!));
    if (neg) i++;
    FIELD_PREFIX.lastIndex = i;
    const f = FIELD_PREFIX.exec(s);
    if (f) i += f[0].length;
    let text: string;
    let quoted = false;
    let star = false;
    if (s[i] === '"') {
      // An unterminated quote runs to the end of the input rather than failing.
      const end = s.indexOf('"', i + 1);
      text = s.slice(i + 1, end < 0 ? s.length : end);
      i = end < 0 ? s.length : end + 1;
      quoted = true;
      if (s[i] === '*') { star = true; i++; }
    } else {
      const from = i;
      while (i < s.length && !WORD_END.test(s[i]!)) i++;
      text = s.slice(from, i);
    }
    const source = s.slice(start, i);
    if (!neg && !f && !quoted && (text === 'OR' || text === 'AND' || text === 'NOT')) out.push({ op: text });
    else out.push({ op: null, neg, field: f ? f[1]! : null, text, quoted, star, source });
  }
  return out;
}

/** Word or quoted text → alternative; several words (state-of-the-art) become a phrase. */
function toAlternative(raw: string, quoted: boolean, star: boolean, warn: Warn): Alternative | null {
  let prefix = star;
  let text = raw;
  if (!quoted && text.endsWith('*')) { prefix = true; text = text.replace(/\*+$/, ''); }
  const parts = text.toLowerCase().split(NON_WORD).filter((p) => HAS_WORD.test(p));
  if (parts.length === 0) return null;
  // One-letter prefixes expand to a large slice of the index; search the letter instead.
  if (prefix && [...parts[parts.length - 1]!].length < 2) {
    warn(`ignored "*" after a prefix shorter than 2 characters ("${raw}")`);
    prefix = false;
  }
  const kind = prefix ? 'prefix' : quoted || parts.length > 1 ? 'phrase' : 'term';
  return { kind, text: parts.join(' ') };
}

function applyFilter(q: ParsedQuery, field: Field, t: Word, warn: Warn): void {
  const value = t.text.trim();
  if (!value) { warn(`ignored empty field "${t.source}"`); return; }
  const invalid = (what: string) => warn(`ignored invalid ${what} "${t.source}"`);
  const f = q.filters;
  switch (field) {
    case 'cat': {
      const cat = normaliseCategory(value);
      if (!cat) invalid('category');
      else if (!f.categories.includes(cat)) f.categories.push(cat);
      return;
    }
    case 'author': {
      const name = value.replace(/\s+/gu, ' ').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}.]+$/gu, '');
      if (!name) invalid('author');
      else if (!f.authors.includes(name)) f.authors.push(name);
      return;
    }
    case 'title': {
      const alt = toAlternative(value, t.quoted, t.star, warn);
      if (alt) f.title.push(alt); else invalid('title');
      return;
    }
    case 'year':
      if (/^[1-9]\d{3}$/.test(value)) f.year = Number(value); else invalid('year');
      return;
    case 'since':
    case 'before': {
      const date = normaliseDate(value);
      if (date) f[field] = date; else invalid('date');
      return;
    }
    case 'similar': {
      const id = normaliseArxivId(value);
      if (id) f.similarTo = id; else invalid('paper id');
      return;
    }
    case 'sort': {
      const sort = value.toLowerCase();
      if (SORTS.has(sort)) q.sort = sort as ParsedQuery['sort']; else invalid('sort');
    }
  }
}

/** arXiv's spelling: archive lower case; subject class upper case except physics/cond-mat. */
function normaliseCategory(value: string): string | null {
  const m = /^([a-z]+(?:-[a-z]+)?)(?:\.([a-z]+(?:-[a-z]+)?))?$/i.exec(value.replace(/\.\*$/, ''));
  if (!m) return null;
  const archive = m[1]!.toLowerCase();
  if (!m[2]) return archive;
  const lowerSubjects = archive === 'physics' || archive === 'cond-mat';
  return `${archive}.${lowerSubjects ? m[2].toLowerCase() : m[2].toUpperCase()}`;
}

/** YYYY, YYYY-MM or YYYY-MM-DD → the first day it names, as YYYY-MM-DD; null if not a real date. */
function normaliseDate(value: string): string | null {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2] ?? 1), Number(m[3] ?? 1)];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1000 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** Cuts at the last whitespace before `max` so no word is left half-typed. */
function truncate(s: string, max: number): string {
  let end = max;
  if (!/\s/u.test(s[max] ?? ' ')) {
    while (end > 0 && !/\s/u.test(s[end - 1]!)) end--;
    if (end === 0) end = max;
  }
  if (/[\uD800-\uDBFF]/.test(s[end - 1] ?? '')) end--; // never split a surrogate pair
  return s.slice(0, end).trimEnd();
}
