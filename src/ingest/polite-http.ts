// A polite HTTP GET client for upstreams that ask to be treated gently (arXiv: at most one
// request every 3 s, one connection). Requests are serialised per client, spaced by
// minIntervalMs, and retried with exponential backoff on 429, 5xx, timeouts and dropped
// connections; Retry-After is honoured; every retry is logged with its wait. A host name
// that does not resolve fails at once (retrying for minutes cannot fix DNS or a machine
// without network); everything else fails with a one-line message.

import { PaperboyError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';

export interface PoliteHttpOptions {
  /** Minimum time between the starts of two requests (default 3000). */
  minIntervalMs?: number;
  /** Per attempt, body included (default 60000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 6). */
  maxRetries?: number;
  userAgent?: string;
  /** Extra request headers (e.g. Accept, Authorization); they win over the defaults. */
  headers?: Record<string, string>;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  /** Upper bound on a server's Retry-After (default 10 minutes). */
  maxRetryAfterMs?: number;
}

export interface HttpResponse {
  status: number;
  url: string;
  body: string;
  headers: Headers;
}

export interface PoliteHttpClient {
  get(url: string | URL): Promise<HttpResponse>;
}

const MAX_BACKOFF_MS = 5 * 60_000;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A failed attempt worth another try, how long the server asked us to wait, and its headers. */
interface Retryable { reason: string; retryAfterMs: number | null; headers?: Headers }

/** getaddrinfo's answers for a name that does not exist, or that no DNS server could be asked about. */
const DNS_FAILURES = new Set(['ENOTFOUND', 'EAI_NONAME', 'EAI_AGAIN', 'EAI_FAIL']);

export function createPoliteHttpClient(opts: PoliteHttpOptions = {}): PoliteHttpClient {
  const minIntervalMs = opts.minIntervalMs ?? 3000;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const maxRetries = opts.maxRetries ?? 6;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 10 * 60_000;
  const logger = opts.logger ?? silentLogger;
  const sleep = opts.sleep ?? defaultSleep;
  // Backoff starts at the polite interval (floored so a zero interval still backs off).
  const baseBackoffMs = Math.max(minIntervalMs, 100);
  const headers: Record<string, string> = { Accept: 'application/xml, text/xml, */*' };
  if (opts.userAgent) headers['User-Agent'] = opts.userAgent;
  Object.assign(headers, opts.headers);

  let lastStart = Number.NEGATIVE_INFINITY;
  let queue: Promise<unknown> = Promise.resolve();

  async function attempt(url: string): Promise<HttpResponse | Retryable> {
    // Timers run on a millisecond clock and can fire a little early: check once more.
    for (let i = 0; i < 2; i++) {
      const wait = lastStart + minIntervalMs - performance.now();
      if (wait > 0) await sleep(Math.ceil(wait));
    }
    lastStart = performance.now(); // monotonic: a wall-clock jump must not break the spacing
    let res: Response;
    let body: string;
    try {
      res = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
      body = await res.text();
    } catch (e) {
      const code = (e instanceof Error && (e.cause as { code?: unknown } | undefined)?.code) || null;
      if (typeof code === 'string' && DNS_FAILURES.has(code)) {
        throw new PaperboyError('upstream_unavailable',
          `GET ${url} failed: the host name ${new URL(url).hostname} does not resolve (${code}); check the address and this machine's network and DNS`,
          { url, reason: code });
      }
      return { reason: networkReason(e, timeoutMs), retryAfterMs: null };
    }
    if (res.ok) return { status: res.status, url: res.url || url, body, headers: res.headers };
    if (res.status === 429 || res.status >= 500) {
      return { reason: `HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')), headers: res.headers };
    }
    const snippet = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
    throw new PaperboyError('upstream_protocol', `GET ${url} failed: HTTP ${res.status} ${res.statusText}${snippet ? ` (${snippet})` : ''}`,
      // The headers let callers read what a refusal means (e.g. GitHub's X-RateLimit-*).
      { url, status: res.status, body: body.slice(0, 65_536), headers: Object.fromEntries(res.headers) });
  }

  async function getWithRetries(url: string): Promise<HttpResponse> {
    for (let tryNo = 0; ; tryNo++) {
      const outcome = await attempt(url);
      if (!('reason' in outcome)) return outcome;
      if (tryNo >= maxRetries) {
        throw new PaperboyError('upstream_unavailable', `GET ${url} unavailable after ${maxRetries} retries: ${outcome.reason}`,
          { url, reason: outcome.reason, ...(outcome.headers ? { headers: Object.fromEntries(outcome.headers) } : {}) });
      }
      const backoff = Math.min(baseBackoffMs * 2 ** tryNo, MAX_BACKOFF_MS);
      const waitMs = outcome.retryAfterMs !== null
        ? Math.min(outcome.retryAfterMs, maxRetryAfterMs)
        : Math.round(backoff * (1 + Math.random() * 0.25)); // jitter: clients retrying together drift apart
      // Every retry says so, with its wait: an operator watching a stalled command must see it is waiting, not stuck.
      logger.warn(`request failed, retrying in ${seconds(waitMs)} (retry ${tryNo + 1} of ${maxRetries})`,
        { url, reason: outcome.reason, retry: tryNo + 1, of: maxRetries, waitMs });
      await sleep(waitMs);
    }
  }

  return {
    get(url) {
      const result = queue.then(() => getWithRetries(String(url)));
      queue = result.catch(() => undefined); // one failure must not block the next caller
      return result;
    },
  };
}

/** Retry-After is either delta-seconds or an HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

function networkReason(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  // undici wraps the socket error: TypeError('fetch failed', { cause: Error('connect ECONNREFUSED …') }).
  const cause = e instanceof Error ? e.cause : undefined;
  if (cause instanceof Error && cause.message) return cause.message;
  return e instanceof Error ? e.message : String(e);
}
