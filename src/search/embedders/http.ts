// The HTTP provider: an OpenAI-compatible POST /v1/embeddings endpoint (Ollama,
// text-embeddings-inference, vLLM, LocalAI, hosted APIs). Texts go in batches; 429, 5xx,
// timeouts and dropped connections are retried with jittered exponential backoff (a
// server's Retry-After wins); everything else fails at once with a message saying what to
// fix. The API key travels only in the Authorization header: it is never logged and is
// scrubbed from anything a server echoes back.

import { createHash } from 'node:crypto';
import { PaperboyError, type ErrorCode } from '../../errors.js';
import { parseRetryAfter } from '../../ingest/polite-http.js';
import { silentLogger, type Logger } from '../../logger.js';
import { normalize, type Embedder } from './embedder.js';
import { findKnownModel } from './known-models.js';
import { parseEmbeddingsAnswer } from './http-answer.js';

export interface HttpEmbedderOptions {
  /** The endpoint (…/v1/embeddings), or its base (…/v1, or the server's root). */
  url: string;
  /** The model the server should use, e.g. "nomic-embed-text" (Ollama) or "text-embedding-3-small". */
  model: string;
  apiKey?: string;
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Per request, answer included (default 60000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
  /** The dimension expected; answers with another are refused. Without it, the first answer sets it. */
  dimensions?: number;
  /** Also ask the server for that many dimensions (OpenAI text-embedding-3, Matryoshka models). */
  sendDimensions?: boolean;
  /** Prepended to queries / documents; default from the table of known models (e.g. nomic's "search_query: "). */
  queryPrefix?: string;
  documentPrefix?: string;
  /** The embedder's name (default "http:MODEL"); vectors of different names are never mixed. */
  name?: string;
  logger?: Logger;
  /** Longest wait a server's Retry-After may impose (default 120000). */
  maxRetryAfterMs?: number;
  /** First backoff step (default 500 ms), doubled at each retry up to 30 s. */
  retryBaseMs?: number;
}

const MAX_BACKOFF_MS = 30_000;

export async function createHttpEmbedder(opts: HttpEmbedderOptions): Promise<Embedder> {
  const endpoint = endpointOf(opts.url);
  const shown = shownUrl(endpoint);
  if (!opts.model?.trim()) throw new PaperboyError('bad_config', 'search.embedder.http.model must name the model the server should use');
  const batchSize = whole(opts.batchSize ?? 64, 'batchSize', 1);
  const timeoutMs = whole(opts.timeoutMs ?? 60_000, 'timeoutMs', 1);
  const maxRetries = whole(opts.maxRetries ?? 5, 'maxRetries', 0);
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 120_000;
  const baseMs = opts.retryBaseMs ?? 500;
  if (opts.sendDimensions && !opts.dimensions) throw new PaperboyError('bad_config', 'search.embedder.http.sendDimensions needs search.embedder.dimensions');
  const logger = opts.logger ?? silentLogger;
  const known = findKnownModel(opts.model)?.model;
  const queryPrefix = opts.queryPrefix ?? known?.queryPrefix ?? '';
  const documentPrefix = opts.documentPrefix ?? known?.documentPrefix ?? '';
  const secret = opts.apiKey || undefined;
  const scrub = (s: string) => (secret ? s.split(secret).join('***') : s);

  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (secret) headers.Authorization = `Bearer ${secret}`;
  let dimensions = opts.dimensions;

  const fail = (code: ErrorCode, message: string): never => {
    throw new PaperboyError(code, scrub(message), { url: shown });
  };

  /** One request: the vectors, or a reason worth retrying. */
  async function attempt(input: string[], signal?: AbortSignal): Promise<Float32Array[] | { reason: string; retryAfterMs: number | null }> {
    const body = JSON.stringify({ model: opts.model, input, ...(opts.sendDimensions ? { dimensions } : {}) });
    let res: Response;
    let text: string;
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      res = await fetch(endpoint, { method: 'POST', headers, body, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      text = await res.text();
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      return { reason: timeout.aborted ? `no answer within ${timeoutMs} ms` : networkReason(e), retryAfterMs: null };
    }
    if (res.status === 408 || res.status === 429 || res.status >= 500) return { reason: `HTTP ${res.status}`, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) };
    const said = serverMessage(text);
    if (res.status === 401 || res.status === 403) {
      fail('bad_config', `The embeddings endpoint ${shown} refused the request (HTTP ${res.status}${said}); check search.embedder.http.apiKey (PAPERBOY_EMBEDDINGS_API_KEY)`);
    }
    if (res.status === 404) fail('bad_config', `No embeddings endpoint at ${shown}, or no model "${opts.model}" there (HTTP 404${said}); check search.embedder.http.url and .model`);
    if (res.status === 413) fail('upstream_protocol', `The embeddings endpoint ${shown} found a batch of ${input.length} texts too large (HTTP 413${said}); lower search.embedder.http.batchSize`);
    if (res.status >= 400) fail('upstream_protocol', `The embeddings endpoint ${shown} rejected a batch of ${input.length} texts (HTTP ${res.status}${said})`);
    const parsed = parseEmbeddingsAnswer(text, input.length);
    if (typeof parsed === 'string') return fail('upstream_protocol', `The embeddings endpoint ${shown} answered HTTP ${res.status} with ${parsed}`);
    const width = parsed[0]!.length;
    if (dimensions === undefined) dimensions = width;
    else if (width !== dimensions) {
      fail(opts.dimensions ? 'bad_config' : 'upstream_protocol', `The embeddings endpoint ${shown} gave ${width}-dimensional vectors for model "${opts.model}", ` +
        (opts.dimensions ? `but search.embedder.dimensions is ${opts.dimensions}` : `but its earlier answers had ${dimensions}`));
    }
    return parsed.map(normalize);
  }

  async function request(input: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    let lastReason = '';
    for (let tryNo = 0; ; tryNo++) {
      const outcome = await attempt(input, signal);
      if (Array.isArray(outcome)) return outcome;
      if (tryNo >= maxRetries) fail('upstream_unavailable', `The embeddings endpoint ${shown} is unavailable after ${maxRetries} retries: ${outcome.reason}`);
      const backoff = Math.min(baseMs * 2 ** tryNo, MAX_BACKOFF_MS);
      // Jitter spreads out clients that failed together; a server's Retry-After is obeyed as is.
      const waitMs = outcome.retryAfterMs !== null ? Math.min(outcome.retryAfterMs, maxRetryAfterMs) : Math.round(backoff * (0.5 + Math.random() * 0.5));
      (outcome.reason === lastReason ? logger.debug : logger.warn)('embeddings request failed, retrying', { url: shown, reason: scrub(outcome.reason), retry: tryNo + 1, of: maxRetries, waitMs });
      lastReason = outcome.reason;
      await sleep(waitMs, signal);
    }
  }

  async function embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batchSize) {
      signal?.throwIfAborted();
      // Several servers refuse an empty string; a space embeds as "nothing" just the same.
      out.push(...(await request(texts.slice(i, i + batchSize).map((t) => t || ' '), signal)));
    }
    return out;
  }

  // Without a configured dimension, learn it now (this also checks the URL, key and model at start).
  if (dimensions === undefined) await embed(['dimension probe']);
  const docPart = documentPrefix ? `:doc=${createHash('sha256').update(documentPrefix).digest('hex').slice(0, 6)}` : '';
  const name = opts.name ?? `http:${opts.model}${opts.sendDimensions ? `/d${dimensions}` : ''}${docPart}`;
  return {
    name,
    get dimensions() { return dimensions!; },
    embedDocuments: (texts, o) => embed(texts.map((t) => documentPrefix + t), o?.signal),
    embedQuery: async (text, o) => (await embed([queryPrefix + text], o?.signal))[0]!,
  };
}

/** …/v1/embeddings as given; a base (…/v1 or a server root) gets the rest appended. */
export function endpointOf(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new PaperboyError('bad_config', `search.embedder.http.url must be an http(s) URL, got "${url}"`);
  }
  if (!/^https?:$/.test(u.protocol)) throw new PaperboyError('bad_config', `search.embedder.http.url must be an http(s) URL, got "${shownUrl(url)}"`);
  const p = u.pathname.replace(/\/+$/, '');
  if (!p.endsWith('/embeddings')) u.pathname = p.endsWith('/v1') ? `${p}/embeddings` : `${p}/v1/embeddings`;
  return u.toString();
}

/** The URL without credentials or query string, for messages and logs. */
function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(unreadable URL)';
  }
}

/** What a server said about an error, briefly: OpenAI's {error:{message}}, TEI's {error}, or text. */
function serverMessage(text: string): string {
  let said = text;
  try {
    const j = JSON.parse(text) as { error?: string | { message?: string }; message?: string; detail?: unknown };
    said = typeof j.error === 'string' ? j.error : j.error?.message ?? j.message ?? (typeof j.detail === 'string' ? j.detail : text);
  } catch { /* not JSON: the text itself */ }
  said = said.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  return said ? `: ${said}` : '';
}

function networkReason(e: unknown): string {
  // undici wraps the socket error: TypeError('fetch failed', { cause: Error('ECONNRESET …') }).
  const cause = e instanceof Error ? e.cause : undefined;
  return cause instanceof Error && cause.message ? cause.message : e instanceof Error ? e.message : String(e);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { signal?.removeEventListener('abort', stop); resolve(); }, ms);
    const stop = () => { clearTimeout(t); reject(signal!.reason); };
    signal?.addEventListener('abort', stop, { once: true });
  });
}

function whole(n: number, key: string, min: number): number {
  if (!Number.isInteger(n) || n < min) throw new PaperboyError('bad_config', `search.embedder.http.${key} must be a whole number ≥ ${min}, got ${n}`);
  return n;
}
