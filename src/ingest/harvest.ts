// Incremental arXiv OAI-PMH harvesting. One checkpoint (HarvestState) per (format, set);
// every page's papers and the checkpoint are written in one store.ingest, so a harvest
// killed at any moment resumes from its saved resumption token without a gap.

import type { Config } from '../config.js';
import { userAgent } from '../config.js';
import { describeError, PaperboyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { HarvestState, Store } from '../store/store.js';
import { parseOaiPage, type OaiPage } from './oai-pmh.js';
import { createPoliteHttpClient, type PoliteHttpClient } from './polite-http.js';

export interface HarvestDeps { store: Store; http: PoliteHttpClient; logger: Logger; now?: () => Date }

export interface PageInfo { name: string; pages: number; records: number; pageRecords: number; completeListSize: number | null }

export interface HarvestOptions {
  baseUrl: string;
  metadataPrefix: 'arXivRaw' | 'arXiv';
  /** OAI sets ("cs", "physics:hep-th"); empty harvests everything. */
  sets: string[];
  /** YYYY-MM-DD; overrides the saved nextFrom. */
  from?: string;
  /** YYYY-MM-DD; a bounded backfill, so it does not move nextFrom. */
  until?: string;
  firstHarvestDays: number;
  onPage?: (info: PageInfo) => void;
}

export interface SetSummary {
  name: string; from: string; resumed: boolean; pages: number; records: number; deleted: number; skipped: number;
  inserted: number; updated: number; unchanged: number; nextFrom: string | null;
}
export interface HarvestSummary {
  harvests: SetSummary[]; pages: number; records: number; inserted: number; updated: number; unchanged: number; durationMs: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A truncated page is re-requested this many times before the harvest gives up. */
const MALFORMED_RETRIES = 2;

export async function runHarvest(deps: HarvestDeps, opts: HarvestOptions): Promise<HarvestSummary> {
  for (const [k, v] of [['from', opts.from], ['until', opts.until]] as const) {
    if (v !== undefined && !DAY.test(v)) throw new PaperboyError('bad_input', `--${k} must be a date YYYY-MM-DD, got "${v}"`);
  }
  const started = Date.now();
  const harvests: SetSummary[] = [];
  const failures: unknown[] = [];
  // A failing set must not starve the others: harvest each, then report the failures once.
  for (const set of opts.sets.length ? opts.sets : [null]) {
    try {
      harvests.push(await harvestOne(deps, opts, set));
    } catch (e) {
      failures.push(e);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    const first = failures[0] instanceof PaperboyError ? failures[0].code : 'upstream_unavailable';
    throw new PaperboyError(first, `${failures.length} of ${opts.sets.length} harvests failed: ${failures.map(describeError).join('; ')}`);
  }
  const sum = (k: 'pages' | 'records' | 'inserted' | 'updated' | 'unchanged') => harvests.reduce((n, h) => n + h[k], 0);
  return { harvests, pages: sum('pages'), records: sum('records'), inserted: sum('inserted'), updated: sum('updated'),
    unchanged: sum('unchanged'), durationMs: Date.now() - started };
}

async function harvestOne(deps: HarvestDeps, opts: HarvestOptions, set: string | null): Promise<SetSummary> {
  const { store, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const name = `oai:${opts.metadataPrefix}:${set ?? 'all'}`;
  const log = logger.child({ harvest: name });
  const saved = await store.getHarvestState(name);
  let state: HarvestState = saved ?? { name, nextFrom: null, resumptionToken: null, currentFrom: null, currentResponseDate: null,
    pages: 0, records: 0, lastSuccessAt: null, lastError: null, updatedAt: now().toISOString() };
  const resumed = !!state.resumptionToken && !!state.currentFrom && (opts.from === undefined || opts.from === state.currentFrom);
  const from = resumed ? state.currentFrom! : opts.from ?? state.nextFrom ?? daysBefore(now(), opts.firstHarvestDays);
  if (!resumed) state = { ...state, resumptionToken: null, currentFrom: from, currentResponseDate: null, pages: 0, records: 0 };
  const summary: SetSummary = { name, from, resumed, pages: 0, records: 0, deleted: 0, skipped: 0, inserted: 0, updated: 0, unchanged: 0, nextFrom: state.nextFrom };
  log.info(resumed ? 'resuming harvest' : 'starting harvest', { from, ...(opts.until ? { until: opts.until } : {}), pagesDone: state.pages });

  const firstUrl = listUrl(opts.baseUrl, { verb: 'ListRecords', metadataPrefix: opts.metadataPrefix, set, from, until: opts.until });
  let restarted = false;
  try {
    for (;;) {
      const token = state.resumptionToken;
      const url = token ? listUrl(opts.baseUrl, { verb: 'ListRecords', resumptionToken: token }) : firstUrl;
      const page = await fetchPage(deps.http, url, opts.metadataPrefix, log);
      let done: OaiPage;
      if (page.kind === 'error') {
        if (page.code === 'badResumptionToken' && token && !restarted) {
          log.warn('resumption token expired, restarting the harvest', { from, token });
          restarted = true;
          state = { ...state, resumptionToken: null, currentResponseDate: null, pages: 0, records: 0 };
          continue;
        }
        if (page.code !== 'noRecordsMatch') throw new PaperboyError('upstream_protocol', `arXiv OAI-PMH error ${page.code}: ${page.message} (${url})`);
        done = { kind: 'page', responseDate: page.responseDate, records: [], deletedIds: [], resumptionToken: null, completeListSize: 0, cursor: null, problems: [] };
      } else done = page;

      for (const p of done.problems) log.warn('record skipped', { problem: p });
      const responseDate = state.currentResponseDate ?? (done.responseDate || now().toISOString());
      const pages = state.pages + 1;
      const records = state.records + done.records.length;
      const stamp = now().toISOString();
      state = done.resumptionToken
        ? { ...state, resumptionToken: done.resumptionToken, currentFrom: from, currentResponseDate: responseDate, pages, records, updatedAt: stamp }
        : { ...state, resumptionToken: null, currentFrom: null, currentResponseDate: null, pages, records, updatedAt: stamp, lastError: null,
            lastSuccessAt: stamp, nextFrom: opts.until ? state.nextFrom : responseDate.slice(0, 10) };
      const result = await store.ingest({ papers: done.records, harvestState: state });
      summary.pages++;
      summary.records += done.records.length;
      summary.deleted += done.deletedIds.length;
      summary.skipped += done.problems.length;
      summary.inserted += result.inserted;
      summary.updated += result.updated;
      summary.unchanged += result.unchanged;
      opts.onPage?.({ name, pages, records, pageRecords: done.records.length, completeListSize: done.completeListSize });
      if (!done.resumptionToken) break;
    }
  } catch (e) {
    // Keep the checkpoint (token included) so the next run resumes; just record why it stopped.
    const message = describeError(e);
    await store.saveHarvestState({ ...state, lastError: message, updatedAt: now().toISOString() });
    log.debug('harvest stopped', { error: message, pagesDone: state.pages }); // the caller reports it
    throw e;
  }
  summary.nextFrom = state.nextFrom;
  log.info('harvest complete', { pages: summary.pages, records: summary.records, deleted: summary.deleted, nextFrom: state.nextFrom });
  return summary;
}

/** One page, with a couple of re-requests when the body is cut off (a dropped transfer). */
async function fetchPage(http: PoliteHttpClient, url: string, prefix: 'arXivRaw' | 'arXiv', log: Logger) {
  for (let attempt = 0; ; attempt++) {
    let body: string;
    try {
      body = (await http.get(url)).body;
    } catch (e) {
      if (!(e instanceof PaperboyError)) throw e;
      // Some OAI servers send their <error> answers with a 4xx status: read those as OAI errors.
      const errorBody = e.details?.body;
      if (typeof errorBody === 'string' && errorBody.includes('<OAI-PMH')) body = errorBody;
      else throw new PaperboyError(e.code, `arXiv OAI-PMH: ${e.message}`, e.details);
    }
    try {
      return parseOaiPage(body, prefix);
    } catch (e) {
      if (!(e instanceof PaperboyError)) throw e;
      if (attempt >= MALFORMED_RETRIES) throw new PaperboyError(e.code, `${e.message} (${url})`);
      log.warn('malformed page, requesting it again', { url, error: e.message });
    }
  }
}

function listUrl(base: string, params: Record<string, string | null | undefined>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v) url.searchParams.set(k, v);
  return url.toString();
}

function daysBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

/** The scheduled (or CLI) harvest of everything the config names. */
export async function harvestAll(store: Store, config: Config, logger: Logger,
  extra: Partial<Pick<HarvestOptions, 'from' | 'until' | 'onPage'>> = {}): Promise<HarvestSummary> {
  const h = config.harvest;
  const http = createPoliteHttpClient({ minIntervalMs: h.minIntervalMs, timeoutMs: h.timeoutMs, maxRetries: h.maxRetries,
    userAgent: userAgent(config), logger });
  return runHarvest({ store, http, logger }, { baseUrl: h.oaiBaseUrl, metadataPrefix: h.metadataPrefix, sets: h.sets,
    firstHarvestDays: h.firstHarvestDays, ...extra });
}
