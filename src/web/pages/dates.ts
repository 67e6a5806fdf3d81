// Calendar arithmetic for the home page's daily, weekly and monthly views. Days are
// YYYY-MM-DD strings in UTC, the way arXiv announces papers.

import { addDays } from '../../days.js';
import { fail } from '../../errors.js';

export type Period = 'daily' | 'weekly' | 'monthly';
export const PERIODS: readonly Period[] = ['daily', 'weekly', 'monthly'];

/** A span of days: `from` inclusive, `to` exclusive. */
export interface Span { from: string; to: string }

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function parsePeriod(value: string | undefined): Period {
  if (value === undefined || value === '') return 'daily';
  if ((PERIODS as readonly string[]).includes(value)) return value as Period;
  return fail('bad_input', `"${value.slice(0, 40)}" is not a period; use daily, weekly or monthly.`);
}

/** A real calendar day written YYYY-MM-DD, or a clear 400. */
export function parseDay(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.toISOString().slice(0, 10) !== value || Number(m[1]) < 1990) {
    fail('bad_input', `"${value.slice(0, 40)}" is not a date. Dates look like 2026-06-30 (year, month, day).`);
  }
  return value;
}

function addMonths(day: string, n: number): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}

/** The day, its ISO week (Monday to Sunday) or its calendar month. */
export function spanOf(period: Period, day: string): Span {
  if (period === 'daily') return { from: day, to: addDays(day, 1) };
  if (period === 'weekly') {
    const monday = addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
    return { from: monday, to: addDays(monday, 7) };
  }
  const first = `${day.slice(0, 7)}-01`;
  return { from: first, to: addMonths(first, 1) };
}

/** The first day of the span before (-1) or after (+1) the one holding `day`. */
export function shift(period: Period, day: string, step: -1 | 1): string {
  const span = spanOf(period, day);
  if (period === 'daily') return addDays(day, step);
  if (period === 'weekly') return addDays(span.from, 7 * step);
  return addMonths(span.from, step);
}

export function formatDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1]?.slice(0, 3) ?? ''} ${y}`;
}

export function describeSpan(period: Period, day: string): string {
  const span = spanOf(period, day);
  if (period === 'daily') return formatDay(day);
  if (period === 'weekly') return `Week of ${formatDay(span.from)} – ${formatDay(addDays(span.to, -1))}`;
  return `${MONTHS[Number(day.slice(5, 7)) - 1]} ${day.slice(0, 4)}`;
}
