// Keeping trending's signals fresh: one run of each connector (what the `signals` commands
// do) and their schedules inside `serve`. Hugging Face counts move within hours, so its
// lists of the last few days are fetched every few hours; GitHub stars once a day.

import type { Config } from '../config.js';
import { createGithubHttp, fetchGithubStars, GITHUB_STATE, type GithubSummary } from '../ingest/github-stars.js';
import { createHfHttp, fetchHfDays, HF_STATE, type HfFetchSummary } from '../ingest/hf-daily-api.js';
import { startDailyJob } from '../jobs/daily.js';
import { startIntervalJob } from '../jobs/interval.js';
import { exclusively } from '../jobs/lease.js';
import type { Job } from '../jobs/job.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { addDays, utcDay } from '../days.js';

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

/** The connectors' schedules in `serve`, as configured (each can be turned off). */
export function startSignalJobs(store: Store, config: Config, logger: Logger): { stop(): Promise<void>; describe: string } {
  const jobs: Job[] = [];
  const parts: string[] = [];
  const lastSuccess = (name: string) => async () => (await store.getHarvestState(name))?.lastSuccessAt ?? null;
  if (config.trending.hf.enabled) {
    jobs.push(startIntervalJob({
      name: 'Hugging Face signals', everyMs: config.trending.hf.everyHours * 3_600_000, logger, lastSuccessAt: lastSuccess(HF_STATE),
      failureMeans: 'trending keeps the signals it has',
      // Once across every process sharing the database (src/jobs/lease.ts).
      run: async () => { await exclusively(store, 'Hugging Face signals', () => refreshHf(store, config, logger), { logger }); },
    }));
    parts.push(`Hugging Face every ${config.trending.hf.everyHours} h`);
  }
  if (config.trending.github.enabled) {
    jobs.push(startDailyJob({
      name: 'GitHub stars', dailyAt: config.trending.github.dailyAt, logger, lastSuccessAt: lastSuccess(GITHUB_STATE),
      failureMeans: 'trending keeps the signals it has',
      run: async () => {
        const s = await exclusively(store, 'GitHub stars', () => refreshGithub(store, config, logger), { logger });
        if (s) logger.info('GitHub stars refreshed', { ...s });
      },
    }));
    parts.push(`GitHub daily at ${config.trending.github.dailyAt} UTC${config.trending.github.token ? '' : ' (no token: 60 requests an hour)'}`);
  }
  return { stop: async () => { await Promise.all(jobs.map((j) => j.stop())); }, describe: parts.join(', ') || 'off' };
}
