// Slots in time zones: the hour in the subscriber's zone, across daylight-saving changes,
// daily and weekly, and the catch-up rule's "latest slot".

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latestSlot, localDate, nextSlot, zonedInstant } from './slots.js';

const iso = (d: Date) => d.toISOString();

test('the hour in the zone, summer and winter', () => {
  assert.equal(iso(zonedInstant('2026-06-30', 7, 'Europe/Paris')), '2026-06-30T05:00:00.000Z');
  assert.equal(iso(zonedInstant('2026-12-30', 7, 'Europe/Paris')), '2026-12-30T06:00:00.000Z');
  assert.equal(iso(zonedInstant('2026-06-30', 7, 'America/Los_Angeles')), '2026-06-30T14:00:00.000Z');
  assert.equal(iso(zonedInstant('2026-06-30', 7, 'Asia/Kolkata')), '2026-06-30T01:30:00.000Z');
  assert.equal(iso(zonedInstant('2026-06-30', 0, 'Pacific/Kiritimati')), '2026-06-29T10:00:00.000Z');
  assert.equal(iso(zonedInstant('2026-06-30', 23, 'UTC')), '2026-06-30T23:00:00.000Z');
});

test('an hour skipped by daylight saving moves to the first valid instant; a repeated one is used once', () => {
  // Paris, 29 March 2026: 02:00 → 03:00.
  assert.equal(iso(zonedInstant('2026-03-29', 2, 'Europe/Paris')), '2026-03-29T01:00:00.000Z');
  assert.equal(localDate(zonedInstant('2026-03-29', 2, 'Europe/Paris'), 'Europe/Paris'), '2026-03-29');
  // New York, 1 November 2026: 01:00 happens twice; one slot.
  const rule = { sendHour: 1, timeZone: 'America/New_York', frequency: 'daily' as const, weekday: 1 };
  const first = nextSlot(rule, new Date('2026-11-01T00:00:00Z'));
  assert.equal(first.date, '2026-11-01');
  assert.equal(nextSlot(rule, first.at).date, '2026-11-02');
});

test('latest and next slots, daily and weekly', () => {
  const daily = { sendHour: 7, timeZone: 'Europe/Paris', frequency: 'daily' as const, weekday: 1 };
  assert.deepEqual(latestSlot(daily, new Date('2026-07-01T04:59:59Z')).date, '2026-06-30');
  assert.deepEqual(latestSlot(daily, new Date('2026-07-01T05:00:00Z')).date, '2026-07-01');
  assert.equal(iso(nextSlot(daily, new Date('2026-07-01T05:00:00Z')).at), '2026-07-02T05:00:00.000Z');
  const weekly = { ...daily, frequency: 'weekly' as const, weekday: 1 }; // Mondays
  assert.equal(latestSlot(weekly, new Date('2026-07-01T12:00:00Z')).date, '2026-06-29');
  assert.equal(nextSlot(weekly, new Date('2026-07-01T12:00:00Z')).date, '2026-07-06');
});
