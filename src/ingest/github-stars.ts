// GitHub stars of the repositories papers link to (links from Hugging Face items and from
// the comments and abstracts of recent papers), through the GitHub REST API
// (GET /repos/{owner}/{repo}) and the polite client. Each answer is saved at once as a
// github_stars signal of every paper linking the repository, so an interrupted run loses
// nothing. GitHub's rate limit is honoured: the remaining budget and reset time come with
// every answer (X-RateLimit-Remaining/Reset); when it is spent, or GitHub refuses with
// 403/429, the run waits for the reset when that is near, or stops and says when to resume
// (least recently checked repositories go first, so the next run continues). The token is
// sent as a header only, never logged or put in a message.

import type { Config } from '../config.js';
import { userAgent } from '../config.js';
import { describeError, PaperboyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { RepoLink } from '../store/trending-store.js';
import { createPoliteHttpClient, parseRetryAfter, type PoliteHttpClient } from './polite-http.js';

export const GITHUB_STATE = 'signals:github';
/** Rate-limit refusals of one repository after which the run stops rather than wait again. */
const MAX_REFUSALS = 3;

/** First path segments on github.com that are not users or organisations. */
const NOT_OWNERS = new Set(['about', 'apps', 'collections', 'contact', 'customer-stories', 'enterprise', 'events', 'explore', 'features',
  'issues', 'join', 'login', 'marketplace', 'new', 'notifications', 'orgs', 'pricing', 'pulls', 'search', 'security', 'settings',
  'site', 'sponsors', 'topics', 'trending', 'users']);
const OWNER = /^[a-z\d](?:[a-z\d-]{0,38})$/i;
const NAME = /^[\w.-]{1,100}$/;

/** "owner/name" (lower case) of a github.com repository URL, or null. */
export function githubRepoOf(url: string): string | null {
  const m = /^(?:https?:\/\/)?(?:www\.)?github\.com\/([^/\s?#]+)\/([^/\s?#]+)/i.exec(url.trim());
  return m ? repoFrom(m[1]!, m[2]!) : null;
}

/** Every github.com repository a text mentions (e.g. "Code: https://github.com/a/b."), once each. */
export function githubReposIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/github\.com\/([A-Za-z\d-]+)\/([\w.-]+)/gi)) {
    const repo = repoFrom(m[1]!, m[2]!);
    if (repo) found.add(repo);
  }
  return [...found];
}

function repoFrom(owner: string, rawName: string): string | null {
  // Sentences end right after links; ".git" is the clone URL of the same repository.
  const name = rawName.replace(/[.,;:]+$/, '').replace(/\.git$/i, '');
  if (!OWNER.test(owner) || NOT_OWNERS.has(owner.toLowerCase()) || !NAME.test(name) || name === '.' || name === '..') return null;
  return `${owner}/${name}`.toLowerCase();
}

export function createGithubHttp(config: Config, logger: Logger): PoliteHttpClient {
  const gh = config.trending.github;
  return createPoliteHttpClient({
    minIntervalMs: gh.minIntervalMs, timeoutMs: gh.timeoutMs, maxRetries: gh.maxRetries, maxRetryAfterMs: gh.maxWaitMs, logger,
    userAgent: userAgent(config),
    headers: {
      Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28',
      ...(gh.token ? { Authorization: `Bearer ${gh.token}` } : {}),
    },
  });
}

export interface GithubDeps { store: Store; http: PoliteHttpClient; logger: Logger; now?: () => Date; sleep?: (ms: number) => Promise<void> }
export interface GithubOptions {
  apiUrl: string;
  /** Repositories of papers dated since this day (YYYY-MM-DD) are refreshed. */
  sinceDay: string;
  maxRepos: number;
  /** Wait for a rate-limit reset at most this long; beyond it, stop. */
  maxWaitMs: number;
}
export interface GithubSummary {
  linksFound: number; checked: number; ok: number; notFound: number; failed: number; signalsAdded: number;
  /** Repositories still due when the run stopped at the rate limit. */
  left: number;
}

/** Where a 403/429 or a spent budget says we may ask again (ms since the epoch), or null when it is not about the rate limit. */
function rateLimitedUntil(headers: Record<string, string> | undefined, nowMs: number): number | null {
  if (!headers) return null;
  const retryAfter = parseRetryAfter(headers['retry-after'] ?? null, nowMs);
  if (retryAfter !== null) return nowMs + retryAfter;
  if (headers['x-ratelimit-remaining'] === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    return Number.isFinite(reset) ? Math.max(nowMs, reset * 1000) : nowMs + 60_000;
  }
  return null;
}

export async function fetchGithubStars(deps: GithubDeps, opts: GithubOptions): Promise<GithubSummary> {
  const { store, http, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const base = opts.apiUrl.replace(/\/+$/, '');

  // Links written in recent papers (arXiv comments often say "Code: github.com/…"). Only
  // the first one counts, the comment's before the abstract's: later ones are more often
  // the libraries a paper builds on than its own code.
  const links: RepoLink[] = [];
  for (const p of await store.papersMentioning('github.com/', opts.sinceDay)) {
    const repo = githubReposIn(p.comment ?? '')[0] ?? githubReposIn(p.abstract)[0];
    if (repo) links.push({ paperId: p.id, repo, source: 'arxiv-text' });
  }
  const summary: GithubSummary = { linksFound: await store.saveRepoLinks(links), checked: 0, ok: 0, notFound: 0, failed: 0, signalsAdded: 0, left: 0 };
  const due = await store.reposToRefresh({ sinceDay: opts.sinceDay, limit: opts.maxRepos });
  let blockedUntil: number | null = null;
  let stopped: string | null = null;
  let refusals = 0; // of the current repository: a server that keeps refusing must not loop us

  for (let i = 0; i < due.length; i++) {
    const { repo } = due[i]!;
    if (blockedUntil !== null && blockedUntil > now().getTime()) {
      const wait = blockedUntil - now().getTime();
      if (wait > opts.maxWaitMs) {
        stopped = new Date(blockedUntil).toISOString();
        summary.left = due.length - i;
        break;
      }
      logger.info('GitHub rate limit reached; waiting for its reset', { waitMs: wait });
      await sleep(wait);
    }
    blockedUntil = null;
    const checkedAt = now().toISOString();
    try {
      const res = await http.get(`${base}/repos/${repo}`);
      const stars = (JSON.parse(res.body) as { stargazers_count?: unknown }).stargazers_count;
      if (typeof stars !== 'number' || !Number.isInteger(stars) || stars < 0) throw new Error('no stargazers_count in the answer');
      summary.signalsAdded += await store.saveRepoCheck({ repo, checkedAt, stars, status: 'ok' });
      summary.ok++;
      // Spent budget: the next request would be refused; wait or stop before making it.
      if (res.headers.get('x-ratelimit-remaining') === '0') blockedUntil = rateLimitedUntil(Object.fromEntries(res.headers), now().getTime());
    } catch (e) {
      const details = e instanceof PaperboyError ? e.details : undefined;
      const status = typeof details?.status === 'number' ? details.status : null;
      const headers = details?.headers as Record<string, string> | undefined;
      const until = (status === 403 || status === 429 || e instanceof PaperboyError && e.code === 'upstream_unavailable') ? rateLimitedUntil(headers, now().getTime()) : null;
      if (until !== null && ++refusals <= MAX_REFUSALS) {
        blockedUntil = until;
        i--; // ask again for this one once the limit allows
        continue;
      }
      if (until !== null) {
        stopped = new Date(until).toISOString();
        summary.left = due.length - i;
        break;
      }
      if (status === 401) {
        const message = 'GitHub refused the token (401 Bad credentials): check PAPERBOY_GITHUB_TOKEN or trending.github.token.';
        await saveState(store, now, summary, message);
        throw new PaperboyError('bad_config', message);
      }
      if (e instanceof PaperboyError && e.code === 'upstream_unavailable') {
        await saveState(store, now, summary, `GitHub unavailable: ${describeError(e)}`);
        throw e;
      }
      const gone = status === 404 || status === 410 || status === 451;
      await store.saveRepoCheck({ repo, checkedAt, stars: null, status: gone ? 'not_found' : 'failed' });
      if (gone) summary.notFound++;
      else {
        summary.failed++;
        logger.warn('GitHub repository check failed', { repo, reason: describeError(e) });
      }
    }
    summary.checked++;
    refusals = 0;
  }
  const error = stopped ? `stopped at the GitHub rate limit with ${summary.left} repositories left; it resets at ${stopped}` : null;
  await saveState(store, now, summary, error);
  if (stopped) throw new PaperboyError('rate_limited', `GitHub: ${error} (the ${summary.ok} answers so far are saved; the next run continues).`, { resetAt: stopped });
  return summary;
}

async function saveState(store: Store, now: () => Date, s: GithubSummary, lastError: string | null): Promise<void> {
  const saved = await store.getHarvestState(GITHUB_STATE);
  const stamp = now().toISOString();
  await store.saveHarvestState({
    name: GITHUB_STATE, nextFrom: null, resumptionToken: null, currentFrom: null, currentResponseDate: null,
    pages: s.checked, records: s.ok, lastSuccessAt: lastError ? saved?.lastSuccessAt ?? null : stamp, lastError, updatedAt: stamp,
  });
}
