// Properties of the trending score over many random papers (seeded, so failures repeat):
// monotone in every signal, decaying with age, total and repeatable order, finite for any
// input, components that add up, and the behaviours the defaults promise over time.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../config.js';
import type { Signal } from '../papers/paper.js';
import { computeFeatures, featureOptions, type FeatureOptions } from './features.js';
import { scoreParams } from './rank.js';
import { ageHours, compareScored, scoreOf } from './score.js';
import { rankTable, toTable } from './table.js';
import { FEATURE_KINDS, type ScoreComponent, type ScoreParams, type TrendingCandidate } from './types.js';

const P = scoreParams(DEFAULT_CONFIG.trending);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-06-30T12:00:00Z');
/** Every gain counts, half-life one day. */
const ANY: FeatureOptions = { halfLifeHours: 24, dayStartMs: null, afterDays: 0 };

/** Mulberry32: a tiny seeded generator. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCandidate(r: () => number, id = `2606.${String(Math.floor(r() * 1e5)).padStart(5, '0')}`): TrendingCandidate {
  const count = () => (r() < 0.3 ? 0 : Math.floor(2 ** (r() * 14)));
  const rec = <T>(f: () => T) => Object.fromEntries(FEATURE_KINDS.map((k) => [k, f()])) as Record<(typeof FEATURE_KINDS)[number], T>;
  const day = new Date(NOW - Math.floor(r() * 40) * DAY).toISOString().slice(0, 10);
  return {
    paperId: id, day,
    features: r() < 0.1 ? null : { counts: rec(count), heat: rec(() => (r() < 0.5 ? 0 : r() * 300)), heatAt: NOW - r() * 10 * DAY },
  };
}

const score = (c: TrendingCandidate, now = NOW, p: ScoreParams = P) => scoreOf(c, now, p);
const withCount = (c: TrendingCandidate, k: (typeof FEATURE_KINDS)[number], extra: number, field: 'counts' | 'heat'): TrendingCandidate => {
  const f = c.features ?? { counts: { upvotes: 0, localUpvotes: 0, comments: 0, githubStars: 0, views: 0 }, heat: { upvotes: 0, localUpvotes: 0, comments: 0, githubStars: 0, views: 0 }, heatAt: NOW };
  return { ...c, features: { ...f, [field]: { ...f[field], [k]: f[field][k] + extra } } };
};

test('monotone: more of any signal (count or recent gain) never lowers the score, and usually raises it', () => {
  const r = random(1);
  for (let i = 0; i < 500; i++) {
    const c = randomCandidate(r);
    for (const k of FEATURE_KINDS) {
      for (const field of ['counts', 'heat'] as const) {
        const more = withCount(c, k, 1 + Math.floor(r() * 100), field);
        assert.ok(score(more) >= score(c), `${k} ${field}: ${JSON.stringify(c)}`);
        if (field === 'counts') assert.ok(score(more) > score(c), `${k} counts strictly`);
      }
    }
  }
});

test('decays with age: the same paper scores lower later, and an older paper lower than a newer twin', () => {
  const r = random(2);
  for (let i = 0; i < 500; i++) {
    const c = randomCandidate(r);
    const later = NOW + (1 + r() * 30) * DAY;
    assert.ok(score(c, later) < score(c), 'later');
    const olderDay = new Date(Date.parse(`${c.day}T00:00:00Z`) - (1 + Math.floor(r() * 20)) * DAY).toISOString().slice(0, 10);
    assert.ok(score({ ...c, day: olderDay }) < score(c), 'older twin');
  }
});

test('ties are broken by id (descending), whatever order the papers arrive in', () => {
  const r = random(3);
  const twin = randomCandidate(r);
  const ids = ['2606.00003', '2606.00001', 'hep-th/9901001', '2606.00002', '1812.06145'];
  const papers = ids.map((paperId) => ({ ...twin, paperId }));
  const expected = [...ids].sort().reverse();
  for (let i = 0; i < 20; i++) {
    const shuffled = [...papers].sort(() => r() - 0.5);
    const t = toTable(shuffled);
    const { order } = rankTable(t, NOW, P);
    assert.deepEqual(Array.from(order, (j) => t.ids[j]), expected);
  }
  assert.ok(compareScored(2, 'a', 1, 'b') < 0 && compareScored(1, 'a', 1, 'b') > 0 && compareScored(1, 'b', 1, 'a') < 0);
});

test('finite for any input: zero or tiny parameters, no signals, unknown dates, clocks before the paper', () => {
  const zero: ScoreParams = {
    weights: { upvotes: 0, localUpvotes: 0, comments: 0, githubStars: 0, views: 0 },
    momentum: { weight: 0, halfLifeHours: 0, afterDays: 0 }, gravity: { exponent: 0, scaleHours: 0 }, freshness: { points: 0, halfLifeHours: 0 },
  };
  const r = random(4);
  const odd: TrendingCandidate[] = [
    { paperId: 'a', day: null, features: null },
    { paperId: 'b', day: 'not-a-day', features: null },
    { paperId: 'c', day: '2030-01-01', features: null },
    { paperId: 'd', day: '2026-06-30', features: { counts: { upvotes: Number.NaN, localUpvotes: -3, comments: Infinity, githubStars: 0, views: 0 }, heat: { upvotes: -50, localUpvotes: Number.NaN, comments: 0, githubStars: 0, views: 0 }, heatAt: null } },
  ];
  for (const p of [P, zero]) {
    for (const c of [...odd, ...Array.from({ length: 200 }, () => randomCandidate(r))]) {
      for (const now of [NOW, 0, NOW + 400 * DAY]) assert.ok(Number.isFinite(score(c, now, p)), JSON.stringify({ c, now }));
    }
  }
  assert.equal(ageHours('2030-01-01', NOW), 0, 'a clock before the paper\'s day is age 0, not negative');
});

test('missing and unusable signals count as none', () => {
  const bare: TrendingCandidate = { paperId: 'x', day: '2026-06-29', features: null };
  const junk: TrendingCandidate = { ...bare, features: { counts: { upvotes: Number.NaN, localUpvotes: -1, comments: 0, githubStars: 0, views: 0 }, heat: { upvotes: -7, localUpvotes: 0, comments: 0, githubStars: 0, views: 0 }, heatAt: null } };
  assert.equal(score(junk), score(bare));
  assert.equal(computeFeatures([], [], ANY), null);
  const bad: Signal[] = [
    { paperId: 'x', kind: 'upvotes', source: 'hf-daily', observedAt: 'yesterday', value: 5 },
    { paperId: 'x', kind: 'upvotes', source: 'hf-daily', observedAt: '2026-06-29T10:00:00Z', value: -2 },
  ];
  assert.equal(computeFeatures(bad, [], ANY), null);
});

test('components add up to the score exactly and every one has a human label', () => {
  const r = random(5);
  for (let i = 0; i < 300; i++) {
    const c = randomCandidate(r);
    const parts: ScoreComponent[] = [];
    const s = scoreOf(c, NOW, P, parts);
    assert.equal(s, score(c));
    assert.equal(parts.reduce((sum, p) => sum + p.contribution, 0), s);
    for (const p of parts) {
      assert.ok(p.label.length > 5 && !p.label.includes('NaN') && !p.label.includes('undefined'), p.label);
      assert.ok(Number.isFinite(p.value) && Number.isFinite(p.contribution));
    }
    assert.deepEqual(parts.slice(-2).map((p) => p.name), ['freshness', 'age']);
  }
  const parts: ScoreComponent[] = [];
  scoreOf({ paperId: 'x', day: '2026-06-29', features: { counts: { upvotes: 12, localUpvotes: 1, comments: 0, githubStars: 1234, views: 0 }, heat: { upvotes: 0, localUpvotes: 0, comments: 0, githubStars: 0, views: 0 }, heatAt: NOW } }, NOW, P, parts);
  assert.deepEqual(parts.map((p) => p.label).slice(0, 3), ['12 upvotes on Hugging Face', '1 upvote on this site', '1,234 stars on its GitHub repository']);
});

test('the same instants in other time zones give the same features and scores', () => {
  const utc: Signal[] = [
    { paperId: 'x', kind: 'upvotes', source: 'hf-daily', observedAt: '2026-06-29T22:00:00Z', value: 4 },
    { paperId: 'x', kind: 'upvotes', source: 'hf-daily', observedAt: '2026-06-30T06:00:00Z', value: 40 },
  ];
  const zoned = utc.map((s, i) => ({ ...s, observedAt: ['2026-06-30T07:00:00+09:00', '2026-06-29T23:00:00-07:00'][i]! }));
  const a = computeFeatures(utc, ['2026-06-30T01:00:00Z'], ANY);
  const b = computeFeatures(zoned, ['2026-06-29T21:00:00-04:00'], ANY);
  assert.deepEqual(a, b);
  const c: TrendingCandidate = { paperId: 'x', day: '2026-06-29', features: a };
  const before = score(c);
  const tz = process.env.TZ;
  try {
    for (const zone of ['Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Kolkata']) {
      process.env.TZ = zone;
      assert.equal(score(c), before, zone);
      assert.deepEqual(computeFeatures(zoned, ['2026-06-29T21:00:00-04:00'], ANY), a, zone);
    }
  } finally {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  }
});

/** A paper announced on `day` whose upvotes were observed as `points` [hours after the day began, count]. */
function observed(id: string, day: string, points: [number, number][]): TrendingCandidate {
  const start = Date.parse(`${day}T00:00:00Z`);
  const signals: Signal[] = points.map(([h, v]) => ({ paperId: id, kind: 'upvotes', source: 'hf-daily', observedAt: new Date(start + h * HOUR).toISOString(), value: v }));
  return { paperId: id, day, features: computeFeatures(signals, [], featureOptions(P, day)) };
}

const dayPlus = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

test('one burst does not pin a paper: within two weeks a fresh, ordinarily upvoted paper beats it', () => {
  // 250 upvotes (the most any paper got on one day in the Hugging Face data) within a day.
  const burst = observed('2606.00001', '2026-06-01', [[6, 0], [12, 120], [20, 250]]);
  let overtakenAfter = Infinity;
  for (let d = 1; d <= 30; d++) {
    const day = dayPlus('2026-06-01', d);
    const now = Date.parse(`${day}T20:00:00Z`);
    // A median paper of that day: 6 upvotes seen once.
    const fresh = observed('2606.00002', day, [[19, 6]]);
    if (score(fresh, now) > score(burst, now)) { overtakenAfter = d; break; }
  }
  assert.ok(overtakenAfter <= 14, `overtaken after ${overtakenAfter} days`);
});

test('a paper that keeps gaining stays up, while the same total in one burst fades', () => {
  const day0 = '2026-06-01';
  const days = 21;
  const steady = observed('2606.00001', day0, Array.from({ length: days * 4 + 1 }, (_, i) => [6 + i * 6, i * 5] as [number, number]));
  const burst = observed('2606.00002', day0, [[6, 0], [12, days * 20]]);
  const now = Date.parse(`${dayPlus(day0, days)}T06:00:00Z`);
  const fresh = observed('2606.00003', dayPlus(day0, days), [[5, 6]]);
  assert.ok(score(steady, now) > score(fresh, now), 'still gaining 20 a day after three weeks: above a fresh median paper');
  assert.ok(score(steady, now) > score(burst, now), 'the same total long ago ranks lower');
});

test('fresh papers get a fair chance: no signals yet beats a few days old with one upvote', () => {
  const now = Date.parse('2026-06-30T08:00:00Z');
  const fresh: TrendingCandidate = { paperId: '2606.00009', day: '2026-06-30', features: null };
  const older = observed('2606.00001', '2026-06-27', [[10, 1]]);
  assert.ok(score(fresh, now) > score(older, now));
  const liked = observed('2606.00002', '2026-06-29', [[10, 30]]);
  assert.ok(score(liked, now) > score(fresh, now), 'but yesterday\'s well-upvoted paper stays above it');
});
