// The digest inside `serve`: a round at start (catching up on slots missed while the
// process was down, once), then one at the start of every minute, each subscriber's
// digest going out in the first round after their hour in their zone. Rounds never
// overlap; a failed round is logged and the next minute tries again.

import { describeError } from '../errors.js';
import { createDigestService, type DigestDeps, type RoundSummary } from './run.js';

export interface DigestSchedule {
  /** Stops after the round in progress (its messages in flight are finished). */
  stop(): Promise<void>;
}

export function startDigestSchedule(deps: DigestDeps & { intervalMs?: number }): DigestSchedule {
  const service = createDigestService(deps);
  const interval = deps.intervalMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();

  const report = (r: RoundSummary) => {
    const planned = r.plan?.planned ?? 0;
    const d = r.delivery;
    if (planned || r.expired || (d && (d.sent || d.failed || d.retrying || d.recovered))) {
      deps.logger.info('digest round', {
        planned, empty: r.plan?.empty ?? 0, sent: d?.sent ?? 0, retrying: d?.retrying ?? 0, failed: d?.failed ?? 0,
        bounced: d?.bounced ?? 0, expiredSignups: r.expired, ms: r.ms,
      });
    }
  };

  const tick = () => {
    if (stopped) return;
    current = service.round().then(report, (e: unknown) => deps.logger.error('digest round failed', { reason: describeError(e) }))
      .finally(() => {
        if (stopped) return;
        // Aligned to the minute, so a 07:00 slot goes out at 07:00, not 07:00 plus drift.
        const wait = interval - (Date.now() % interval);
        timer = setTimeout(tick, wait);
        timer.unref();
      });
  };
  tick();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      service.stop();
      await current;
    },
  };
}
