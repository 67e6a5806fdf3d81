// The day, ISO week or month a daily-papers request names, as a half-open range of days,
// and the papers in it. Listing goes through the search index (its date filters and
// newest-first order need no words), so it works the same over any store engine.

import { z } from 'zod';
import { search, type SearchEngine, type SearchResult } from '../../search/search.js';

export interface DateWindow {
  /** First day in the window (YYYY-MM-DD). */
  since: string;
  /** First day after it (exclusive). */
  before: string;
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Milliseconds of a real calendar day, or null (2025-02-30 is not one). */
function dayMs(y: number, m: number, d: number): number | null {
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  return y >= 1000 && back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? t : null;
}

export function dayWindow(s: string): DateWindow | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const t = m ? dayMs(+m[1]!, +m[2]!, +m[3]!) : null;
  return t === null ? null : { since: iso(t), before: iso(t + DAY_MS) };
}

/** ISO 8601 weeks start on Monday; week 1 is the one holding 4 January. */
export function weekWindow(s: string): DateWindow | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(s);
  if (!m || +m[1]! < 1000) return null;
  const year = +m[1]!;
  const jan4 = Date.UTC(year, 0, 4);
  const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS + (+m[2]! - 1) * 7 * DAY_MS;
  // Week 00 does not exist, and week 53 only in years whose Thursday of it is still theirs.
  if (+m[2]! < 1 || new Date(monday + 3 * DAY_MS).getUTCFullYear() !== year) return null;
  return { since: iso(monday), before: iso(monday + 7 * DAY_MS) };
}

export function monthWindow(s: string): DateWindow | null {
  const m = /^(\d{4})-(\d{2})$/.exec(s);
  const t = m ? dayMs(+m[1]!, +m[2]!, 1) : null;
  return t === null ? null : { since: iso(t), before: iso(Date.UTC(+m![1]!, +m![2]!, 1)) };
}

const windowParam = (name: string, parse: (s: string) => DateWindow | null, shape: string) =>
  z.string().optional().transform((s, ctx) => {
    if (s === undefined) return undefined;
    const w = parse(s);
    if (!w) ctx.addIssue({ code: 'custom', message: `${name} must be a real ${shape}.` });
    return w ?? z.NEVER;
  });

/** date | week | month, at most one of them; none means every date. */
export const windowParams = {
  date: windowParam('date', dayWindow, 'day as YYYY-MM-DD'),
  week: windowParam('week', weekWindow, 'ISO week as YYYY-Www (e.g. 2025-W12)'),
  month: windowParam('month', monthWindow, 'month as YYYY-MM'),
};

export function pickWindow(p: { date?: DateWindow; week?: DateWindow; month?: DateWindow }): DateWindow | null {
  return p.date ?? p.week ?? p.month ?? null;
}

/** Papers dated in the window (announced, else submitted), newest first; every date when null. */
export function papersInWindow(engine: SearchEngine, window: DateWindow | null, opts: { limit: number; page: number }): Promise<SearchResult> {
  const range = window ? `since:${window.since} before:${window.before} ` : '';
  return search(engine, `${range}sort:newest`, opts);
}
