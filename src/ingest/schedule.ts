// A once-a-day job at HH:MM UTC, as `serve` runs the harvest. On start it catches up
// once if the last success predates the most recent slot; a failed run is logged once
// and retried an hour later (never in a tight loop), until the next daily slot.

import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';

export interface DailyJobOptions {
  name: string;
  /** HH:MM in UTC. */
  dailyAt: string;
  run: () => Promise<void>;
  /** When the job last succeeded, to decide whether to catch up at start. */
  lastSuccessAt: () => Promise<string | null>;
  logger: Logger;
  now?: () => Date;
  retryAfterFailureMs?: number;
}

export interface DailyJob {
  stop(): void;
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

export function startDailyJob(o: DailyJobOptions): DailyJob {
  const now = o.now ?? (() => new Date());
  const retryMs = o.retryAfterFailureMs ?? 60 * 60 * 1000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const schedule = (at: Date) => {
    if (stopped) return;
    const delay = Math.max(0, Math.min(at.getTime() - now().getTime(), 2 ** 31 - 1));
    timer = setTimeout(() => void tick(), delay);
    timer.unref();
    o.logger.info(`${o.name}: next run scheduled`, { at: at.toISOString() });
  };

  const tick = async () => {
    if (stopped) return;
    try {
      await o.run();
      schedule(nextSlot(now(), o.dailyAt));
    } catch (e) {
      o.logger.error(`${o.name} failed; the site keeps serving what it has`, { reason: describeError(e) });
      const retry = new Date(now().getTime() + retryMs);
      const next = nextSlot(now(), o.dailyAt);
      schedule(retry < next ? retry : next);
    }
  };

  void (async () => {
    const last = await o.lastSuccessAt();
    if (!last || new Date(last) < previousSlot(now(), o.dailyAt)) {
      o.logger.info(`${o.name}: catching up now`, { lastSuccessAt: last ?? 'never' });
      await tick();
    } else {
      schedule(nextSlot(now(), o.dailyAt));
    }
  })();

  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
