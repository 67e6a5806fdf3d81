// When a subscriber's digest is due: at their hour in their time zone, every day or on
// their weekday. A slot is named by the subscriber's local date (the outbox's digest
// date). Daylight-saving gaps move a slot to the first valid instant after it; in an
// overlap it is one of the two instants — never both, as a slot is one per local date.

import { addDays } from '../days.js';
import type { Frequency } from '../store/subscriber-store.js';

export interface Slot {
  /** The subscriber's local date, YYYY-MM-DD. */
  date: string;
  /** The UTC instant the digest is due. */
  at: Date;
}

export interface SlotRule {
  sendHour: number;
  timeZone: string;
  frequency: Frequency;
  weekday: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(at: Date, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const p of formatFor(timeZone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return parts as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** Minutes the zone is ahead of UTC at an instant. */
function offsetMinutes(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

export function localDate(at: Date, timeZone: string): string {
  const w = wallClock(at, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The UTC instant of `hour`:00 on a local date in a zone. */
export function zonedInstant(date: string, hour: number, timeZone: string): Date {
  const wall = Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
  // Guess with the offset at the wall time read as UTC, then correct once with the
  // offset at the guess: exact except in a DST gap, where it lands just after the gap.
  let at = wall - offsetMinutes(new Date(wall), timeZone) * 60_000;
  const second = wall - offsetMinutes(new Date(at), timeZone) * 60_000;
  if (second !== at) {
    // In a gap the two guesses straddle it; the later one is the first valid instant.
    at = localDate(new Date(second), timeZone) === date && wallClock(new Date(second), timeZone).hour === hour ? second : Math.max(at, second);
  }
  return new Date(at);
}

function isDeliveryDay(date: string, rule: SlotRule): boolean {
  return rule.frequency === 'daily' || weekdayOf(date) === rule.weekday;
}

export function slotOn(date: string, rule: SlotRule): Slot {
  return { date, at: zonedInstant(date, rule.sendHour, rule.timeZone) };
}

/** The most recent slot at or before `now`. */
export function latestSlot(rule: SlotRule, now: Date): Slot {
  let date = localDate(now, rule.timeZone);
  for (let i = 0; i < 9; i++, date = addDays(date, -1)) {
    if (!isDeliveryDay(date, rule)) continue;
    const slot = slotOn(date, rule);
    if (slot.at.getTime() <= now.getTime()) return slot;
  }
  throw new Error('no slot in the last 9 days'); // unreachable: a week always has one
}

/** The first slot strictly after `after`. */
export function nextSlot(rule: SlotRule, after: Date): Slot {
  let date = localDate(after, rule.timeZone);
  for (let i = 0; i < 9; i++, date = addDays(date, 1)) {
    if (!isDeliveryDay(date, rule)) continue;
    const slot = slotOn(date, rule);
    if (slot.at.getTime() > after.getTime()) return slot;
  }
  throw new Error('no slot in the next 9 days'); // unreachable
}
