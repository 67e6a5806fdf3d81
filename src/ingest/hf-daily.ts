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

import path from 'node:path';
import { z } from 'zod';
import { parseArxivId } from '../papers/arxiv-id.js';
import { cleanText, emptyRecord, type PaperRecord, type Signal } from '../papers/paper.js';
import { readText } from './file-input.js';
import { describeIssue, toIso } from './jsonl.js';

export const HF_SOURCE = 'hf-daily';

export type HfItemResult =
  | { item: number; record: PaperRecord; signals: Signal[] }
  | { item: number; reason: string };

const count = z.number().nonnegative().nullish();
const date = z.string().nullish();

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
  }),
  title: z.string().nullish(),
  summary: z.string().nullish(),
  publishedAt: date,
  numComments: count,
});

/** The day a file is about, from a YYYY-MM-DD in its name. */
export function dayFromFileName(file: string): string | null {
  return /(\d{4}-\d{2}-\d{2})/.exec(path.basename(file))?.[1] ?? null;
}

/** Reads one day's file; throws a clear error when it is not a JSON array at all. */
export async function readHfDaily(file: string): Promise<HfItemResult[]> {
  let value: unknown;
  try {
    value = JSON.parse(await readText(file));
  } catch (e) {
    throw new Error(`${file}: invalid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(value)) throw new Error(`${file}: expected the JSON array /api/daily_papers returns`);
  const day = dayFromFileName(file);
  return value.map((item, i) => ({ item: i + 1, ...parseHfItem(item, day) }));
}

export function parseHfItem(value: unknown, fileDay: string | null):
  { record: PaperRecord; signals: Signal[] } | { reason: string } {
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
  return { record, signals };
}
