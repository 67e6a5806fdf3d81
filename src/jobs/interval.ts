// A job every `everyMs` (the Hugging Face signals every few hours): at start when the last
// success is older than that, and after a failure again within the hour (or the interval,
// if shorter).

import { startJob, type Job, type RecurringJobOptions } from './job.js';

export interface IntervalJobOptions extends RecurringJobOptions {
  everyMs: number;
}

export function startIntervalJob(o: IntervalJobOptions): Job {
  const now = o.now ?? (() => new Date());
  const retryMs = Math.min(o.retryAfterFailureMs ?? 3_600_000, o.everyMs);
  return startJob({
    name: o.name, logger: o.logger, run: o.run, now, failureMeans: o.failureMeans,
    async firstRunIn() {
      const last = await o.lastSuccessAt();
      return last ? Date.parse(last) + o.everyMs - now().getTime() : 0;
    },
    nextRunIn: (outcome) => (outcome === 'ok' ? o.everyMs : retryMs),
  });
}
