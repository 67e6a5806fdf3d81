// Fetching papers from the arXiv API (`/api/query`): by id list, or by a search query
// paged with start/max_results. Requests go through the polite client, which spaces
// them as arXiv asks (one every 3 s) and retries transient failures.

import { isPaperboyError } from '../errors.js';
import { parseArxivId } from '../papers/arxiv-id.js';
import type { PaperRecord } from '../papers/paper.js';
import { parseArxivAtom, type AtomPage } from './arxiv-atom.js';
import type { PoliteHttpClient } from './polite-http.js';

/** arXiv's guidance for id_list: keep each request to a modest number of ids. */
export const MAX_IDS_PER_REQUEST = 100;

export interface FetchByIdsOptions {
  chunkSize?: number;
  /** Called with each chunk's records as they arrive, so a caller can store them early. */
  onRecords?: (records: PaperRecord[]) => Promise<void> | void;
}

export interface FetchByIdsResult {
  records: PaperRecord[];
  /** Requested ids (canonical, unversioned) that arXiv did not return. */
  missing: string[];
  problems: string[];
}

/**
 * Fetches papers by arXiv id. Ids may carry a version (arXiv then answers with that
 * version); they are matched back by canonical id. Not-found ids are reported, not
 * thrown: arXiv answers them with an empty entry, or not at all.
 */
export async function fetchByIds(http: PoliteHttpClient, baseUrl: string, ids: string[], opts: FetchByIdsOptions = {}): Promise<FetchByIdsResult> {
  const chunkSize = Math.max(1, Math.min(opts.chunkSize ?? MAX_IDS_PER_REQUEST, MAX_IDS_PER_REQUEST));
  // One request per paper: 2503.10002 and 2503.10002v1 are the same paper.
  const byId = new Map<string, string>();
  for (const s of ids.map((x) => x.trim()).filter(Boolean)) {
    const key = parseArxivId(s)?.id ?? s;
    if (!byId.has(key)) byId.set(key, s);
  }
  const wanted = [...byId.values()];
  const found = new Map<string, PaperRecord>();
  const problems: string[] = [];
  for (let i = 0; i < wanted.length; i += chunkSize) {
    const chunk = wanted.slice(i, i + chunkSize);
    // max_results defaults to 10 upstream, so it must cover the whole chunk.
    const page = await getPage(http, apiUrl(baseUrl, { id_list: chunk.join(','), start: '0', max_results: String(chunk.length) }));
    const fresh = page.records.filter((r) => !found.has(r.id));
    for (const r of fresh) found.set(r.id, r);
    problems.push(...page.problems);
    if (fresh.length) await opts.onRecords?.(fresh);
  }
  const missing = [...byId.keys()].filter((id) => !found.has(id));
  return { records: [...found.values()], missing, problems };
}

export interface SearchOptions {
  /** Most results to fetch. */
  max: number;
  /** Results per request (default 100). */
  pageSize?: number;
  sortBy?: 'relevance' | 'lastUpdatedDate' | 'submittedDate';
  sortOrder?: 'ascending' | 'descending';
  onRecords?: (records: PaperRecord[]) => Promise<void> | void;
}

export interface SearchResult {
  records: PaperRecord[];
  totalResults: number;
  problems: string[];
}

/** Runs an arXiv search query (e.g. "cat:cs.LG AND ti:diffusion"), page by page, up to opts.max results. */
export async function searchArxiv(http: PoliteHttpClient, baseUrl: string, query: string, opts: SearchOptions): Promise<SearchResult> {
  const pageSize = Math.max(1, opts.pageSize ?? 100);
  const found = new Map<string, PaperRecord>();
  const problems: string[] = [];
  let totalResults = 0;
  for (let start = 0; start < opts.max; ) {
    const n = Math.min(pageSize, opts.max - start);
    const params: Record<string, string> = { search_query: query, start: String(start), max_results: String(n) };
    if (opts.sortBy) params.sortBy = opts.sortBy;
    if (opts.sortOrder) params.sortOrder = opts.sortOrder;
    const page = await getPage(http, apiUrl(baseUrl, params));
    totalResults = page.totalResults;
    problems.push(...page.problems);
    // Pages can overlap when results shift between requests; keep the first copy.
    const fresh = page.records.filter((r) => !found.has(r.id));
    for (const r of fresh) found.set(r.id, r);
    if (fresh.length) await opts.onRecords?.(fresh);
    // arXiv sometimes answers an empty page before the end; going on would loop on it.
    if (page.records.length + page.problems.length === 0) break;
    start += n;
    if (start >= totalResults) break;
  }
  return { records: [...found.values()], totalResults, problems };
}

function apiUrl(baseUrl: string, params: Record<string, string>): URL {
  const url = new URL(baseUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url;
}

/** One API request, parsed; an error feed sent with an HTTP error status still becomes its message. */
async function getPage(http: PoliteHttpClient, url: URL): Promise<AtomPage> {
  let body: string;
  try {
    body = (await http.get(url)).body;
  } catch (e) {
    const errBody = isPaperboyError(e) ? e.details?.body : undefined;
    if (typeof errBody === 'string' && /arxiv\.org\/api\/errors/i.test(errBody)) {
      try {
        parseArxivAtom(errBody);
      } catch (apiError) {
        if (isPaperboyError(apiError) && apiError.code === 'bad_input') throw apiError;
      }
    }
    throw e;
  }
  return parseArxivAtom(body);
}
