// The windows trending ranks over: a day, an ISO week (Monday to Sunday), a calendar month
// or the last N days, as inclusive ranges of UTC announcement days (YYYY-MM-DD).

import { addDays } from '../days.js';
import { fail } from '../errors.js';

export interface DayRange { from: string; to: string }

const DAY_MS = 86_400_000;

/** True for a real calendar day written YYYY-MM-DD. */
export function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/** The day, or a clear bad_input error naming `what`. */
export function checkDay(s: string, what: string): string {
  if (!isDay(s)) fail('bad_input', `${what} must be a real day written YYYY-MM-DD, got "${String(s).slice(0, 40)}"`);
  return s;
}

export function dayRange(day: string): DayRange {
  return { from: day, to: day };
}

/** The ISO week (Monday to Sunday) holding `day`. */
export function isoWeekRange(day: string): DayRange {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  const from = addDays(day, -weekday);
  return { from, to: addDays(from, 6) };
}

/** The calendar month holding `day`. */
export function monthRange(day: string): DayRange {
  const first = `${day.slice(0, 7)}-01`;
  const next = new Date(`${first}T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { from: first, to: addDays(next.toISOString().slice(0, 10), -1) };
}

/** The `days` days ending with `day`. */
export function lastDays(days: number, day: string): DayRange {
  return { from: addDays(day, -(Math.max(1, Math.trunc(days)) - 1)), to: day };
}

/** The end of a day (its last millisecond), the scoring time a replay of that day uses. */
export function endOfDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS - 1);
}
