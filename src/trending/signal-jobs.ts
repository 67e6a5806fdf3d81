// Keeping trending's signals fresh: one run of each connector (what the `signals` commands
// do) and their schedules inside `serve`. Hugging Face counts move within hours, so its
// lists of the last few days are fetched every few hours; GitHub stars once a day.

import type { Config } from '../config.js';
import { describeError } from '../errors.js';
import { createGithubHttp, fetchGithubStars, GITHUB_STATE, type GithubSummary } from '../ingest/github-stars.js';
import { createHfHttp, fetchHfDays, HF_STATE, type HfFetchSummary } from '../ingest/hf-daily-api.js';
import { startDailyJob } from '../ingest/schedule.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { addDays, utcDay } from './windows.js';

/** The `n` days ending with `last`, oldest first. */
export function daysEnding(last: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => addDays(last, i - n + 1));
}

export function refreshHf(store: Store, config: Config, logger: Logger, days?: string[], now: () => Date = () => new Date()): Promise<HfFetchSummary> {
  return fetchHfDays({ store, http: createHfHttp(config, logger), logger, now }, {
    baseUrl: config.trending.hf.baseUrl, days: days ?? daysEnding(utcDay(now()), config.trending.hf.days),
  });
}

export function refreshGithub(store: Store, config: Config, logger: Logger, opts: { days?: number; maxRepos?: number } = {}, now: () => Date = () => new Date()): Promise<GithubSummary> {
  const gh = config.trending.github;
  return fetchGithubStars({ store, http: createGithubHttp(config, logger), logger, now }, {
    apiUrl: gh.apiUrl, sinceDay: addDays(utcDay(now()), -((opts.days ?? gh.refreshDays) - 1)),
    maxRepos: opts.maxRepos ?? gh.maxReposPerRun, maxWaitMs: gh.maxWaitMs,
  });
}

export interface IntervalJobOptions {
  name: string;
  everyMs: number;
  run: () => Promise<void>;
  lastSuccessAt: () => Promise<string | null>;
  logger: Logger;
  now?: () => Date;
  retryAfterFailureMs?: number;
}

/** Runs `run` every `everyMs`: at start when the last success is older, after a failure again within the hour. */
export function startIntervalJob(o: IntervalJobOptions): { stop(): void } {
  const now = o.now ?? (() => new Date());
  const retryMs = Math.min(o.retryAfterFailureMs ?? 3_600_000, o.everyMs);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => void tick(), Math.max(0, Math.min(delayMs, 2 ** 31 - 1)));
    timer.unref();
  };
  const tick = async () => {
    if (stopped) return;
    try {
      await o.run();
      schedule(o.everyMs);
    } catch (e) {
      o.logger.error(`${o.name} failed; trending keeps the signals it has`, { reason: describeError(e) });
      schedule(retryMs);
    }
  };
  void (async () => {
    const last = await o.lastSuccessAt().catch(() => null);
    const due = last ? Date.parse(last) + o.everyMs - now().getTime() : 0;
    schedule(Number.isFinite(due) ? due : 0);
  })();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** The connectors' schedules in `serve`, as configured (each can be turned off). */
export function startSignalJobs(store: Store, config: Config, logger: Logger): { stop(): void; describe: string } {
  const jobs: { stop(): void }[] = [];
  const parts: string[] = [];
  const lastSuccess = (name: string) => async () => (await store.getHarvestState(name))?.lastSuccessAt ?? null;
  if (config.trending.hf.enabled) {
    jobs.push(startIntervalJob({
      name: 'Hugging Face signals', everyMs: config.trending.hf.everyHours * 3_600_000, logger, lastSuccessAt: lastSuccess(HF_STATE),
      run: async () => { await refreshHf(store, config, logger); },
    }));
    parts.push(`Hugging Face every ${config.trending.hf.everyHours} h`);
  }
  if (config.trending.github.enabled) {
    jobs.push(startDailyJob({
      name: 'GitHub stars', dailyAt: config.trending.github.dailyAt, logger, lastSuccessAt: lastSuccess(GITHUB_STATE),
      run: async () => {
        const s = await refreshGithub(store, config, logger);
        logger.info('GitHub stars refreshed', { ...s });
      },
    }));
    parts.push(`GitHub daily at ${config.trending.github.dailyAt} UTC${config.trending.github.token ? '' : ' (no token: 60 requests an hour)'}`);
  }
  return { stop: () => jobs.forEach((j) => j.stop()), describe: parts.join(', ') || 'off' };
}
