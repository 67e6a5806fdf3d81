// Hugging Face Daily Papers over HTTP: GET {baseUrl}/api/daily_papers?date=YYYY-MM-DD for
// each day asked, through the polite client (spaced requests, retries on 429/5xx/timeouts).
// Items are read by the file importer's parser (hf-daily.ts); what differs is the time of
// the observation: a file's counts are stamped with its day, a fetch's with the moment it
// was answered, since counts on a day's list keep growing for days and each fetch is a new
// observation. Each day is written as one batch, so a failure on one day loses nothing of
// the others; failures are reported together at the end, after the checkpoint is saved.

import type { Config } from '../config.js';
import { userAgent } from '../config.js';
import { describeError, PaperboyError, type ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PaperRecord, Signal } from '../papers/paper.js';
import type { Store } from '../store/store.js';
import type { PaperExtras } from '../store/extras-store.js';
import type { RepoLink } from '../store/trending-store.js';
import { parseHfItem } from './hf-daily.js';
import { createPoliteHttpClient, type PoliteHttpClient } from './polite-http.js';

/** The checkpoint row (harvest_state) of this connector: last success and last error. */
export const HF_STATE = 'signals:hf-daily';
/** A page this long may have a next one (the API pages its answer with p=). */
const PAGE_HINT = 50;
const MAX_PAGES = 5;

export interface HfFetchDeps { store: Store; http: PoliteHttpClient; logger: Logger; now?: () => Date }

export interface HfDaySummary { day: string; papers: number; signalsAdded: number; repoLinks: number; skipped: number }
export interface HfFetchSummary { days: HfDaySummary[]; failed: { day: string; error: string }[] }

export function createHfHttp(config: Config, logger: Logger): PoliteHttpClient {
  const hf = config.trending.hf;
  return createPoliteHttpClient({
    minIntervalMs: hf.minIntervalMs, timeoutMs: hf.timeoutMs, maxRetries: hf.maxRetries, logger,
    userAgent: userAgent(config), headers: { Accept: 'application/json' },
  });
}

export function hfDailyUrl(baseUrl: string, day: string, page = 0): string {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/api/daily_papers`);
  url.searchParams.set('date', day);
  if (page > 0) url.searchParams.set('p', String(page));
  return url.toString();
}

/** The JSON array of a daily_papers answer, or a clear upstream_protocol error. */
export function parseHfAnswer(body: string, url: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    throw new PaperboyError('upstream_protocol', `GET ${url}: the answer is not JSON (${(e as Error).message}; starts with ${JSON.stringify(body.slice(0, 60))})`, { url });
  }
  if (!Array.isArray(value)) {
    throw new PaperboyError('upstream_protocol', `GET ${url}: expected the JSON array /api/daily_papers returns, got ${value === null ? 'null' : typeof value}`, { url });
  }
  return value;
}

async function fetchDay(deps: HfFetchDeps, baseUrl: string, day: string): Promise<HfDaySummary> {
  const { store, http, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const papers = new Map<string, PaperRecord>();
  const signals: Signal[] = [];
  const links: RepoLink[] = [];
  const extras: PaperExtras[] = [];
  let skipped = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = hfDailyUrl(baseUrl, day, page);
    const res = await http.get(url);
    const observedAt = now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const items = parseHfAnswer(res.body, url);
    let fresh = 0;
    items.forEach((item, i) => {
      const parsed = parseHfItem(item, day);
      if ('reason' in parsed) {
        if (++skipped <= 5) logger.warn('unusable Hugging Face item skipped', { day, item: page * PAGE_HINT + i + 1, reason: parsed.reason });
        return;
      }
      if (papers.has(parsed.record.id)) return;
      fresh++;
      papers.set(parsed.record.id, parsed.record);
      signals.push(...parsed.signals.map((s) => ({ ...s, observedAt })));
      if (parsed.repo) links.push(parsed.repo);
      if (parsed.extras) extras.push(parsed.extras);
    });
    // A short page is the last; a page of nothing new means the API ignored p=.
    if (items.length < PAGE_HINT || fresh === 0) break;
  }
  const result = await store.ingest({ papers: [...papers.values()], signals });
  const repoLinks = await store.saveRepoLinks(links);
  await store.saveExtras(extras);
  return { day, papers: papers.size, signalsAdded: result.signalsAdded, repoLinks, skipped };
}

/** Fetches the lists of `days` (YYYY-MM-DD); throws after saving what worked when any day failed. */
export async function fetchHfDays(deps: HfFetchDeps, opts: { baseUrl: string; days: string[] }): Promise<HfFetchSummary> {
  const now = deps.now ?? (() => new Date());
  const summary: HfFetchSummary = { days: [], failed: [] };
  let firstCode: ErrorCode = 'upstream_unavailable';
  for (const day of opts.days) {
    try {
      const d = await fetchDay(deps, opts.baseUrl, day);
      summary.days.push(d);
      deps.logger.info('Hugging Face daily papers fetched', { ...d });
    } catch (e) {
      if (!summary.failed.length && e instanceof PaperboyError) firstCode = e.code;
      summary.failed.push({ day, error: describeError(e) });
    }
  }
  const saved = await deps.store.getHarvestState(HF_STATE);
  const stamp = now().toISOString();
  const lastError = summary.failed.length ? summary.failed.map((f) => `${f.day}: ${f.error}`).join('; ').slice(0, 2000) : null;
  await deps.store.saveHarvestState({
    name: HF_STATE, nextFrom: null, resumptionToken: null, currentFrom: null, currentResponseDate: null,
    pages: summary.days.length, records: summary.days.reduce((n, d) => n + d.papers, 0),
    lastSuccessAt: lastError ? saved?.lastSuccessAt ?? null : stamp, lastError, updatedAt: stamp,
  });
  if (lastError) {
    throw new PaperboyError(firstCode, `${summary.failed.length} of ${opts.days.length} Hugging Face days failed (the others were saved): ${lastError}`);
  }
  return summary;
}
