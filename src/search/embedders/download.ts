// One file from the Hub onto disk, resumable and verified: bytes go to FILE.part, a later
// run (or a retry after a dropped connection) asks for the rest with an HTTP Range, and the
// file takes its name only once its checksum matches what the Hub's listing promised.

import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { PaperboyError } from '../../errors.js';
import { parseRetryAfter } from '../../ingest/polite-http.js';
import { silentLogger, type Logger } from '../../logger.js';

/** What the listing says a file is: its size and sha256 (LFS files) or git blob id (small files). */
export interface Expected { size: number; sha256?: string; gitSha1?: string }

export interface DownloadOptions {
  url: string;
  dest: string;
  expected: Expected;
  headers?: Record<string, string>;
  /** Longest silence while receiving, in ms (default 60000); a big file may take far longer in total. */
  idleTimeoutMs?: number;
  maxRetries?: number;
  retryBaseMs?: number;
  logger?: Logger;
  /** Called with the bytes of this file on disk so far (resumed ones included). */
  onBytes?: (bytesOnDisk: number) => void;
}

/** Downloads unless dest already holds the expected bytes; returns the bytes fetched now. */
export async function downloadVerified(o: DownloadOptions): Promise<number> {
  const { dest, expected } = o;
  if (existsSync(dest) && statSync(dest).size === expected.size && (await matches(dest, expected))) {
    o.onBytes?.(expected.size);
    return 0;
  }
  mkdirSync(path.dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  const logger = o.logger ?? silentLogger;
  // A part left by an earlier run may hold bytes of another revision: if the result does
  // not match, fetch the whole file once more before giving up.
  let fetched = 0;
  for (let pass = existsSync(part) ? 0 : 1; ; pass++) {
    fetched += await fetchAll(o, part, logger);
    const size = statSync(part).size;
    const hash = await digest(part, expected);
    if (size === expected.size && hash.ok) break;
    rmSync(part, { force: true });
    if (pass === 0) {
      logger.warn('a partial download from an earlier run did not match; fetching the file again', { url: o.url });
      continue;
    }
    throw new PaperboyError('upstream_protocol', `${path.basename(dest)} from ${o.url} does not match the Hub's listing ` +
      `(expected ${expected.size} bytes with ${hash.kind} ${hash.expected}, got ${size} bytes with ${hash.got}); the download was removed, run the command again`);
  }
  renameSync(part, dest);
  return fetched;
}

/** Fetches until part holds as many bytes as expected, resuming after each interruption. */
async function fetchAll(o: DownloadOptions, part: string, logger: Logger): Promise<number> {
  const maxRetries = o.maxRetries ?? 5;
  let fetched = 0;
  for (let tryNo = 0; ; tryNo++) {
    const outcome = await fetchRest(o, part);
    fetched += outcome.fetched;
    if (outcome.done) return fetched;
    if (tryNo >= maxRetries) {
      throw new PaperboyError('upstream_unavailable', `Downloading ${o.url} failed after ${maxRetries} retries: ${outcome.reason}; run the command again to resume`);
    }
    const waitMs = outcome.retryAfterMs ?? Math.round(Math.min((o.retryBaseMs ?? 1000) * 2 ** tryNo, 30_000) * (0.5 + Math.random() * 0.5));
    logger.warn('download interrupted, resuming', { url: o.url, reason: outcome.reason, retry: tryNo + 1, of: maxRetries, waitMs });
    await new Promise((r) => setTimeout(r, waitMs));
  }
}

type Outcome = { done: true; fetched: number } | { done: false; fetched: number; reason: string; retryAfterMs: number | null };

/** Appends the rest of the file to part (or starts over when the server ignores Range). */
async function fetchRest(o: DownloadOptions, part: string): Promise<Outcome> {
  let have = existsSync(part) ? statSync(part).size : 0;
  if (have > o.expected.size) { rmSync(part); have = 0; }
  if (have === o.expected.size) return { done: true, fetched: 0 };
  const idle = new AbortController();
  const idleMs = o.idleTimeoutMs ?? 60_000;
  let timer = setTimeout(() => idle.abort(), idleMs);
  const headers = { ...o.headers, ...(have > 0 ? { Range: `bytes=${have}-` } : {}) };
  let fetched = 0;
  try {
    const res = await fetch(o.url, { headers, redirect: 'follow', signal: idle.signal });
    if (res.status === 429 || res.status >= 500) {
      await res.body?.cancel();
      return { done: false, fetched, reason: `HTTP ${res.status}`, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) };
    }
    if (res.status === 416) { rmSync(part, { force: true }); return { done: false, fetched, reason: 'the server refused to resume (HTTP 416)', retryAfterMs: 0 }; }
    if (res.status !== 200 && res.status !== 206) {
      throw new PaperboyError(res.status === 404 ? 'not_found' : 'upstream_protocol', `Downloading ${o.url} failed: HTTP ${res.status}`);
    }
    // 206 must continue where the part ends; a 200 is the whole file again.
    const resumed = res.status === 206 && new RegExp(`^bytes ${have}-`).test(res.headers.get('content-range') ?? '');
    const out = createWriteStream(part, { flags: resumed ? 'a' : 'w' });
    let onDisk = resumed ? have : 0;
    try {
      if (res.body) for await (const chunk of res.body) {
        clearTimeout(timer);
        timer = setTimeout(() => idle.abort(), idleMs);
        fetched += chunk.length;
        onDisk += chunk.length;
        if (onDisk > o.expected.size) throw new PaperboyError('upstream_protocol', `${o.url} sent more than the ${o.expected.size} bytes the listing gave`);
        if (!out.write(chunk)) await once(out, 'drain');
        o.onBytes?.(onDisk);
      }
    } finally {
      out.end();
      await once(out, 'close');
    }
    return onDisk === o.expected.size ? { done: true, fetched } : { done: false, fetched, reason: `the connection ended after ${onDisk} of ${o.expected.size} bytes`, retryAfterMs: null };
  } catch (e) {
    if (e instanceof PaperboyError) throw e;
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : undefined;
    const reason = idle.signal.aborted ? `no data for ${idleMs} ms` : cause ?? (e as Error).message;
    return { done: false, fetched, reason, retryAfterMs: null };
  } finally {
    clearTimeout(timer);
  }
}

async function matches(file: string, expected: Expected): Promise<boolean> {
  return (await digest(file, expected)).ok;
}

/** sha256 for LFS files; for small files git's blob id, sha1("blob SIZE\0" + bytes). */
async function digest(file: string, expected: Expected): Promise<{ ok: boolean; kind: string; expected: string; got: string }> {
  let hash: Hash;
  let kind: string;
  let want: string;
  if (expected.sha256) {
    hash = createHash('sha256');
    kind = 'sha256';
    want = expected.sha256;
  } else {
    hash = createHash('sha1').update(`blob ${statSync(file).size}\0`);
    kind = 'git blob id';
    want = expected.gitSha1!;
  }
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const got = hash.digest('hex');
  return { ok: got === want.toLowerCase(), kind, expected: want, got };
}
