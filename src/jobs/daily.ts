// A once-a-day job at HH:MM UTC, as `serve` runs the arXiv harvest and the GitHub stars.
// On start it catches up once if the last success predates the most recent slot; a failed
// run is retried an hour later (sooner than the next slot, never in a tight loop).

import { startJob, type Job, type RecurringJobOptions } from './job.js';

export interface DailyJobOptions extends RecurringJobOptions {
  /** HH:MM in UTC. */
  dailyAt: string;
}

/** The most recent slot at or before `now`. */
export function previousSlot(now: Date, dailyAt: string): Date {
  const [h, m] = dailyAt.split(':').map(Number) as [number, number];
  const slot = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), h, m));
  if (slot > now) slot.setUTCDate(slot.getUTCDate() - 1);
  return slot;
}

export function nextSlot(now: Date, dailyAt: string): Date {
  const slot = previousSlot(now, dailyAt);
  slot.setUTCDate(slot.getUTCDate() + 1);
  return slot;
}

export function startDailyJob(o: DailyJobOptions): Job {
  const now = o.now ?? (() => new Date());
  const retryMs = o.retryAfterFailureMs ?? 60 * 60 * 1000;
  const untilNextSlot = () => nextSlot(now(), o.dailyAt).getTime() - now().getTime();
  return startJob({
    name: o.name, logger: o.logger, run: o.run, now, failureMeans: o.failureMeans ?? 'the site keeps serving what it has',
    async firstRunIn() {
      const last = await o.lastSuccessAt();
      if (last && new Date(last) >= previousSlot(now(), o.dailyAt)) return untilNextSlot();
      o.logger.info(`${o.name}: catching up now`, { lastSuccessAt: last ?? 'never' });
      return 0;
    },
    nextRunIn: (outcome) => (outcome === 'ok' ? untilNextSlot() : Math.min(retryMs, untilNextSlot())),
  });
}
