import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Signal } from '../papers/paper.js';
import { computeFeatures, type FeatureOptions } from './features.js';
import { addDays, utcDay } from '../days.js';
import { endOfDay, isDay, isoWeekRange, lastDays, monthRange } from './windows.js';

/** Every gain counts (no launch period), half-life one day. */
const O: FeatureOptions = { halfLifeHours: 24, dayStartMs: null, afterDays: 0 };
const sig = (kind: Signal['kind'], observedAt: string, value: number, source = 'hf-daily'): Signal => ({ paperId: 'p', kind, source, observedAt, value });

test('counts are the latest observations; gains start at the second one and decay by the half-life', () => {
  const f = computeFeatures([
    sig('upvotes', '2026-06-30T12:00:00Z', 30),
    sig('upvotes', '2026-06-29T12:00:00Z', 10), // rows may come in any order
    sig('comments', '2026-06-30T12:00:00Z', 2),
    sig('github_stars', '2026-06-29T12:00:00Z', 500),
  ], [], O)!;
  assert.deepEqual(f.counts, { upvotes: 30, localUpvotes: 0, comments: 2, githubStars: 500, views: 0 });
  assert.equal(f.heatAt, Date.parse('2026-06-30T12:00:00Z'));
  assert.equal(f.heat.upvotes, 20, 'the gain of 20 happened at heatAt: full weight');
  assert.equal(f.heat.comments, 0, 'a first observation is a baseline, not a gain');
  assert.equal(f.heat.githubStars, 0);
});

test('older gains weigh less; local votes are gains of one each; local upvote signals are ignored', () => {
  const f = computeFeatures([
    sig('upvotes', '2026-06-28T00:00:00Z', 0),
    sig('upvotes', '2026-06-29T00:00:00Z', 8),
    sig('upvotes', '2026-06-30T00:00:00Z', 8),
    sig('upvotes', '2026-06-30T00:00:00Z', 99, 'local'),
  ], ['2026-06-30T00:00:00Z', '2026-06-29T00:00:00Z'], O)!;
  assert.equal(f.heat.upvotes, 4, '8 gained a day before the latest observation, half-life one day');
  assert.equal(f.counts.upvotes, 8);
  assert.equal(f.counts.localUpvotes, 2);
  assert.equal(f.heat.localUpvotes, 1.5);
});

test('two sources of the same count: the newest observation wins and gains telescope', () => {
  const f = computeFeatures([
    sig('github_stars', '2026-06-29T00:00:00Z', 40, 'hf-daily'),
    sig('github_stars', '2026-06-30T00:00:00Z', 45, 'github'),
    sig('github_stars', '2026-06-30T00:00:00Z', 41, 'hf-daily'),
  ], [], { ...O, halfLifeHours: 1e9 })!;
  assert.equal(f.counts.githubStars, 45);
  assert.ok(Math.abs(f.heat.githubStars - 5) < 1e-6, 'net gain from 40 to 45');
});

test('gains in a paper\'s first days are its launch: counted in the level, not as momentum', () => {
  const day = Date.parse('2026-06-01T00:00:00Z');
  const signals = [
    sig('upvotes', '2026-06-01T06:00:00Z', 5), sig('upvotes', '2026-06-02T06:00:00Z', 80), // launch
    sig('upvotes', '2026-06-10T06:00:00Z', 100), // 20 more a week later: momentum
  ];
  const f = computeFeatures(signals, ['2026-06-02T00:00:00Z', '2026-06-10T06:00:00Z'], { halfLifeHours: 24, dayStartMs: day, afterDays: 3 })!;
  assert.equal(f.counts.upvotes, 100);
  assert.equal(f.heat.upvotes, 20);
  assert.equal(f.counts.localUpvotes, 2);
  assert.equal(f.heat.localUpvotes, 1, 'the launch-day vote is in the count only');
});

test('windows are UTC days: day, ISO week, month, last N days', () => {
  assert.ok(isDay('2024-02-29') && !isDay('2025-02-29') && !isDay('2025-1-01'));
  assert.deepEqual(isoWeekRange('2026-07-01'), { from: '2026-06-29', to: '2026-07-05' });
  assert.deepEqual(isoWeekRange('2026-06-28'), { from: '2026-06-22', to: '2026-06-28' }, 'Sunday ends its week');
  assert.deepEqual(monthRange('2024-02-10'), { from: '2024-02-01', to: '2024-02-29' });
  assert.deepEqual(monthRange('2025-12-31'), { from: '2025-12-01', to: '2025-12-31' });
  assert.deepEqual(lastDays(7, '2026-03-02'), { from: '2026-02-24', to: '2026-03-02' });
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(endOfDay('2026-06-30').toISOString(), '2026-06-30T23:59:59.999Z');
  assert.equal(utcDay(new Date('2026-06-30T23:30:00-05:00')), '2026-07-01');
});
