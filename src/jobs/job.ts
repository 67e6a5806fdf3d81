// The one scheduler behind every background job in `serve` (the arXiv harvest, the
// trending connectors, the digest rounds). A job runs, then asks when to run next; the
// same rules hold for all of them:
// - runs never overlap, and nothing runs after stop();
// - a failed run (or a failure to decide when the first run is due, e.g. the store cannot
//   be read) is logged once as `NAME failed` with its reason and retried later, never in
//   a tight loop and never as an unhandled rejection;
// - stop() resolves when the run in progress, if any, has finished.

import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';

export type Outcome = 'ok' | 'failed';

export interface JobOptions {
  name: string;
  logger: Logger;
  run: () => Promise<void>;
  /** Milliseconds until the first run; may read state (when the job last succeeded). */
  firstRunIn: () => Promise<number> | number;
  /** Milliseconds until the next run, after a run that succeeded or failed. */
  nextRunIn: (outcome: Outcome) => number;
  /** What a failure means for the service, appended to the error line. */
  failureMeans?: string;
  /** Log each scheduled run (info); off for jobs that run every minute. */
  announce?: boolean;
  now?: () => Date;
}

/** What a job that remembers its last success (the harvest, the connectors) is started with. */
export interface RecurringJobOptions {
  name: string;
  run: () => Promise<void>;
  /** When the job last succeeded, to decide whether it is due at start. */
  lastSuccessAt: () => Promise<string | null>;
  logger: Logger;
  now?: () => Date;
  retryAfterFailureMs?: number;
  failureMeans?: string;
}

export interface Job {
  stop(): Promise<void>;
}

/** setTimeout takes at most 2^31-1 ms (~24.8 days); longer waits are cut to that and re-planned. */
const MAX_DELAY = 2 ** 31 - 1;

export function startJob(o: JobOptions): Job {
  const now = o.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();

  const failed = (e: unknown) =>
    o.logger.error(`${o.name} failed${o.failureMeans ? `; ${o.failureMeans}` : ''}`, { reason: describeError(e) });

  const later = (ms: number, fn: () => void) => {
    if (stopped) return;
    const delay = Math.max(0, Math.min(Number.isFinite(ms) ? ms : 0, MAX_DELAY));
    timer = setTimeout(fn, delay);
    timer.unref();
    return new Date(now().getTime() + delay);
  };

  const schedule = (ms: number) => {
    const at = later(ms, tick);
    if (at && (o.announce ?? true)) o.logger.info(`${o.name}: next run scheduled`, { at: at.toISOString() });
  };

  const tick = () => {
    if (stopped) return;
    current = (async () => {
      let outcome: Outcome = 'ok';
      try {
        await o.run();
      } catch (e) {
        outcome = 'failed';
        failed(e);
      }
      schedule(o.nextRunIn(outcome));
    })();
  };

  // Deciding when the first run is due can fail too: then it is decided again later.
  const decide = () => {
    if (stopped) return;
    current = (async () => {
      try {
        schedule(await o.firstRunIn());
      } catch (e) {
        failed(e);
        later(o.nextRunIn('failed'), decide);
      }
    })();
  };
  decide();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
