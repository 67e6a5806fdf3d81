import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../logger.js';
import { startJob } from './job.js';

test('runs never overlap, stop() waits for the run in progress, and nothing runs after it', async () => {
  let running = 0;
  let most = 0;
  let runs = 0;
  let finished = 0;
  const job = startJob({
    name: 'slow', logger: createLogger({ write: () => undefined }), announce: false,
    firstRunIn: () => 0, nextRunIn: () => 0,
    run: async () => {
      runs++;
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 15));
      running--;
      finished++;
    },
  });
  await new Promise((r) => setTimeout(r, 50));
  await job.stop();
  assert.equal(most, 1, 'one run at a time');
  assert.equal(finished, runs, 'stop() resolved after the run in progress finished');
  const after = runs;
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(runs, after, 'no run after stop()');
});

test('a failed run is logged with its reason and retried after nextRunIn("failed")', async () => {
  const lines: string[] = [];
  const outcomes: string[] = [];
  let n = 0;
  const job = startJob({
    name: 'flaky', logger: createLogger({ write: (l) => lines.push(l), format: 'text' }), failureMeans: 'nothing is lost', announce: false,
    firstRunIn: () => 0,
    nextRunIn: (o) => { outcomes.push(o); return o === 'failed' ? 5 : 60_000; },
    run: async () => { if (++n === 1) throw new Error('boom'); },
  });
  for (let i = 0; i < 50 && outcomes.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  await job.stop();
  assert.deepEqual(outcomes, ['failed', 'ok']);
  assert.equal(lines.filter((l) => /flaky failed; nothing is lost.*boom/.test(l)).length, 1);
});
