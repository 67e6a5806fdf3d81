// JSON Lines import: the Kaggle arXiv metadata snapshot and simple rows
// ({id, title, abstract, authors[], categories[], published, …}), told apart per line.
// Streamed line by line (lines.ts over gunzip), so a multi-GB snapshot never sits in
// memory; every line yields a record or a precise reason it was rejected, a file cut short
// (a truncated .gz, a last line that stops mid-record) included.

import { z } from 'zod';
import { parseArxivId } from '../papers/arxiv-id.js';
import { cleanText, emptyRecord, type PaperRecord, type PaperVersion } from '../papers/paper.js';
import { parseCategories } from './categories.js';
import { openInput } from './file-input.js';
import { isHfFlatRow, parseHfFlatRow, type HfParsed } from './hf-daily.js';
import { LIMITS, checkLimits } from './limits.js';
import { readLines } from './lines.js';

/** Rows of the flattened Hugging Face file also carry counts, a repository link and extras. */
export type LineResult = ({ line: number; record: PaperRecord } & Partial<Omit<HfParsed, 'record'>>) | { line: number; reason: string };

const optText = z.string().nullish();

const KaggleRow = z.object({
  id: z.string(),
  title: z.string(),
  abstract: z.string(),
  authors: z.string().nullish(),
  authors_parsed: z.array(z.array(z.string())).nullish(),
  categories: z.string(),
  comments: optText,
  'journal-ref': optText,
  doi: optText,
  license: optText,
  versions: z.array(z.object({ version: z.string().regex(/^v\d+$/, 'must look like "v1"'), created: z.string() })).nullish(),
  update_date: optText,
});

const SimpleRow = z.object({
  id: z.string(),
  title: z.string(),
  abstract: z.string(),
  authors: z.array(z.string()),
  categories: z.array(z.string()).nullish(),
  published: optText,
  updated: optText,
  comment: optText,
  journal_ref: optText,
  doi: optText,
  license: optText,
});

/** Why a file ends early starts with this word, so readers (and --strict) can tell. */
export const TRUNCATED = 'truncated';

/**
 * Reads a .jsonl or .jsonl.gz file; blank lines are skipped, line numbers are 1-based.
 * A file cut short yields a last result whose reason starts with "truncated": the
 * records before it are whole and usable; nothing is thrown.
 */
export async function* readJsonl(file: string, onBytes?: (n: number) => void, maxLineBytes: number = LIMITS.lineBytes): AsyncGenerator<LineResult> {
  const input = await openInput(file, onBytes);
  try {
    for await (const item of readLines(input, maxLineBytes)) {
      if ('truncated' in item) {
        const before = item.line > 1 ? 'the lines before were read' : 'no line could be read';
        yield { line: item.line, reason: `${TRUNCATED}: the file ends early (${item.truncated}); ${before}` };
        return;
      }
      if ('tooLong' in item) {
        yield { line: item.line, reason: `line is ${item.tooLong.toLocaleString('en-US')} bytes; the limit is ${maxLineBytes.toLocaleString('en-US')}` };
        continue;
      }
      if (!item.text.trim()) continue;
      const r = parseJsonlLine(item.text);
      // A last line with no line break that is not valid JSON is a record cut short.
      if (item.last && 'reason' in r && r.reason.startsWith('invalid JSON')) {
        yield { line: item.line, reason: `${TRUNCATED}: the file ends in the middle of this record` };
      } else {
        yield { line: item.line, ...r };
      }
    }
  } finally {
    input.destroy();
  }
}

/** One line to a record (or a reason it is not one). */
export function parseJsonlLine(text: string): ({ record: PaperRecord } & Partial<Omit<HfParsed, 'record'>>) | { reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { reason: `invalid JSON: ${(e as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { reason: 'not a JSON object' };
  const obj = value as Record<string, unknown>;
  if (isHfFlatRow(obj)) return parseHfFlatRow(obj);
  // The snapshot keeps categories as one space-separated string; simple rows use an array.
  const kaggle = typeof obj.categories === 'string' || 'authors_parsed' in obj || 'update_date' in obj;
  const r = kaggle ? fromKaggle(obj) : fromSimple(obj);
  if ('reason' in r) return r;
  const over = checkLimits(r.record);
  return over ? { reason: over } : r;
}

function fromKaggle(obj: Record<string, unknown>): { record: PaperRecord } | { reason: string } {
  const parsed = KaggleRow.safeParse(obj);
  if (!parsed.success) return { reason: describeIssue(parsed.error, obj) };
  const row = parsed.data;
  const base = start(row.id, row.title, row.abstract);
  if ('reason' in base) return base;
  const r = base.record;
  r.authors = row.authors_parsed?.length
    ? row.authors_parsed.map(([last = '', first = '', suffix = '']) => ({ name: cleanText(`${first} ${last} ${suffix}`) }))
    : splitAuthorList(row.authors ?? '').map((name) => ({ name }));
  r.categories = parseCategories([row.categories]);
  r.comment = nonEmpty(row.comments);
  r.journalRef = nonEmpty(row['journal-ref']);
  r.doi = nonEmpty(row.doi);
  r.license = nonEmpty(row.license);
  const versions: PaperVersion[] = [];
  for (const [i, v] of (row.versions ?? []).entries()) {
    const at = toIso(v.created);
    if (!at) return { reason: `versions[${i}].created "${v.created}" is not a date` };
    versions.push({ version: Number(v.version.slice(1)), submittedAt: at });
  }
  r.versions = versions.sort((a, b) => a.version - b.version);
  r.submittedAt = versions.find((v) => v.version === 1)?.submittedAt ?? null;
  if (row.update_date) {
    if (!toIso(row.update_date)) return { reason: `update_date "${row.update_date}" is not a date` };
    r.updatedAt = row.update_date;
  }
  return { record: r };
}

function fromSimple(obj: Record<string, unknown>): { record: PaperRecord } | { reason: string } {
  const parsed = SimpleRow.safeParse(obj);
  if (!parsed.success) return { reason: describeIssue(parsed.error, obj) };
  const row = parsed.data;
  const base = start(row.id, row.title, row.abstract);
  if ('reason' in base) return base;
  const r = base.record;
  r.authors = row.authors.map(cleanText).filter(Boolean).map((name) => ({ name }));
  r.categories = parseCategories(row.categories ?? []);
  r.comment = nonEmpty(row.comment);
  r.journalRef = nonEmpty(row.journal_ref);
  r.doi = nonEmpty(row.doi);
  r.license = nonEmpty(row.license);
  if (row.published) {
    const at = toIso(row.published);
    if (!at || !/^\d{4}-\d{2}-\d{2}/.test(row.published)) return { reason: `published "${row.published}" is not a date` };
    r.announcedAt = row.published.slice(0, 10);
    // A bare date is an announcement day; a timestamp also pins the submission time.
    if (row.published.length > 10) r.submittedAt = at;
  }
  if (row.updated) {
    if (!toIso(row.updated)) return { reason: `updated "${row.updated}" is not a date` };
    r.updatedAt = row.updated.length > 10 ? toIso(row.updated) : row.updated;
  }
  return { record: r };
}

function start(id: string, title: string, abstract: string): { record: PaperRecord } | { reason: string } {
  const parsed = parseArxivId(id);
  if (!parsed) return { reason: `id ${JSON.stringify(id)} is not an arXiv id` };
  const t = cleanText(title);
  if (!t) return { reason: 'empty title' };
  return { record: emptyRecord(parsed.id, t, cleanText(abstract)) };
}

/** The first zod issue in words: "missing title", "authors[2]: expected string, received number". */
export function describeIssue(error: z.ZodError, input: unknown): string {
  const issue = error.issues[0]!;
  const where = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
  let value: unknown = input;
  for (const p of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[p as PropertyKey];
  if (issue.code === 'invalid_type' && value === undefined) return `missing ${where}`;
  return `${where || 'row'}: ${issue.message.replace(/^Invalid input: /, '')}`;
}

/** "A. One, B. Two and C. Three" → names; the snapshot's fallback when authors_parsed is absent. */
function splitAuthorList(s: string): string[] {
  return cleanText(s).split(/\s*,\s*(?:and\s+)?|\s+and\s+/).map((x) => x.trim()).filter(Boolean);
}

function nonEmpty(s: string | null | undefined): string | null {
  const t = cleanText(s);
  return t ? t : null;
}

/** Any date the sources use (RFC 822, ISO date or timestamp) as an ISO timestamp, or null. */
export function toIso(s: string): string | null {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
