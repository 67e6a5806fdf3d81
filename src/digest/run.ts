// One round of the digest: drop expired unconfirmed subscriptions, plan what is due
// (recording each digest in the outbox), plan alert emails for papers that arrived since
// the last round (src/personal/alerts.ts; outbox rows too), deliver what is ready,
// forget old records.
// `digest run` does one round from cron; `serve` does one a minute (schedule.ts).

import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import type { SearchEngine } from '../search/search.js';
import type { Store } from '../store/store.js';
import type { Links } from '../subscriptions/links.js';
import type { Trending } from '../trending/index.js';
import { createPersonalizer } from '../personal/personalize.js';
import { createComposer } from './compose.js';
import { createOutbox, type DeliverySummary } from './outbox.js';
import { planDigests, type PlanSummary } from './plan.js';
import { addDays } from '../days.js';
import { exclusively } from '../jobs/lease.js';
import { planAlerts, type AlertRunSummary } from '../personal/alerts.js';

export interface DigestDeps {
  store: Store;
  search: SearchEngine;
  trending: Trending;
  mailer: Mailer;
  config: Config;
  logger: Logger;
  links: Links;
  now?: () => Date;
  /** Passed to the outbox (tests pin backoff jitter, name the owner). */
  outbox?: { owner?: string; jitter?: () => number; isDead?: (owner: string) => boolean };
}

export interface RoundOptions {
  /** Plan this digest date for everyone it is a delivery day for (`digest run --date`). */
  date?: string;
  dryRun?: boolean;
  /** Only deliver what is already planned. */
  deliverOnly?: boolean;
  /** Plan digests (default true); `paperboy alerts run` plans alert emails only. */
  digests?: boolean;
}

export interface RoundSummary {
  plan: PlanSummary | null;
  delivery: DeliverySummary | null;
  expired: number;
  composer: { atoms: number; combinations: number } | null;
  /** Alert emails planned; null when not planned (another process was planning them, or deliverOnly). */
  alerts: AlertRunSummary | null;
  /** Milliseconds planning (composing) and delivering, and in all. */
  planMs: number;
  deliverMs: number;
  ms: number;
}

export interface DigestService {
  round(opts?: RoundOptions): Promise<RoundSummary>;
  stop(): void;
}

export function createDigestService(deps: DigestDeps): DigestService {
  const now = deps.now ?? (() => new Date());
  const outbox = createOutbox({ ...deps, ...deps.outbox, now });
  let lastPrune = '';
  return {
    async round(opts = {}) {
      const started = performance.now();
      const at = now();
      const nowIso = at.toISOString();
      const expired = opts.dryRun ? 0 : await deps.store.expireUnconfirmed(nowIso);
      let plan: PlanSummary | null = null;
      let composer: RoundSummary['composer'] = null;
      if (!opts.deliverOnly && opts.digests !== false) {
        // One planner at a time across processes sharing the database (two would compose the
        // same digests, and one's plans be discarded by the outbox's unique key); every
        // process delivers.
        const c = createComposer({ trending: deps.trending, search: deps.search, size: deps.config.digest.size, now: at });
        const personalizer = createPersonalizer({ store: deps.store, trending: deps.trending, search: deps.search, size: deps.config.digest.size, now: at });
        plan = await exclusively(deps.store, 'digest planning', () => planDigests({ store: deps.store, composer: c, personalizer, config: deps.config, now: at }, opts),
          { logger: deps.logger, owner: deps.outbox?.owner });
        composer = plan ? c.stats() : null;
      }
      let alerts: AlertRunSummary | null = null;
      if (!opts.deliverOnly) {
        alerts = await exclusively(deps.store, 'alert planning', () => planAlerts({ store: deps.store, config: deps.config, now: at }, opts),
          { logger: deps.logger, owner: deps.outbox?.owner });
      }
      const planned = performance.now();
      const delivery = opts.dryRun ? null : await outbox.deliver();
      const delivered = performance.now();
      const today = nowIso.slice(0, 10);
      if (!opts.dryRun && lastPrune !== today) {
        await deps.store.pruneDigests(`${addDays(today, -deps.config.digest.keepDays)}T00:00:00.000Z`);
        lastPrune = today;
      }
      return {
        plan, delivery, expired, composer, alerts, planMs: Math.round(planned - started), deliverMs: Math.round(delivered - planned),
        ms: Math.round(performance.now() - started),
      };
    },
    stop() {
      outbox.stop();
    },
  };
}
