import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../logger.js';
import { nextSlot, previousSlot, startDailyJob } from './daily.js';

test('slots are daily at HH:MM UTC', () => {
  const t = new Date('2026-03-10T00:59:00Z');
  assert.equal(previousSlot(t, '01:30').toISOString(), '2026-03-09T01:30:00.000Z');
  assert.equal(nextSlot(t, '01:30').toISOString(), '2026-03-10T01:30:00.000Z');
  const after = new Date('2026-03-10T01:30:00Z');
  assert.equal(previousSlot(after, '01:30').toISOString(), '2026-03-10T01:30:00.000Z');
  assert.equal(nextSlot(new Date('2026-12-31T23:00:00Z'), '01:30').toISOString(), '2027-01-01T01:30:00.000Z');
});

// Waits up to 10 s: on a loaded machine the first run can take more than a second to be logged.
async function settle(lines: string[], pattern: RegExp): Promise<void> {
  for (let i = 0; i < 1000 && !lines.some((l) => pattern.test(l)); i++) await new Promise((r) => setTimeout(r, 10));
}

test('catches up at start when the last success predates the latest slot, and logs a failure once', async () => {
  const lines: string[] = [];
  const logger = createLogger({ write: (l) => lines.push(l), format: 'text' });
  let runs = 0;
  const job = startDailyJob({
    name: 'harvest', dailyAt: '01:30', logger, now: () => new Date('2026-03-10T08:00:00Z'),
    lastSuccessAt: async () => '2026-03-09T02:00:00Z',
    run: async () => { runs++; throw new Error('getaddrinfo ENOTFOUND oaipmh.arxiv.org'); },
  });
  await settle(lines, /next run scheduled/);
  job.stop();
  assert.equal(runs, 1);
  const failures = lines.filter((l) => /harvest failed/.test(l));
  assert.equal(failures.length, 1);
  assert.match(failures[0]!, /ENOTFOUND oaipmh\.arxiv\.org/);
  assert.ok(lines.some((l) => /next run scheduled at=2026-03-10T09:00:00.000Z/.test(l)), 'retried an hour later');
});

test('does not run at start when today\'s slot already succeeded', async () => {
  const lines: string[] = [];
  let runs = 0;
  const job = startDailyJob({
    name: 'harvest', dailyAt: '01:30', logger: createLogger({ write: (l) => lines.push(l) }),
    now: () => new Date('2026-03-10T08:00:00Z'), lastSuccessAt: async () => '2026-03-10T01:35:00Z',
    run: async () => { runs++; },
  });
  await settle(lines, /next run scheduled/);
  job.stop();
  assert.equal(runs, 0);
  assert.ok(lines.some((l) => /at=2026-03-11T01:30:00.000Z/.test(l)));
});

test('when the last success cannot be read, the failure is logged and retried: no unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  const lines: string[] = [];
  let reads = 0;
  let runs = 0;
  const job = startDailyJob({
    name: 'arXiv harvest', dailyAt: '01:30', logger: createLogger({ write: (l) => lines.push(l), format: 'text' }),
    retryAfterFailureMs: 20,
    lastSuccessAt: async () => {
      if (++reads === 1) throw new Error('database is locked');
      return null;
    },
    run: async () => { runs++; },
  });
  await settle(lines, /catching up now/);
  await new Promise((r) => setTimeout(r, 50)); // an unhandled rejection is reported on the next turns
  await job.stop();
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, []);
  assert.ok(lines.some((l) => /arXiv harvest failed.*database is locked/.test(l)), lines.join('\n'));
  assert.equal(reads, 2, 'the first run is decided again after the retry delay');
  assert.equal(runs, 1);
});
