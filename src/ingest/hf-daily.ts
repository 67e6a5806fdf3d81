// Hugging Face Daily Papers: the JSON array `/api/daily_papers` returns for one day, as a
// file (plain or .gz). Each item gives a paper and its engagement on that day: upvotes,
// comments and, on newer days, GitHub stars. The API shape drifts (older days lack many
// fields), so only the paper's id and title are required; everything else is optional.
//
// observedAt: the counts were captured when the day's list was fetched, so they are
// stamped with the day the file names (YYYY-MM-DD in its name) at 23:59:59Z — the end of
// that day, which orders them after anything seen earlier that day and, being fixed, makes
// a re-import hit the same signal rows. A file without a date in its name falls back to the
// item's own `publishedAt` (when it was put on the daily list).
//
// Newer days also give the paper's GitHub repository, project page, a one-sentence
// machine summary and keywords (inside `paper`; some tools write them at the top level):
// they come back as a repository link and extras for the store.

import path from 'node:path';
import { z } from 'zod';
import { parseArxivId } from '../papers/arxiv-id.js';
import { cleanText, emptyRecord, type PaperRecord, type Signal } from '../papers/paper.js';
import type { PaperExtras } from '../store/extras-store.js';
import type { RepoLink } from '../store/trending-store.js';
import { readText } from './file-input.js';
import { githubRepoOf } from './github-stars.js';
import { PaperboyError } from '../errors.js';
import { checkLimits, LIMITS } from './limits.js';
import { describeIssue, toIso } from './jsonl.js';

export const HF_SOURCE = 'hf-daily';

/** A paper with what Hugging Face adds to it: engagement, its repository, its extras. */
export interface HfParsed { record: PaperRecord; signals: Signal[]; repo: RepoLink | null; extras: PaperExtras | null }

export type HfItemResult = ({ item: number } & HfParsed) | { item: number; reason: string };

const count = z.number().nonnegative().nullish();
const date = z.string().nullish();
// Shapes drift: a wrong type here loses the extra, never the paper.
const looseText = z.unknown().optional().transform((v) => (typeof v === 'string' && v.trim() ? v.trim() : null));
const looseList = z.unknown().optional().transform((v) => (Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string' && !!k.trim()).map((k) => k.trim()) : []));
const extraFields = { githubRepo: looseText, projectPage: looseText, ai_summary: looseText, ai_keywords: looseList };

const HfItem = z.object({
  paper: z.object({
    id: z.string(),
    title: z.string().nullish(),
    summary: z.string().nullish(),
    authors: z.array(z.object({ name: z.string().nullish(), hidden: z.boolean().nullish() })).nullish(),
    publishedAt: date,
    submittedOnDailyAt: date,
    upvotes: count,
    githubStars: count,
    ...extraFields,
  }),
  title: z.string().nullish(),
  summary: z.string().nullish(),
  publishedAt: date,
  numComments: count,
  ...extraFields,
});

/** The day a file is about, from a YYYY-MM-DD in its name. */
export function dayFromFileName(file: string): string | null {
  return /(\d{4}-\d{2}-\d{2})/.exec(path.basename(file))?.[1] ?? null;
}

/** One day's file, or why it cannot be read at all: `line` is where (the last line when it was cut short). */
export type HfDay = { items: HfItemResult[] } | { line: number; reason: string };

/** Reads one day's file: a cut or damaged file, or one that is not a JSON array, is one problem. */
export async function loadHfDaily(file: string): Promise<HfDay> {
  const read = await readText(file, LIMITS.documentBytes);
  if ('problem' in read) return { line: 1, reason: read.problem };
  let value: unknown;
  try {
    value = JSON.parse(read.text);
  } catch (e) {
    return jsonProblem(read.text, (e as Error).message);
  }
  if (!Array.isArray(value)) return { line: 1, reason: 'expected the JSON array /api/daily_papers returns' };
  const day = dayFromFileName(file);
  return {
    items: value.map((item, i) => {
      const r = parseHfItem(item, day);
      const over = 'record' in r ? checkLimits(r.record) : null;
      return over ? { item: i + 1, reason: over } : { item: i + 1, ...r };
    }),
  };
}

/** As loadHfDaily, throwing a bad_input error that names the file and line. */
export async function readHfDaily(file: string): Promise<HfItemResult[]> {
  const day = await loadHfDaily(file);
  if ('reason' in day) throw new PaperboyError('bad_input', `${file}:${day.line}: ${day.reason}`);
  return day.items;
}

/** A JSON.parse failure as `line: reason`; the end of the text reached means the file was cut short. */
function jsonProblem(text: string, message: string): { line: number; reason: string } {
  const lineAt = (pos: number) => text.slice(0, pos).split('\n').length;
  const end = text.trimEnd().length;
  const pos = /position (\d+)/.exec(message);
  if (/end of (JSON )?input/i.test(message) || (pos && Number(pos[1]) >= end)) {
    return { line: lineAt(end), reason: 'truncated: the JSON ends before the array is closed' };
  }
  return { line: pos ? lineAt(Number(pos[1])) : 1, reason: `invalid JSON: ${message}` };
}

export function parseHfItem(value: unknown, fileDay: string | null): HfParsed | { reason: string } {
  const parsed = HfItem.safeParse(value);
  if (!parsed.success) return { reason: describeIssue(parsed.error, value) };
  const { paper, ...item } = parsed.data;
  const id = parseArxivId(paper.id)?.id;
  if (!id) return { reason: `id ${JSON.stringify(paper.id)} is not an arXiv id` };
  const title = cleanText(paper.title ?? item.title);
  if (!title) return { reason: 'missing title' };

  const record = emptyRecord(id, title, cleanText(paper.summary ?? item.summary));
  record.authors = (paper.authors ?? [])
    .filter((a) => !a.hidden && cleanText(a.name))
    .map((a) => ({ name: cleanText(a.name) }));
  record.submittedAt = paper.publishedAt ? toIso(paper.publishedAt) : null;

  const listed = item.publishedAt ?? paper.submittedOnDailyAt ?? paper.publishedAt;
  const day = fileDay ?? (listed && toIso(listed)?.slice(0, 10));
  if (!day) return { reason: 'no date for the signals: neither the file name nor the item has one' };
  const observedAt = `${day}T23:59:59Z`;
  const signals: Signal[] = [];
  const add = (kind: Signal['kind'], v: number | null | undefined) => {
    if (typeof v === 'number') signals.push({ paperId: id, kind, value: v, source: HF_SOURCE, observedAt });
  };
  add('upvotes', paper.upvotes);
  add('comments', item.numComments);
  add('github_stars', paper.githubStars);
  return {
    record, signals,
    ...hfLinks(id, {
      githubRepo: paper.githubRepo ?? item.githubRepo, projectPage: paper.projectPage ?? item.projectPage,
      aiSummary: paper.ai_summary ?? item.ai_summary, aiKeywords: paper.ai_keywords.length ? paper.ai_keywords : item.ai_keywords,
    }),
  };
}

/** Only web addresses become links: a page must never link `javascript:` from imported data. */
export function webUrl(s: string | null | undefined): string | null {
  if (!s) return null;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/** The repository link and extras of a paper from Hugging Face's fields (null when it has none). */
export function hfLinks(paperId: string, f: { githubRepo?: string | null; projectPage?: string | null; aiSummary?: string | null; aiKeywords?: string[] }):
  { repo: RepoLink | null; extras: PaperExtras | null } {
  const repo = f.githubRepo ? githubRepoOf(f.githubRepo) : null;
  const extras: PaperExtras = {
    paperId, source: HF_SOURCE, aiSummary: f.aiSummary ? cleanText(f.aiSummary) : null,
    aiKeywords: [...new Set(f.aiKeywords ?? [])].slice(0, 30), projectPage: webUrl(f.projectPage),
  };
  const hasExtras = extras.aiSummary || extras.aiKeywords.length || extras.projectPage;
  return { repo: repo ? { paperId, repo, source: HF_SOURCE } : null, extras: hasExtras ? extras : null };
}

/**
 * One row of the flattened Hugging Face file (JSON Lines: date, id, title, abstract,
 * authors as strings, published, submittedOnDailyAt, upvotes, numComments, githubRepo,
 * githubStars, projectPage, ai_keywords, …): the same paper, counts and links as the
 * day's JSON item, counts stamped with the row's `date` like a day file's.
 */
const HfFlatRow = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').nullish(),
  id: z.string(),
  title: z.string(),
  abstract: z.string().nullish(),
  summary: z.string().nullish(),
  authors: z.array(z.union([z.string(), z.object({ name: z.string().nullish() })])).nullish(),
  published: date,
  submittedOnDailyAt: date,
  upvotes: count,
  numComments: count,
  githubStars: count,
  ...extraFields,
});

export function isHfFlatRow(obj: Record<string, unknown>): boolean {
  return 'submittedOnDailyAt' in obj || ('upvotes' in obj && 'date' in obj);
}

export function parseHfFlatRow(obj: Record<string, unknown>): HfParsed | { reason: string } {
  const parsed = HfFlatRow.safeParse(obj);
  if (!parsed.success) return { reason: describeIssue(parsed.error, obj) };
  const row = parsed.data;
  return parseHfItem({
    paper: {
      id: row.id, title: row.title, summary: row.abstract ?? row.summary, publishedAt: row.published,
      authors: (row.authors ?? []).map((a) => (typeof a === 'string' ? { name: a } : a)),
      upvotes: row.upvotes, githubStars: row.githubStars, githubRepo: row.githubRepo, projectPage: row.projectPage,
      ai_summary: row.ai_summary, ai_keywords: row.ai_keywords,
    },
    publishedAt: row.submittedOnDailyAt, numComments: row.numComments,
  }, row.date ?? null);
}
