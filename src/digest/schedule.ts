// The digest inside `serve`: a round at start (catching up on slots missed while the
// process was down, once), then one at the start of every minute (each also plans alert
// emails for papers that arrived since the last: a harvest's are mailed within a minute), each subscriber's
// digest going out in the first round after their hour in their zone. A job like the
// others (src/jobs/): rounds never overlap; a failed round is logged and the next minute
// tries again.

import { startJob } from '../jobs/job.js';
import { createDigestService, type DigestDeps, type RoundSummary } from './run.js';

export interface DigestSchedule {
  /** Stops after the round in progress (its messages in flight are finished). */
  stop(): Promise<void>;
}

export function startDigestSchedule(deps: DigestDeps & { intervalMs?: number }): DigestSchedule {
  const service = createDigestService(deps);
  const interval = deps.intervalMs ?? 60_000;

  const report = (r: RoundSummary) => {
    const planned = r.plan?.planned ?? 0;
    const alerts = r.alerts?.planned ?? 0;
    const d = r.delivery;
    if (planned || alerts || r.expired || (d && (d.sent || d.failed || d.retrying || d.recovered))) {
      deps.logger.info('digest round', {
        planned, alerts, empty: r.plan?.empty ?? 0, sent: d?.sent ?? 0, retrying: d?.retrying ?? 0, failed: d?.failed ?? 0,
        bounced: d?.bounced ?? 0, expiredSignups: r.expired, ms: r.ms,
      });
    }
  };

  const job = startJob({
    name: 'digest round', logger: deps.logger, announce: false,
    run: async () => report(await service.round()),
    firstRunIn: () => 0,
    // Aligned to the minute, so a 07:00 slot goes out at 07:00, not 07:00 plus drift.
    nextRunIn: () => interval - (Date.now() % interval),
  });

  return {
    async stop() {
      const stopped = job.stop();
      service.stop();
      await stopped;
    },
  };
}
